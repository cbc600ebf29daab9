// Item-level mutations of a .typedb file for the import fuzzer: the file's items are decoded, changed as a
// damaged or mismatched export would have them (IDs that collide or dangle, unknown types and roles, values of
// the wrong type, missing keys, extreme values, text that is not UTF-8…) and encoded again, usually with
// checksums recounted so that the damage gets past the checksum check to the import's own checks.
import type { Value } from '../src/common/values.js';
import { ChecksumCounter, ItemEncoder, type DataItem, type Item } from '../src/migration/codec/index.js';
import { below, pick, type Random } from './fuzz-bytes.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? E[] : T[K] };
type AnyData = Mutable<DataItem> & { roles?: { label: string; players: string[] }[]; value?: Value };

/** Stands for bytes that are not UTF-8 until the file is encoded; the same length as NOT_UTF8. */
const NOT_UTF8_MARK = '\u0001\u0002\u0003\u0004';
const NOT_UTF8 = Buffer.from([0xc0, 0x80, 0xed, 0xa0]);

export interface ItemMutationContext {
  /** Labels the schema defines, by kind, and the role labels of its relation types. */
  readonly labels: { readonly entity: string[]; readonly relation: string[]; readonly attribute: string[]; readonly roles: string[] };
}

type ItemMutation = (items: Item[], data: AnyData[], random: Random, context: ItemMutationContext) => void;

const withRoles = (data: AnyData[]) => data.filter((d) => d.kind === 'relation' && d.roles!.length > 0);
const withOwnerships = (data: AnyData[]) => data.filter((d) => d.ownerships.length > 0);
const ofKind = (data: AnyData[], kind: DataItem['kind']) => data.filter((d) => d.kind === kind);

function someReference(data: AnyData[], random: Random): { list: string[]; index: number } | undefined {
  const lists: string[][] = [];
  for (const d of data) {
    if (d.ownerships.length > 0) lists.push(d.ownerships);
    for (const r of d.roles ?? []) if (r.players.length > 0) lists.push(r.players);
  }
  if (lists.length === 0) return undefined;
  const list = pick(random, lists);
  return { list, index: below(random, list.length) };
}

const WRONG_VALUES: Value[] = [
  { type: 'long', value: 7n },
  { type: 'long', value: -(2n ** 63n) },
  { type: 'long', value: 2n ** 63n - 1n },
  { type: 'double', value: NaN },
  { type: 'double', value: -0 },
  { type: 'double', value: Infinity },
  { type: 'string', value: '' },
  { type: 'string', value: 'x'.repeat(70_000) },
  { type: 'string', value: `a${NOT_UTF8_MARK}b` },
  { type: 'boolean', value: true },
  { type: 'datetime', value: 8.64e15 },
  { type: 'datetime', value: -8.64e15 },
  { type: 'datetime', value: 0 },
];

const ODD_TEXT = ['', ' ', 'x'.repeat(100_000), NOT_UTF8_MARK, 'person\u0000', 'Person', 'thing', 'entity', 'relation', 'attribute', 'é☃𝄞', ':', 'a:b:c'];

export const ITEM_MUTATIONS: Record<string, ItemMutation> = {
  'id-collide': (_i, data, random) => {
    if (data.length < 2) return;
    pick(random, data).id = pick(random, data).id;
  },
  'id-dangle': (_i, data, random) => {
    const ref = someReference(data, random);
    if (ref !== undefined) ref.list[ref.index] = pick(random, ['no-such-id', '', NOT_UTF8_MARK, 'y'.repeat(50_000)]);
  },
  /** A reference to a thing of the wrong kind: an ownership of an entity, a relation playing itself. */
  'ref-wrong-kind': (_i, data, random) => {
    const ref = someReference(data, random);
    if (ref !== undefined) ref.list[ref.index] = pick(random, data).id;
  },
  'id-odd': (_i, data, random) => {
    if (data.length === 0) return;
    const d = pick(random, data);
    const old = d.id;
    d.id = pick(random, ['', NOT_UTF8_MARK, 'z'.repeat(60_000), `${old}\u0000`]);
    for (const o of data) {
      o.ownerships = o.ownerships.map((id) => (id === old ? d.id : id));
      for (const r of o.roles ?? []) r.players = r.players.map((id) => (id === old ? d.id : id));
    }
  },
  'label-unknown': (_i, data, random) => {
    if (data.length > 0) pick(random, data).label = pick(random, ['no-such-type', ...ODD_TEXT]);
  },
  /** A label of another kind of type, or of the same kind but not allowed here. */
  'label-other-type': (_i, data, random, { labels }) => {
    if (data.length > 0) pick(random, data).label = pick(random, [...labels.entity, ...labels.relation, ...labels.attribute]);
  },
  'role-unknown': (_i, data, random, { labels }) => {
    const relations = withRoles(data);
    if (relations.length === 0) return;
    const role = pick(random, pick(random, relations).roles!);
    const bare = role.label.split(':').pop()!;
    role.label = pick(random, ['no-such:role', bare, 'nope', ...labels.roles, ...ODD_TEXT]);
  },
  'roles-empty': (_i, data, random) => {
    const relations = ofKind(data, 'relation');
    if (relations.length === 0) return;
    const r = pick(random, relations);
    if (random() < 0.5) r.roles = [];
    else r.roles = r.roles!.map((role) => ({ label: role.label, players: [] }));
  },
  'value-wrong': (_i, data, random) => {
    const attributes = ofKind(data, 'attribute');
    if (attributes.length > 0) pick(random, attributes).value = pick(random, WRONG_VALUES);
  },
  /** Ownerships and players the schema does not allow (any thing owning or playing anything). */
  'ref-shuffle': (_i, data, random) => {
    const owners = withOwnerships(data);
    const attributes = ofKind(data, 'attribute');
    if (owners.length > 0 && attributes.length > 0) pick(random, data).ownerships.push(pick(random, attributes).id);
    const relations = withRoles(data);
    if (relations.length > 0) pick(random, pick(random, relations).roles!).players.push(pick(random, data).id);
  },
  /** Keys broken: an owner's ownerships dropped, or doubled with another owner's. */
  'ownership-drop-or-copy': (_i, data, random) => {
    const owners = withOwnerships(data);
    if (owners.length === 0) return;
    const d = pick(random, owners);
    if (random() < 0.5) d.ownerships = [];
    else d.ownerships.push(...pick(random, owners).ownerships);
  },
  'item-remove': (items, _d, random) => {
    const at = 1 + below(random, Math.max(1, items.length - 2));
    if (at < items.length - 1) items.splice(at, 1);
  },
  /** Many copies of one item, or of one reference. */
  'item-repeat': (items, data, random) => {
    if (data.length === 0) return;
    const d = pick(random, data);
    if (random() < 0.5) {
      const copies = 1 + below(random, 200);
      items.splice(items.length - 1, 0, ...Array.from({ length: copies }, () => structuredClone(d) as Item));
    } else if (d.ownerships.length > 0) {
      d.ownerships.push(...Array.from({ length: 1000 }, () => d.ownerships[0]!));
    }
  },
  header: (items, _d, random) => {
    const header = items[0]!;
    if (header.kind !== 'header') return;
    switch (below(random, 5)) {
      case 0: items[0] = { ...header, typedbVersion: pick(random, ODD_TEXT) }; break;
      case 1: items[0] = { ...header, originalDatabase: pick(random, ODD_TEXT) }; break;
      case 2: items.shift(); break;
      case 3: items.push(header); break;
      default: items.splice(1 + below(random, items.length - 1), 0, header);
    }
  },
  checksums: (items, _d, random) => {
    const last = items[items.length - 1]!;
    if (last.kind !== 'checksums') return;
    const names = ['entities', 'attributes', 'relations', 'roles', 'ownerships'] as const;
    const name = pick(random, names);
    const change = pick(random, [1, -1, 1000, 2 ** 53 - 1 - last.checksums[name]]);
    const changed = { kind: 'checksums' as const, checksums: { ...last.checksums, [name]: Math.max(0, last.checksums[name] + change) } };
    switch (below(random, 4)) {
      case 0: items[items.length - 1] = changed; break;
      case 1: items.pop(); break;
      case 2: items.push(changed); break;
      default: items.splice(below(random, items.length), 0, last);
    }
  },
};

/** Item kinds whose mutation must keep the file's own checksums (recounting would hide what they do). */
const KEEP_CHECKSUMS = new Set(['checksums', 'header']);

/** Encodes items as a file; non-UTF-8 marks become bytes that are not UTF-8. Undefined if they cannot be encoded. */
export function encodeItems(items: readonly Item[]): Buffer | undefined {
  const encoder = new ItemEncoder();
  const parts: Buffer[] = [];
  try {
    for (const item of items) parts.push(encoder.encode(item));
  } catch {
    return undefined; // the writer refuses it: not a file an exporter could write; skipped
  }
  const out = Buffer.concat(parts);
  const mark = Buffer.from(NOT_UTF8_MARK, 'utf8');
  for (let at = out.indexOf(mark); at !== -1; at = out.indexOf(mark, at)) NOT_UTF8.copy(out, at);
  return out;
}

/** Applies one item mutation to (a copy of) `seed`; recounts the checksums unless the mutation is about them. */
export function mutateItems(seed: readonly Item[], kind: string, random: Random, context: ItemMutationContext): Buffer | undefined {
  const items = structuredClone(seed) as Item[];
  const data = items.filter((i): i is DataItem => i.kind !== 'header' && i.kind !== 'checksums') as AnyData[];
  const count = 1 + (random() < 0.2 ? below(random, 4) : 0);
  for (let k = 0; k < count; k++) ITEM_MUTATIONS[kind]!(items, data, random, context);
  if (!KEEP_CHECKSUMS.has(kind) && random() < 0.85) {
    const counter = new ChecksumCounter();
    for (const item of items) counter.add(item);
    const at = items.findIndex((i) => i.kind === 'checksums');
    if (at !== -1) items[at] = { kind: 'checksums', checksums: counter.counts };
  }
  return encodeItems(items);
}
