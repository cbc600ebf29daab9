// A random .typedb dataset for the import's randomized tests (seeded, so that a failure reproduces): items in any
// order, so references point forwards and backwards; relations in relations, cycles included; repeated players;
// attributes owning attributes and playing roles; equal values under different IDs; repeated ownerships.
import { seededRandom } from '../../bench/workload.js';
import type { Value } from '../../src/common/values.js';
import type { DataItem } from '../../src/migration/index.js';

export const RANDOM_SCHEMA = `define
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
export function randomItems(seed: number, things: number, bioBytes = 0): DataItem[] {
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
