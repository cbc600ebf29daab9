// Model-based check of the import on random files (seeded, so that a failure reproduces): items in any order, so
// references point forwards and backwards; relations in relations, cycles included; repeated players; attributes
// owning attributes and playing roles; equal values under different IDs and repeated ownerships. Each file is
// imported in every mode (one thread, threads, a memory budget so small that every sorter spills; a large file
// also read in two halves), exported again, and what the export holds is compared, thing by thing, with what
// the file said. The other import tests compare modes with each other; this one compares each with the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../bench/workload.js';
import type { Value } from '../../src/common/values.js';
import { openDatabaseManager, type DatabaseManager } from '../../src/database/index.js';
import { exportDatabase, importDatabase, readItems, type DataItem, type ImportOptions } from '../../src/migration/index.js';
import { countAnswers, tempDir, writeItems } from './fixtures.js';

const SCHEMA = `define
uid sub attribute, value long;
name sub attribute, value string, owns tag;
tag sub attribute, value string, plays link:end;
age sub attribute, value long;
score sub attribute, value double;
active sub attribute, value boolean;
born sub attribute, value datetime;
bio sub attribute, value string;
person sub entity, owns uid @key, owns name, owns age, owns score, owns active, owns born, owns bio,
  plays friendship:friend, plays membership:member, plays link:end;
org sub entity, owns uid @key, owns name, plays membership:group, plays link:end;
friendship sub relation, owns uid @key, owns born, relates friend, plays link:end;
membership sub relation, owns uid @key, relates member, relates group, plays link:end;
link sub relation, owns uid @key, relates end, plays link:end;
`;

type AttributeLabel = 'name' | 'tag' | 'age' | 'score' | 'active' | 'born';

/** Which attributes each type may own, besides its uid. */
const OWNS: Record<string, readonly AttributeLabel[]> = {
  person: ['name', 'age', 'score', 'active', 'born'],
  org: ['name'],
  friendship: ['born'],
  membership: [],
  link: [],
  name: ['tag'],
};

/** A random file's items: `things` entities and relations, with their attributes, shuffled. */
function randomItems(seed: number, things: number, bioBytes = 0): DataItem[] {
  const random = seededRandom(seed);
  const below = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]): T => xs[below(xs.length)]!;
  const items: DataItem[] = [];
  // IDs of many lengths, so that hashing and comparing them sees short and long ones; unique by their counter,
  // which follows the last '~'.
  let idCount = 0;
  const newId = (): string => {
    const length = below(20);
    const codes: number[] = [];
    for (let i = 0; i < length; i++) codes.push(33 + below(93)); // '!' to '}', never '~'
    return `${String.fromCharCode(...codes)}~${(idCount++).toString(36)}`;
  };
  // Small pools of values, so that many items share a value; some values get more than one attribute item.
  const pools: Record<AttributeLabel, () => Value> = {
    name: () => ({ type: 'string', value: `name-${below(Math.max(4, things / 4))}${'é'.repeat(below(3))}` }),
    tag: () => ({ type: 'string', value: `tag-${below(6)}` }),
    age: () => ({ type: 'long', value: BigInt(below(200) - 50) * (random() < 0.05 ? 10n ** 15n : 1n) }),
    score: () => ({ type: 'double', value: (below(100) - 50) / 8 }),
    active: () => ({ type: 'boolean', value: random() < 0.5 }),
    born: () => ({ type: 'datetime', value: (below(1000) - 300) * 86_400_000 }),
  };
  const attributeIds = new Map<AttributeLabel, string[]>();
  const attribute = (label: AttributeLabel): string => {
    const ids = attributeIds.get(label) ?? [];
    attributeIds.set(label, ids);
    if (ids.length > 0 && random() < 0.6) return pick(ids);
    const id = newId();
    ids.push(id);
    const value = pools[label]();
    const ownerships = label === 'name' ? ownershipsOf('name') : [];
    items.push({ kind: 'attribute', id, label, ownerships, value });
    // Another item of the same value: the import merges the two into one attribute.
    if (random() < 0.15) {
      const twin = newId();
      ids.push(twin);
      items.push({ kind: 'attribute', id: twin, label, ownerships: label === 'name' ? ownershipsOf('name') : [], value });
    }
    return id;
  };
  function ownershipsOf(label: string): string[] {
    const allowed = OWNS[label]!;
    const out: string[] = [];
    const count = allowed.length === 0 ? 0 : below(4);
    for (let i = 0; i < count; i++) out.push(attribute(pick(allowed)));
    if (out.length > 0 && random() < 0.1) out.push(pick(out)); // the same ownership listed twice
    return out;
  }
  // A long text of its own per person, when asked for: large files without many more things.
  const bioOf = (label: string): string[] => {
    if (bioBytes === 0 || label !== 'person') return [];
    const id = newId();
    const text = Array.from({ length: bioBytes / 8 }, () => below(1e8).toString(36).padStart(8, '-')).join('');
    items.push({ kind: 'attribute', id, label: 'bio', ownerships: [], value: { type: 'string', value: text } });
    return [id];
  };
  let uid = 0;
  const uidOf = () => {
    const id = newId();
    items.push({ kind: 'attribute', id, label: 'uid', ownerships: [], value: { type: 'long', value: BigInt(uid++) } });
    return id;
  };
  const persons: string[] = [];
  const orgs: string[] = [];
  const relations = { friendship: [] as string[], membership: [] as string[], link: [] as string[] };
  // IDs first, so that relations can name relations made after them (and links can form cycles).
  const entityCount = Math.ceil(things / 2);
  for (let i = 0; i < entityCount; i++) (random() < 0.85 ? persons : orgs).push(newId());
  if (persons.length === 0) persons.push(newId());
  if (orgs.length === 0) orgs.push(newId());
  for (let i = entityCount; i < things; i++) relations[pick(['friendship', 'membership', 'link'] as const)].push(newId());
  const objects = [...persons, ...orgs, ...relations.friendship, ...relations.membership, ...relations.link];
  for (const [label, ids] of [['person', persons], ['org', orgs]] as const) {
    for (const id of ids) items.push({ kind: 'entity', id, label, ownerships: [uidOf(), ...ownershipsOf(label), ...bioOf(label)] });
  }
  const some = (from: readonly string[], min: number) => Array.from({ length: min + below(3) }, () => pick(from));
  for (const id of relations.friendship) {
    items.push({ kind: 'relation', id, label: 'friendship', ownerships: [uidOf(), ...ownershipsOf('friendship')], roles: [{ label: 'friendship:friend', players: some(persons, 1) }] });
  }
  for (const id of relations.membership) {
    const roles = [{ label: 'membership:member', players: some(persons, 1) }];
    if (random() < 0.7) roles.push({ label: 'membership:group', players: some(orgs, 1).slice(0, 1) });
    items.push({ kind: 'relation', id, label: 'membership', ownerships: [uidOf()], roles });
  }
  for (const id of relations.link) {
    const ends = some(objects, 1);
    if (random() < 0.2) ends.push(attribute('tag'));
    items.push({ kind: 'relation', id, label: 'link', ownerships: [uidOf()], roles: [{ label: 'link:end', players: ends }] });
  }
  for (let i = items.length - 1; i > 0; i--) {
    const j = below(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

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
      const result = await importDatabase(manager, name, { dataFile: file, schemaText: SCHEMA, ...options });
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
