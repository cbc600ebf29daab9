// The conformance harness's driver mode, end to end on one small feature file: the runner's worker starts a real
// `strata server` process, the steps drive it through typedb-driver@2.29.7, every scenario passes, and nothing is
// left running afterwards. (The whole suite through the driver is `npm run conformance -- --via=driver`; it is not
// part of npm test.)
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findFeaturesDir } from '../../conformance/runner/paths.js';
import { runConformance } from './runner-process.js';

const FEATURE = 'connection/database.feature';

interface FileSummary {
  file: string;
  scenarios: number;
  passed: number;
  failed: number;
  undefined: number;
}

/** Command lines of running processes that mention `text` (Linux /proc; empty elsewhere). */
function processesMentioning(text: string): string[] {
  if (!existsSync('/proc')) return [];
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const commandLine = readFileSync(join('/proc', entry, 'cmdline'), 'utf8').split('\0').join(' ');
      if (commandLine.includes(text)) found.push(`${entry}: ${commandLine}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

test(`the driver mode passes ${FEATURE} and stops its server`, { timeout: 5 * 60 * 1000 }, async (t) => {
  try {
    findFeaturesDir();
  } catch (error) {
    t.skip(`cannot run the conformance suite here: ${(error as Error).message}`);
    return;
  }
  // The runner's scratch space (which holds the server's data directory, named on its command line) goes here, so
  // a server left behind would be found by this path.
  const scratch = mkdtempSync(join(tmpdir(), 'strata-driver-mode-'));
  try {
    const report = join(scratch, 'conformance-driver.json');
    const { code, output } = await runConformance(
      ['--via=driver', '--jobs', '1', '--report', report, '--details', join(scratch, 'details.json'), '--compare', join(scratch, 'none.json'), FEATURE],
      { STRATA_CONFORMANCE_SCRATCH: scratch },
    );
    assert.equal(code, 0, `the driver mode did not pass ${FEATURE} (exit ${code}):\n${output.slice(-5000)}`);
    const summaries = JSON.parse(readFileSync(report, 'utf8')) as FileSummary[];
    const summary = summaries.find((s) => s.file === FEATURE);
    assert.ok(summary && summary.scenarios > 0, `no scenarios of ${FEATURE} in the report:\n${output.slice(-5000)}`);
    assert.equal(summary.passed, summary.scenarios, `${FEATURE}: ${summary.passed} of ${summary.scenarios} passed`);
    assert.deepEqual(processesMentioning(scratch), [], 'a server or worker process outlived the run');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
