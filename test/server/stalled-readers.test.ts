// A client that asks for a million answers and stops reading them (a raw gRPC client that keeps sending `stream_req`
// with its side of the connection paused): the server sends only what the client takes, so its memory stays bounded,
// and other clients are served meanwhile.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type * as grpc from '@grpc/grpc-js';
import { SessionType, TransactionType } from 'typedb-driver';
import { SessionOpenReq, SessionType as SessionTypeProto } from 'typedb-protocol/proto/session.js';
import {
  TransactionClient,
  TransactionOpenReq,
  TransactionReq,
  TransactionServer,
  TransactionStreamReq,
  TransactionType as TransactionTypeProto,
} from 'typedb-protocol/proto/transaction.js';
import { QueryManagerGetReq, QueryManagerReq } from 'typedb-protocol/proto/query.js';
import { eventually, exitWhenDone, rawClient, requestId, unaryCall } from './harness.js';
import { startServerProcess, useProcessScratch } from './server-process.js';
import { createThroughDriver } from '../support/driver-databases.js';

exitWhenDone();

const scratch = useProcessScratch('stalled-readers');
const clients: grpc.Client[] = [];
after(() => {
  for (const c of clients) c.close();
});

function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

test('a client that stops reading a stream of 1M answers while asking for more: server memory stays bounded, others are served', { skip: process.platform !== 'linux' && 'reads /proc', timeout: 60_000 }, async () => {
  const { server, address } = await startServerProcess(scratch.dataDir);
  scratch.processes.push(server);
  const driver = await scratch.connect(address);
  const inserts = Array.from({ length: 1000 }, (_, i) => `insert $x isa item, has n ${i};`);
  await createThroughDriver(driver, 'stall', 'define n sub attribute, value long; item sub entity, owns n;', inserts);
  const pid = server.child.pid!;
  const before = rssMiB(pid);

  const client = rawClient(address);
  clients.push(client);
  const opened = await unaryCall<{ session_id: Uint8Array }>(client, 'session_open', new SessionOpenReq({ database: 'stall', type: SessionTypeProto.DATA }));
  const call = (client as unknown as { transaction(): grpc.ClientDuplexStream<TransactionClient, TransactionServer> }).transaction();
  call.on('error', () => {});
  // Nothing the server sends is read from here on.
  call.pause();
  const queryId = requestId();
  call.write(
    new TransactionClient({
      reqs: [
        new TransactionReq({ req_id: requestId(), open_req: new TransactionOpenReq({ session_id: opened.session_id, type: TransactionTypeProto.READ }) }),
        // 1000 × 1000 answers, each with two things and two attributes.
        new TransactionReq({ req_id: queryId, query_manager_req: new QueryManagerReq({ get_req: new QueryManagerGetReq({ query: 'match $x isa item, has n $a; $y isa item, has n $b; get;' }) }) }),
      ],
    }),
  );
  // Asks for every batch there is (1M answers at 50 a batch), without reading any.
  for (let i = 0; i < 20_000; i++) {
    call.write(new TransactionClient({ reqs: [new TransactionReq({ req_id: queryId, stream_req: new TransactionStreamReq() })] }));
    if (i % 1_000 === 0) await new Promise((r) => setTimeout(r, 50));
  }
  let peak = before;
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setTimeout(r, 300));
    peak = Math.max(peak, rssMiB(pid));
  }
  // Without the bound every answer was computed and buffered: 2.5 GB and more. With it, a few batches and whatever
  // the garbage collector has not yet taken back: 104–189 MiB in runs alone, 201 MiB once in CI on a busy machine.
  assert.ok(peak - before < 500, `server RSS grew from ${before.toFixed(0)} to ${peak.toFixed(0)} MiB`);

  // Another client is served at once.
  const started = Date.now();
  const s = await driver.session('stall', SessionType.DATA);
  const tx = await s.transaction(TransactionType.READ);
  assert.equal((await tx.query.getAggregate('match $x isa item; get; count;'))!.asLong(), 1000);
  await tx.close();
  await s.close();
  assert.ok(Date.now() - started < 2_000, `another client waited ${Date.now() - started} ms`);

  call.cancel();
  await eventually(() => server.stats() === 'sessions=1 transactions=0' || server.stats() === 'sessions=0 transactions=0', 5_000, `the stalled transaction closed (last: ${server.stats()})`);
});
