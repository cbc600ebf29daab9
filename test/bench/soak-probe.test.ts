// bench:soak's verdict: the heap's slope over time, and how steadily it grows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heapSlope, type ProbeSample } from '../../bench/soak-probe.js';

const at = (seconds: number, heapMiB: number): ProbeSample => ({
  at: seconds,
  heapUsed: heapMiB * 1048576,
  code: 0,
  external: 0,
  rssAnon: 0,
  rssFile: 0,
  threads: 1,
  resources: {},
  timers: { timeouts: 0, long: 0, intervals: 0 },
  sessions: 0,
  transactions: 0,
});

test('a heap growing 1 MiB a minute: 1024 KiB/min, a perfect line', () => {
  const { kibPerMinute, r2 } = heapSlope([0, 60, 120, 180].map((s) => at(s, 20 + s / 60)));
  assert.ok(Math.abs(kibPerMinute - 1024) < 1e-6, String(kibPerMinute));
  assert.ok(Math.abs(r2 - 1) < 1e-9, String(r2));
});

test('a heap going up and down: no steady growth', () => {
  const { r2 } = heapSlope([20, 22, 20, 22, 20, 22, 20].map((mib, i) => at(i * 10, mib)));
  assert.ok(r2 < 0.5, String(r2));
});

test('too few samples, or all at one time: no slope', () => {
  assert.deepEqual(heapSlope([at(0, 20), at(10, 30)]), { kibPerMinute: 0, r2: 0 });
  assert.deepEqual(heapSlope([at(5, 20), at(5, 30), at(5, 25)]), { kibPerMinute: 0, r2: 0 });
});
