// Server benchmarks through the official typedb-driver@2.29.7 (issue: gRPC server): round-trip latency of a
// key lookup (p50/p99), insert throughput with 1, 4 and 16 concurrent sessions, and the rate at which a large
// answer stream reaches the client, against a real server process started here on a free loopback port and
// stopped by its process id.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionType, TransactionType, TypeDB, type TypeDBDriver } from 'typedb-driver';
import { formatTable, percentile } from './report.js';
import { startServer, stopServer } from './server-process.js';

async function insertRun(driver: TypeDBDriver, sessions: number, total: number, offset: number, perTx: number): Promise<number> {
  const started = process.hrtime.bigint();
  const perSession = Math.ceil(total / sessions);
  await Promise.all(
    Array.from({ length: sessions }, async (_, s) => {
      const session = await driver.session('bench', SessionType.DATA);
      try {
        for (let i = 0; i < perSession; i += perTx) {
          const tx = await session.transaction(TransactionType.WRITE);
          const pending: Promise<unknown>[] = [];
          for (let j = i; j < Math.min(i + perTx, perSession); j++) {
            const n = offset + s * perSession + j;
            pending.push(tx.query.insert(`insert $p isa person, has email "p${n}@x.org", has name "Person ${n}";`).collect());
          }
          await Promise.all(pending);
          await tx.commit();
        }
      } finally {
        await session.close();
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return (perSession * sessions) / seconds;
}

export async function benchDriver(args: Map<string, string>): Promise<Record<string, unknown>> {
  const inserts = Number(args.get('driver-inserts') ?? 8000);
  const lookups = Number(args.get('lookups') ?? 1000);
  const dataDir = mkdtempSync(join(tmpdir(), 'strata-bench-driver-'));
  const { child, address } = await startServer(dataDir);
  let driver: TypeDBDriver | undefined;
  try {
    driver = await TypeDB.coreDriver(address);
    await driver.databases.create('bench');
    const schema = await driver.session('bench', SessionType.SCHEMA);
    const tx = await schema.transaction(TransactionType.WRITE);
    await tx.query.define('define email sub attribute, value string; name sub attribute, value string; person sub entity, owns email @key, owns name;');
    await tx.commit();
    await schema.close();

    const results: Record<string, unknown> = {};
    let offset = 0;
    for (const sessions of [1, 4, 16]) {
      results[`insertsPerSecond${sessions}Sessions`] = Math.round(await insertRun(driver, sessions, inserts, offset, 100));
      offset += inserts + 16;
    }
    const session = await driver.session('bench', SessionType.DATA);
    const read = await session.transaction(TransactionType.READ);
    const latencies: number[] = [];
    for (let k = 0; k < lookups; k++) {
      const n = (k * 7919) % inserts;
      const t0 = process.hrtime.bigint();
      const answers = await read.query.get(`match $p isa person, has email "p${n}@x.org", has name $n; get;`).collect();
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (answers.length !== 1) throw new Error(`lookup of p${n} returned ${answers.length} answers`);
    }
    // Every person with its name: one stream of all the inserted answers, at the default prefetch size.
    const streamStarted = process.hrtime.bigint();
    let streamed = 0;
    for await (const _ of read.query.get('match $p isa person, has name $n; get;')) streamed++;
    const streamSeconds = Number(process.hrtime.bigint() - streamStarted) / 1e9;
    await read.close();
    await session.close();
    Object.assign(results, {
      streamedAnswers: streamed,
      streamedAnswersPerSecond: Math.round(streamed / streamSeconds),
      keyLookupP50Ms: Number(percentile(latencies, 50).toFixed(2)),
      keyLookupP99Ms: Number(percentile(latencies, 99).toFixed(2)),
      insertsPerRun: inserts,
      insertsPerTransaction: 100,
    });
    console.log(formatTable('driver', results));
    return results;
  } finally {
    await driver?.close();
    await stopServer(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
