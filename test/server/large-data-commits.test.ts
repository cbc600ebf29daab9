// End to end: a data commit of many inserted things is written by the store's writer thread, not on the server's event
// loop, so another client keeps being answered while it is written; and the commit's answer comes once it is
// durable, so that a transaction opened after the answer sees all of it. That the write waits off the event loop is
// checked step by step in database/commit-in-steps.test.ts; the other client's round-trip times are measured by
// `npm run bench:loop` (commit), not bounded here (a bound of 1 s on the longest of ~100 is a bound on the machine).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionType, TransactionType, type TypeDBDriver, type TypeDBSession } from 'typedb-driver';
import { exitWhenDone } from './harness.js';
import { startServerProcess, useProcessScratch } from './server-process.js';
import { createThroughDriver } from '../support/driver-databases.js';

exitWhenDone();

/** 40 000 things, each owning a distinct attribute: ~160 000 keys, a commit of a few hundred ms to seconds here. */
const QUERIES = 40;
const PER_QUERY = 1_000;

const { dataDir, processes, connect } = useProcessScratch('large-data-commits-test');
let driver: TypeDBDriver;
let other: TypeDBSession;

before(async () => {
  const started = await startServerProcess(dataDir);
  processes.push(started.server);
  driver = await connect(started.address);
  await createThroughDriver(driver, 'bulk', 'define n sub attribute, value long; item sub entity, owns n;', ['insert $x isa item, has n -1;']);
  other = await (await connect(started.address)).session('bulk', SessionType.DATA);
});

/** Another client's round-trip: open a read transaction, count the items, close it. */
async function countItems(): Promise<number> {
  const tx = await other.transaction(TransactionType.READ);
  try {
    return (await tx.query.getAggregate('match $x isa item; get; count;'))?.asLong() ?? -1;
  } finally {
    await tx.close();
  }
}

test('another client is answered while a large data commit is written; a transaction opened after its answer sees it all', async (t) => {
  const session = await driver.session('bulk', SessionType.DATA);
  try {
    const tx = await session.transaction(TransactionType.WRITE);
    for (let q = 0; q < QUERIES; q++) {
      const statements = Array.from({ length: PER_QUERY }, (_, i) => `$x${i} isa item, has n ${q * PER_QUERY + i};`);
      await tx.query.insert(`insert ${statements.join(' ')}`).collect();
    }
    let settled = false;
    // Settled either way, so that a failed assertion below does not leave its rejection unhandled.
    const commit = tx.commit().then(
      () => 'committed',
      (e: unknown) => String(e),
    );
    void commit.finally(() => (settled = true));
    // Round-trips back to back until the commit is answered: those answered before it, and the longest.
    const answeredDuring: number[] = [];
    while (!settled) {
      const started = performance.now();
      const count = await countItems();
      if (settled) break;
      answeredDuring.push(performance.now() - started);
      assert.ok(count === 1 || count === QUERIES * PER_QUERY + 1, `a reader saw ${count} items: part of a commit`);
    }
    const longest = Math.max(0, ...answeredDuring);
    t.diagnostic(`${answeredDuring.length} round-trips answered during the commit, the longest ${Math.round(longest)} ms`);
    assert.equal(await commit, 'committed');
    assert.ok(answeredDuring.length >= 2, `only ${answeredDuring.length} round-trips were answered while the commit was written`);
  } finally {
    await session.close();
  }
  assert.equal(await countItems(), QUERIES * PER_QUERY + 1);
});
