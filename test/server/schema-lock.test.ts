// The schema lock through the driver, as TypeDB 2.x has it: a schema session excludes data write transactions and
// other schema sessions; each waits for the other up to `schemaLockAcquireTimeoutMillis` (10 s by default), then
// fails with SSN03 or TXN16. Read transactions never wait.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { SessionType, TransactionType, TypeDBOptions } from 'typedb-driver';
import { eventually, exitWhenDone, useEngineServer } from './harness.js';

exitWhenDone();

const engine = useEngineServer('schema-lock');
const { server, errors } = engine;

before(async () => {
  await engine.start();
  await engine.driver.databases.create('locked');
  const schema = await engine.driver.session('locked', SessionType.SCHEMA);
  const tx = await schema.transaction(TransactionType.WRITE);
  await tx.query.define('define person sub entity;');
  await tx.commit();
  await schema.close();
});

const later = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

async function count(): Promise<number> {
  const data = await engine.driver.session('locked', SessionType.DATA);
  const tx = await data.transaction(TransactionType.READ);
  const n = (await tx.query.getAggregate('match $p isa person; get; count;'))?.asLong() ?? -1;
  await tx.close();
  await data.close();
  return n;
}

test('a data write transaction waits for a schema session to close, then goes ahead', async () => {
  const schema = await engine.driver.session('locked', SessionType.SCHEMA);
  const data = await engine.driver.session('locked', SessionType.DATA);
  const reader = await data.transaction(TransactionType.READ);
  await reader.close();
  const started = Date.now();
  const opening = data.transaction(TransactionType.WRITE);
  await later(300);
  await schema.close();
  const tx = await opening;
  assert.ok(Date.now() - started >= 250, 'it waited for the schema session');
  await tx.query.insert('insert $p isa person;').collect();
  await tx.commit();
  await data.close();
  assert.equal(await count(), 1);
});

test('a schema session waits for the data writes in progress, then goes ahead', async () => {
  const data = await engine.driver.session('locked', SessionType.DATA);
  const tx = await data.transaction(TransactionType.WRITE);
  const started = Date.now();
  const opening = engine.driver.session('locked', SessionType.SCHEMA);
  await later(300);
  await tx.query.insert('insert $p isa person;').collect();
  await tx.commit();
  const schema = await opening;
  assert.ok(Date.now() - started >= 250, 'it waited for the data write');
  await schema.close();
  await data.close();
  assert.equal(await count(), 2);
});

test('a schema session waiting for the data writes in progress holds new ones back: overlapping writes cannot keep it out', async () => {
  const data = await engine.driver.session('locked', SessionType.DATA);
  const first = await data.transaction(TransactionType.WRITE);
  const order: string[] = [];
  const patient = new TypeDBOptions({ schemaLockAcquireTimeoutMillis: 2_000 });
  const schemaOpening = engine.driver.session('locked', SessionType.SCHEMA, patient).then((s) => (order.push('schema session'), s));
  await later(100);
  // Begun while the schema session waits: it waits behind it (it would otherwise keep the lock shared past `first`).
  const secondOpening = data.transaction(TransactionType.WRITE).then((tx) => (order.push('second write'), tx));
  await later(200);
  await first.close();
  const schema = await schemaOpening;
  await later(50);
  await schema.close();
  const second = await secondOpening;
  await second.close();
  await data.close();
  assert.deepEqual(order, ['schema session', 'second write']);
});

test('past the timeout: TXN16 for a data write, SSN03 for a second schema session; the holder is unaffected', async () => {
  const schema = await engine.driver.session('locked', SessionType.SCHEMA);
  const data = await engine.driver.session('locked', SessionType.DATA);
  const quick = new TypeDBOptions({ schemaLockAcquireTimeoutMillis: 200 });
  await assert.rejects(
    data.transaction(TransactionType.WRITE, quick),
    /\[TXN16\] Invalid Transaction Operation: Could not acquire lock for data transaction\. A schema session may have been left open\./,
  );
  await assert.rejects(
    engine.driver.session('locked', SessionType.SCHEMA, quick),
    /\[SSN03\] Invalid Session Operation: Could not acquire lock for schema session\. Another schema session may have been left open\./,
  );
  const tx = await schema.transaction(TransactionType.WRITE);
  await tx.query.define('define company sub entity;');
  await tx.commit();
  await schema.close();
  const write = await data.transaction(TransactionType.WRITE, quick);
  await write.close();
  await data.close();
  await eventually(() => server.stats().transactions === 0 && server.stats().sessions === 0, 5_000, 'everything closed');
  assert.deepEqual(errors, []);
});

test("a data write transaction waiting for the schema lock keeps its session from its idle timeout, as TypeDB's open transactions do", { timeout: 20_000 }, async () => {
  const schema = await engine.driver.session('locked', SessionType.SCHEMA);
  // Idle after 500 ms: well before the driver's next pulse (every 5 s) and the schema session's close.
  const data = await engine.driver.session('locked', SessionType.DATA, new TypeDBOptions({ sessionIdleTimeoutMillis: 500 }));
  const opening = data.transaction(TransactionType.WRITE);
  await later(2_000);
  await schema.close();
  const tx = await opening;
  await tx.query.insert('insert $p isa person;').collect();
  await tx.commit();
  await data.close();
  await eventually(() => server.stats().transactions === 0 && server.stats().sessions === 0, 5_000, 'everything closed');
});
