// What a heap grew by between two V8 heap snapshots, by kind of object: bytes and counts of objects per node type
// and constructor (strings and arrays grouped by type). Finds where memory goes, e.g. per inferred fact:
//   node dist/bench/heap-summary.js before.heapsnapshot after.heapsnapshot [facts]
import { readFileSync } from 'node:fs';
import { benchArguments, benchUsage, type BenchCommand } from './arguments.js';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Bytes and object counts by "type:name" (names only for objects, closures and native objects). */
function summarise(path: string): Map<string, { bytes: number; count: number }> {
  const snap = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const out = new Map<string, { bytes: number; count: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt!]!]!;
    const named = type === 'object' || type === 'native' || type === 'closure' || type === 'hidden';
    const key = named ? `${type}:${snap.strings[snap.nodes[i + nameAt!]!]!.slice(0, 60)}` : type;
    const entry = out.get(key) ?? { bytes: 0, count: 0 };
    entry.bytes += snap.nodes[i + sizeAt!]!;
    entry.count++;
    out.set(key, entry);
  }
  return out;
}

const COMMAND: BenchCommand = {
  command: 'node dist/bench/heap-summary.js',
  summary: 'What a heap grew by between two V8 heap snapshots (BEFORE, AFTER), by kind of object; per FACTS if given.',
  options: {},
  positional: ['BEFORE', 'AFTER', 'FACTS'],
};
const [beforePath, afterPath, factsArg] = benchArguments(COMMAND).positional;
if (!beforePath || !afterPath) {
  process.stderr.write(`Give the two snapshots.\n${benchUsage(COMMAND)}`);
  process.exit(1);
}
const before = summarise(beforePath);
const after = summarise(afterPath);
const facts = Number(factsArg ?? 1);
const rows = [...after].map(([key, a]) => {
  const b = before.get(key) ?? { bytes: 0, count: 0 };
  return { key, bytes: a.bytes - b.bytes, count: a.count - b.count };
});
rows.sort((x, y) => y.bytes - x.bytes);
const total = rows.reduce((sum, r) => sum + r.bytes, 0);
console.log(`grown ${(total / 2 ** 20).toFixed(1)} MiB, ${(total / facts).toFixed(0)} bytes per fact`);
for (const r of rows.slice(0, 30)) {
  console.log(`${(r.bytes / facts).toFixed(1).padStart(8)} B/fact ${(r.count / facts).toFixed(2).padStart(7)} objs/fact  ${r.key}`);
}
