// Process liveness: what makes a lock or a staging directory stale. A zombie counts as gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isProcessRunning, processStartTime } from '../../src/common/process-liveness.js';
import { deadPid, hasProcStates, makeZombie } from '../support/processes.js';

test('a zombie (exited, never reaped) is not running, though kill(pid, 0) still reaches it', { skip: !hasProcStates && 'no /proc process states here' }, async () => {
  const zombie = await makeZombie();
  try {
    assert.doesNotThrow(() => process.kill(zombie.pid, 0), 'a zombie keeps its pid until it is reaped');
    assert.equal(isProcessRunning(zombie.pid), false);
    assert.equal(isProcessRunning(process.pid), true);
    assert.equal(isProcessRunning(deadPid()), false);
    for (const pid of [0, -1, 1.5, Number.NaN]) assert.equal(isProcessRunning(pid), false, String(pid));
  } finally {
    await zombie.release();
  }
});

test('a start time: stable for a running process, none for a gone one', { skip: !hasProcStates && 'no /proc here' }, () => {
  const mine = processStartTime(process.pid);
  assert.match(mine ?? '', /^\d+$/);
  assert.equal(processStartTime(process.pid), mine);
  assert.equal(processStartTime(deadPid()), undefined);
});
