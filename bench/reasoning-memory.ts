// Memory per inferred fact: materialises each workload in a read transaction and divides the heap it keeps (V8 heap
// plus Buffers' external memory, after a full GC) by the facts the rules inferred (counted as answers with `infer`
// minus answers without it). Workloads: the IAM model and tree closure of reasoning-workloads.ts, a chain closure,
// a relation-heavy rule (colleagues: every pair of members of a group) and an ownership-heavy one (each person gets
// a derived attribute of its own value). Needs `--expose-gc`:
//   node --expose-gc dist/bench/reasoning-memory.js [--only=iam,tree,…] [--iam-users=N] [--tree-nodes=N] [--chain=N]
//     [--groups=N] [--group-size=N] [--persons=N] [--snapshot=DIR]
// With --snapshot=DIR, heap snapshots are written before and after each workload's materialisation (compare them
// with bench/heap-summary.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { openDatabaseManager } from '../src/database/index.js';
import type { DatabaseManagerApi, Session } from '../src/database/index.js';
import { formatTable } from './report.js';
import { load } from './workload.js';
import { benchArguments } from './arguments.js';
import { LINK_SCHEMA, define, loadIam, loadTree, type LoadedWorkload } from './reasoning-workloads.js';

type Loaded = LoadedWorkload;

interface Workload {
  readonly name: string;
  /** Loads the data; returns the query that materialises and the count queries of every inferred fact kind. */
  readonly setUp: (manager: DatabaseManagerApi) => Loaded;
}

function chain(links: number): Workload['setUp'] {
  return (manager) => {
    manager.create('chain');
    define(manager, 'chain', LINK_SCHEMA);
    const data = manager.session('chain', 'data');
    load(data, links + 1, 1000, (i) => `insert $n isa node, has idx ${i};`);
    load(data, links, 1000, (i) => `match $a isa node, has idx ${i}; $b isa node, has idx ${i + 1}; insert (from: $a, to: $b) isa link;`);
    data.close();
    return { db: 'chain', query: 'match $r isa reach; get; count;', counts: ['match $r isa reach; get; count;'] };
  };
}

/** `groups` groups of `size` members; every two members of a group are colleagues: groups × size(size−1)/2 relations. */
function colleagues(groups: number, size: number): Workload['setUp'] {
  return (manager) => {
    manager.create('colleagues');
    define(manager, 'colleagues', `define
      idx sub attribute, value long;
      person sub entity, owns idx, plays membership:member, plays colleagueship:colleague;
      team sub entity, owns idx, plays membership:team;
      membership sub relation, relates team, relates member;
      colleagueship sub relation, relates colleague;
      rule colleagues: when { (team: $g, member: $x) isa membership; (team: $g, member: $y) isa membership; not { $x is $y; }; }
        then { (colleague: $x, colleague: $y) isa colleagueship; };`);
    const data = manager.session('colleagues', 'data');
    load(data, groups, 1000, (i) => `insert $g isa team, has idx ${i};`);
    load(data, groups * size, 1000, (i) => `match $g isa team, has idx ${i % groups}; insert $p isa person, has idx ${i}; (team: $g, member: $p) isa membership;`);
    data.close();
    return { db: 'colleagues', query: 'match $r isa colleagueship; get; count;', counts: ['match $r isa colleagueship; get; count;'] };
  };
}

/** Each of `persons` persons gets a code of its own (a new attribute and a new ownership each), and a shared tag. */
function ownerships(persons: number): Workload['setUp'] {
  return (manager) => {
    manager.create('owners');
    define(manager, 'owners', `define
      idx sub attribute, value long;
      code sub attribute, value long;
      tag sub attribute, value string;
      person sub entity, owns idx, owns code, owns tag;
      rule coded: when { $p isa person, has idx $i; ?c = $i + 1000000; } then { $p has code ?c; };
      rule tagged: when { $p isa person, has code $c; $c > 1000000; } then { $p has tag "coded"; };`);
    const data = manager.session('owners', 'data');
    load(data, persons, 2000, (i) => `insert $p isa person, has idx ${i};`);
    data.close();
    return {
      db: 'owners',
      query: 'match $p has tag $t; get; count;',
      counts: ['match $c isa code; get; count;', 'match $p has code $c; get; count;', 'match $t isa tag; get; count;', 'match $p has tag $t; get; count;'],
    };
  };
}

function count(data: Session, infer: boolean, query: string): number {
  const tx = data.transaction('read', { infer });
  try {
    const r = tx.query(query);
    return r.kind === 'aggregate' ? Number(r.value?.value ?? 0) : NaN;
  } finally {
    tx.close();
  }
}

function heldBytes(): number {
  globalThis.gc!();
  globalThis.gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Resident memory now and its peak since the last reset, in bytes (Linux: /proc/self/status). */
function residentBytes(): { now: number; peak: number } {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { now: kib('VmRSS'), peak: kib('VmHWM') };
}

/** Starts a new peak of resident memory (Linux: writing 5 to clear_refs resets VmHWM). */
function resetPeak(): void {
  writeFileSync('/proc/self/clear_refs', '5');
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function measure(manager: DatabaseManagerApi, w: Loaded, snapshotDir?: string) {
  const data = manager.session(w.db, 'data');
  let facts = 0;
  for (const q of w.counts) facts += count(data, true, q) - count(data, false, q);
  const tx = data.transaction('read', { infer: true });
  const before = heldBytes();
  if (snapshotDir) writeHeapSnapshot(join(snapshotDir, `${w.db}-before.heapsnapshot`));
  const rssBefore = residentBytes().now;
  resetPeak();
  const c0 = cpuMs();
  tx.query(w.query);
  const cpu = cpuMs() - c0;
  const peak = residentBytes().peak - rssBefore;
  const after = heldBytes();
  if (snapshotDir) writeHeapSnapshot(join(snapshotDir, `${w.db}-after.heapsnapshot`));
  tx.close();
  data.close();
  return { facts, bytesPerFact: Math.round((after - before) / facts), heldMiB: Math.round((after - before) / 2 ** 20),
    peakRssBytesPerFact: Math.round(peak / facts), cpuMs: Math.round(cpu) };
}

async function main(): Promise<void> {
  if (globalThis.gc === undefined) throw new Error('Run with node --expose-gc.');
  const { options: args } = benchArguments({
    command: 'npm run bench:reasoning-memory',
    summary: 'Heap kept per inferred fact: each workload is loaded, then materialised in a read transaction.',
    options: {
      only: { help: 'workloads to run, comma-separated (default iam,tree,chain,colleagues,owners)' },
      'iam-users': { help: 'users of the IAM permission model (default 200)' },
      'tree-nodes': { help: "nodes of the tree whose closure is inferred (default 3000)" },
      chain: { help: 'links of the chain whose closure is inferred (default 300)' },
      groups: { help: 'colleague groups (default 200)' },
      'group-size': { help: 'members per colleague group (default 40)' },
      persons: { help: 'persons given a code and a tag by rules (default 60000)' },
      snapshot: { help: 'a directory for heap snapshots before and after each materialisation' },
    },
  });
  const num = (key: string, fallback: number) => Number(args.get(key) ?? fallback);
  const workloads: Workload[] = [
    { name: 'iam', setUp: (m) => loadIam(m, num('iam-users', 200)) },
    { name: 'tree', setUp: (m) => loadTree(m, num('tree-nodes', 3000)) },
    { name: 'chain', setUp: chain(num('chain', 300)) },
    { name: 'colleagues', setUp: colleagues(num('groups', 200), num('group-size', 40)) },
    { name: 'owners', setUp: ownerships(num('persons', 60_000)) },
  ];
  const only = args.get('only')?.split(',');
  const results: Record<string, unknown> = {};
  for (const w of workloads) {
    if (only && !only.includes(w.name)) continue;
    const dir = mkdtempSync(join(tmpdir(), 'strata-bench-rm-'));
    const manager = openDatabaseManager(dir);
    try {
      const r = measure(manager, w.setUp(manager), args.get('snapshot'));
      for (const [k, v] of Object.entries(r)) results[`${w.name}.${k}`] = v;
      console.log(formatTable(w.name, r));
    } finally {
      manager.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(JSON.stringify(results));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
