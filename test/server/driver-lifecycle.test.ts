// The official driver's connection surface against the real engine, for what neither the behaviour suite nor the
// other server tests call: the replica Core reports, session and transaction getters and callbacks (onClose once
// per close, onReopen after an idle timeout), options TypeDB accepts and honours (sessionIdleTimeoutMillis,
// schemaLockAcquireTimeoutMillis for a schema session's second write transaction, the transaction and schema lock
// timeouts and infer cascading from the session,
// explain, traceInference, parallel, readAnyReplica), and the driver's own errors once things are closed.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { SessionType, TransactionType, TypeDB, TypeDBOptions, type TypeDBSession } from 'typedb-driver';
import { eventually, exitWhenDone, inTransaction, useEngineServer } from './harness.js';

exitWhenDone();

const engine = useEngineServer('driver-lifecycle');
const { server, errors } = engine;

before(async () => {
  await engine.start();
  await engine.driver.databases.create('life');
  await inTransaction(engine.driver, 'life', SessionType.SCHEMA, TransactionType.WRITE, async (tx) => {
    await tx.query.define(`define name sub attribute, value string; person sub entity, owns name;
      rule named: when { $p isa person; } then { $p has name "someone"; };`);
    await tx.commit();
  });
  await inTransaction(engine.driver, 'life', SessionType.DATA, TransactionType.WRITE, async (tx) => {
    await tx.query.insert('insert $p isa person;').collect();
    await tx.commit();
  });
});

/** The session id the server gave (the driver's session class has it; its typings do not). */
function sessionId(session: TypeDBSession): string {
  return (session as unknown as { id: string }).id;
}

async function failure(body: () => Promise<unknown>): Promise<string> {
  try {
    await body();
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail('expected a failure');
}

test('databases: the one replica TypeDB Core reports (this server, primary, preferred, term 0) from all() and get()', async () => {
  const [listed] = (await engine.driver.databases.all()).filter((d) => d.name === 'life');
  const got = await engine.driver.databases.get('life');
  for (const db of [listed!, got]) {
    const replicas = db.replicas.map((r) => [r.server, r.databaseName, r.primary, r.preferred, r.term]);
    assert.deepEqual(replicas, [[server.address, 'life', true, true, 0]]);
    assert.equal(String(db.primaryReplica), `${server.address}/life:P:0`);
    assert.equal(db.preferredReplica, db.replicas[0]);
  }
  assert.match(await failure(() => engine.driver.databases.get('missing')), /\[NDR10\] .*The database 'missing' does not exist\./);
  assert.match(await failure(() => engine.driver.session('missing', SessionType.DATA)), /\[NDR10\]/);
  // Deleted through another handle: TypeDB's not-found error, not a silent success.
  await engine.driver.databases.create('brief');
  const first = await engine.driver.databases.get('brief');
  await first.delete();
  assert.match(await failure(() => first.delete()), /\[DBS06\] Invalid Database Operation: The database with the name 'brief' does not exist\./);
});

test('session getters, onClose once per close, and the driver refusing a closed session', async () => {
  const session = await engine.driver.session('life', SessionType.DATA, new TypeDBOptions({ sessionIdleTimeoutMillis: 60_000 }));
  let closes = 0;
  session.onClose(async () => void closes++);
  assert.equal(session.isOpen(), true);
  assert.equal(session.type.isData(), true);
  assert.equal(session.database.name, 'life');
  assert.equal(session.options.sessionIdleTimeoutMillis, 60_000);
  assert.match(sessionId(session), /^0x[0-9a-f]{32}$/);
  await session.close();
  await session.close();
  assert.equal(session.isOpen(), false);
  assert.equal(closes, 1);
  assert.match(await failure(() => session.transaction(TransactionType.READ)), /\[NDR4\] .*Session is closed\./);
});

test('a transaction closed, committed or failed reaches its onClose callbacks once, also when its session closes right after', async () => {
  const session = await engine.driver.session('life', SessionType.DATA);
  const seen: string[] = [];
  const watch = (name: string) => async (error?: string | Error) => void seen.push(`${name}: ${error === undefined ? 'closed' : String(error)}`);
  const read = await session.transaction(TransactionType.READ);
  read.onClose(watch('read'));
  assert.equal(read.type.isRead(), true);
  const write = await session.transaction(TransactionType.WRITE, new TypeDBOptions({ transactionTimeoutMillis: 60_000 }));
  write.onClose(watch('write'));
  assert.equal(write.options.transactionTimeoutMillis, 60_000);
  const idle = await session.transaction(TransactionType.WRITE);
  idle.onClose(watch('idle'));
  await write.query.insert('insert $p isa person, has name "Wren";').collect();
  await write.commit();
  await read.close();
  await idle.close();
  // Closed by the driver just before, so half-closes and session_close race to the server: TypeDB ends a closed
  // session's transactions without an error, and the callbacks are not called a second time with one.
  await session.close();
  await eventually(() => server.stats().transactions === 0 && server.stats().sessions === 0, 5_000, 'everything closed');
  await sleep(100);
  assert.deepEqual(seen.sort(), ['idle: closed', 'read: closed', 'write: closed']);
  assert.match(await failure(async () => read.query.get('match $p isa person; get;').collect()), /\[NDR5\]/);
});

test('a session closed while its transaction waits for the schema lock fails that open rather than leaving the client waiting', { timeout: 20_000 }, async () => {
  const schema = await engine.driver.session('life', SessionType.SCHEMA);
  const data = await engine.driver.session('life', SessionType.DATA);
  const logged: string[] = [];
  const { info } = console;
  console.info = (...parts: unknown[]) => void logged.push(parts.map(String).join(' '));
  try {
    const pending = data.transaction(TransactionType.WRITE, new TypeDBOptions({ schemaLockAcquireTimeoutMillis: 10_000 }));
    await eventually(() => server.stats().transactions === 1, 5_000, 'the write transaction to wait for the lock');
    await data.close();
    // The open fails with the session's error, so the driver reopens the session and waits again (a clean end of the
    // call would leave it waiting for an answer for good); it opens once the schema session is gone.
    await eventually(() => logged.some((line) => line.includes('[SSN02]')), 5_000, 'the open to fail');
    await schema.close();
    const tx = await pending;
    assert.equal(tx.isOpen(), true);
    await tx.close();
  } finally {
    console.info = info;
    await data.close();
    await schema.close();
  }
});

test('sessionIdleTimeoutMillis is honoured though the driver pulses every 5 s: the session ends, the next transaction reopens it (onReopen)', { timeout: 20_000 }, async () => {
  const session = await engine.driver.session('life', SessionType.DATA, new TypeDBOptions({ sessionIdleTimeoutMillis: 500 }));
  try {
    let reopened = 0;
    session.onReopen(async () => void reopened++);
    const firstId = sessionId(session);
    await eventually(() => server.stats().sessions === 0, 5_000, 'the server to close the idle session');
    assert.ok(engine.infos.some((line) => line.includes('timed out due to inactivity (no pulse for 500 ms)')));
    // The driver learns it from the open failing with TypeDB's SSN01, logs that, and reopens.
    const logged: string[] = [];
    const { info, error } = console;
    console.info = console.error = (...parts: unknown[]) => void logged.push(parts.map(String).join(' '));
    let tx;
    try {
      tx = await session.transaction(TransactionType.READ);
    } finally {
      Object.assign(console, { info, error });
    }
    assert.ok(logged.some((line) => line.includes('[SSN01] Invalid Session Operation: Session with UUID')), logged.join('\n'));
    assert.equal((await tx.query.get('match $p isa person; get;').collect()).length > 0, true);
    await tx.close();
    assert.equal(reopened, 1);
    assert.notEqual(sessionId(session), firstId);
  } finally {
    await session.close().catch(() => {});
  }
});

test("a schema session's second write transaction waits schemaLockAcquireTimeoutMillis for the first, as TypeDB's does", { timeout: 20_000 }, async () => {
  const session = await engine.driver.session('life', SessionType.SCHEMA);
  try {
    const first = await session.transaction(TransactionType.WRITE);
    const started = performance.now();
    setTimeout(() => void first.query.define('define nickname sub attribute, value string;').then(() => first.commit()), 300);
    const second = await session.transaction(TransactionType.WRITE, new TypeDBOptions({ schemaLockAcquireTimeoutMillis: 5_000 }));
    assert.ok(performance.now() - started >= 250, 'opened only once the first had committed');
    assert.equal(first.isOpen(), false);
    assert.notEqual(await second.concepts.getAttributeType('nickname'), null);
    await second.close();
  } finally {
    await session.close();
  }
});

test("a session's transactionTimeoutMillis and schemaLockAcquireTimeoutMillis reach the transactions it opens, as TypeDB's options cascade", { timeout: 20_000 }, async () => {
  const timed = await engine.driver.session('life', SessionType.DATA, new TypeDBOptions({ transactionTimeoutMillis: 1_000 }));
  try {
    const read = await timed.transaction(TransactionType.READ);
    const opened = performance.now();
    await eventually(() => !read.isOpen(), 5_000, 'the transaction to time out');
    assert.ok(performance.now() - opened >= 900, 'closed at its timeout, not before');
    assert.match(await failure(async () => read.query.get('match $p isa person; get;').collect()), /\[SRV29\] .*maximum configured duration of '1' seconds/);
  } finally {
    await timed.close();
  }
  const schema = await engine.driver.session('life', SessionType.SCHEMA);
  const waiting = await engine.driver.session('life', SessionType.DATA, new TypeDBOptions({ schemaLockAcquireTimeoutMillis: 300 }));
  const { info } = console;
  console.info = () => {}; // the driver reports the failed open and its retry on a reopened session
  try {
    const started = performance.now();
    assert.match(await failure(() => waiting.transaction(TransactionType.WRITE)), /\[TXN16\]/);
    // The driver tries twice (it reopens the session after a failed open): twice the session's 300 ms, not 10 s.
    assert.ok(performance.now() - started < 5_000, `gave up after ${Math.round(performance.now() - started)} ms`);
  } finally {
    console.info = info;
    await waiting.close();
    await schema.close();
  }
});

test('options TypeDB Core accepts: infer cascades from the session, explain marks inferred facts, traceInference, parallel and readAnyReplica change no answer', async () => {
  const session = await engine.driver.session('life', SessionType.DATA, new TypeDBOptions({ infer: true }));
  try {
    const named = 'match $p isa person, has name $n; $n "someone"; get;';
    const count = async (options?: TypeDBOptions, query = named) => {
      const tx = await session.transaction(TransactionType.READ, options);
      try {
        return (await tx.query.get(query).collect()).length;
      } finally {
        await tx.close();
      }
    };
    // Every person has the inferred name.
    const people = await count(new TypeDBOptions({ infer: false }), 'match $p isa person; get;');
    assert.ok(people > 0);
    assert.equal(await count(), people);
    assert.equal(await count(new TypeDBOptions({ infer: false })), 0);
    assert.equal(await count(new TypeDBOptions({ traceInference: true, parallel: false, readAnyReplica: true })), people);
    const tx = await session.transaction(TransactionType.READ, new TypeDBOptions({ explain: true }));
    const [answer] = await tx.query.get(named).collect();
    assert.equal(answer!.explainables.ownerships.size, 1);
    const [plain] = await tx.query.get(named, new TypeDBOptions({ explain: false })).collect();
    assert.equal(plain!.explainables.ownerships.size, 0);
    await tx.close();
  } finally {
    await session.close();
  }
});

test('a closed driver refuses everything with NDR2, and a second driver is unaffected', async () => {
  const other = await TypeDB.coreDriver(server.address);
  assert.equal(other.isOpen(), true);
  await other.close();
  assert.equal(other.isOpen(), false);
  assert.throws(() => other.databases, /\[NDR2\] .*The driver is not open\./);
  assert.match(await failure(() => other.session('life', SessionType.DATA)), /\[NDR2\]/);
  assert.equal(await engine.driver.databases.contains('life'), true);
  await eventually(() => server.stats().sessions === 0, 5_000, 'no sessions left');
  assert.deepEqual(errors, []);
});
