// Model-based check of the import on random files (random-dataset.ts). Each file is imported in every mode (one
// thread, threads, a memory budget so small that every sorter spills; a large file also read in two halves),
// exported again, and what the export holds is compared, thing by thing, with what the file said. The other
// import tests compare modes with each other; this one compares each with the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Value } from '../../src/common/values.js';
import { openDatabaseManager, type DatabaseManager } from '../../src/database/index.js';
import { exportDatabase, importDatabase, readItems, type DataItem, type ImportOptions } from '../../src/migration/index.js';
import { countAnswers, tempDir, writeItems } from './fixtures.js';
import { RANDOM_SCHEMA, randomItems } from './random-dataset.js';

/**
 * What items say, free of their IDs: each attribute named by its type and value, each entity and relation by its
 * type and uid; per thing, the set of attributes it owns and, per relation, its players as a sorted multiset.
 * Equal models mean the same data; the counts are what the import should store. Also, for the reverse direction,
 * the owners of each attribute and the relations of each player, and a TypeQL pattern that finds a thing ($t).
 */
function model(items: readonly DataItem[]) {
  const valueText = (v: Value) => `${v.type}:${String(v.value)}`;
  const names = new Map<string, string>();
  const patterns = new Map<string, string>();
  for (const item of items) {
    if (item.kind !== 'attribute') continue;
    const name = `${item.label}=${valueText(item.value)}`;
    names.set(item.id, name);
    // Strings and longs only: their literals are written exactly.
    const v = item.value;
    if (v.type === 'string' || v.type === 'long') patterns.set(name, `$t ${v.type === 'string' ? JSON.stringify(v.value) : v.value} isa ${item.label};`);
  }
  for (const item of items) {
    if (item.kind === 'attribute') continue;
    const uid = item.ownerships.map((id) => names.get(id)).find((name) => name?.startsWith('uid='));
    assert.ok(uid !== undefined, `${item.kind} ${item.id} owns a uid`);
    const name = `${item.label}#${uid}`;
    names.set(item.id, name);
    patterns.set(name, `$t isa ${item.label}, has uid ${uid.slice('uid=long:'.length)};`);
  }
  const name = (id: string) => names.get(id) ?? assert.fail(`no item has the ID ${id}`);
  const owns = new Map<string, Set<string>>();
  const owners = new Map<string, Set<string>>();
  const players = new Map<string, string[]>();
  const relationsOf = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, key: string, value: string) => {
    const set = m.get(key) ?? new Set<string>();
    m.set(key, set);
    set.add(value);
  };
  const kinds = { entity: new Set<string>(), relation: new Set<string>(), attribute: new Set<string>() };
  for (const item of items) {
    const self = name(item.id);
    kinds[item.kind].add(self);
    const owned = owns.get(self) ?? new Set<string>();
    owns.set(self, owned);
    for (const id of item.ownerships) {
      owned.add(name(id));
      add(owners, name(id), self);
    }
    if (item.kind === 'relation') {
      players.set(self, item.roles.flatMap((role) => role.players.map((id) => `${role.label}->${name(id)}`)).sort());
      for (const role of item.roles) for (const id of role.players) add(relationsOf, name(id), self);
    }
  }
  const sorted = (m: Map<string, Set<string>>) => [...m].filter(([, s]) => s.size > 0).map(([k, s]) => `${k}: ${[...s].sort().join(', ')}`).sort();
  return {
    things: { entities: [...kinds.entity].sort(), relations: [...kinds.relation].sort(), attributes: [...kinds.attribute].sort() },
    ownerships: sorted(owns),
    players: [...players].map(([k, p]) => `${k}: ${p.join(', ')}`).sort(),
    owners,
    relationsOf,
    patterns,
    counts: {
      entities: kinds.entity.size,
      relations: kinds.relation.size,
      attributes: kinds.attribute.size,
      ownerships: [...owns.values()].reduce((n, s) => n + s.size, 0),
      roles: [...players.values()].reduce((n, p) => n + p.length, 0),
    },
  };
}

async function itemsOf(file: string): Promise<DataItem[]> {
  const items: DataItem[] = [];
  for await (const { item } of readItems(file)) if (item.kind === 'entity' || item.kind === 'relation' || item.kind === 'attribute') items.push(item);
  return items;
}

type Model = ReturnType<typeof model>;

/**
 * Queries that start from one thing and find its owners or its relations, which the engine answers from the
 * reverse edges (the export reads only the forward ones), for a sample of things: counts, against the model's.
 */
function reverseCounts(manager: DatabaseManager, database: string, expected: Model, sample = 40) {
  const owned = [...expected.owners.keys()].filter((name) => expected.patterns.has(name)).sort();
  const playing = [...expected.relationsOf.keys()].filter((name) => expected.patterns.has(name)).sort();
  const every = <T>(xs: T[]) => xs.filter((_, i) => i % Math.max(1, Math.floor(xs.length / sample)) === 0);
  const queries = new Map<string, number>();
  for (const name of every(owned)) queries.set(`match ${expected.patterns.get(name)} $x has $t; get $x; count;`, expected.owners.get(name)!.size);
  for (const name of every(playing)) queries.set(`match ${expected.patterns.get(name)} $r ($t) isa relation; get $r; count;`, expected.relationsOf.get(name)!.size);
  const actual = countAnswers(manager, database, [...queries.keys()]);
  return { actual: Object.fromEntries(Object.entries(actual).map(([q, n]) => [q, Number(n)])), expected: Object.fromEntries(queries) };
}

type Mode = Pick<ImportOptions, 'threads' | 'memoryBytes'>;

const MODES: Record<string, Mode> = {
  'one thread': { threads: false },
  threads: { threads: true },
  'one thread, every sorter spilled': { threads: false, memoryBytes: 1 << 20 },
  'threads, every sorter spilled': { threads: true, memoryBytes: 1 << 20 },
};

/** Imports the file in each mode and checks that the database holds exactly what the file said; returns the file's size. */
async function checkImports(seed: number, things: number, modes: Record<string, Mode>, bioBytes = 0): Promise<number> {
  const dir = tempDir();
  const file = join(dir, 'random.typedb');
  const items = randomItems(seed, things, bioBytes);
  await writeItems(file, items);
  const expected = model(items);
  const manager = openDatabaseManager(join(dir, 'data'));
  try {
    let n = 0;
    for (const [mode, options] of Object.entries(modes)) {
      const name = `db${n++}`;
      const context = `seed ${seed}, ${things} things, ${mode}`;
      const result = await importDatabase(manager, name, { dataFile: file, schemaText: RANDOM_SCHEMA, ...options });
      const { roleEdges: _, keys: __, ...stored } = result.stored;
      assert.deepEqual(stored, expected.counts, `${context}: stored counts`);
      const exported = join(dir, `${name}.typedb`);
      await exportDatabase(manager.get(name), { dataFile: exported });
      const actual = model(await itemsOf(exported));
      assert.deepEqual(actual.things, expected.things, `${context}: things`);
      assert.deepEqual(actual.ownerships, expected.ownerships, `${context}: ownerships`);
      assert.deepEqual(actual.players, expected.players, `${context}: role players`);
      const reverse = reverseCounts(manager, name, expected);
      assert.deepEqual(reverse.actual, reverse.expected, `${context}: owners and relations found from an attribute or a player`);
      manager.delete(name);
    }
  } finally {
    manager.close();
  }
  return statSync(file).size;
}

test('random files import as they say, in every mode: merged values, repeated ownerships and players, relations in relations', async () => {
  for (const [seed, things] of [[1, 40], [2, 300], [3, 3000], [4, 8000]] as const) await checkImports(seed, things, MODES);
});

test('a large random file read in two halves imports as it says', async () => {
  const bytes = await checkImports(5, 35_000, { 'two halves': { threads: true } }, 1024);
  assert.ok(bytes >= 16 << 20, `the file (${bytes} bytes) is large enough to be read in two halves`);
});
