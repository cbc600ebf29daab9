// Fuzz campaign against the import: seed files (the vectors in ../shared/vectors and random datasets) are damaged
// by byte-, field- and item-level mutations (fuzz-bytes.ts, fuzz-protobuf.ts, fuzz-items.ts) and each mutant is
// imported through the embedded API, into a new database (schema as text or file), an existing empty one, or an
// existing one holding its schema (seed flow), on this thread or in worker threads. An outcome is fine when the
// import succeeded and its database is consistent (it opens, counts what the import reported, exports the same
// counts), or failed with a coded MIG error that says where (byte offset) and left nothing behind. Anything
// else is written to --out as the mutant and a JSON note, to be reduced and turned into a regression test.
//   npm run bench:fuzz-import -- [--mutants=3000] [--seed=1] [--big] [--only=SEED,…] [--kinds=a,b] [--out=/tmp/fuzz-import]
//   npm run bench:fuzz-import -- --replay=FILE.json    (runs one saved mutant again, printing its outcome)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseManager, type DatabaseManager } from '../src/database/index.js';
import { ItemWriter, exportDatabase, readItems, type DataItem, type Item } from '../src/migration/index.js';
import { VARIED_SCHEMA, loadVaried } from '../test/migration/fixtures.js';
import { RANDOM_SCHEMA, randomItems } from '../test/migration/random-dataset.js';
import { vectorsDir } from '../test/support/paths.js';
import { BYTE_MUTATIONS, below, pick, splitRecords, type Random, type RawRecord } from './fuzz-bytes.js';
import { ITEM_MUTATIONS, mutateItems, type ItemMutationContext } from './fuzz-items.js';
import { fieldMutation, fieldSplice, valueKindMutation } from './fuzz-protobuf.js';
import { runImport, type Flow, type Outcome } from './fuzz-outcome.js';
import { benchArguments } from './arguments.js';
import { seededRandom } from './workload.js';

interface Seed {
  readonly name: string;
  readonly bytes: Buffer;
  readonly records: readonly RawRecord[];
  readonly items: readonly Item[];
  readonly schema: string;
  readonly context: ItemMutationContext;
  /** Share of the mutants made from it. */
  readonly weight: number;
  readonly big: boolean;
}

type Mutator = (seed: Seed, random: Random) => Buffer | undefined;

const MUTATORS: Record<string, Mutator> = {
  ...Object.fromEntries(Object.entries(BYTE_MUTATIONS).map(([k, m]) => [k, (s: Seed, r: Random) => m(s.bytes, s.records, r)])),
  field: (s, r) => fieldMutation(s.bytes, s.records, r),
  'field-splice': (s, r) => fieldSplice(s.bytes, s.records, r),
  'value-kind': (s, r) => valueKindMutation(s.bytes, s.records, r),
  ...Object.fromEntries(Object.keys(ITEM_MUTATIONS).map((k) => [`item:${k}`, (s: Seed, r: Random) => mutateItems(s.items, k, r, s.context)])),
};

function args(): Record<string, string> {
  const { options } = benchArguments({
    command: 'npm run bench:fuzz-import',
    summary: 'Fuzzes the import with mutants of the vectors and of random datasets (about 8 mutants a second).',
    options: {
      mutants: { help: 'mutants to import (default 3000)' },
      seed: { help: 'random seed (default 1)' },
      big: { help: 'adds files of 10 and 50 MiB, above the worker and threads thresholds', flag: true },
      only: { help: 'seeds to mutate, comma-separated (see seeds() in bench/fuzz-import.ts)' },
      kinds: { help: 'mutation kinds, comma-separated (default all: bit-flip, field, item:id-dangle, …)' },
      out: { help: "where each bug's mutant and note are saved (default <tmpdir>/fuzz-import)" },
      replay: { help: 'runs one saved note (NOTE.json) again' },
    },
  });
  return Object.fromEntries(options);
}

async function makeSeed(name: string, bytes: Buffer, schema: string, weight: number, big = false): Promise<Seed> {
  const items: Item[] = [];
  for await (const { item } of readItems(bytes, { requireHeaderFirst: false })) items.push(item);
  const labels = { entity: new Set<string>(), relation: new Set<string>(), attribute: new Set<string>(), roles: new Set<string>() };
  for (const item of items) {
    if (item.kind === 'header' || item.kind === 'checksums') continue;
    labels[item.kind].add(item.label);
    if (item.kind === 'relation') for (const r of item.roles) labels.roles.add(r.label);
  }
  const context = { labels: { entity: [...labels.entity], relation: [...labels.relation], attribute: [...labels.attribute], roles: [...labels.roles] } };
  return { name, bytes, records: splitRecords(bytes), items, schema, context, weight, big };
}

async function encodeRandom(dir: string, seed: number, things: number, bioBytes = 0): Promise<Buffer> {
  const path = join(dir, `random-${seed}-${things}.typedb`);
  const writer = await ItemWriter.open(path, { typedbVersion: '2.29.1', originalDatabase: 'fuzz' });
  for (const item of randomItems(seed, things, bioBytes) as DataItem[]) await writer.write(item);
  await writer.finish();
  return readFileSync(path);
}

/** An export of the varied dataset (abstract types, subtypes, @unique, relations in relations, attributes owning and playing). */
async function exportVaried(dir: string): Promise<Buffer> {
  const manager = openDatabaseManager(join(dir, 'varied-data'));
  try {
    loadVaried(manager, 'varied');
    const path = join(dir, 'varied.typedb');
    await exportDatabase(manager.get('varied'), { dataFile: path });
    return readFileSync(path);
  } finally {
    manager.close();
  }
}

/** Attributes owning attributes in chains and cycles, and a relation playing in itself. */
const CHAIN_SCHEMA = `define
a1 sub attribute, value string, owns a2, owns a1, plays r:x;
a2 sub attribute, value string, owns a3, owns a1;
a3 sub attribute, value string, owns a1, owns a3;
e sub entity, owns a1, plays r:x;
r sub relation, relates x, owns a3, plays r:x;
`;

async function encodeChain(dir: string): Promise<Buffer> {
  const string = (value: string) => ({ type: 'string' as const, value });
  const items: DataItem[] = [
    { kind: 'entity', id: 'e1', label: 'e', ownerships: ['x1'] },
    { kind: 'attribute', id: 'x1', label: 'a1', ownerships: ['y1', 'x1', 'x2'], value: string('one') },
    { kind: 'attribute', id: 'x2', label: 'a1', ownerships: ['y1'], value: string('two') },
    { kind: 'attribute', id: 'y1', label: 'a2', ownerships: ['z1', 'x1'], value: string('why') },
    { kind: 'attribute', id: 'z1', label: 'a3', ownerships: ['x1', 'z1', 'z2'], value: string('zed') },
    { kind: 'attribute', id: 'z2', label: 'a3', ownerships: ['x2'], value: string('zed2') },
    { kind: 'attribute', id: 'x1b', label: 'a1', ownerships: ['x1b'], value: string('one') },
    { kind: 'relation', id: 'r1', label: 'r', ownerships: ['z1'], roles: [{ label: 'r:x', players: ['r1', 'x1', 'e1', 'r1'] }] },
  ];
  const path = join(dir, 'chain.typedb');
  const writer = await ItemWriter.open(path, { typedbVersion: '2.29.1', originalDatabase: 'chain' });
  for (const item of items) await writer.write(item);
  await writer.finish();
  return readFileSync(path);
}

async function seeds(dir: string, big: boolean): Promise<Seed[]> {
  const vectorDir = vectorsDir();
  const out = [
    await makeSeed('hand-built', readFileSync(join(vectorDir, 'hand-built/example.typedb')), readFileSync(join(vectorDir, 'hand-built/example.schema.tql'), 'utf8'), 3),
    await makeSeed('random-30', await encodeRandom(dir, 3, 30), RANDOM_SCHEMA, 4),
    await makeSeed('random-300', await encodeRandom(dir, 4, 300), RANDOM_SCHEMA, 2),
    await makeSeed('varied', await exportVaried(dir), VARIED_SCHEMA, 2),
    await makeSeed('chain', await encodeChain(dir), CHAIN_SCHEMA, 1),
    await makeSeed('grakn-2.0', readFileSync(join(vectorDir, 'typedb-2.0.0-migrator/data.grakn')), readFileSync(join(vectorDir, 'typedb-2.0.0-migrator/schema.gql'), 'utf8'), 0.3),
  ];
  if (big) {
    // Above the worker-thread threshold (8 MiB), and above the threads' (48 MiB): few mutants, they take seconds.
    out.push(await makeSeed('random-10MiB', await encodeRandom(dir, 5, 18_000, 1024), RANDOM_SCHEMA, 0.08, true));
    out.push(await makeSeed('random-50MiB', await encodeRandom(dir, 6, 90_000, 1024), RANDOM_SCHEMA, 0.02, true));
  }
  return out;
}

function pickWeighted(random: Random, all: readonly Seed[]): Seed {
  let r = random() * all.reduce((s, x) => s + x.weight, 0);
  for (const s of all) if ((r -= s.weight) < 0) return s;
  return all[all.length - 1]!;
}

const FLOWS: readonly [Flow, number][] = [['new-text', 0.45], ['new-file', 0.15], ['seed', 0.28], ['new-into-empty', 0.12]];

function pickFlow(random: Random): Flow {
  let r = random();
  for (const [flow, share] of FLOWS) if ((r -= share) < 0) return flow;
  return 'new-text';
}

interface Note {
  seed: string; kind: string; flow: Flow; threads: boolean | undefined; memoryBytes: number | undefined; schema: string; outcome: Outcome;
}

async function replay(notePath: string): Promise<void> {
  const note = JSON.parse(readFileSync(notePath, 'utf8')) as Note;
  const dir = mkdtempSync(join(tmpdir(), 'fuzz-replay-'));
  const manager = openDatabaseManager(join(dir, 'data'));
  try {
    const outcome = await runImport(manager, dir, notePath.replace(/\.json$/, '.typedb'), note.schema, note.flow, note.threads, 20_000, note.memoryBytes);
    console.log(JSON.stringify(outcome, null, 2));
  } finally {
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function campaign(a: Record<string, string>): Promise<void> {
  const total = Number(a.mutants ?? 3000);
  const random = seededRandom(Number(a.seed ?? 1));
  const out = a.out ?? join(tmpdir(), 'fuzz-import');
  mkdirSync(out, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'fuzz-import-'));
  const all = (await seeds(dir, a.big === 'true' || a.only !== undefined)).filter((s) => a.only === undefined || a.only.split(',').includes(s.name));
  if (all.length === 0) throw new Error(`No seed is named '${a.only}': see seeds() in bench/fuzz-import.ts.`);
  const kinds = a.kinds !== undefined ? a.kinds.split(',') : Object.keys(MUTATORS);
  const manager = openDatabaseManager(join(dir, 'data'));
  const tally = new Map<string, Map<string, number>>();
  const bugs = new Map<string, number>();
  const samples = new Map<string, string>();
  /** Longest import per seed, in ms. */
  const slowest = new Map<string, number>();
  const started = performance.now();
  try {
    for (let n = 0; n < total; n++) {
      const kind = kinds[n % kinds.length]!;
      const seed = pickWeighted(random, all);
      const bytes = MUTATORS[kind]!(seed, random);
      const counts = tally.get(kind) ?? new Map<string, number>();
      tally.set(kind, counts);
      if (bytes === undefined) {
        counts.set('not encodable', (counts.get('not encodable') ?? 0) + 1);
        continue;
      }
      const file = join(dir, 'mutant.typedb');
      writeFileSync(file, bytes);
      const flow = pickFlow(random);
      const threads = seed.big ? undefined : pick(random, [undefined, undefined, undefined, true, false]);
      // A large file's sorters also spill to disk when given little memory.
      const memoryBytes = seed.big && random() < 0.5 ? 8 << 20 : undefined;
      const outcome = await runImport(manager, dir, file, seed.schema, flow, threads, seed.big ? 300_000 : 20_000, memoryBytes);
      slowest.set(seed.name, Math.max(slowest.get(seed.name) ?? 0, outcome.milliseconds));
      const label = outcome.bug !== undefined ? `BUG ${outcome.bug}` : outcome.code;
      counts.set(label, (counts.get(label) ?? 0) + 1);
      if (!samples.has(outcome.code) && outcome.message !== undefined) samples.set(outcome.code, outcome.message.slice(0, 400));
      if (outcome.bug !== undefined) {
        const key = `${outcome.bug}: ${outcome.signature}`;
        const seen = bugs.get(key) ?? 0;
        bugs.set(key, seen + 1);
        if (seen < 3) {
          const base = join(out, `${n}-${kind.replace(':', '-')}-${seed.name}`);
          writeFileSync(`${base}.typedb`, bytes);
          writeFileSync(`${base}.json`, JSON.stringify({ seed: seed.name, kind, flow, threads, memoryBytes, schema: seed.schema, outcome } satisfies Note, null, 2));
          console.log(`#${n} ${kind} ${seed.name} ${flow} threads=${threads}: BUG ${key}\n   ${outcome.message?.slice(0, 300)}\n   saved ${base}.typedb`);
        }
      }
      if ((n + 1) % 250 === 0) console.log(`… ${n + 1} mutants, ${((performance.now() - started) / 1000).toFixed(0)} s, ${bugs.size} distinct bugs`);
    }
  } finally {
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('\nOutcomes per mutation kind:');
  for (const [kind, counts] of tally) {
    const n = [...counts.values()].reduce((s, x) => s + x, 0);
    console.log(`  ${kind.padEnd(28)} ${String(n).padStart(5)}  ${[...counts].sort((x, y) => y[1] - x[1]).map(([c, k]) => `${c} ${k}`).join(', ')}`);
  }
  console.log('\nA message per outcome:');
  for (const [code, message] of [...samples].sort()) console.log(`  ${code}: ${message}`);
  console.log(`\nLongest import per seed: ${[...slowest].map(([name, ms]) => `${name} ${Math.round(ms)} ms`).join(', ')}`);
  console.log(`\nDistinct bugs: ${bugs.size}`);
  for (const [key, count] of bugs) console.log(`  ${count} × ${key}`);
  console.log(`${total} mutants in ${((performance.now() - started) / 1000).toFixed(0)} s; bugs saved under ${out}`);
  if (bugs.size > 0) process.exitCode = 1;
}

const a = args();
if (a.replay !== undefined) await replay(a.replay);
else await campaign(a);
