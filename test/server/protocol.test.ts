// The gRPC protocol layer against the official driver and a raw client, over a fake engine (deterministic answer
// streams and failures), in process so that the server's session and transaction counts can be read directly.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { TypeDB, SessionType, TransactionType, TypeDBOptions, type TypeDBDriver, type TypeDBSession } from 'typedb-driver';
import { ConnectionOpenReq } from 'typedb-protocol/proto/connection.js';
import { SessionCloseReq, SessionOpenReq, SessionPulseReq, SessionType as SessionTypeProto } from 'typedb-protocol/proto/session.js';
import { Options } from 'typedb-protocol/proto/options.js';
import { UserManagerAllReq } from 'typedb-protocol/proto/user.js';
import {
  TransactionClient,
  TransactionOpenReq,
  TransactionReq,
  TransactionServer,
  TransactionStreamReq,
  TransactionStreamState,
  TransactionType as TransactionTypeProto,
} from 'typedb-protocol/proto/transaction.js';
import { QueryManagerGetAggregateReq, QueryManagerGetReq, QueryManagerReq } from 'typedb-protocol/proto/query.js';
import { eventually, exitWhenDone, rawClient, requestId, startFakeServer, unaryCall, type FakeServer } from './harness.js';

exitWhenDone();

let fake: FakeServer;
let driver: TypeDBDriver;

before(async () => {
  fake = await startFakeServer();
  driver = await TypeDB.coreDriver(fake.address);
});

const openedSessions: TypeDBSession[] = [];

/** Sessions opened through here are closed after each test even when it fails, so failures do not cascade. */
async function session(database: string, type: SessionType): Promise<TypeDBSession> {
  const s = await driver.session(database, type);
  openedSessions.push(s);
  return s;
}

afterEach(async () => {
  for (const s of openedSessions.splice(0)) if (s.isOpen()) await s.close();
});

after(async () => {
  await driver?.close();
  await fake?.server.stop();
});

async function assertRejects(promise: Promise<unknown>, fragment: string): Promise<string> {
  try {
    await promise;
  } catch (e) {
    const message = (e as Error).message;
    assert.ok(message.includes(fragment), `expected an error containing ${JSON.stringify(fragment)}, got: ${message}`);
    return message;
  }
  assert.fail(`expected an error containing ${JSON.stringify(fragment)}, but the call succeeded`);
}

function noOpenTransactions(): Promise<void> {
  return eventually(() => fake.server.stats().transactions === 0 && fake.engine.openTransactions === 0, 5_000, 'no open transactions');
}

test('databases: create, contains, all, get, schema, delete; errors keep their TypeDB text', async () => {
  await driver.databases.create('db1');
  assert.equal(await driver.databases.contains('db1'), true);
  assert.equal(await driver.databases.contains('nope'), false);
  assert.deepEqual((await driver.databases.all()).map((d) => d.name), ['db1']);
  await assertRejects(driver.databases.create('db1'), '[DBS04]');
  const db = await driver.databases.get('db1');
  assert.equal(await db.schema(), '');
  // Not in the driver's typings, but implemented by its Database class (database_type_schema/rule_schema RPCs).
  const schemas = db as unknown as { typeSchema(): Promise<string>; ruleSchema(): Promise<string> };
  assert.equal(await schemas.typeSchema(), '');
  assert.equal(await schemas.ruleSchema(), '');
  await db.delete();
  assert.equal(await driver.databases.contains('db1'), false);
  // A reserved name is refused to every operation, not reported missing.
  const reserved = '[DBS09] Invalid Database Operation: Database name must not start with an underscore.';
  await assertRejects(driver.databases.contains('_system'), reserved);
  await assertRejects(driver.databases.get('_system'), reserved);
});

test('schema session define, data session insert + commit, reads of every answer kind', async () => {
  await driver.databases.create('social');
  const schema = await session('social', SessionType.SCHEMA);
  const stx = await schema.transaction(TransactionType.WRITE);
  await stx.query.define('define person sub entity, owns name; name sub attribute, value string;');
  await stx.commit();
  await schema.close();
  const db = await driver.databases.get('social');
  assert.match(await db.schema(), /person sub entity/);

  const data = await session('social', SessionType.DATA);
  const wtx = await data.transaction(TransactionType.WRITE);
  const inserted = await wtx.query.insert('insert $x isa person, has name "Alice";').collect();
  assert.equal(inserted.length, 1);
  assert.equal(inserted[0]!.get('x').asThing().type.label.name, 'person');
  assert.match(inserted[0]!.get('x').asThing().iid, /^0x[0-9a-f]{24}$/);
  await wtx.commit();
  assert.equal(wtx.isOpen(), false);

  const rtx = await data.transaction(TransactionType.READ);
  // 120 answers with the default prefetch size (50): two CONTINUE round trips.
  const answers = await rtx.query.get('match $x isa item; get; limit 120;').collect();
  assert.equal(answers.length, 120);
  assert.equal(new Set(answers.map((a) => a.get('x').asThing().iid)).size, 120);

  const count = await rtx.query.getAggregate('match $x isa person; get; count;');
  assert.equal(count?.isLong(), true);
  assert.equal(count?.asLong(), 1);
  const empty = await rtx.query.getAggregate('match $x isa person, has age $a; get $a; max $a;');
  assert.equal(empty, null, 'an empty aggregate reaches the driver as null');

  const groups = await rtx.query.getGroup('match $x isa person, has name $n; get; group $n;').collect();
  assert.equal(groups.length, 1);
  assert.equal(groups[0]!.owner.asAttribute().value, 'Alice');
  assert.equal(groups[0]!.conceptMaps.length, 1);

  const valueGroups = await rtx.query.getGroupAggregate('match $x isa person; get; group $x; count;').collect();
  assert.equal(valueGroups.length, 2);
  assert.equal(valueGroups[0]!.value?.asLong(), 2);
  assert.equal(valueGroups[1]!.value, null, 'an empty group aggregate reaches the driver as null');

  const fetched = await rtx.query.fetch('match $p isa person; fetch $p: name;').collect();
  assert.deepEqual(fetched, [
    {
      p: {
        type: { label: 'person', root: 'entity' },
        name: [{ value: 'Alice', type: { label: 'name', root: 'attribute', value_type: 'string' } }],
        born: [{ value: '2001-02-03T04:05:06.007', type: { label: 'born', root: 'attribute', value_type: 'datetime' } }],
      },
      n: { value: 2, value_type: 'long' },
      missing: null,
    },
  ]);

  // A query sent through the wrong driver method is refused before it runs.
  await assertRejects(rtx.query.get('insert $x isa person;').collect(), "a 'insert' query was sent as a 'get' query");
  assert.equal(rtx.isOpen(), false);
  // Deleting the database ends the transactions open on it with TypeDB's text.
  const open = await data.transaction(TransactionType.READ);
  await (await driver.databases.get('social')).delete();
  await eventually(() => !open.isOpen(), 5_000, 'the transaction to end');
  await assertRejects(Promise.resolve().then(() => open.query.get('match $x isa person; get;').collect()), "[DBS07] Invalid Database Operation: Database with the name 'social' has been deleted.");
  await noOpenTransactions();
});

test('small prefetch sizes, rollback (also of a read transaction), commit of a read transaction', async () => {
  await driver.databases.create('opts');
  const data = await session('opts', SessionType.DATA);
  const rtx = await data.transaction(TransactionType.READ, new TypeDBOptions({ prefetchSize: 7 }));
  assert.equal((await rtx.query.get('match $x isa item; get; limit 100;').collect()).length, 100);
  // Two streams consumed interleaved on one transaction.
  const a = rtx.query.get('match $x isa item; get; limit 30;');
  const b = rtx.query.get('match $x isa item; get; limit 20;', new TypeDBOptions({ prefetchSize: 1 }));
  const [ra, rb] = await Promise.all([a.collect(), b.collect()]);
  assert.equal(ra.length + rb.length, 50);
  await assertRejects(rtx.commit(), '[TXN06] Invalid Transaction Operation: Only write transactions can be committed.');

  // Rolling back a read transaction changes nothing (TypeDB has no read-only check there): it stays open, and a
  // stream it was reading goes on.
  const rolled = await data.transaction(TransactionType.READ);
  const iterator = rolled.query.get('match $x isa item; get; limit 5;', new TypeDBOptions({ prefetchSize: 2 }))[Symbol.asyncIterator]();
  assert.equal((await iterator.next()).done, false);
  await rolled.rollback();
  assert.equal(rolled.isOpen(), true);
  let rest = 0;
  while (!(await iterator.next()).done) rest++;
  assert.equal(rest, 4);
  await rolled.close();

  const wtx = await data.transaction(TransactionType.WRITE);
  await wtx.query.insert('insert $x isa person;').collect();
  await wtx.rollback();
  assert.equal(wtx.isOpen(), true);
  await wtx.query.insert('insert $x isa person;').collect();
  await wtx.commit();
  const check = await data.transaction(TransactionType.READ);
  assert.equal((await check.query.getAggregate('match $x isa person; get; count;'))?.asLong(), 1);
  await check.close();
  await data.close();
  await noOpenTransactions();
});

test('a failing query closes only its transaction; the server keeps serving', async () => {
  const data = await session('opts', SessionType.DATA);
  const tx = await data.transaction(TransactionType.READ);
  await assertRejects(tx.query.get('match $x isa broken; get;').collect(), '[QRY01]');
  assert.equal(tx.isOpen(), false);
  await assertRejects(Promise.resolve().then(() => tx.query.get('match $x isa item; get;').collect()), 'closed');

  // A syntax error is parsed on the server (kind check) and fails the same way.
  const tx2 = await data.transaction(TransactionType.READ);
  await assertRejects(tx2.query.get('match $x isa; get;').collect(), '[TQL');
  assert.equal(tx2.isOpen(), false);

  // A failure in the middle of a lazily produced stream.
  const tx3 = await data.transaction(TransactionType.READ, new TypeDBOptions({ prefetchSize: 2 }));
  await assertRejects(tx3.query.get('match $x isa failing; get; limit 10;').collect(), '[QRY02]');
  assert.equal(tx3.isOpen(), false);

  // Reasoning is a transaction's choice, not a query's (TypeDB 2.x's RSN01), whichever way the query sets it.
  for (const infer of [true, false]) {
    const tx5 = await data.transaction(TransactionType.READ);
    await assertRejects(tx5.query.get('match $x isa item; get;', new TypeDBOptions({ infer })).collect(), '[RSN01] Reasoner Error: Reasoning cannot be enabled/disabled per query. Try using Transaction options instead.');
    assert.equal(tx5.isOpen(), false);
  }

  const tx4 = await data.transaction(TransactionType.READ);
  assert.equal((await tx4.query.get('match $x isa item; get; limit 3;', new TypeDBOptions({ prefetchSize: 2 })).collect()).length, 3);
  await tx4.close();
  await data.close();
  await noOpenTransactions();
  assert.deepEqual(fake.errors, []);
});

test("options set at a level TypeDB 2.x does not allow fail as TypeDB's do; a prefetch size below 1 fails only an answer stream", async () => {
  const data = await session('opts', SessionType.DATA);
  await assertRejects(
    data.transaction(TransactionType.READ, new TypeDBOptions({ sessionIdleTimeoutMillis: 1_000 })),
    "[SSN04] Invalid Session Operation: The session idle timeout is not configurable at the 'Options.Transaction' level.",
  );
  const perQuery: [TypeDBOptions, string][] = [
    [new TypeDBOptions({ traceInference: true }), '[RSN04] Reasoner Error: Reasoner tracing cannot be enabled/disabled per query. Try using Transaction options instead.'],
    [new TypeDBOptions({ transactionTimeoutMillis: 1_000 }), "[TXN18] Invalid Transaction Operation: Transaction timeout cannot be configured at the 'Options.Query' level."],
  ];
  for (const [options, error] of perQuery) {
    const tx = await data.transaction(TransactionType.READ);
    await assertRejects(tx.query.get('match $x isa item; get;', options).collect(), error);
    assert.equal(tx.isOpen(), false);
  }
  // The transaction timeout, in whole seconds as TypeDB prints it.
  const timed = await data.transaction(TransactionType.READ, new TypeDBOptions({ transactionTimeoutMillis: 1_500 }));
  await eventually(() => !timed.isOpen(), 5_000, 'the transaction to time out');
  await assertRejects(
    Promise.resolve().then(() => timed.query.get('match $x isa item; get;').collect()),
    "[SRV29] Invalid Server Operation: Transaction exceeded maximum configured duration of '1' seconds.",
  );
  await data.close();
  // TypeDB checks the prefetch size when it makes an answer stream: a session and a transaction open with 0, and a
  // single answer comes back. (The driver refuses 0 itself, so this speaks the protocol directly.)
  const client = rawClient(fake.address);
  try {
    const zero = new Options({ prefetch_size: 0 });
    const opened = await unaryCall<{ session_id: Uint8Array }>(client, 'session_open', new SessionOpenReq({ database: 'opts', type: SessionTypeProto.DATA, options: zero }));
    const call = (client as unknown as { transaction(): grpc.ClientDuplexStream<TransactionClient, TransactionServer> }).transaction();
    const status = new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve));
    const responses: TransactionServer[] = [];
    call.on('error', () => {});
    call.on('data', (m: TransactionServer) => responses.push(m));
    const request = (req: ConstructorParameters<typeof TransactionReq>[0]) => call.write(new TransactionClient({ reqs: [new TransactionReq({ req_id: requestId(), ...(req as object) })] }));
    request({ open_req: new TransactionOpenReq({ session_id: opened.session_id, type: TransactionTypeProto.READ, options: zero }) });
    request({ query_manager_req: new QueryManagerReq({ get_aggregate_req: new QueryManagerGetAggregateReq({ query: 'match $x isa item; get; count;' }) }) });
    request({ query_manager_req: new QueryManagerReq({ get_req: new QueryManagerGetReq({ query: 'match $x isa item; get;' }) }) });
    const ended = await status;
    assert.deepEqual(responses.map((m) => (m.res.has_open_res ? 'open' : m.res.has_query_manager_res ? 'aggregate' : 'other')), ['open', 'aggregate']);
    assert.equal(ended.details, '[TXN17] Invalid Transaction Operation: RPC answer streaming prefetch size must be at least 1, is set to: 0.');
    await unaryCall(client, 'session_close', new SessionCloseReq({ session_id: opened.session_id }));
  } finally {
    client.close();
  }
  await noOpenTransactions();
  assert.deepEqual(fake.errors, []);
});

test('raw protocol: version check, pulse, requests before open, unknown stream ids, idle timeout', async () => {
  const client = rawClient(fake.address);
  try {
    const mismatch = await unaryCall(client, 'connection_open', new ConnectionOpenReq({ version: 0 })).catch((e: grpc.ServiceError) => e);
    assert.equal((mismatch as grpc.ServiceError).code, grpc.status.INTERNAL);
    assert.match((mismatch as grpc.ServiceError).details, /^\[SRV26\]/);

    const users = await unaryCall(client, 'users_all', new UserManagerAllReq()).catch((e: grpc.ServiceError) => e);
    assert.match((users as grpc.ServiceError).details, /^\[SRV37\]/);

    const pulse = await unaryCall<{ alive: boolean }>(client, 'session_pulse', new SessionPulseReq({ session_id: new Uint8Array(16) }));
    assert.equal(pulse.alive, false);

    const opened = await unaryCall<{ session_id: Uint8Array }>(
      client,
      'session_open',
      new SessionOpenReq({ database: 'opts', type: SessionTypeProto.DATA, options: new Options({ session_idle_timeout_millis: 300 }) }),
    );
    assert.equal(fake.server.stats().sessions, 1);
    await eventually(() => fake.server.stats().sessions === 0, 3_000, 'the idle session to time out');

    const call = (client as unknown as { transaction(): grpc.ClientDuplexStream<TransactionClient, TransactionServer> }).transaction();
    const status = new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve));
    call.on('error', () => {});
    call.on('data', () => {});
    call.write(new TransactionClient({ reqs: [new TransactionReq({ req_id: requestId(), stream_req: new TransactionStreamReq() })] }));
    const s = await status;
    assert.equal(s.code, grpc.status.INTERNAL);
    assert.match(s.details, /^\[TXN03\]/);

    // An open on a session that timed out.
    const call2 = (client as unknown as { transaction(): grpc.ClientDuplexStream<TransactionClient, TransactionServer> }).transaction();
    const status2 = new Promise<grpc.StatusObject>((resolve) => call2.on('status', resolve));
    call2.on('error', () => {});
    call2.write(
      new TransactionClient({
        reqs: [new TransactionReq({ req_id: requestId(), open_req: new TransactionOpenReq({ session_id: opened.session_id, type: TransactionTypeProto.READ }) })],
      }),
    );
    assert.match((await status2).details, /^\[SSN01\]/);
  } finally {
    client.close();
  }
});

test('a client that disconnects mid-stream leaves no open transaction behind', async () => {
  const client = rawClient(fake.address);
  const opened = await unaryCall<{ session_id: Uint8Array }>(client, 'session_open', new SessionOpenReq({ database: 'opts', type: SessionTypeProto.DATA }));
  const call = (client as unknown as { transaction(): grpc.ClientDuplexStream<TransactionClient, TransactionServer> }).transaction();
  call.on('error', () => {});
  const parts: TransactionServer[] = [];
  const sawContinue = new Promise<void>((resolve) =>
    call.on('data', (m: TransactionServer) => {
      parts.push(m);
      if (m.has_res_part && m.res_part.has_stream_res_part && m.res_part.stream_res_part.state === TransactionStreamState.CONTINUE) resolve();
    }),
  );
  const getId = requestId();
  call.write(
    new TransactionClient({
      reqs: [
        new TransactionReq({ req_id: requestId(), open_req: new TransactionOpenReq({ session_id: opened.session_id, type: TransactionTypeProto.READ }) }),
        new TransactionReq({
          req_id: getId,
          query_manager_req: new QueryManagerReq({ get_req: new QueryManagerGetReq({ query: 'match $x isa item; get; limit 1000000;' }) }),
        }),
      ],
    }),
  );
  await sawContinue;
  assert.equal(fake.server.stats().transactions, 1);
  assert.equal(fake.engine.openTransactions, 1);
  // Every response echoes a request id the client sent.
  for (const m of parts) {
    const id = m.has_res ? m.res.req_id : m.res_part.req_id;
    assert.ok(id.length === 16);
  }
  // Drop the whole connection, as a crashed client would.
  client.close();
  call.cancel();
  await noOpenTransactions();
  // The session itself stays until its idle timeout (as in TypeDB); close it explicitly here.
  const again = rawClient(fake.address);
  await unaryCall(again, 'session_close', new SessionCloseReq({ session_id: opened.session_id }));
  assert.equal(fake.server.stats().sessions, 0);
  again.close();
});

test("after a CONTINUE one more batch is sent ahead of the client's stream_req; one that ends the answers ends with DONE", { timeout: 10_000 }, async () => {
  const tx = await rawTransaction();
  const get = (limit: number) => tx.get(`match $x isa item; get; limit ${limit};`);
  const seen = (id: Uint8Array) => ({ answers: tx.of(id).answers, states: tx.of(id).states });
  try {
    // 120 answers, 50 per batch: 50 and CONTINUE, then 50 ahead; the rest only when asked.
    const long = get(120);
    await eventually(() => tx.of(long).answers === 100, 5_000, '100 answers');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(seen(long), { answers: 100, states: ['CONTINUE'] });
    tx.streamReq(long);
    await eventually(() => tx.of(long).states.length === 2, 5_000, 'DONE');
    assert.deepEqual(seen(long), { answers: 120, states: ['CONTINUE', 'DONE'] });
    // 80 answers: the batch ahead ends them, with DONE; the stream_req for the CONTINUE is then answered by nothing.
    const short = get(80);
    await eventually(() => tx.of(short).states.length === 2, 5_000, 'DONE');
    assert.deepEqual(seen(short), { answers: 80, states: ['CONTINUE', 'DONE'] });
    tx.streamReq(short);
    const after = get(3);
    await eventually(() => tx.of(after).states.length === 1, 5_000, 'DONE');
    assert.deepEqual(seen(after), { answers: 3, states: ['DONE'] });
    assert.deepEqual(seen(short), { answers: 80, states: ['CONTINUE', 'DONE'] });
  } finally {
    await tx.close();
  }
});

/**
 * A transaction spoken over the raw protocol: what came back for each request id (answers counted, stream states in
 * order), for tests of when answers are sent, which the driver hides.
 */
async function rawTransaction(openOptions: { options?: Options; network_latency_millis?: number } = {}) {
  const client = rawClient(fake.address);
  const opened = await unaryCall<{ session_id: Uint8Array }>(client, 'session_open', new SessionOpenReq({ database: 'opts', type: SessionTypeProto.DATA }));
  const call = (client as unknown as { transaction(): grpc.ClientDuplexStream<TransactionClient, TransactionServer> }).transaction();
  call.on('error', () => {});
  const seen = new Map<string, { answers: number; states: string[]; streamReqs: number }>();
  const entry = (id: Uint8Array) => {
    const key = Buffer.from(id).toString('hex');
    const found = seen.get(key) ?? { answers: 0, states: [], streamReqs: 0 };
    seen.set(key, found);
    return found;
  };
  call.on('data', (m: TransactionServer) => {
    if (!m.has_res_part) return;
    const of = entry(m.res_part.req_id);
    if (m.res_part.has_stream_res_part) of.states.push(TransactionStreamState[m.res_part.stream_res_part.state]!);
    else of.answers += m.res_part.query_manager_res_part.get_res_part.answers.length;
  });
  const send = (req: TransactionReq) => call.write(new TransactionClient({ reqs: [req] }));
  send(new TransactionReq({ req_id: requestId(), open_req: new TransactionOpenReq({ session_id: opened.session_id, type: TransactionTypeProto.READ, ...openOptions }) }));
  return {
    get(query: string, options?: Options): Uint8Array {
      const id = requestId();
      send(new TransactionReq({ req_id: id, query_manager_req: new QueryManagerReq({ get_req: new QueryManagerGetReq({ query }), ...(options ? { options } : {}) }) }));
      return id;
    },
    streamReq(id: Uint8Array): void {
      entry(id).streamReqs++;
      send(new TransactionReq({ req_id: id, stream_req: new TransactionStreamReq() }));
    },
    of: entry,
    /** Answers the stream's every CONTINUE until its DONE. */
    async drain(id: Uint8Array): Promise<void> {
      for (;;) {
        const of = entry(id);
        await eventually(() => of.states.length > of.streamReqs, 5_000, 'the next stream state');
        if (of.states.includes('DONE')) return;
        this.streamReq(id);
      }
    },
    async close(): Promise<void> {
      call.end();
      client.close();
      await noOpenTransactions();
      const again = rawClient(fake.address);
      await unaryCall(again, 'session_close', new SessionCloseReq({ session_id: opened.session_id }));
      again.close();
    },
  };
}

test("`prefetch` counts only as a query's option, as in TypeDB 2.x: set on the transaction it changes nothing", async () => {
  const tx = await rawTransaction({ options: new Options({ prefetch: false }) });
  try {
    // The transaction's `prefetch: false` is not the query's: the answers come at once.
    const read = tx.get('match $x isa item; get; limit 3;');
    await eventually(() => tx.of(read).states.length > 0, 5_000, 'the first stream state');
    assert.deepEqual(tx.of(read), { answers: 3, states: ['DONE'], streamReqs: 0 });
    // The query's own `prefetch: false`: nothing until the client asks.
    const asked = tx.get('match $x isa item; get; limit 3;', new Options({ prefetch: false }));
    await eventually(() => tx.of(asked).states.length > 0, 5_000, 'the first stream state');
    assert.deepEqual(tx.of(asked), { answers: 0, states: ['CONTINUE'], streamReqs: 0 });
    await tx.drain(asked);
    assert.equal(tx.of(asked).answers, 3);
  } finally {
    await tx.close();
  }
});

test("after a CONTINUE, answers are sent ahead for the network latency the client reported, as TypeDB's latency compensation does", { timeout: 20_000 }, async () => {
  const tx = await rawTransaction({ options: new Options({ prefetch_size: 1 }), network_latency_millis: 20 });
  try {
    // Many more answers than 20 ms can send: with 1 000, a fast moment sent them all, and DONE, ahead.
    const id = tx.get('match $x isa item; get; limit 20000;');
    await eventually(() => tx.of(id).states.length > 0, 5_000, 'the first stream state');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // One answer before the CONTINUE, then more than the one batch of 1 that a count alone would send ahead.
    assert.deepEqual(tx.of(id).states, ['CONTINUE']);
    assert.ok(tx.of(id).answers > 2, `expected answers sent ahead for 20 ms, got ${tx.of(id).answers}`);
    // The rest when asked, each answer once.
    await tx.drain(id);
    assert.equal(tx.of(id).answers, 20000);
  } finally {
    await tx.close();
  }
});

test('a transaction type the protocol does not have is refused with TXN15, not opened as a read', async () => {
  const client = rawClient(fake.address);
  const opened = await unaryCall<{ session_id: Uint8Array }>(client, 'session_open', new SessionOpenReq({ database: 'opts', type: SessionTypeProto.DATA }));
  try {
    const call = (client as unknown as { transaction(): grpc.ClientDuplexStream<TransactionClient, TransactionServer> }).transaction();
    const status = new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve));
    const responses: TransactionServer[] = [];
    call.on('error', () => {});
    call.on('data', (m: TransactionServer) => responses.push(m));
    call.write(
      new TransactionClient({
        reqs: [new TransactionReq({ req_id: requestId(), open_req: new TransactionOpenReq({ session_id: opened.session_id, type: 7 as TransactionTypeProto }) })],
      }),
    );
    assert.equal((await status).details, "[TXN15] Invalid Transaction Operation: The transaction type '7' was not recognised.");
    assert.deepEqual(responses, []);
    await noOpenTransactions();
  } finally {
    await unaryCall(client, 'session_close', new SessionCloseReq({ session_id: opened.session_id }));
    client.close();
  }
});
