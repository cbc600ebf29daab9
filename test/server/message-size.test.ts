// Answers bigger than a driver takes in one gRPC message (4 MiB by default in grpc-js, grpc-java and tonic): the
// query fails with [SRV41] saying so, where the driver used to break the transaction's stream with
// "RESOURCE_EXHAUSTED: Received message larger than max"; requests bigger than 4 MiB are taken, up to 64 MiB: a larger
// one is refused from its length prefix, before the server reads (and holds) it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { connect as connectHttp2 } from 'node:http2';
import { SessionType, TransactionType } from 'typedb-driver';
import { MAX_REQUEST_BYTES } from '../../src/server/server.js';
import { exitWhenDone, inTransaction, useEngineServer } from './harness.js';

exitWhenDone();

const engine = useEngineServer('message-size');
const NAME_LENGTH = 60_000;

before(async () => {
  await engine.start();
  await engine.driver.databases.create('sizes');
  await inTransaction(engine.driver, 'sizes', SessionType.SCHEMA, TransactionType.WRITE, async (tx) => {
    await tx.query.define('define name sub attribute, value string; ref sub attribute, value long; person sub entity, owns name, owns ref;');
    await tx.commit();
  });
  // Person 1 has 50 names of 60 000 characters (3 MB), person 2 has 80 (4.8 MB).
  await inTransaction(engine.driver, 'sizes', SessionType.DATA, TransactionType.WRITE, async (tx) => {
    await tx.query.insert('insert $p isa person, has ref 1; $q isa person, has ref 2;').collect();
    for (let i = 0; i < 80; i++) {
      const name = String(i).padStart(3, '0') + 'x'.repeat(NAME_LENGTH - 3);
      const owners = i < 50 ? '$p isa person; { $p has ref 1; } or { $p has ref 2; };' : '$p isa person, has ref 2;';
      await tx.query.insert(`match ${owners} insert $p has name "${name}";`).collect();
    }
    await tx.commit();
  });
});

test('an answer over 4 MiB fails its query with [SRV41]; smaller ones, and other queries, are answered', async () => {
  await inTransaction(engine.driver, 'sizes', SessionType.DATA, TransactionType.READ, async (tx) => {
    const [small] = await tx.query.fetch('match $p isa person, has ref 1; fetch $p: name;').collect();
    assert.equal((small as { p: { name: unknown[] } }).p.name.length, 50);
    await assert.rejects(tx.query.fetch('match $p isa person, has ref 2; fetch $p: name;').collect(), (e: Error) => {
      assert.match(e.message, /^\[SRV41\] .*An answer of this query takes 4\.6 MiB, more than the 4\.0 MiB that drivers accept in one message/);
      return true;
    });
  });
  // The same data, an answer per name.
  await inTransaction(engine.driver, 'sizes', SessionType.DATA, TransactionType.READ, async (tx) => {
    assert.equal((await tx.query.get('match $p isa person, has ref 2, has name $n; get;').collect()).length, 80);
  });
});

test('a query text over 4 MiB is received', async () => {
  await inTransaction(engine.driver, 'sizes', SessionType.DATA, TransactionType.READ, async (tx) => {
    const padded = `match $p isa person, has ref 1; get;${' '.repeat(5 << 20)}`;
    assert.equal((await tx.query.get(padded).collect()).length, 1);
  });
});

test('a request message over 64 MiB is refused as soon as its length prefix arrives, not buffered whole', async () => {
  assert.equal(MAX_REQUEST_BYTES, 64 << 20);
  // A raw HTTP/2 client: one gRPC message announcing 1 GiB, of which 1 MiB is sent. Without a limit the server
  // waits for (and buffers) the rest; a client could make it hold gigabytes this way.
  const session = connectHttp2(`http://${engine.server.address}`);
  session.on('error', () => {});
  try {
    const stream = session.request({ ':method': 'POST', ':path': '/typedb.protocol.TypeDB/transaction', 'content-type': 'application/grpc', te: 'trailers' });
    stream.on('error', () => {});
    const outcome = new Promise<string>((resolve) => {
      const fromHeaders = (headers: Record<string, unknown>) => {
        if (headers['grpc-status'] !== undefined) resolve(`${String(headers['grpc-status'])} ${decodeURIComponent(String(headers['grpc-message']))}`);
      };
      stream.on('response', fromHeaders);
      stream.on('trailers', fromHeaders);
      setTimeout(() => resolve('no status within 5 s'), 5_000).unref();
    });
    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(1 << 30, 1);
    stream.write(prefix);
    stream.write(Buffer.alloc(1 << 20));
    assert.equal(await outcome, `8 Received message larger than max (${1 << 30} vs ${64 << 20})`);
  } finally {
    session.destroy();
  }
  // The server goes on serving.
  await inTransaction(engine.driver, 'sizes', SessionType.DATA, TransactionType.READ, async (tx) => {
    assert.equal((await tx.query.get('match $p isa person, has ref 1; get;').collect()).length, 1);
  });
});
