// End to end: a define, a Concept API schema change (setOwns), or a schema commit, that checks many instances against
// its changes must not hold the server: another client's transaction opens and answers while it still runs (as
// long-queries.test.ts checks for queries; a server that held its event loop would answer only once it had ended).
// How long the other client waits is timed by `npm run bench:loop` (key, setowns-key), not here: a bound of 1 s
// failed on a loaded machine. The check of a new @key reads, for each item, the owners of its attribute
// in every subtype of item: 3 000 items and 150 empty subtypes make it ~450 000 reads, seconds of work.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionType, ThingType, TransactionType, type TypeDBDriver, type TypeDBSession, type TypeDBTransaction } from 'typedb-driver';
import { exitWhenDone } from './harness.js';
import { startServerProcess, useProcessScratch } from './server-process.js';
import { createThroughDriver } from '../support/driver-databases.js';

exitWhenDone();

let driver: TypeDBDriver;
let otherSession: TypeDBSession | undefined;

after(async () => {
  await otherSession?.close();
});

const { dataDir, processes, connect } = useProcessScratch('long-commits-test');

const ITEMS = 3_000;
const SUBTYPES = 150;

before(async () => {
  const started = await startServerProcess(dataDir);
  processes.push(started.server);
  driver = await connect(started.address);
  // `m` is owned twice only by the last two items: a key on it fails once the check has read everything.
  const define = `define n sub attribute, value long; m sub attribute, value long; item sub entity, owns n, owns m;
    ${Array.from({ length: SUBTYPES }, (_, i) => `kind${i} sub item;`).join(' ')}`;
  const inserts = Array.from({ length: ITEMS / 500 }, (_, k) =>
    `insert ${Array.from({ length: 500 }, (_, j) => `$x${j} isa item, has n ${k * 500 + j}, has m ${Math.min(k * 500 + j, ITEMS - 2)};`).join(' ')}`,
  );
  await createThroughDriver(driver, 'keys', define, inserts);
  otherSession = await (await connect(started.address)).session('keys', SessionType.DATA);
});

/** How long another client takes to open a transaction, run a query and close it. */
async function otherClientMillis(): Promise<number> {
  const started = performance.now();
  const tx = await otherSession!.transaction(TransactionType.READ);
  const count = await tx.query.getAggregate('match $x isa item; get; count;');
  await tx.close();
  assert.equal(count?.asLong(), ITEMS);
  return performance.now() - started;
}

/** Whether `item owns n` is a key in the committed schema. */
async function isKey(): Promise<boolean> {
  const session = await driver.session('keys', SessionType.DATA);
  try {
    const tx = await session.transaction(TransactionType.READ);
    const schema = await (await driver.databases.get('keys')).schema();
    await tx.close();
    return /owns n @key/.test(schema);
  } finally {
    await session.close();
  }
}

/**
 * Work sent and not awaited: its outcome (`success`, or the error's text; settled either way, so that a failed
 * assertion meanwhile leaves no rejection unhandled) and whether it has settled yet.
 */
function underWay(work: Promise<unknown>, success: string): { readonly outcome: Promise<string>; readonly settled: boolean } {
  const state = { settled: false, outcome: Promise.resolve('') };
  state.outcome = work.then(
    () => success,
    (e: unknown) => String(e),
  );
  void state.outcome.finally(() => (state.settled = true));
  return state;
}

test('a define whose check reads every instance gives way: another client is answered meanwhile', async (t) => {
  const session = await driver.session('keys', SessionType.SCHEMA);
  try {
    const tx = await session.transaction(TransactionType.WRITE);
    const define = underWay(tx.query.define('define item owns n @key;'), 'defined');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const millis = await otherClientMillis();
    t.diagnostic(`the other client took ${Math.round(millis)} ms`);
    assert.equal(define.settled, false, 'the define finished before the other client was served');
    assert.equal(await define.outcome, 'defined');
    await tx.close();
  } finally {
    await session.close();
  }
  assert.equal(await isKey(), false);
});

/** `item owns <attribute> @key` through the Concept API (the driver's setOwns), in `tx`. */
async function setKey(tx: TypeDBTransaction, attribute: string): Promise<void> {
  const item = await tx.concepts.getEntityType('item');
  const owned = await tx.concepts.getAttributeType(attribute);
  await item!.setOwns(tx, owned!, [ThingType.Annotation.KEY]);
}

test('a Concept API setOwns @key whose check reads every instance gives way: another client is answered meanwhile', async (t) => {
  const session = await driver.session('keys', SessionType.SCHEMA);
  try {
    const tx = await session.transaction(TransactionType.WRITE);
    const set = underWay(setKey(tx, 'n'), 'set');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const millis = await otherClientMillis();
    t.diagnostic(`the other client took ${Math.round(millis)} ms`);
    assert.equal(set.settled, false, 'setOwns finished before the other client was served');
    assert.equal(await set.outcome, 'set');
    // The transaction goes on after the call and sees its change.
    const owns = await (await tx.concepts.getEntityType('item'))!.getOwns(tx, [ThingType.Annotation.KEY]).collect();
    assert.deepEqual(owns.map((a) => a.label.name), ['n']);
    await tx.close();
  } finally {
    await session.close();
  }
  assert.equal(await isKey(), false);
});

test('a Concept API setOwns @key that a value owned twice violates fails with the error the define query gets', async () => {
  const session = await driver.session('keys', SessionType.SCHEMA);
  try {
    const failure = async (change: (tx: TypeDBTransaction) => Promise<unknown>) => {
      const tx = await session.transaction(TransactionType.WRITE);
      const error = await change(tx).then(
        () => 'no error',
        (e: unknown) => (e as Error).message,
      );
      assert.equal(tx.isOpen(), false, 'a failed schema change closes the transaction');
      return error;
    };
    const byQuery = await failure((tx) => tx.query.define('define item owns m @key;'));
    const byConceptApi = await failure((tx) => setKey(tx, 'm'));
    assert.match(byQuery, /\[TYW\d+\]/);
    assert.equal(byConceptApi, byQuery);
  } finally {
    await session.close();
  }
  assert.doesNotMatch(await (await driver.databases.get('keys')).schema(), /owns m @key/);
});

test('a schema session closed while a setOwns checks the data: the call stops, and the server goes on serving', async () => {
  const session = await driver.session('keys', SessionType.SCHEMA);
  const tx = await session.transaction(TransactionType.WRITE);
  const set = underWay(setKey(tx, 'n'), 'set');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(set.settled, false, 'setOwns finished before the session was closed');
  await session.close();
  assert.notEqual(await set.outcome, 'set');
  await otherClientMillis();
  assert.equal(await isKey(), false);
});

test('a schema commit that checks every instance gives way: another client is answered meanwhile', async (t) => {
  const session = await driver.session('keys', SessionType.SCHEMA);
  try {
    const tx = await session.transaction(TransactionType.WRITE);
    await tx.query.define('define item owns n @key;');
    const commit = underWay(tx.commit(), 'committed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const millis = await otherClientMillis();
    t.diagnostic(`the other client took ${Math.round(millis)} ms`);
    assert.equal(commit.settled, false, 'the commit finished before the other client was served');
    assert.equal(await commit.outcome, 'committed');
  } finally {
    await session.close();
  }
  assert.equal(await isKey(), true);
  // Back to a plain ownership for the next test.
  const back = await driver.session('keys', SessionType.SCHEMA);
  const tx = await back.transaction(TransactionType.WRITE);
  await tx.query.define('define item owns n;');
  await tx.commit();
  await back.close();
  assert.equal(await isKey(), false);
});

test('a schema session closed while its commit checks the data: the commit stops and writes nothing', async () => {
  const session = await driver.session('keys', SessionType.SCHEMA);
  const tx = await session.transaction(TransactionType.WRITE);
  await tx.query.define('define item owns n @key;');
  const commit = underWay(tx.commit(), 'committed');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(commit.settled, false, 'the commit finished before the session was closed');
  await session.close();
  assert.notEqual(await commit.outcome, 'committed');
  assert.equal(await isKey(), false);
});
