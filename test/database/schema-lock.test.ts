// The schema lock's rules, unit by unit: shared by data writes, exclusive for a schema session, and a schema session
// that will retry (the server's) holding new data writes back while it waits, for a moment after its last attempt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { SchemaLock } from '../../src/database/schema-lock.js';

test('data writes share the lock; a schema session takes it only when none is open, and excludes them', () => {
  const lock = new SchemaLock();
  assert.equal(lock.tryLockData(), true);
  assert.equal(lock.tryLockData(), true);
  const session = {};
  assert.equal(lock.tryLockSchema(session), false);
  lock.unlockData();
  lock.unlockData();
  assert.equal(lock.tryLockSchema(session), true);
  assert.equal(lock.tryLockData(), false);
  assert.equal(lock.tryLockSchema({}), false);
  lock.unlockSchema(session);
  assert.equal(lock.tryLockData(), true);
});

test('a schema session that queues holds new data writes back until it gets the lock, or stops retrying', async () => {
  const lock = new SchemaLock();
  assert.equal(lock.tryLockData(), true);
  const waiter = {};
  // Without queueing (the embedded API, which fails at once), data writes go on.
  assert.equal(lock.tryLockSchema(waiter), false);
  assert.equal(lock.tryLockData(), true);
  lock.unlockData();
  assert.equal(lock.tryLockSchema(waiter, true), false);
  assert.equal(lock.tryLockData(), false, 'a new data write waits behind the queued schema session');
  lock.unlockData();
  assert.equal(lock.tryLockSchema(waiter, true), true);
  lock.unlockSchema(waiter);
  // A waiter that gives up stops renewing its place: data writes resume shortly after.
  assert.equal(lock.tryLockData(), true);
  assert.equal(lock.tryLockSchema({}, true), false);
  assert.equal(lock.tryLockData(), false);
  await sleep(150);
  assert.equal(lock.tryLockData(), true);
});
