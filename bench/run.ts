// `npm run bench [-- NAME …] [--key=value …]`: runs the named benchmarks (all by default), prints each table and
// writes reports/bench.json. Benchmarks never run inside `npm test`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchEngine } from './engine.js';
import { benchQueries } from './queries.js';
import { benchReasoning } from './reasoning.js';
import { benchDriver } from './driver.js';
import { benchCodec } from './codec.js';
import { benchMigration } from './migration.js';
import { benchScans } from './scans.js';
import { benchWrites } from './writes.js';

type Bench = (args: Map<string, string>) => Promise<Record<string, unknown>>;
const BENCHES: Record<string, Bench> = { engine: benchEngine, queries: benchQueries, reasoning: benchReasoning, driver: benchDriver, codec: benchCodec, migration: benchMigration, scans: benchScans, writes: benchWrites };

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = new Map<string, string>();
  const names: string[] = [];
  for (const a of argv) {
    const m = /^--([^=]+)=(.*)$/.exec(a);
    if (m) args.set(m[1]!, m[2]!);
    else names.push(a);
  }
  for (const n of names) {
    if (!BENCHES[n]) {
      console.error(`Unknown benchmark '${n}'. Available: ${Object.keys(BENCHES).join(', ')}.`);
      process.exit(1);
    }
  }
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };
  for (const name of names.length > 0 ? names : Object.keys(BENCHES)) results[name] = await BENCHES[name]!(args);
  mkdirSync('reports', { recursive: true });
  writeFileSync('reports/bench.json', JSON.stringify(results, null, 2) + '\n');
  console.log('wrote reports/bench.json');
  // typedb-driver@2.29.7 keeps timers and its gRPC channel alive after close: end explicitly.
  process.exit(0);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
