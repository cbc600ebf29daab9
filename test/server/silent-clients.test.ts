// Clients whose network goes silent (no close, no reset: a machine gone, a frozen proxy): the server's keepalive pings
// go unanswered, the connection is closed, and what the client held — its transactions, its sessions, a schema
// session's lock — goes with it, long before the transaction timeout (300 s) would have ended it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TypeDB, SessionType, TransactionType, TypeDBOptions, type TypeDBDriver } from 'typedb-driver';
import { eventually, exitWhenDone, useEngineServer } from './harness.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

exitWhenDone();

// Short keepalive so that the test takes a second; the server's defaults are 10 s and 20 s (server.ts).
const engine = useEngineServer('silent-clients', { keepalive: { intervalMillis: 200, timeoutMillis: 300 } });
const proxies: TcpProxy[] = [];
const drivers: TypeDBDriver[] = [];

before(async () => {
  await engine.start();
  await engine.driver.databases.create('silent');
});

after(async () => {
  for (const p of proxies) await p.close();
  for (const d of drivers) await d.close().catch(() => {});
});

test('a client gone silent while holding a schema write transaction: rolled back, its session and the schema lock freed within the keepalive, and logged', async () => {
  const proxy = await startTcpProxy(engine.server.address);
  proxies.push(proxy);
  const silent = await TypeDB.coreDriver(proxy.address);
  drivers.push(silent);
  const session = await silent.session('silent', SessionType.SCHEMA);
  const tx = await session.transaction(TransactionType.WRITE);
  await tx.query.define('define lost sub entity;');
  assert.deepEqual(engine.server.stats(), { sessions: 1, transactions: 1 });

  const frozeAt = Date.now();
  proxy.freeze();
  await eventually(() => engine.server.stats().sessions === 0 && engine.server.stats().transactions === 0, 15_000, 'the silent client’s session and transaction to close');
  const freedAfter = Date.now() - frozeAt;
  // At most one ping interval, then the answer time (0.5 s), and scheduling on a busy machine; far less than the
  // session idle timeout (30 s) or the transaction timeout (300 s), which would free them otherwise.
  assert.ok(freedAfter < 10_000, `freed after ${freedAfter} ms`);

  // The schema lock is free: another client defines at once, and the silent client's define never happened.
  const options = new TypeDBOptions({ schemaLockAcquireTimeoutMillis: 500 });
  const other = await engine.driver.session('silent', SessionType.SCHEMA, options);
  const define = await other.transaction(TransactionType.WRITE);
  await define.query.define('define kept sub entity;');
  await define.commit();
  await other.close();
  const schema = await (await engine.driver.databases.get('silent')).schema();
  assert.match(schema, /kept sub entity/);
  assert.doesNotMatch(schema, /lost/);

  assert.ok(engine.infos.some((l) => /^WARNING: A write transaction of session [0-9a-f-]+ \(database 'silent', schema\) was rolled back: its client went away \(127\.0\.0\.1:\d+\)\.$/.test(l)), engine.infos.join('\n'));
  assert.ok(engine.infos.some((l) => /^WARNING: Session with ID [0-9a-f-]+ \(database 'silent', schema\) closed: the connection of its client \(127\.0\.0\.1:\d+\) closed\.$/.test(l)), engine.infos.join('\n'));
  assert.equal(engine.server.connections, 1, 'only the other client’s connection is left');
});

test('a silent client holding only a data session: the session closes with its connection; the server serves others meanwhile', async () => {
  const proxy = await startTcpProxy(engine.server.address);
  proxies.push(proxy);
  const silent = await TypeDB.coreDriver(proxy.address);
  drivers.push(silent);
  await silent.session('silent', SessionType.DATA);
  await eventually(() => engine.server.stats().sessions === 1, 2_000, 'the session to open');
  proxy.freeze();
  await eventually(() => engine.server.stats().sessions === 0, 15_000, 'the silent client’s session to close');
  const s = await engine.driver.session('silent', SessionType.DATA);
  const tx = await s.transaction(TransactionType.READ);
  assert.equal((await tx.query.get('match $x isa entity; get;').collect()).length, 0);
  await tx.close();
  await s.close();
});
