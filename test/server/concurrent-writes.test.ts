// Concurrent write transactions through the official driver against a real `strata server` process: what two
// transactions that each see a consistent snapshot may not commit together.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TypeDB, SessionType, TransactionType, type TypeDBDriver, type TypeDBTransaction } from 'typedb-driver';
import { exitWhenDone } from './harness.js';
import { startServerProcess, useProcessScratch } from './server-process.js';

exitWhenDone();

const { dataDir, processes, drivers } = useProcessScratch('concurrent-writes');

async function connect(): Promise<TypeDBDriver> {
  const { server, address } = await startServerProcess(dataDir);
  processes.push(server);
  const driver = await TypeDB.coreDriver(address);
  drivers.push(driver);
  return driver;
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
  await driver.databases.create('pairs');
  const schema = await driver.session('pairs', SessionType.SCHEMA);
  const define = await schema.transaction(TransactionType.WRITE);
  await define.query.define(
    'define uid sub attribute, value long; person sub entity, owns uid @key, plays friendship:friend; friendship sub relation, relates friend, owns uid @key;',
  );
  await define.commit();
  await schema.close();

  const session = await driver.session('pairs', SessionType.DATA);
  try {
    const count = async (query: string): Promise<number> => {
      const tx = await session.transaction(TransactionType.READ);
      const value = await tx.query.getAggregate(query);
      await tx.close();
      return value!.asLong();
    };
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
