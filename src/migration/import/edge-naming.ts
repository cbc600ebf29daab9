// What native code needs to make an import's edge keys (native/src/store_keys.c), packed in one Uint32Array: the
// ordinal segments that turn a record's ordinals back into things, the @key types of each owner type, and the
// ownerships that are @unique (or @key). Built once per edge set's thread from the plain EdgeNaming.

import type { ImportSchema } from './import-schema.js';
import type { InstanceRange } from './key-constraints.js';
import type { ThingOrdinals } from './thing-ordinals.js';
import { typeOfRef } from './records.js';

// The table's header (store_keys.c's NAMING_*), then: segments (4 words each), a slot per type id (0: no keys,
// else 1 + its index among the types with keys), the types with keys (first instance, where their key type ids
// start, how many), the key type ids, and the @unique ownerships ([owner type << 16 | attribute type, flags],
// in ascending order).
const OBJECTS = 0;
const SEGMENTS = 1;
const KEYED = 2;
const UNIQUE = 3;
const KEY_IDS = 4;
const MAX_KEYS = 5;
const HEADER = 6;
const TYPE_SLOTS = 1 << 16;
/** A type with keys whose instances are not known: its first owner is taken as its first instance. */
const UNKNOWN_FIRST = 0xffff_ffff;
const OWNS_KEY = 1;
const OWNS_UNIQUE = 2;

/** The packed table, and where the kernel's per-type state lies in an edge state array (edge-emitter.ts). */
export interface EdgeNamingTable {
  readonly table: Uint32Array;
  /** Types with keys: the kernel keeps the next instance expected of each. */
  readonly keyedTypes: number;
  /** The most @key types one type has: the kernel counts the current owner's keys of each. */
  readonly maxKeys: number;
  /** The slot (0: none, else 1 + index) of a type id among the types with keys. */
  slot(typeId: number): number;
}

/**
 * @param ordinals the things of the import
 * @param schema its types (owns and keys)
 * @param instances owner type hi word → the lo words of its instances
 */
export function edgeNamingTable(ordinals: ThingOrdinals, schema: ImportSchema, instances: ReadonlyMap<number, InstanceRange>): EdgeNamingTable {
  let segments = ordinals.packedSegments();
  // No things, no records: one empty segment keeps the table's shape.
  if (segments.length === 0) segments = new Uint32Array(4);
  const firstOf = new Map<number, number>();
  for (const [hi, range] of instances) firstOf.set(typeOfRef(hi), range[0]);
  const keyed: number[] = [];
  const keyIds: number[] = [];
  const unique: [number, number][] = [];
  const slots = new Map<number, number>();
  let maxKeys = 0;
  for (const type of schema.data.types) {
    if (type.keys.length > 0) {
      slots.set(type.id, slots.size + 1);
      keyed.push(firstOf.get(type.id) ?? UNKNOWN_FIRST, keyIds.length, type.keys.length);
      keyIds.push(...type.keys);
      maxKeys = Math.max(maxKeys, type.keys.length);
    }
    for (const [attribute, ownership] of type.owns) {
      if (ownership.unique) unique.push([((type.id << 16) | attribute) >>> 0, (ownership.key ? OWNS_KEY : 0) | OWNS_UNIQUE]);
    }
  }
  unique.sort((a, b) => a[0] - b[0]);
  const table = new Uint32Array(HEADER + segments.length + TYPE_SLOTS + keyed.length + keyIds.length + 2 * unique.length);
  table[OBJECTS] = ordinals.objects;
  table[SEGMENTS] = segments.length / 4;
  table[KEYED] = slots.size;
  table[UNIQUE] = unique.length;
  table[KEY_IDS] = keyIds.length;
  table[MAX_KEYS] = maxKeys;
  let at = HEADER;
  table.set(segments, at);
  at += segments.length;
  for (const [typeId, slot] of slots) table[at + typeId] = slot;
  at += TYPE_SLOTS;
  table.set(keyed, at);
  at += keyed.length;
  table.set(keyIds, at);
  at += keyIds.length;
  for (const [pair, flags] of unique) {
    table[at++] = pair;
    table[at++] = flags;
  }
  return { table, keyedTypes: slots.size, maxKeys, slot: (typeId) => slots.get(typeId) ?? 0 };
}
