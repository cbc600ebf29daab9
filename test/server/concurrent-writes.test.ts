// Concurrent write transactions through the official driver against a real `strata server` process: what two
// transactions that each see a consistent snapshot may not commit together.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionType, TransactionType, type TypeDBDriver, type TypeDBSession, type TypeDBTransaction } from 'typedb-driver';
import { exitWhenDone } from './harness.js';
import { startServerProcess, useProcessScratch } from './server-process.js';

exitWhenDone();

const scratch = useProcessScratch('concurrent-writes');

let connected: Promise<TypeDBDriver> | undefined;

/** One server process for the file's tests (a second one on the same data directory would be refused). */
function connect(): Promise<TypeDBDriver> {
  connected ??= (async () => {
    const { server, address } = await startServerProcess(scratch.dataDir);
    scratch.processes.push(server);
    return scratch.connect(address);
  })();
  return connected;
}

/** A new database with this schema, and a data session on it. */
async function dataSession(driver: TypeDBDriver, database: string, schemaText: string): Promise<TypeDBSession> {
  await driver.databases.create(database);
  const schema = await driver.session(database, SessionType.SCHEMA);
  const define = await schema.transaction(TransactionType.WRITE);
  await define.query.define(schemaText);
  await define.commit();
  await schema.close();
  return driver.session(database, SessionType.DATA);
}

/** The count a `get; count;` query gives, in a read transaction of its own. */
async function countIn(session: TypeDBSession, query: string): Promise<number> {
  const tx = await session.transaction(TransactionType.READ);
  const value = await tx.query.getAggregate(query);
  await tx.close();
  return value!.asLong();
}

async function commitOutcome(tx: TypeDBTransaction): Promise<string> {
  try {
    await tx.commit();
    return 'committed';
  } catch (e) {
    return (e as Error).message;
  }
}

test('two transactions each removing one of the two players of a relation: one fails, no relation is left without players', async () => {
  const driver = await connect();
  const session = await dataSession(
    driver,
    'pairs',
    'define uid sub attribute, value long; person sub entity, owns uid @key, plays friendship:friend; friendship sub relation, relates friend, owns uid @key;',
  );
  try {
    const count = (query: string) => countIn(session, query);
    // Deleting the players themselves, and deleting them from the relation only.
    const removals = [
      (uid: number) => `match $p isa person, has uid ${uid}; delete $p isa person;`,
      (uid: number) => `match $p isa person, has uid ${uid}; $r (friend: $p) isa friendship; delete $r (friend: $p);`,
    ];
    for (const [n, removal] of removals.entries()) {
      const [a, b, r] = [10 * n + 1, 10 * n + 2, 10 * n + 3];
      const setup = await session.transaction(TransactionType.WRITE);
      await setup.query.insert(`insert $a isa person, has uid ${a}; $b isa person, has uid ${b}; (friend: $a, friend: $b) isa friendship, has uid ${r};`).collect();
      await setup.commit();

      // Each sees the other player still there, so each keeps the relation.
      const first = await session.transaction(TransactionType.WRITE);
      const second = await session.transaction(TransactionType.WRITE);
      await first.query.delete(removal(a));
      await second.query.delete(removal(b));
      const outcomes = [await commitOutcome(first), await commitOutcome(second)];
      assert.equal(outcomes[0], 'committed');
      assert.match(outcomes[1]!, /^\[TXN1[01]\] .*retry the transaction\.$/);
      assert.equal(await count('match $r isa friendship; not { $r (friend: $x); }; get; count;'), 0);
      assert.equal(await count(`match $r isa friendship, has uid ${r}; get; count;`), 1);

      // Retried, the second removes the last player: the relation goes with it.
      const retry = await session.transaction(TransactionType.WRITE);
      await retry.query.delete(removal(b));
      await retry.commit();
      assert.equal(await count(`match $r isa friendship, has uid ${r}; get; count;`), 0);
    }
  } finally {
    await session.close();
  }
});

test('two transactions each removing a different player of a relation that keeps others both commit, as in TypeDB', async () => {
  const driver = await connect();
  const session = await dataSession(
    driver,
    'teams',
    'define uid sub attribute, value long; person sub entity, owns uid @key, plays team:member; team sub relation, relates member, owns uid @key;',
  );
  try {
    const count = (query: string) => countIn(session, query);
    const setup = await session.transaction(TransactionType.WRITE);
    await setup.query.insert(
      'insert $a isa person, has uid 1; $b isa person, has uid 2; $c isa person, has uid 3; $d isa person, has uid 4; $e isa person, has uid 5;' +
        '(member: $a, member: $b, member: $c, member: $d, member: $e) isa team, has uid 10;',
    ).collect();
    await setup.commit();

    // Deleting two members, then removing two others from the team: the team keeps a member each time.
    const removals: [string, string][] = [
      ['match $p isa person, has uid 1; delete $p isa person;', 'match $p isa person, has uid 2; delete $p isa person;'],
      ['match $p isa person, has uid 3; $t (member: $p) isa team; delete $t (member: $p);', 'match $p isa person, has uid 4; $t (member: $p) isa team; delete $t (member: $p);'],
    ];
    for (const [first, second] of removals) {
      const a = await session.transaction(TransactionType.WRITE);
      const b = await session.transaction(TransactionType.WRITE);
      await a.query.delete(first);
      await b.query.delete(second);
      assert.deepEqual([await commitOutcome(a), await commitOutcome(b)], ['committed', 'committed']);
    }
    assert.equal(await count('match $t (member: $p) isa team, has uid 10; get; count;'), 1);

    // Two transactions removing the last member, each with the other's removal unseen: still only one commits.
    const setupTwo = await session.transaction(TransactionType.WRITE);
    await setupTwo.query.insert('match $t isa team, has uid 10; insert $f isa person, has uid 6; $t (member: $f);').collect();
    await setupTwo.commit();
    const a = await session.transaction(TransactionType.WRITE);
    const b = await session.transaction(TransactionType.WRITE);
    await a.query.delete('match $p isa person, has uid 5; delete $p isa person;');
    await b.query.delete('match $p isa person, has uid 6; $t (member: $p) isa team; delete $t (member: $p);');
    assert.equal(await commitOutcome(a), 'committed');
    assert.match(await commitOutcome(b), /^\[TXN11\] .*retry the transaction\.$/);
    assert.equal(await count('match $t isa team, has uid 10; get; count;'), 1);
    assert.equal(await count('match $t isa team; not { $t (member: $x); }; get; count;'), 0);
  } finally {
    await session.close();
  }
});
