// A median sorts its values in steps (common/sort-steps.ts), so that the server can serve others while it sorts a
// million of them: counted as pause points, not timed (server/long-queries.test.ts runs one end to end).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateSteps } from '../../src/query/aggregates.js';
import { PENDING } from '../../src/common/steps.js';
import type { Value } from '../../src/common/values.js';

test('a median of 50 000 values pauses while it sorts them, and is the middle value', () => {
  const values: Value[] = Array.from({ length: 50_001 }, (_, i) => ({ type: 'long', value: BigInt((i * 7919) % 50_021) }));
  const sorted = values.map((v) => v.value as bigint).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const steps = aggregateSteps('median', { kind: 'value-var', name: 's' }, values, values.length);
  let pauses = 0;
  let next = steps.next();
  for (; !next.done; next = steps.next()) {
    assert.equal(next.value, PENDING);
    pauses++;
  }
  assert.deepEqual(next.value, { type: 'long', value: sorted[25_000] });
  // A run of 4 096 values sorted between two pause points, and as many merged in each pass: 13 runs, 4 passes.
  assert.ok(pauses >= 13 + 4 * 12, `${pauses} pause points`);
});
