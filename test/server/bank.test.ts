// The bank check (bench/bank-workload.ts) as users see it: typedb-driver clients of a real `strata server` process,
// each with a driver of its own, transfer between few accounts (so that commits conflict) while readers check every
// snapshot, for a couple of seconds; then the final state, and a counter two clients increment at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionType, TransactionType, type TypeDBDriver } from 'typedb-driver';
import { driverConnection } from '../../bench/bank-connection.js';
import { BANK_SCHEMA, runBank, runCounter } from '../../bench/bank-workload.js';
import { exitWhenDone } from './harness.js';
import { startServerProcess, useProcessScratch } from './server-process.js';

exitWhenDone();

const scratch = useProcessScratch('bank');

test('bank transfers through the server: snapshots balance, acknowledged transfers are there once, refused ones left nothing, no increment lost', async () => {
  const { server, address } = await startServerProcess(scratch.dataDir);
  scratch.processes.push(server);
  const drivers: TypeDBDriver[] = [];
  for (let i = 0; i < 6; i++) drivers.push(await scratch.connect(address));
  await drivers[0]!.databases.create('bank');
  const schema = await drivers[0]!.session('bank', SessionType.SCHEMA);
  const define = await schema.transaction(TransactionType.WRITE);
  await define.query.define(BANK_SCHEMA);
  await define.commit();
  await schema.close();
  let next = 0;
  const connect = () => driverConnection(drivers[next++ % drivers.length]!, 'bank');

  const { ledger, stats } = await runBank(connect, { accounts: 4, clients: 4, readers: 1, millis: 2000, seed: 1 });
  assert.deepEqual([...stats.errors], []);
  assert.deepEqual(ledger.violations, []);
  assert.ok(stats.commits >= 3 && stats.snapshots >= 2, `${stats.commits} transfers committed, ${stats.snapshots} snapshots checked`);
  assert.ok(ledger.refused.size > 0, 'no transfer met a write conflict');

  const { tally } = await runCounter(connect, 2, 15);
  assert.equal(tally, 30);
});
