// Phase 3 of an import: the complete key space of the new database, generated in ascending key order for the
// store's bulk load. Keyspaces come in their byte order — META (the schema), THING (entities and relations
// straight from the per-type counts, then the ranked attributes), HAS, HAS_REV, ROLE, ROLE_REV — each read from
// its sorted records. Repeated ownerships collapse into one edge; repeated role players become the edge's
// repetition count, as the concept layer stores them.

import { Keyspace, ThingKind, schemaKey } from '../../encoding/index.js';
import type { SortedRecords } from './external-sorter.js';
import type { KeyConstraintChecker } from './key-constraints.js';
import { kindOfRef, writeObjectIID } from './records.js';

export interface StoreSources {
  readonly schema: Uint8Array;
  /** Entity and relation ThingRef hi words with their number of instances, in any order. */
  readonly objects: ReadonlyMap<number, number>;
  /** Distinct attributes in IID order: payload = IID length u16, IID, value record. */
  readonly attributes: SortedRecords;
  readonly has: SortedRecords;
  readonly hasReverse: SortedRecords;
  readonly role: SortedRecords;
  readonly roleReverse: SortedRecords;
  readonly keys: KeyConstraintChecker;
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
const KEY_BUFFER = 8192;

/** Yields [key, value]; both are reused between steps (the bulk load copies them). */
export function* storeEntries(sources: StoreSources, counts: StoredCounts): Generator<[Uint8Array, Uint8Array]> {
  const entry: [Uint8Array, Uint8Array] = [EMPTY, EMPTY];
  const yieldEntry = (key: Uint8Array, value: Uint8Array) => {
    entry[0] = key;
    entry[1] = value;
    counts.keys++;
    return entry;
  };
  yield yieldEntry(schemaKey, sources.schema);

  const key = Buffer.allocUnsafe(KEY_BUFFER);
  key[0] = Keyspace.Thing;
  for (const [hi, count] of [...sources.objects].sort((a, b) => a[0] - b[0])) {
    const kind = kindOfRef(hi);
    for (let sequence = 1; sequence <= count; sequence++) {
      writeObjectIID(key, 1, hi, sequence);
      yield yieldEntry(key.subarray(0, 12), EMPTY);
    }
    if (kind === ThingKind.Entity) counts.entities += count;
    else counts.relations += count;
  }

  const attributes = sources.attributes.open();
  try {
    while (attributes.next()) {
      const buf = attributes.payload;
      const start = attributes.payloadStart;
      const length = buf.readUInt16LE(start);
      buf.copy(key, 1, start + 2, start + 2 + length);
      counts.attributes++;
      yield yieldEntry(key.subarray(0, 1 + length), buf.subarray(start + 2 + length, attributes.payloadEnd));
    }
  } finally {
    attributes.close();
  }

  yield* ownershipEntries(sources.has, Keyspace.Has, sources.keys, counts, yieldEntry, key);
  yield* ownershipEntries(sources.hasReverse, Keyspace.HasReverse, sources.keys, counts, yieldEntry, key);
  yield* roleEntries(sources.role, Keyspace.Role, counts, yieldEntry);
  yield* roleEntries(sources.roleReverse, Keyspace.RoleReverse, counts, yieldEntry);
}

type Emit = (key: Uint8Array, value: Uint8Array) => [Uint8Array, Uint8Array];

/** HAS ([owner][attribute]) or HAS_REV ([attribute][owner]) from records keyed in that order. */
function* ownershipEntries(
  records: SortedRecords,
  keyspace: Keyspace.Has | Keyspace.HasReverse,
  keys: KeyConstraintChecker,
  counts: StoredCounts,
  emit: Emit,
  key: Buffer,
): Generator<[Uint8Array, Uint8Array]> {
  const forward = keyspace === Keyspace.Has;
  const previous = new Uint32Array(4);
  let first = true;
  const cursor = records.open();
  try {
    while (cursor.next()) {
      const k = cursor.key;
      const at = cursor.keyAt;
      if (!first && k[at] === previous[0] && k[at + 1] === previous[1] && k[at + 2] === previous[2] && k[at + 3] === previous[3]) {
        continue; // the same ownership listed twice (or through two IDs of one attribute)
      }
      first = false;
      for (let w = 0; w < 4; w++) previous[w] = k[at + w]!;
      const buf = cursor.payload;
      const start = cursor.payloadStart;
      const offset = buf.readDoubleLE(start);
      const ownerIidLength = buf.readUInt16LE(start + 8);
      const ownerIidStart = start + 10;
      const attributeIidStart = ownerIidStart + ownerIidLength;
      const attributeIidEnd = cursor.payloadEnd;
      const [ownerHi, ownerLo, attributeHi, attributeLo] = forward
        ? [k[at]!, k[at + 1]!, k[at + 2]!, k[at + 3]!]
        : [k[at + 2]!, k[at + 3]!, k[at]!, k[at + 1]!];
      key[0] = keyspace;
      let pos = 1;
      const writeOwner = () => {
        if (ownerIidLength === 0) pos = writeObjectIID(key, pos, ownerHi, ownerLo);
        else pos += buf.copy(key, pos, ownerIidStart, attributeIidStart);
      };
      const writeAttribute = () => {
        pos += buf.copy(key, pos, attributeIidStart, attributeIidEnd);
      };
      if (forward) {
        writeOwner();
        writeAttribute();
        keys.ownership(ownerHi, ownerLo, attributeHi, offset);
        counts.ownerships++;
      } else {
        writeAttribute();
        writeOwner();
        keys.reverseOwnership(attributeHi, attributeLo, ownerHi, offset, buf.subarray(attributeIidStart, attributeIidEnd));
      }
      yield emit(key.subarray(0, pos), EMPTY);
    }
    if (forward) keys.endOwnerships();
  } finally {
    cursor.close();
  }
}

/** ROLE ([relation][role][player]) or ROLE_REV ([player][role][relation]); equal records add up to a count. */
function* roleEntries(
  records: SortedRecords,
  keyspace: Keyspace.Role | Keyspace.RoleReverse,
  counts: StoredCounts,
  emit: Emit,
): Generator<[Uint8Array, Uint8Array]> {
  const forward = keyspace === Keyspace.Role;
  // Two key buffers: a group's key is built on its first record and emitted once the next group starts.
  let key = Buffer.allocUnsafe(KEY_BUFFER);
  let spare = Buffer.allocUnsafe(KEY_BUFFER);
  let length = 0;
  let repetitions = 0;
  const previous = new Uint32Array(5);
  const value = new Uint8Array(4);
  const cursor = records.open();
  const flush = () => {
    const out = emit(key.subarray(0, length), encodeCountInto(value, repetitions));
    if (forward) {
      counts.roles += repetitions;
      counts.roleEdges++;
    }
    const swap = key;
    key = spare;
    spare = swap;
    return out;
  };
  try {
    while (cursor.next()) {
      const k = cursor.key;
      const at = cursor.keyAt;
      if (repetitions > 0 && k[at] === previous[0] && k[at + 1] === previous[1] && k[at + 2] === previous[2] && k[at + 3] === previous[3] && k[at + 4] === previous[4]) {
        repetitions++;
        continue;
      }
      if (repetitions > 0) yield flush();
      for (let w = 0; w < 5; w++) previous[w] = k[at + w]!;
      repetitions = 1;
      const buf = cursor.payload;
      const playerIidStart = cursor.payloadStart + 8;
      const [relationHi, relationLo, role, playerHi, playerLo] = forward
        ? [k[at]!, k[at + 1]!, k[at + 2]!, k[at + 3]!, k[at + 4]!]
        : [k[at + 3]!, k[at + 4]!, k[at + 2]!, k[at]!, k[at + 1]!];
      key[0] = keyspace;
      let pos = 1;
      const writePlayer = () => {
        if (kindOfRef(playerHi) === ThingKind.Attribute) pos += buf.copy(key, pos, playerIidStart, cursor.payloadEnd);
        else pos = writeObjectIID(key, pos, playerHi, playerLo);
      };
      if (forward) {
        pos = writeObjectIID(key, pos, relationHi, relationLo);
        key.writeUInt16BE(role, pos);
        pos += 2;
        writePlayer();
      } else {
        writePlayer();
        key.writeUInt16BE(role, pos);
        pos += 2;
        pos = writeObjectIID(key, pos, relationHi, relationLo);
      }
      length = pos;
    }
    if (repetitions > 0) yield flush();
  } finally {
    cursor.close();
  }
}

/** The repetition count as the concept layer stores it (encodeCount's layout), without allocating. */
function encodeCountInto(out: Uint8Array, count: number): Uint8Array {
  out[0] = count >>> 24;
  out[1] = (count >>> 16) & 0xff;
  out[2] = (count >>> 8) & 0xff;
  out[3] = count & 0xff;
  return out;
}
