// sortSteps sorts as Array.prototype.sort does (stably), in runs and merges with pause points between them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sortSteps } from '../../src/common/sort-steps.js';
import { PENDING } from '../../src/common/steps.js';
import { seededRandom } from '../../bench/workload.js';

test('sorts like Array.prototype.sort, stably, pausing between runs and within merges', () => {
  const random = seededRandom(11);
  for (const size of [0, 1, 2, 4095, 4096, 4097, 8192, 3 * 4096 + 5, 50_000]) {
    // Few distinct keys: many ties, whose order must be kept.
    const items = Array.from({ length: size }, (_, seq) => ({ key: Math.floor(random() * 100), seq }));
    const expected = [...items].sort((a, b) => a.key - b.key);
    const steps = sortSteps([...items], (a, b) => a.key - b.key);
    let pauses = 0;
    let next = steps.next();
    for (; !next.done; next = steps.next()) {
      assert.equal(next.value, PENDING);
      pauses++;
    }
    assert.deepEqual(next.value, expected, `size ${size}`);
    // One pause per run of 4096, and one per 4096 merged in each pass.
    if (size === 50_000) assert.ok(pauses >= 13 + 4 * 12, `${pauses} pauses`);
    if (size <= 4096) assert.equal(pauses, 0);
  }
});
