// The write path as users load data: many insert queries, a few hundred to a few thousand per write transaction,
// into a database that already holds --prefill persons (each with an @key email, so every insert's key is
// checked against them). Two query shapes, as data loaders write them:
//   insert $p isa person, has name "…", has email "…";
//   match $a isa person, has email "…"; $b isa person, has email "…"; insert (friend: $a, friend: $b) isa friendship;
// Embedded (one client) and through typedb-driver@2.29.7 against a server process (1 and 4 concurrent clients,
// each its own session, queries of a transaction pipelined). Reports inserts/s per shape, the median and p99 time
// of a commit, and CPU time per query (embedded: this process; driver: the server process, and this client), which
// is steadier than the rates on a shared machine. Run: npm run bench -- writes [--write-prefill=100000]
// [--write-batch=500] [--write-inserts=4000] [--write-friendships=4000] [--write-clients=1,4]
// [--write-modes=embedded,driver] [--server-cpu-prof=DIR]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionType, TransactionType, TypeDB, type TypeDBDriver } from 'typedb-driver';
import { openDatabaseManager, type Session } from '../src/database/index.js';
import { processCpuMillis, startServer, stopServer } from './server-process.js';
import { formatTable, percentile } from './report.js';
import { load } from './workload.js';

const SCHEMA = `define
  email sub attribute, value string;
  name sub attribute, value string;
  friendship sub relation, relates friend;
  person sub entity, owns email @key, owns name, plays friendship:friend;`;

const personInsert = (n: number) => `insert $p isa person, has name "Person ${n}", has email "p${n}@example.org";`;
/** A friendship between two prefilled persons, spread over all of them. */
const friendshipInsert = (k: number, prefill: number) => {
  const a = (k * 7919) % prefill;
  const b = (k * 104729 + 1) % prefill;
  return `match $a isa person, has email "p${a}@example.org"; $b isa person, has email "p${b}@example.org"; insert (friend: $a, friend: $b) isa friendship;`;
};

interface Phase {
  /** Queries per second over the whole phase, commits included. */
  rate: number;
  commitMs: number[];
  /** CPU microseconds per query: the engine's process (embedded), or the server's (driver). */
  cpuMicros?: number;
  /** Through the driver: the client's CPU microseconds per query. */
  clientCpuMicros?: number;
}

const cpuMillis = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Splits `total` queries over `clients`, `batch` per transaction; `query(i)` for i in 0..total-1. */
function plan(total: number, clients: number, batch: number): number[][][] {
  const per = Math.ceil(total / clients);
  return Array.from({ length: clients }, (_, c) => {
    const txs: number[][] = [];
    for (let i = c * per; i < Math.min(total, (c + 1) * per); i += batch) {
      txs.push(Array.from({ length: Math.min(batch, (c + 1) * per - i, total - i) }, (_, j) => i + j));
    }
    return txs;
  });
}

function embeddedPhase(data: Session, total: number, batch: number, query: (i: number) => string): Phase {
  const commitMs: number[] = [];
  const started = process.hrtime.bigint();
  const cpu0 = cpuMillis();
  for (const queries of plan(total, 1, batch)[0]!) {
    const tx = data.transaction('write');
    for (const i of queries) tx.query(query(i));
    const t0 = process.hrtime.bigint();
    tx.commit();
    commitMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const cpuMicros = ((cpuMillis() - cpu0) * 1000) / total;
  return { rate: total / (Number(process.hrtime.bigint() - started) / 1e9), commitMs, cpuMicros };
}

async function driverPhase(driver: TypeDBDriver, serverPid: number | undefined, clients: number, total: number, batch: number, query: (i: number) => string): Promise<Phase> {
  const commitMs: number[] = [];
  const started = process.hrtime.bigint();
  const client0 = cpuMillis();
  const server0 = processCpuMillis(serverPid);
  await Promise.all(
    plan(total, clients, batch).map(async (txs) => {
      const session = await driver.session('bench', SessionType.DATA);
      try {
        for (const queries of txs) {
          const tx = await session.transaction(TransactionType.WRITE);
          await Promise.all(queries.map((i) => tx.query.insert(query(i)).collect()));
          const t0 = process.hrtime.bigint();
          await tx.commit();
          commitMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
      } finally {
        await session.close();
      }
    }),
  );
  const rate = total / (Number(process.hrtime.bigint() - started) / 1e9);
  const server1 = processCpuMillis(serverPid);
  const clientCpuMicros = ((cpuMillis() - client0) * 1000) / total;
  if (server0 === undefined || server1 === undefined) return { rate, commitMs, clientCpuMicros };
  return { rate, commitMs, cpuMicros: ((server1 - server0) * 1000) / total, clientCpuMicros };
}

function report(results: Record<string, unknown>, name: string, phase: Phase): void {
  results[`${name}PerSecond`] = Math.round(phase.rate);
  results[`${name}CommitP50Ms`] = Number(percentile(phase.commitMs, 50).toFixed(1));
  results[`${name}CommitP99Ms`] = Number(percentile(phase.commitMs, 99).toFixed(1));
  if (phase.cpuMicros !== undefined) results[`${name}CpuMicrosPerQuery`] = Math.round(phase.cpuMicros);
  if (phase.clientCpuMicros !== undefined) results[`${name}ClientCpuMicrosPerQuery`] = Math.round(phase.clientCpuMicros);
}

export async function benchWrites(args: Map<string, string>): Promise<Record<string, unknown>> {
  const prefill = Number(args.get('write-prefill') ?? 100_000);
  const batch = Number(args.get('write-batch') ?? 500);
  const inserts = Number(args.get('write-inserts') ?? 4000);
  const friendships = Number(args.get('write-friendships') ?? 4000);
  const clientCounts = (args.get('write-clients') ?? '1,4').split(',').map(Number);
  const modes = (args.get('write-modes') ?? 'embedded,driver').split(',');
  const dataDir = mkdtempSync(join(tmpdir(), 'strata-bench-writes-'));
  const results: Record<string, unknown> = { prefill, batch };
  let next = prefill; // the next new person's number, so that no run repeats a key
  try {
    const manager = openDatabaseManager(dataDir);
    try {
      manager.create('bench');
      const schema = manager.session('bench', 'schema');
      const tx = schema.transaction('write');
      tx.query(SCHEMA);
      tx.commit();
      schema.close();
      const data = manager.session('bench', 'data');
      const t0 = process.hrtime.bigint();
      load(data, prefill, 10_000, personInsert);
      results.prefillSeconds = Number((Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1));
      if (modes.includes('embedded')) {
        const base = next;
        report(results, 'embeddedInserts', embeddedPhase(data, inserts, batch, (i) => personInsert(base + i)));
        next += inserts;
        report(results, 'embeddedFriendships', embeddedPhase(data, friendships, batch, (k) => friendshipInsert(k, prefill)));
      }
      data.close();
    } finally {
      manager.close();
    }
    if (modes.includes('driver')) {
      const server = await startServer(dataDir, args.get('server-cpu-prof'));
      let driver: TypeDBDriver | undefined;
      try {
        driver = await TypeDB.coreDriver(server.address);
        for (const clients of clientCounts) {
          const base = next;
          report(results, `driver${clients}Inserts`, await driverPhase(driver, server.child.pid, clients, inserts, batch, (i) => personInsert(base + i)));
          next += inserts;
          const shift = clients * 31;
          report(results, `driver${clients}Friendships`, await driverPhase(driver, server.child.pid, clients, friendships, batch, (k) => friendshipInsert(k + shift, prefill)));
        }
      } finally {
        await driver?.close();
        await stopServer(server.child);
      }
    }
    console.log(formatTable('writes', results));
    return results;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
