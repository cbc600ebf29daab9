import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLimitTimer } from '../../src/common/limit-timer.js';

test('a limit timer fires once its time has passed, and not after it is cancelled', async () => {
  let fired = 0;
  startLimitTimer(20, () => fired++);
  const cancelled = startLimitTimer(20, () => fired++);
  cancelled.cancel();
  await sleep(80);
  assert.equal(fired, 1);
});

test('a limit longer than the longest Node timer does not fire at once', async () => {
  let fired = false;
  const timer = startLimitTimer(2 ** 31 + 5_000, () => (fired = true));
  await sleep(50);
  assert.equal(fired, false);
  timer.cancel();
});
