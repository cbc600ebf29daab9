// Robustness through the official driver against a real server process: a session closed with transactions
// open, requests on closed transactions, a malformed query — each fails cleanly, leaks no transaction, and a
// second client working at the same time is unaffected.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TypeDB, SessionType, TransactionType, type TypeDBDriver } from 'typedb-driver';
import { eventually, exitWhenDone } from './harness.js';
import { startServerProcess, type CliProcess } from './server-process.js';

exitWhenDone();

const dataDir = mkdtempSync(join(tmpdir(), 'strata-robustness-'));
let server: CliProcess | undefined;
const drivers: TypeDBDriver[] = [];

after(async () => {
  for (const d of drivers) await d.close().catch(() => {});
  server?.kill('SIGKILL');
  if (server) await server.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

/** The error of an operation, whether the driver throws it at once or the server rejects it. */
async function failure(operation: () => Promise<unknown>): Promise<string> {
  try {
    await operation();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a failure');
}

test('closing a session with open transactions, and a malformed query, never disturb another client', async () => {
  const started = await startServerProcess(dataDir);
  server = started.server;
  const proc = started.server;
  const a = await TypeDB.coreDriver(started.address);
  const b = await TypeDB.coreDriver(started.address);
  drivers.push(a, b);
  await a.databases.create('shared');
  const schema = await a.session('shared', SessionType.SCHEMA);
  const define = await schema.transaction(TransactionType.WRITE);
  await define.query.define('define name sub attribute, value string; person sub entity, owns name;');
  await define.commit();
  await schema.close();

  // Client B starts working and keeps its transaction open throughout.
  const bSession = await b.session('shared', SessionType.DATA);
  const bWrite = await bSession.transaction(TransactionType.WRITE);
  await bWrite.query.insert('insert $p isa person, has name "from B";').collect();

  // Client A opens two transactions and closes their session without closing them.
  const aSession = await a.session('shared', SessionType.DATA);
  const aWrite = await aSession.transaction(TransactionType.WRITE);
  const aRead = await aSession.transaction(TransactionType.READ);
  await aWrite.query.insert('insert $p isa person, has name "from A";').collect();
  await eventually(() => proc.stats() === 'sessions=2 transactions=3', 10_000, `3 open transactions (last: ${proc.stats()})`);
  await aSession.close();
  await eventually(() => proc.stats() === 'sessions=1 transactions=1', 10_000, `A's transactions closed (last: ${proc.stats()})`);
  assert.match(await failure(() => aWrite.query.insert('insert $p isa person;').collect()), /closed/i);
  assert.match(await failure(() => aRead.query.get('match $p isa person; get;').collect()), /closed/i);

  // A malformed query from a third transaction: a clear syntax error, that transaction closed, nothing leaked.
  const aAgain = await a.session('shared', SessionType.DATA);
  const bad = await aAgain.transaction(TransactionType.READ);
  assert.match(await failure(() => bad.query.get('match $p isa person get;').collect()), /\[TQL03\].*line 1:\n.*\n *\^\n/);
  assert.equal(bad.isOpen(), false);
  await aAgain.close();
  await eventually(() => proc.stats() === 'sessions=1 transactions=1', 10_000, `only B left (last: ${proc.stats()})`);

  // Client B was unaffected: it commits, and only its insert is stored.
  await bWrite.commit();
  const check = await bSession.transaction(TransactionType.READ);
  const names = (await check.query.get('match $p isa person, has name $n; get $n;').collect()).map((m) => m.get('n').asAttribute().value);
  assert.deepEqual(names, ['from B']);
  await check.close();
  await bSession.close();
  await eventually(() => proc.stats() === 'sessions=0 transactions=0', 10_000, `nothing open (last: ${proc.stats()})`);
});
