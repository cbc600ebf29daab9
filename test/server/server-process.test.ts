// End to end: a real `strata server` process over the real engine, driven by the unmodified official
// typedb-driver@2.29.7 (and by a raw gRPC client for a dropped connection).
import { test } from 'node:test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { SessionType, TransactionType, TypeDBOptions, ThingType, type TypeDBDriver, type TypeDBSession } from 'typedb-driver';
import { SessionCloseReq, SessionOpenReq, SessionType as SessionTypeProto } from 'typedb-protocol/proto/session.js';
import {
  TransactionClient,
  TransactionOpenReq,
  TransactionReq,
  TransactionServer,
  TransactionStreamState,
  TransactionType as TransactionTypeProto,
} from 'typedb-protocol/proto/transaction.js';
import { QueryManagerGetReq, QueryManagerReq } from 'typedb-protocol/proto/query.js';
import { eventually, exitWhenDone, rawClient, requestId, unaryCall } from './harness.js';
import { REPO_ROOT, runCli, startServerProcess, useProcessScratch, type CliProcess } from './server-process.js';

exitWhenDone();

const { dataDir, processes, connect } = useProcessScratch('server-test');

async function server(dir = dataDir): Promise<{ server: CliProcess; address: string }> {
  const started = await startServerProcess(dir);
  processes.push(started.server);
  return started;
}

let shared: Promise<{ server: CliProcess; address: string }> | undefined;

/** One server process for the tests that do not stop it (starting one costs seconds on a cold tsx cache). */
function sharedServer(): Promise<{ server: CliProcess; address: string }> {
  shared ??= server();
  return shared;
}

/** Waits until the server's latest debug-stats line reads `expected`. */
function statsBecome(proc: CliProcess, expected: string): Promise<void> {
  return eventually(() => proc.stats() === expected, 10_000, `debug-stats: ${expected} (last: ${proc.stats()})`);
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail('expected the call to fail');
}

async function withSession<T>(driver: TypeDBDriver, db: string, type: SessionType, body: (s: TypeDBSession) => Promise<T>): Promise<T> {
  const session = await driver.session(db, type);
  try {
    return await body(session);
  } finally {
    if (session.isOpen()) await session.close();
  }
}

const SCHEMA = `define
  name sub attribute, value string;
  age sub attribute, value long;
  born sub attribute, value datetime;
  person sub entity, owns name @key, owns age, owns born, plays friendship:friend;
  friendship sub relation, relates friend;`;

test('the official driver: databases, schema, insert, get, aggregate, group, fetch, rollback, commit, delete', async () => {
  const { server: proc, address } = await sharedServer();
  const driver = await connect(address);

  await driver.databases.create('social');
  assert.equal(await driver.databases.contains('social'), true);
  assert.deepEqual((await driver.databases.all()).map((d) => d.name), ['social']);
  assert.match(await rejection(driver.databases.create('social')), /\[DBS04\].*already exists/);

  await withSession(driver, 'social', SessionType.SCHEMA, async (session) => {
    const tx = await session.transaction(TransactionType.WRITE);
    await tx.query.define(SCHEMA);
    await tx.commit();
  });
  const db = await driver.databases.get('social');
  const schemaText = await db.schema();
  assert.match(schemaText, /^define\n/);
  assert.match(schemaText, /person sub entity,\n {4}owns name @key,/);
  assert.match(schemaText, /friendship sub relation,\n {4}relates friend;/);

  await withSession(driver, 'social', SessionType.DATA, async (session) => {
    const tx = await session.transaction(TransactionType.WRITE);
    const inserted = await tx.query
      .insert('insert $a isa person, has name "Alice", has age 30, has born 2001-02-03T04:05:06.007; $b isa person, has name "Bob", has age 40; (friend: $a, friend: $b) isa friendship;')
      .collect();
    assert.equal(inserted.length, 1);
    assert.equal(inserted[0]!.get('a').asThing().type.label.name, 'person');
    await tx.commit();

    // get: concepts carry their types and values; no further round trip needed.
    const read = await session.transaction(TransactionType.READ);
    const rows = await read.query.get('match $p isa person, has name $n, has age $a; get; sort $n;').collect();
    assert.deepEqual(
      rows.map((r) => [r.get('n').asAttribute().value, r.get('a').asAttribute().value, r.get('p').asThing().type.label.name]),
      [
        ['Alice', 30, 'person'],
        ['Bob', 40, 'person'],
      ],
    );
    assert.equal(rows[0]!.get('n').asAttribute().type.valueType.name(), 'string');

    // get aggregate
    assert.equal((await read.query.getAggregate('match $p isa person; get; count;'))?.asLong(), 2);
    assert.equal((await read.query.getAggregate('match $p isa person, has age $a; get $a; sum $a;'))?.asLong(), 70);
    assert.equal(await read.query.getAggregate('match $p isa person, has name "Nobody", has age $a; get $a; max $a;'), null);

    // get group and group aggregate
    const groups = await read.query.getGroup('match $p isa person, has age $a; get; group $a;').collect();
    assert.deepEqual(groups.map((g) => [g.owner.asAttribute().value, g.conceptMaps.length]).sort(), [
      [30, 1],
      [40, 1],
    ]);
    const counts = await read.query.getGroupAggregate('match $f (friend: $p) isa friendship; $p has name $n; get; group $n; count;').collect();
    assert.deepEqual(counts.map((g) => [g.owner.asAttribute().value, g.value?.asLong()]).sort(), [
      ['Alice', 1],
      ['Bob', 1],
    ]);

    // fetch: plain JSON, datetimes as zone-less ISO text
    const fetched = await read.query.fetch('match $p isa person, has name "Alice"; fetch $p: name, age, born;').collect();
    assert.deepEqual(fetched, [
      {
        p: {
          type: { label: 'person', root: 'entity' },
          name: [{ value: 'Alice', type: { label: 'name', root: 'attribute', value_type: 'string' } }],
          age: [{ value: 30, type: { label: 'age', root: 'attribute', value_type: 'long' } }],
          born: [{ value: '2001-02-03T04:05:06.007', type: { label: 'born', root: 'attribute', value_type: 'datetime' } }],
        },
      },
    ]);

    // The concept API call the behaviour suite relies on: owned keys.
    const alice = (await read.query.get('match $p isa person, has name "Alice"; get;').first())!.get('p').asThing();
    const keys = await alice.getHas(read, [ThingType.Annotation.KEY]).collect();
    assert.deepEqual(keys.map((k) => [k.type.label.name, k.value]), [['name', 'Alice']]);
    const all = await alice.getHas(read).collect();
    assert.deepEqual(all.map((k) => k.type.label.name).sort(), ['age', 'born', 'name']);
    const personType = await read.concepts.getEntityType('person');
    assert.equal(personType?.label.name, 'person');
    assert.equal(await read.concepts.getEntityType('no-such-type'), null);
    assert.equal((await personType!.getInstances(read).collect()).length, 2);
    await read.close();

    // rollback discards; commit keeps
    const write = await session.transaction(TransactionType.WRITE);
    await write.query.insert('insert $c isa person, has name "Carol";').collect();
    await write.rollback();
    assert.equal((await write.query.getAggregate('match $p isa person; get; count;'))?.asLong(), 2);
    await write.query.insert('insert $d isa person, has name "Dan";').collect();
    await write.commit();
    const check = await session.transaction(TransactionType.READ);
    assert.equal((await check.query.getAggregate('match $p isa person; get; count;'))?.asLong(), 3);
    await check.close();
  });

  // A malformed query: the error reaches the client, the transaction is closed (as in TypeDB),
  // and the server keeps serving.
  await withSession(driver, 'social', SessionType.DATA, async (session) => {
    const tx = await session.transaction(TransactionType.READ);
    const message = await rejection(tx.query.get('match $p isa person has name; get;').collect());
    assert.match(message, /^\[TQL\d\d\] TypeQL Error: /);
    assert.equal(tx.isOpen(), false);
    assert.match(await rejection(Promise.resolve().then(() => tx.query.get('match $p isa person; get;').collect())), /closed/i);
    // An unknown type: a query error, same handling.
    const tx2 = await session.transaction(TransactionType.READ);
    assert.match(await rejection(tx2.query.get('match $p isa martian; get;').collect()), /^\[[A-Z]{3}\d\d\]/);
    assert.equal(tx2.isOpen(), false);
    const tx3 = await session.transaction(TransactionType.READ);
    assert.equal((await tx3.query.get('match $p isa person; get;').collect()).length, 3);
    // A write in a read transaction.
    assert.match(await rejection(tx3.query.insert('insert $x isa person, has name "Eve";').collect()), /\[TXN08\]/);
  });
  await statsBecome(proc, 'sessions=0 transactions=0');

  await db.delete();
  assert.equal(await driver.databases.contains('social'), false);
});

test('a client that disconnects mid-stream: the server transaction count returns to 0', async () => {
  const { server: proc, address } = await sharedServer();
  const driver = await connect(address);
  await driver.databases.create('many');
  await withSession(driver, 'many', SessionType.SCHEMA, async (s) => {
    const tx = await s.transaction(TransactionType.WRITE);
    await tx.query.define('define n sub attribute, value long; item sub entity, owns n;');
    await tx.commit();
  });
  await withSession(driver, 'many', SessionType.DATA, async (s) => {
    const tx = await s.transaction(TransactionType.WRITE);
    for (let i = 0; i < 200; i++) void tx.query.insert(`insert $x isa item, has n ${i};`);
    await tx.commit();
  });

  const client = rawClient(address);
  const opened = await unaryCall<{ session_id: Uint8Array }>(client, 'session_open', new SessionOpenReq({ database: 'many', type: SessionTypeProto.DATA }));
  const call = (client as unknown as { transaction(): grpc.ClientDuplexStream<TransactionClient, TransactionServer> }).transaction();
  call.on('error', () => {});
  const sawContinue = new Promise<void>((resolve) =>
    call.on('data', (m: TransactionServer) => {
      if (m.has_res_part && m.res_part.has_stream_res_part && m.res_part.stream_res_part.state === TransactionStreamState.CONTINUE) resolve();
    }),
  );
  call.write(
    new TransactionClient({
      reqs: [
        new TransactionReq({ req_id: requestId(), open_req: new TransactionOpenReq({ session_id: opened.session_id, type: TransactionTypeProto.READ }) }),
        new TransactionReq({ req_id: requestId(), query_manager_req: new QueryManagerReq({ get_req: new QueryManagerGetReq({ query: 'match $x isa item, has n $n; get;' }) }) }),
      ],
    }),
  );
  await sawContinue;
  await statsBecome(proc, 'sessions=1 transactions=1');
  call.cancel();
  await statsBecome(proc, 'sessions=1 transactions=0');

  // The session lives on while its client's connection does (it would close with the connection).
  await unaryCall(client, 'session_close', new SessionCloseReq({ session_id: opened.session_id }));
  client.close();
  await statsBecome(proc, 'sessions=0 transactions=0');
});

test('a query still running at the transaction timeout is stopped with [SRV29]; the server serves others again', async () => {
  const { address } = await sharedServer();
  const driver = await connect(address);
  await driver.databases.create('crowd');
  await withSession(driver, 'crowd', SessionType.SCHEMA, async (s) => {
    const tx = await s.transaction(TransactionType.WRITE);
    await tx.query.define('define item sub entity;');
    await tx.commit();
  });
  await withSession(driver, 'crowd', SessionType.DATA, async (s) => {
    const write = await s.transaction(TransactionType.WRITE);
    await write.query.insert(`insert ${Array.from({ length: 200 }, (_, i) => `$x${i} isa item;`).join(' ')}`).collect();
    await write.commit();
    // 8 million answers: many seconds, where the limit allows one.
    const read = await s.transaction(TransactionType.READ, new TypeDBOptions({ transactionTimeoutMillis: 1_000 }));
    const started = performance.now();
    const error = await rejection(read.query.getAggregate('match $a isa item; $b isa item; $c isa item; get; count;').then(() => undefined));
    assert.equal(error, "[SRV29] Invalid Server Operation: Transaction exceeded maximum configured duration of '1' seconds.");
    assert.ok(performance.now() - started < 5_000, `stopped after ${Math.round(performance.now() - started)} ms`);
  });
  const other = await connect(address);
  assert.ok((await other.databases.all()).some((d) => d.name === 'crowd'));
  await driver.databases.get('crowd').then((d) => d.delete());
});

test('a long aggregate and a long first reasoning query compute in slices: other clients are served meanwhile', async () => {
  const { address } = await sharedServer();
  const driver = await connect(address);
  await driver.databases.create('shared');
  await withSession(driver, 'shared', SessionType.SCHEMA, async (s) => {
    const tx = await s.transaction(TransactionType.WRITE);
    await tx.query.define(`define item sub entity, plays link:from, plays link:to, plays reach:from, plays reach:to;
      link sub relation, relates from, relates to; reach sub relation, relates from, relates to;
      rule reach-link: when { (from: $a, to: $b) isa link; } then { (from: $a, to: $b) isa reach; };
      rule reach-chain: when { (from: $a, to: $b) isa reach; (from: $b, to: $c) isa link; } then { (from: $a, to: $c) isa reach; };`);
    await tx.commit();
  });
  const other = await connect(address);
  await withSession(driver, 'shared', SessionType.DATA, async (s) => {
    const write = await s.transaction(TransactionType.WRITE);
    // 400 items in a chain of links: an 8 million answer join to count, and a closure of 80 000 inferred relations.
    const items = Array.from({ length: 400 }, (_, i) => `$x${i} isa item;`).join(' ');
    const links = Array.from({ length: 399 }, (_, i) => `(from: $x${i}, to: $x${i + 1}) isa link;`).join(' ');
    await write.query.insert(`insert ${items} ${links}`).collect();
    await write.commit();
    const otherSession = await other.session('shared', SessionType.DATA);
    try {
      for (const [label, options, query] of [
        ['aggregate', new TypeDBOptions(), 'match $a isa item; $b isa item; $c isa item; get; count;'],
        ['reasoning', new TypeDBOptions({ infer: true }), 'match $r (from: $a, to: $b) isa reach; get; count;'],
      ] as const) {
        const long = await s.transaction(TransactionType.READ, options);
        let settled = false;
        const running = long.query.getAggregate(query).then(
          () => (settled = true),
          () => (settled = true),
        );
        // The other client's whole transaction runs while the long query is still computing.
        const tx = await otherSession.transaction(TransactionType.READ);
        const count = await tx.query.getAggregate('match $x isa item; get; count;');
        await tx.close();
        assert.equal(count?.asLong(), 400);
        assert.equal(settled, false, `the ${label} finished before the other client was served`);
        // Closing its transaction stops the long query: the server is free again at once.
        await long.close();
        await running;
      }
    } finally {
      await otherSession.close();
    }
  });
  await driver.databases.get('shared').then((d) => d.delete());
});

test('SIGTERM rolls back open transactions, closes the stores and exits 0; committed data survives a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-restart-test-'));
  try {
    const first = await server(dir);
    const driver = await connect(first.address);
    await driver.databases.create('kept');
    await withSession(driver, 'kept', SessionType.SCHEMA, async (s) => {
      const tx = await s.transaction(TransactionType.WRITE);
      await tx.query.define('define name sub attribute, value string; person sub entity, owns name;');
      await tx.commit();
    });
    const session = await driver.session('kept', SessionType.DATA);
    const committed = await session.transaction(TransactionType.WRITE);
    await committed.query.insert('insert $p isa person, has name "Kept";').collect();
    await committed.commit();
    const pending = await session.transaction(TransactionType.WRITE, new TypeDBOptions({ transactionTimeoutMillis: 60_000 }));
    await pending.query.insert('insert $p isa person, has name "Lost";').collect();
    await statsBecome(first.server, 'sessions=1 transactions=1');

    first.server.kill('SIGTERM');
    assert.equal(await first.server.exited, 0);
    assert.ok(first.server.stdout.includes('Strata server has been closed.'), first.server.stdout.join('\n'));
    // The open transaction was told why it ended.
    assert.match(await rejection(pending.commit()), /\[SRV24\] Invalid Server Operation: TypeDB server has been shutdown\./);
    // Not closing `session`: its server is gone, so the driver's next pulse fails and marks it closed
    // (closing it now would retry the RPC for half a minute).
    void session;

    // A database directory written by an incompatible server: refused with a warning, the others still served.
    mkdirSync(join(dir, 'future'));
    writeFileSync(
      join(dir, 'future', 'strata-database.json'),
      JSON.stringify({ format: 'strata-database', encodingVersion: 999, createdBy: 'strata 99.0.0', createdAt: new Date().toISOString() }),
    );
    const second = await server(dir);
    assert.ok(
      second.server.stdout.some((l) => l.startsWith("WARNING: database 'future' was not loaded and is not served: [DBS02]")),
      second.server.stdout.join('\n'),
    );
    const driver2 = await connect(second.address);
    assert.deepEqual((await driver2.databases.all()).map((d) => d.name), ['kept']);
    // A client that asks for it is told why it is not served, not that it does not exist.
    assert.equal(await driver2.databases.contains('future'), true);
    await assert.rejects(driver2.session('future', SessionType.DATA), /\[DBS02\].*'future'.*encoding version 999.*export it on a server that can open it/);
    await withSession(driver2, 'kept', SessionType.DATA, async (s) => {
      const tx = await s.transaction(TransactionType.READ);
      const names = await tx.query.get('match $p isa person, has name $n; get $n;').collect();
      assert.deepEqual(names.map((a) => a.get('n').asAttribute().value), ['Kept']);
      await tx.close();
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGHUP (a closed terminal) stops the server as SIGTERM does: open transactions are told why, exit 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-hangup-test-'));
  try {
    const started = await server(dir);
    const driver = await connect(started.address);
    await driver.databases.create('hup');
    const session = await driver.session('hup', SessionType.DATA);
    const pending = await session.transaction(TransactionType.WRITE);
    await statsBecome(started.server, 'sessions=1 transactions=1');

    started.server.kill('SIGHUP');
    assert.equal(await started.server.exited, 0);
    assert.ok(started.server.stdout.includes('Strata server has been closed.'), started.server.stdout.join('\n'));
    assert.match(await rejection(pending.commit()), /\[SRV24\] Invalid Server Operation: TypeDB server has been shutdown\./);
    void session; // its server is gone: see the SIGTERM test
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a busy port: clear message, exit 1', async () => {
  const { address } = await sharedServer();
  const second = runCli(['server', `--server.address=${address}`, `--storage.data=${join(dataDir, 'other')}`]);
  processes.push(second);
  assert.equal(await second.exited, 1);
  assert.ok(
    second.stderr.some((l) => l === `[SRV34] Invalid Server Operation: Could not bind to the port since it is in use: '${address}'.`),
    second.stderr.join('\n'),
  );
});

test('an address not of this machine: clear message naming the option, exit 1, no data directory made', async () => {
  const data = join(dataDir, 'never-made');
  // 192.0.2.0/24 is reserved for documentation: never an address of this machine.
  const server = runCli(['server', '--server.address=192.0.2.1:1729', `--storage.data=${data}`]);
  processes.push(server);
  assert.equal(await server.exited, 1);
  assert.deepEqual(server.stderr, [
    "[SRV40] Invalid Server Operation: Could not listen on '192.0.2.1:1729': the host is not an address of this machine. Give one of its addresses (127.0.0.1 for this machine only, 0.0.0.0 for all) (--server.address).",
  ]);
  assert.equal(existsSync(data), false);
});

test('launcher: usage on no or unknown command (exit 1), --version and --help (exit 0)', async () => {
  const [none, unknown, version, help] = [runCli([]), runCli(['frobnicate']), runCli(['server', '--version']), runCli(['server', '--help'])];
  processes.push(none, unknown, version, help);
  assert.deepEqual(await Promise.all([none.exited, unknown.exited, version.exited, help.exited]), [1, 1, 0, 0]);
  assert.match(none.stderr.join('\n'), /^Missing argument\. Possible commands are:\n {2}Server: /);
  assert.match(unknown.stderr.join('\n'), /^Invalid argument: frobnicate\. Possible commands are: \n {2}Server: /);
  assert.match(version.stdout.join('\n'), /^Version: Strata \d+\.\d+\.\d+ \(TypeDB 2\.29\.1 compatible\)$/m);
  assert.match(help.stdout.join('\n'), /--server\.address=<address:port>/);
});

test("the README's `npm start` runs `strata server`, passing options on", async () => {
  // The README's first command: `npx strata` cannot be it, as npm links no package's own bins for itself.
  const { stdout } = await promisify(execFile)('npm', ['start', '--silent', '--', '--version'], { cwd: REPO_ROOT });
  assert.match(stdout, /^Version: Strata \d+\.\d+\.\d+ \(TypeDB 2\.29\.1 compatible\)$/m);
});
