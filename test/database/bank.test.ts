// The bank check (bench/bank-workload.ts) over the embedded API, bounded to a few seconds: clients interleave their
// write transactions at every query and commit, on few accounts so that most of them conflict, while readers check
// that every snapshot is consistent; then a counter two clients increment at once must lose no increment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatabaseManager } from '../../src/database/index.js';
import { createWithSchema, withTempManagerAsync } from '../support/databases.js';
import { embeddedConnection } from '../../bench/bank-connection.js';
import { BANK_SCHEMA, runBank, runCounter } from '../../bench/bank-workload.js';

function withBank(body: (manager: DatabaseManager) => Promise<void>): Promise<void> {
  return withTempManagerAsync('bank', async (manager) => {
    createWithSchema(manager, 'bank', BANK_SCHEMA);
    await body(manager);
  });
}

// With 1 200 notes (4 800 keys) written with some transfers, those commits go to the store's writer thread, which
// writes them off the event loop while the others read, commit and conflict.
const CASES = [
  { accounts: 3, bulkNotes: 0, what: '' },
  { accounts: 20, bulkNotes: 1200, what: ', some of them large commits written off the event loop' },
];

for (const { accounts, bulkNotes, what } of CASES) {
  test(`bank transfers among ${accounts} accounts${what}: every snapshot balances, every acknowledged transfer is there once, refused ones left nothing`, async () => {
    await withBank(async (manager) => {
      const { ledger, stats } = await runBank(() => embeddedConnection(manager, 'bank'), { accounts, clients: 4, readers: 2, millis: 2000, seed: accounts, bulkNotes });
      assert.deepEqual([...stats.errors], []);
      assert.deepEqual(ledger.violations, []);
      assert.ok(stats.commits >= 5, `only ${stats.commits} transfers committed`);
      assert.ok(stats.snapshots >= 3, `only ${stats.snapshots} snapshots checked`);
      // The interleaving must make transactions overlap, or the check checks nothing.
      assert.ok(ledger.refused.size > 0, 'no transfer met a write conflict');
      assert.equal(ledger.pending.size, 0);
    });
  });
}

test('two clients incrementing one counter with retries lose no increment', async () => {
  await withBank(async (manager) => {
    const { tally, retries } = await runCounter(() => embeddedConnection(manager, 'bank'), 2, 40);
    assert.equal(tally, 80);
    assert.ok(retries > 0, 'the increments never overlapped');
  });
});
