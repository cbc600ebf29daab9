// Engine benchmarks (issue: engine core): insert throughput, and latency of a @key lookup over many entities.
// Run: npm run bench -- engine [--entities=N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseManager } from '../src/database/index.js';
import { formatTable, percentile, rssMiB } from './report.js';

export async function benchEngine(args: Map<string, string>): Promise<Record<string, unknown>> {
  const lookupEntities = Number(args.get('entities') ?? 1_000_000);
  const insertEntities = Number(args.get('inserts') ?? 100_000);
  const batch = 1000;
  const dir = mkdtempSync(join(tmpdir(), 'strata-bench-'));
  const manager = openDatabaseManager(dir);
  try {
    manager.create('bench');
    const schema = manager.session('bench', 'schema');
    const tx = schema.transaction('write');
    tx.query(`define
      email sub attribute, value string;
      name sub attribute, value string;
      age sub attribute, value long;
      person sub entity, owns email @key, owns name, owns age;`);
    tx.commit();
    schema.close();
    const data = manager.session('bench', 'data');

    // 1. Insert throughput: entities with 3 attributes each, 1,000 per transaction, one query per entity.
    let start = process.hrtime.bigint();
    for (let i = 0; i < insertEntities; i += batch) {
      const w = data.transaction('write');
      for (let j = i; j < Math.min(i + batch, insertEntities); j++) {
        w.query(`insert $p isa person, has email "p${j}@example.com", has name "Person ${j}", has age ${j % 100};`);
      }
      w.commit();
    }
    let seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const insertRate = insertEntities / seconds;
    const insertRss = rssMiB();

    // 2. Grow to the lookup size, then time matches on the @key attribute.
    start = process.hrtime.bigint();
    for (let i = insertEntities; i < lookupEntities; i += 10_000) {
      const w = data.transaction('write');
      for (let j = i; j < Math.min(i + 10_000, lookupEntities); j++) {
        w.query(`insert $p isa person, has email "p${j}@example.com", has name "Person ${j}", has age ${j % 100};`);
      }
      w.commit();
    }
    const growSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    const latencies: number[] = [];
    const r = data.transaction('read');
    for (let k = 0; k < 2000; k++) {
      const j = Math.floor(Math.random() * lookupEntities);
      const t0 = process.hrtime.bigint();
      const result = r.query(`match $p isa person, has email "p${j}@example.com", has name $n; get $p, $n;`);
      const answers = result.kind === 'get' ? [...result.answers] : [];
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (answers.length !== 1) throw new Error(`key lookup for p${j} returned ${answers.length} answers`);
    }
    r.close();
    data.close();
    seconds = 0;
    const results = {
      insertEntities,
      insertsPerSecond: Math.round(insertRate),
      attributesPerSecond: Math.round(insertRate * 3),
      insertRssMiB: insertRss,
      lookupEntities,
      growSeconds: Number(growSeconds.toFixed(1)),
      keyLookupP50Ms: Number(percentile(latencies, 50).toFixed(3)),
      keyLookupP99Ms: Number(percentile(latencies, 99).toFixed(3)),
      peakRssMiB: rssMiB(),
    };
    console.log(formatTable('engine', results));
    return results;
  } finally {
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
