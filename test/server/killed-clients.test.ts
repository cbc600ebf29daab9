// Clients killed with SIGKILL (no session close, no transaction close) against a real server process: while holding
// a schema write transaction, while reading a long answer stream, while committing. What they held is freed at once
// (their connection closed), the next client is served without waiting, and nothing is half-committed.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { SessionType, TransactionType, TypeDBOptions, type TypeDBDriver } from 'typedb-driver';
import { eventually, exitWhenDone } from './harness.js';
import { startServerProcess, useProcessScratch, type CliProcess } from './server-process.js';
import { firstLine, killAndWait, spawnScript } from '../support/processes.js';

exitWhenDone();

const scratch = useProcessScratch('killed-clients');
let server: CliProcess;
let address: string;
let driver: TypeDBDriver;

before(async () => {
  ({ server, address } = await startServerProcess(scratch.dataDir));
  scratch.processes.push(server);
  driver = await scratch.connect(address);
  await driver.databases.create('killed');
  const s = await driver.session('killed', SessionType.SCHEMA);
  const tx = await s.transaction(TransactionType.WRITE);
  await tx.query.define('define n sub attribute, value long; item sub entity, owns n;');
  await tx.commit();
  await s.close();
});

/** A client process running `body` (a script over the driver, with `driver` connected), told to print lines. */
function client(body: string): ChildProcess {
  const child = spawnScript(
    `import { TypeDB, SessionType, TransactionType } from 'typedb-driver';
     const driver = await TypeDB.coreDriver(process.argv[1]);
     const say = (line) => process.stdout.write(line + '\\n');
     ${body}`,
    [address],
  );
  return child;
}

async function count(query: string): Promise<number> {
  const s = await driver.session('killed', SessionType.DATA);
  try {
    const tx = await s.transaction(TransactionType.READ);
    const n = (await tx.query.getAggregate(query))!.asLong();
    await tx.close();
    return n;
  } finally {
    await s.close();
  }
}

test('a client killed while holding a schema write transaction: the lock is free at once, its define never happened, the log says why', async () => {
  const child = client(`
    const s = await driver.session('killed', SessionType.SCHEMA);
    const tx = await s.transaction(TransactionType.WRITE);
    await tx.query.define('define ghost sub entity;');
    say('defined');
    await new Promise(() => {});`);
  assert.equal(await firstLine(child), 'defined');
  await eventually(() => server.stats() === 'sessions=1 transactions=1', 5_000, `the child's schema transaction (last: ${server.stats()})`);
  await killAndWait(child);

  // Without waiting for the session idle timeout (30 s): the schema lock is taken in far less (here usually within
  // 0.1 s; the bound leaves room for a loaded machine, not for the idle timeout).
  const started = Date.now();
  const s = await driver.session('killed', SessionType.SCHEMA, new TypeDBOptions({ schemaLockAcquireTimeoutMillis: 10_000 }));
  const tx = await s.transaction(TransactionType.WRITE);
  await tx.query.define('define shape sub entity;');
  await tx.commit();
  await s.close();
  assert.ok(Date.now() - started < 10_000, `the schema lock was taken after ${Date.now() - started} ms`);
  const schema = await (await driver.databases.get('killed')).schema();
  assert.match(schema, /shape sub entity/);
  assert.doesNotMatch(schema, /ghost/);
  await server.waitForLine(/^WARNING: Session with ID [0-9a-f-]+ \(database 'killed', schema\) closed: the connection of its client \(127\.0\.0\.1:\d+\) closed(, 1 open transaction\(s\) rolled back)?\.$/, 5_000);
  await eventually(() => server.stats() === 'sessions=0 transactions=0', 5_000, `nothing left open (last: ${server.stats()})`);
});

test('a client killed while reading a long answer stream: its transaction goes at once, others read on', async () => {
  const s = await driver.session('killed', SessionType.DATA);
  const write = await s.transaction(TransactionType.WRITE);
  for (let i = 0; i < 300; i++) void write.query.insert(`insert $x isa item, has n ${i};`);
  await write.commit();
  await s.close();

  // 300 × 300 answers: the child reads a few batches and stops, the stream still open on the server.
  const child = client(`
    const s = await driver.session('killed', SessionType.DATA);
    const tx = await s.transaction(TransactionType.READ);
    let seen = 0;
    for await (const answer of tx.query.get('match $x isa item; $y isa item; get;')) {
      if (++seen === 500) say('reading');
    }`);
  assert.equal(await firstLine(child), 'reading');
  await killAndWait(child);
  // Well before the session idle timeout (30 s) would close them.
  await eventually(() => server.stats() === 'sessions=0 transactions=0', 10_000, `the reader's transaction and session closed (last: ${server.stats()})`);
  assert.equal(await count('match $x isa item; get; count;'), 300);
});

test('a client killed while committing, again and again: every commit is whole, every acknowledged one is there', async () => {
  const before = await count('match $x isa item; get; count;');
  const batch = 250;
  for (const delay of [150, 400, 900]) {
    const child = client(`
      const s = await driver.session('killed', SessionType.DATA);
      for (let round = 0; ; round++) {
        const tx = await s.transaction(TransactionType.WRITE);
        for (let i = 0; i < ${batch}; i++) void tx.query.insert('insert $x isa item, has n ' + (1000000 + round * ${batch} + i) + ';');
        await tx.commit();
        say('committed ' + (round + 1));
      }`);
    let acknowledged = 0;
    let text = '';
    child.stdout!.on('data', (chunk) => {
      text += chunk;
      const m = [...text.matchAll(/committed (\d+)/g)].pop();
      if (m) acknowledged = Number(m[1]);
    });
    await new Promise((r) => setTimeout(r, delay));
    await killAndWait(child);
    await eventually(() => server.stats() === 'sessions=0 transactions=0', 5_000, `the killed writer's session closed (last: ${server.stats()})`);
    const added = (await count('match $x isa item; get; count;')) - before;
    const ownerships = (await count('match $x isa item, has n $n; $n >= 1000000; get; count;'));
    assert.equal(added % batch, 0, `${added} items added: a partial commit`);
    assert.equal(ownerships, added, 'every item committed has its attribute');
    assert.ok(added >= acknowledged * batch, `${added} items, ${acknowledged} commits acknowledged`);
    // The next round starts from a clean slate.
    const s = await driver.session('killed', SessionType.DATA);
    const tx = await s.transaction(TransactionType.WRITE);
    await tx.query.delete('match $x isa item, has n $n; $n >= 1000000; delete $x isa item;');
    await tx.commit();
    await s.close();
  }
});
