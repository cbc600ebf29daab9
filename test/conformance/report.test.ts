// The conformance runner's summaries and baseline arithmetic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comparisonFrom, formatTable, raiseBaseline, regressions, summarise, totals } from '../../conformance/runner/report.js';
import type { ScenarioResult } from '../../conformance/runner/messages.js';
import { resolveSelection } from '../../conformance/runner/plan.js';
import { findFeaturesDir } from '../../conformance/runner/paths.js';

const result = (uri: string, line: number, status: ScenarioResult['status'], empty = false): ScenarioResult => ({
  uri,
  line,
  name: `s${line}`,
  status,
  empty,
  durationMs: 1,
});

test('summaries count each status per file; totals count placeholders and timeouts', () => {
  const plans = [
    { uri: 'a.feature', scenarios: [1, 2, 3, 4].map((line) => ({ uri: 'a.feature', line, name: '' })) },
    { uri: 'b.feature', scenarios: [] },
  ];
  const results = new Map([
    [
      'a.feature',
      [
        result('a.feature', 1, 'passed'),
        result('a.feature', 2, 'passed', true),
        result('a.feature', 3, 'undefined'),
        { ...result('a.feature', 4, 'failed'), error: 'timed out: …' },
      ],
    ],
  ]);
  const summaries = summarise(plans, results);
  assert.deepEqual(summaries, [
    { file: 'a.feature', scenarios: 4, passed: 2, failed: 1, undefined: 1 },
    { file: 'b.feature', scenarios: 0, passed: 0, failed: 0, undefined: 0 },
  ]);
  const total = totals(summaries, results);
  assert.equal(total.empty, 1);
  assert.equal(total.timedOut, 1);
});

test('the baseline only ever rises', () => {
  const baseline = { 'a.feature': 5, 'b.feature': 3 };
  const now = [
    { file: 'a.feature', scenarios: 9, passed: 4, failed: 5, undefined: 0 },
    { file: 'b.feature', scenarios: 9, passed: 7, failed: 2, undefined: 0 },
    { file: 'c.feature', scenarios: 2, passed: 0, failed: 2, undefined: 0 },
  ];
  const { next, raised } = raiseBaseline(baseline, now);
  assert.deepEqual(next, { 'a.feature': 5, 'b.feature': 7, 'c.feature': 0 });
  assert.deepEqual(raised, ['b.feature: 3 → 7']);
  assert.deepEqual(regressions(baseline, now), ['a.feature: 4 passed, baseline 5']);
});

test('the driver mode table compares passed counts with the embedded report, file by file', () => {
  const summaries = [
    { file: 'a.feature', scenarios: 4, passed: 4, failed: 0, undefined: 0 },
    { file: 'b.feature', scenarios: 3, passed: 1, failed: 2, undefined: 0 },
    { file: 'c.feature', scenarios: 1, passed: 1, failed: 0, undefined: 0 },
  ];
  const total = { ...totals(summaries, new Map()), file: 'total' };
  const embedded = comparisonFrom('embedded', [
    { file: 'a.feature', scenarios: 4, passed: 4, failed: 0, undefined: 0 },
    { file: 'b.feature', scenarios: 3, passed: 3, failed: 0, undefined: 0 },
  ]);
  const lines = formatTable(summaries, total, false, 1, embedded).split('\n');
  const cells = (file: string) => lines.find((l) => l.startsWith(file))!.trim().split(/\s+/);
  assert.deepEqual(cells('a.feature').slice(-2), ['4', '=']);
  assert.deepEqual(cells('b.feature').slice(-2), ['3', '-2']);
  assert.deepEqual(cells('c.feature').slice(-1), ['-']);
  assert.deepEqual(cells('total').slice(-2), ['7', '-1']);
  assert.match(lines[0]!, /embedded\s+diff$/);
});

test('feature selections: whole suite minus exclusions, folders, and scenario lines', (t) => {
  let featuresDir: string;
  try {
    featuresDir = findFeaturesDir();
  } catch {
    t.skip('the behaviour suite is not available here');
    return;
  }
  const all = resolveSelection(featuresDir, []).map((s) => s.uri);
  assert.equal(all.length, 36);
  assert.ok(!all.includes('connection/user.feature'));
  assert.ok(!all.some((uri) => uri.startsWith('query/explanation/')));
  assert.deepEqual(
    resolveSelection(featuresDir, ['query/language/match.feature:120:131', 'connection/user.feature']),
    [{ uri: 'query/language/match.feature', lines: [120, 131] }, { uri: 'connection/user.feature' }],
  );
  assert.equal(resolveSelection(featuresDir, ['query/reasoner/']).length, 11);
});
