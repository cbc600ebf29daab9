// The conformance ratchet: every feature file listed in reports/conformance-baseline.json must pass at least as
// many scenarios as recorded there. The suite runs in a child process (the conformance runner, which itself
// isolates the engine in worker processes), so an engine crash or hang cannot take this test process down.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findFeaturesDir } from '../../conformance/runner/paths.js';
import { REPO_ROOT, runConformance } from './runner-process.js';

const baselinePath = join(REPO_ROOT, 'reports', 'conformance-baseline.json');

interface FileSummary {
  file: string;
  scenarios: number;
  passed: number;
  failed: number;
  undefined: number;
}

test('conformance does not fall below the baseline', { timeout: 20 * 60 * 1000 }, async (t) => {
  const baseline = existsSync(baselinePath)
    ? (JSON.parse(readFileSync(baselinePath, 'utf8')) as Record<string, number>)
    : {};
  // a file whose minimum is 0 cannot regress: do not spend time running it
  const files = Object.entries(baseline)
    .filter(([, minimum]) => minimum > 0)
    .map(([file]) => file);
  if (files.length === 0) {
    t.skip('the baseline records no passing scenarios yet');
    return;
  }
  try {
    findFeaturesDir();
  } catch (error) {
    t.skip(`cannot run the conformance suite here: ${(error as Error).message}`);
    return;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'strata-ratchet-'));
  try {
    const report = join(scratch, 'conformance.json');
    const { code, output } = await runConformance(['--report', report, '--details', join(scratch, 'details.json'), ...files]);
    assert.notEqual(code, 2, `the conformance harness failed:\n${output}`);
    assert.ok(existsSync(report), `the conformance runner wrote no report (exit ${code}):\n${output}`);
    const summaries = JSON.parse(readFileSync(report, 'utf8')) as FileSummary[];
    const passed = new Map(summaries.map((s) => [s.file, s.passed]));
    const below = files
      .filter((file) => (passed.get(file) ?? 0) < baseline[file]!)
      .map((file) => `${file}: ${passed.get(file) ?? 0} passed, baseline ${baseline[file]}`);
    assert.deepEqual(below, [], `conformance fell below the baseline:\n  ${below.join('\n  ')}\n\n${output.slice(-5000)}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
