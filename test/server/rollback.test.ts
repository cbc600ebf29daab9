// Rollback of a write transaction through the official driver, over the real engine (in process): as in TypeDB 2.x,
// whose rollback empties the transaction's changes but keeps its storage snapshot, the transaction goes on at the
// snapshot it opened with, and its commit still conflicts with what others committed since it opened.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { SessionType, TransactionType, type TypeDBSession } from 'typedb-driver';
import { exitWhenDone, useEngineServer } from './harness.js';

exitWhenDone();

const engine = useEngineServer('rollback');

before(async () => {
  await engine.start();
  await engine.driver.databases.create('rolled');
  const schema = await engine.driver.session('rolled', SessionType.SCHEMA);
  const tx = await schema.transaction(TransactionType.WRITE);
  await tx.query.define('define name sub attribute, value string; person sub entity, owns name;');
  await tx.commit();
  await schema.close();
});

async function commitOne(session: TypeDBSession, query: string): Promise<void> {
  const tx = await session.transaction(TransactionType.WRITE);
  if (query.startsWith('insert') || query.includes(' insert ')) await tx.query.insert(query).collect();
  else await tx.query.delete(query);
  await tx.commit();
}

test('a write transaction rolled back keeps the snapshot it opened with: commits made since stay unseen', async () => {
  const session = await engine.driver.session('rolled', SessionType.DATA);
  try {
    const tx = await session.transaction(TransactionType.WRITE);
    await tx.query.insert('insert $p isa person, has name "Mine";').collect();
    await commitOne(session, 'insert $p isa person, has name "Theirs";');
    await tx.rollback();
    const names = (await tx.query.get('match $p isa person, has name $n; get $n;').collect()).map((m) => m.get('n').asAttribute().value);
    assert.deepEqual(names, []);
    await tx.close();
  } finally {
    await session.close();
  }
});

test('after a rollback, a commit still conflicts with a concurrent commit made before the rollback', async () => {
  const session = await engine.driver.session('rolled', SessionType.DATA);
  try {
    await commitOne(session, 'insert $p isa person, has name "Ann";');
    const tx = await session.transaction(TransactionType.WRITE);
    await commitOne(session, 'match $p isa person, has name "Ann"; delete $p isa person;');
    await tx.rollback();
    // Ann is still there at this transaction's snapshot; another transaction deleted her meanwhile.
    await tx.query.insert('match $p isa person, has name "Ann"; insert $p has name "Annie";').collect();
    await assert.rejects(tx.commit(), /\[TXN09\] Invalid Transaction Operation: The transaction modifies a key that is deleted in a concurrent transaction\./);
  } finally {
    await session.close();
  }
});
