// The key space of an imported database, generated in ascending key order for the store's bulk load, in three
// parts that follow each other: emitObjectEntries (META: the schema; THING: entities and relations, straight from
// the per-type counts), the ranked attributes' THING entries (an entry file written by the attribute ranker),
// and emitEdgeEntries (HAS, HAS_REV, ROLE, ROLE_REV from their sorted records). Repeated ownerships collapse into one
// edge; repeated role players become the edge's repetition count, as the concept layer stores them.

import { Keyspace, ThingKind, schemaKey } from '../../encoding/index.js';
import type { DirectEntries } from '../../storage/lmdb-file/index.js';
import type { SortedRecords } from './external-sorter.js';
import { ImportSchema, type ImportSchemaData } from './import-schema.js';
import { ItemRereader } from './item-rereader.js';
import { KeyConstraintChecker, type InstanceRange } from './key-constraints.js';
import { getU16, kindOfRef, putBytes, writeObjectIID } from './records.js';
import { ThingOrdinals } from './thing-ordinals.js';

/** What producing an edge set's keys needs besides its records: names of things, key checks, and a release. */
export interface EdgeTools {
  readonly ordinals: ThingOrdinals;
  readonly keys: KeyConstraintChecker;
  /** Called with each set's records once its keys were produced. */
  readonly release: (records: SortedRecords) => void;
}

/** The four edge sets, in key order. */
export type EdgeSet = 'has' | 'hasReverse' | 'role' | 'roleReverse';
export const EDGE_SETS: readonly EdgeSet[] = ['has', 'hasReverse', 'role', 'roleReverse'];

/**
 * Each edge set's records, asked for when its keys are next (sorted then, or arriving from the thread that sorted
 * them), and their release once its keys were produced.
 */
export type EdgeSets = { readonly [set in EdgeSet]: () => SortedRecords | Promise<SortedRecords> } & {
  readonly release: (records: SortedRecords) => void;
};

/**
 * What producing the edge keys needs besides the sets, as plain data (it crosses to the store writer's thread):
 * how ordinals map to things, and the schema and file for the @key/@unique checks and their messages.
 */
export interface EdgeNaming {
  /** Entity and relation ThingRef hi words → instances. */
  readonly objects: readonly (readonly [number, number])[];
  /** Attribute ThingRef hi words → [first rank, last rank]. */
  readonly attributeRanks: readonly (readonly [number, readonly [number, number]])[];
  /** When two threads read the file: instances of each entity and relation type in its first half. */
  readonly firstHalf: readonly (readonly [number, number])[] | undefined;
  readonly schema: ImportSchemaData;
  readonly file: string;
}

/** The tools `naming` describes. */
export function edgeTools(naming: EdgeNaming, release: (records: SortedRecords) => void): EdgeTools {
  const objects = new Map(naming.objects);
  const attributeRanks = new Map(naming.attributeRanks);
  const ordinals = new ThingOrdinals(objects, attributeRanks, naming.firstHalf === undefined ? undefined : new Map(naming.firstHalf));
  const instances = new Map<number, InstanceRange>(attributeRanks);
  for (const [hi, count] of objects) instances.set(hi, [1, count]);
  const keys = new KeyConstraintChecker(new ImportSchema(naming.schema), instances, new ItemRereader(naming.file));
  return { ordinals, keys, release };
}

/** What was stored, by kind. */
export interface StoredCounts {
  entities: number;
  relations: number;
  attributes: number;
  /** Distinct ownership edges. */
  ownerships: number;
  /** Role-player edges, repetitions counted (the file's role count). */
  roles: number;
  /** Distinct (relation, role, player) edges. */
  roleEdges: number;
  /** Keys written. */
  keys: number;
}

const EMPTY = new Uint8Array(0);
const EMPTY_KEY = new Uint32Array(3);
/** Bytes of an entity's or relation's IID. */
const OBJECT_IID = 11;

/** Writes the IID of the thing with this ordinal; attributes' IIDs come from `iid[start, end)`. */
function writeThing(out: Buffer, at: number, ordinals: ThingOrdinals, ordinal: number, iid: Buffer, start: number, end: number): number {
  if (ordinals.isAttribute(ordinal)) return putBytes(out, at, iid, start, end);
  return writeObjectIID(out, at, ordinals.hi(ordinal), ordinals.lo(ordinal));
}

/** Bytes of the IID of the thing with this ordinal (writeThing's). */
function thingBytes(ordinals: ThingOrdinals, ordinal: number, start: number, end: number): number {
  return ordinals.isAttribute(ordinal) ? end - start : OBJECT_IID;
}

/**
 * The schema record, then the THING entries of entities and relations (ThingRef hi word → instances), their keys
 * written straight into `out`'s batch. A loop, not a generator: the million steps of a generator each made a
 * result object, all garbage.
 */
export function emitObjectEntries(schema: Uint8Array, objects: ReadonlyMap<number, number>, counts: StoredCounts, out: DirectEntries & { add(key: Uint8Array, value: Uint8Array): void }): void {
  counts.keys++;
  out.add(schemaKey, schema);
  const key = out.batch;
  for (const [hi, count] of [...objects].sort((a, b) => a[0] - b[0])) {
    for (let sequence = 1; sequence <= count; sequence++) {
      const at = out.reserveKey(1 + OBJECT_IID, 0);
      key[at] = Keyspace.Thing;
      writeObjectIID(key, at + 1, hi, sequence);
      out.addReserved(1 + OBJECT_IID, EMPTY, 0, 0);
      counts.keys++;
    }
    if (kindOfRef(hi) === ThingKind.Entity) counts.entities += count;
    else counts.relations += count;
  }
}

/**
 * HAS, HAS_REV, ROLE and ROLE_REV entries, checking @key and @unique on the way; their keys are written straight
 * into `out`'s batch, and `onEntry` hears of each.
 */
export async function emitEdgeEntries(sets: EdgeSets, naming: EdgeNaming, counts: StoredCounts, out: DirectEntries, onEntry: () => void): Promise<void> {
  const tools = edgeTools(naming, sets.release);
  for (const set of EDGE_SETS) emitEdgeSet(set, await sets[set](), tools, counts, out, onEntry);
}

/** The entries of one edge set, from its sorted records (released afterwards). */
export function emitEdgeSet(set: EdgeSet, records: SortedRecords, tools: EdgeTools, counts: StoredCounts, out: DirectEntries, onEntry: () => void): void {
  if (set === 'has' || set === 'hasReverse') emitOwnerships(tools, records, set === 'has', counts, out, onEntry);
  else emitRolePlayers(tools, records, set === 'role', counts, out, onEntry);
}

/** HAS ([owner][attribute]) when forward, else HAS_REV ([attribute][owner]), from records keyed in that order. */
function emitOwnerships(tools: EdgeTools, records: SortedRecords, forward: boolean, counts: StoredCounts, out: DirectEntries, onEntry: () => void): void {
  const { ordinals, keys } = tools;
  const key = out.batch;
  const keyspace = forward ? Keyspace.Has : Keyspace.HasReverse;
  let previousFirst = -1;
  let previousSecond = -1;
  const cursor = records.open();
  try {
    while (cursor.next()) {
      const k = cursor.key;
      const first = k[cursor.keyAt]!;
      const second = k[cursor.keyAt + 1]!;
      // The same ownership listed twice, or through two IDs of one attribute: one edge.
      if (first === previousFirst && second === previousSecond) continue;
      previousFirst = first;
      previousSecond = second;
      const buf = cursor.payload;
      const start = cursor.payloadStart;
      const ownerIidStart = start + 2;
      const attributeIidStart = ownerIidStart + getU16(buf, start);
      const attributeIidEnd = cursor.payloadEnd;
      const owner = forward ? first : second;
      const attribute = forward ? second : first;
      const keyLength = 1 + thingBytes(ordinals, owner, ownerIidStart, attributeIidStart) + attributeIidEnd - attributeIidStart;
      const keyAt = out.reserveKey(keyLength, 0);
      key[keyAt] = keyspace;
      let pos: number;
      if (forward) {
        pos = writeThing(key, keyAt + 1, ordinals, owner, buf, ownerIidStart, attributeIidStart);
        pos = putBytes(key, pos, buf, attributeIidStart, attributeIidEnd);
        keys.ownership(ordinals.hi(owner), ordinals.lo(owner), ordinals.hi(attribute), buf, ownerIidStart, attributeIidStart);
        counts.ownerships++;
      } else {
        pos = putBytes(key, keyAt + 1, buf, attributeIidStart, attributeIidEnd);
        pos = writeThing(key, pos, ordinals, owner, buf, ownerIidStart, attributeIidStart);
        keys.reverseOwnership(attribute, ordinals.hi(attribute), ordinals.hi(owner), ordinals.lo(owner), buf, attributeIidStart, attributeIidEnd, ownerIidStart);
      }
      out.addReserved(pos - keyAt, EMPTY, 0, 0);
      onEntry();
    }
    if (forward) keys.endOwnerships();
  } finally {
    cursor.close();
    tools.release(records);
  }
}

/**
 * ROLE ([relation][role][player]) when forward, else ROLE_REV ([player][role][relation]); equal records add up.
 * A group's key is written on its first record and added, with the count, once the next group starts.
 */
function emitRolePlayers(tools: EdgeTools, records: SortedRecords, forward: boolean, counts: StoredCounts, out: DirectEntries, onEntry: () => void): void {
  const { ordinals } = tools;
  const key = out.batch;
  const keyspace = forward ? Keyspace.Role : Keyspace.RoleReverse;
  let length = 0;
  let repetitions = 0;
  let previousFirst = -1;
  let previousRole = -1;
  let previousThird = -1;
  const value = new Uint8Array(4);
  const cursor = records.open();
  try {
    for (;;) {
      const more = cursor.next();
      const k = more ? cursor.key : EMPTY_KEY;
      const at = more ? cursor.keyAt : 0;
      if (more && repetitions > 0 && k[at] === previousFirst && k[at + 1] === previousRole && k[at + 2] === previousThird) {
        repetitions++;
        continue;
      }
      if (repetitions > 0) {
        encodeCountInto(value, repetitions);
        if (forward) {
          counts.roles += repetitions;
          counts.roleEdges++;
        }
        out.addReserved(length, value, 0, 4);
        onEntry();
      }
      if (!more) break;
      previousFirst = k[at]!;
      previousRole = k[at + 1]!;
      previousThird = k[at + 2]!;
      repetitions = 1;
      const buf = cursor.payload;
      const playerIidStart = cursor.payloadStart;
      const playerIidEnd = cursor.payloadEnd;
      const relation = forward ? previousFirst : previousThird;
      const player = forward ? previousThird : previousFirst;
      const keyAt = out.reserveKey(1 + OBJECT_IID + 2 + thingBytes(ordinals, player, playerIidStart, playerIidEnd), 4);
      key[keyAt] = keyspace;
      let pos: number;
      if (forward) {
        pos = writeObjectIID(key, keyAt + 1, ordinals.hi(relation), ordinals.lo(relation));
        key[pos] = previousRole >>> 8;
        key[pos + 1] = previousRole & 0xff;
        pos = writeThing(key, pos + 2, ordinals, player, buf, playerIidStart, playerIidEnd);
      } else {
        pos = writeThing(key, keyAt + 1, ordinals, player, buf, playerIidStart, playerIidEnd);
        key[pos] = previousRole >>> 8;
        key[pos + 1] = previousRole & 0xff;
        pos = writeObjectIID(key, pos + 2, ordinals.hi(relation), ordinals.lo(relation));
      }
      length = pos - keyAt;
    }
  } finally {
    cursor.close();
    tools.release(records);
  }
}

/** The repetition count as the concept layer stores it (encodeCount's layout), without allocating. */
function encodeCountInto(out: Uint8Array, count: number): void {
  out[0] = count >>> 24;
  out[1] = (count >>> 16) & 0xff;
  out[2] = (count >>> 8) & 0xff;
  out[3] = count & 0xff;
}
