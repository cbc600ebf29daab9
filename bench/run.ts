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
import { MIGRATION_OPTIONS } from './migration.js';
import { benchArguments, type BenchOption } from './arguments.js';

type Bench = (args: Map<string, string>) => Promise<Record<string, unknown>>;
const BENCHES: Record<string, Bench> = { engine: benchEngine, queries: benchQueries, reasoning: benchReasoning, driver: benchDriver, codec: benchCodec, migration: benchMigration, scans: benchScans, writes: benchWrites };

/** Every option a benchmark reads; one given applies to each benchmark that reads it. */
const OPTIONS: Record<string, BenchOption> = {
  entities: { help: 'engine: entities looked up (default 1000000)' },
  inserts: { help: 'engine: entities inserted (default 100000)' },
  people: { help: 'queries: persons (default 20000); reasoning: persons (default 5000)' },
  scores: { help: 'queries: scores (default 1000000)' },
  fetch: { help: 'queries: fetch answers (default 10000)' },
  repeats: { help: 'reasoning: repeats (default 3); scans: runs (default 5)' },
  chain: { help: 'reasoning: links of a transitive closure (default 300)' },
  cycle: { help: 'reasoning: nodes linked in a cycle (default 60)' },
  'iam-users': { help: 'reasoning: users of an IAM-style permission model (default 100)' },
  'tree-nodes': { help: 'reasoning: nodes of a tree whose closure is materialised (default 3000)' },
  lookups: { help: 'driver: lookups (default 1000)' },
  'driver-inserts': { help: 'driver: inserts (default 8000)' },
  items: { help: 'codec: items (default 1000000)' },
  things: { help: 'scans: things of the social dataset (default 1000000)' },
  'write-prefill': { help: 'writes: persons loaded first (default 100000)' },
  'write-batch': { help: 'writes: queries per transaction (default 500)' },
  'write-inserts': { help: 'writes: person inserts (default 4000)' },
  'write-friendships': { help: 'writes: match-insert friendships (default 4000)' },
  'write-clients': { help: 'writes: concurrent driver clients, comma-separated (default 1,4)' },
  'write-modes': { help: 'writes: embedded,driver (default both)' },
  'server-cpu-prof': { help: "writes: a directory for the server's CPU profile" },
  ...Object.fromEntries(Object.entries(MIGRATION_OPTIONS).map(([name, o]) => [name, { ...o, help: `migration: ${o.help}` }])),
  dir: { help: 'codec, scans, migration: where the data is built (default the temporary directory)' },
  seed: { help: 'migration: random seed of the dataset (default 1)' },
};

async function main(): Promise<void> {
  const { options: args, positional: names } = benchArguments({
    command: 'npm run bench',
    summary: `Benchmarks, all eight without a NAME: ${Object.keys(BENCHES).join(', ')}. Writes reports/bench.json.`,
    options: OPTIONS,
    positional: ['NAME'],
    positionalList: true,
  });
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
