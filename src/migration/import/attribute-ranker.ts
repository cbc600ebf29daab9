// Phase 2a of an import: attributes, sorted by IID, get their ranks (their ThingRef lo word). Items with the
// same type and value have the same IID and collapse into one attribute, as in TypeDB, where importing an
// attribute is a `put` that reuses an existing attribute of that value: each of their IDs then names the same
// attribute, and their ownerships all land on it. Every item's ID is recorded as a definition for the join,
// and each distinct attribute's storage entry is written, already in key order, to an entry file for the store
// writer.

import { Keyspace, ThingKind } from '../../encoding/index.js';
import type { EntryFileWriter } from './entry-file.js';
import { ImportErrors } from '../errors.js';
import type { ExternalSorter, SortedRecords } from './external-sorter.js';
import { ATTRIBUTE_IID_LENGTH_AT, HASH_WORDS, PayloadBuilder, refHi } from './records.js';

export interface RankedAttributes {
  /** Distinct attributes (IIDs). */
  readonly distinct: number;
  /** Attribute items that collapsed into an attribute an earlier item (in IID order) already defined. */
  readonly merged: number;
  /** Attribute type id → [first rank, last rank] of its attributes. */
  readonly ranks: ReadonlyMap<number, readonly [number, number]>;
}

/** Ranks the sorted attributes; their THING entries go to `things`. */
export function rankAttributes(
  sorted: SortedRecords,
  definitions: ExternalSorter,
  things: EntryFileWriter,
  file: string,
): RankedAttributes {
  const payload = new PayloadBuilder();
  const key = Buffer.allocUnsafe(1 << 12);
  key[0] = Keyspace.Thing;
  const ranks = new Map<number, [number, number]>();
  let previous = Buffer.alloc(0);
  let previousValue = Buffer.alloc(0);
  let rank = -1;
  let merged = 0;
  const cursor = sorted.open();
  try {
    while (cursor.next()) {
      const buf = cursor.payload;
      const start = cursor.payloadStart;
      const offset = buf.readDoubleLE(start + 4 * HASH_WORDS);
      const iidLength = buf.readUInt16LE(start + ATTRIBUTE_IID_LENGTH_AT);
      const iidStart = start + ATTRIBUTE_IID_LENGTH_AT + 2;
      const iidEnd = iidStart + iidLength;
      const same = rank >= 0 && previous.length === iidLength && buf.compare(previous, 0, iidLength, iidStart, iidEnd) === 0;
      if (same) {
        merged++;
        // Long strings are keyed by a prefix and a hash of the value: equal keys must still hold equal values.
        if (buf.compare(previousValue, 0, previousValue.length, iidEnd, cursor.payloadEnd) !== 0) {
          throw ImportErrors.hashCollision(file, `two different long string values (one at byte offset ${offset}) have the same storage key`);
        }
      } else {
        rank++;
        previous = Buffer.from(buf.subarray(iidStart, iidEnd));
        previousValue = Buffer.from(buf.subarray(iidEnd, cursor.payloadEnd));
        const typeId = (buf[iidStart + 1]! << 8) | buf[iidStart + 2]!;
        const range = ranks.get(typeId);
        if (range === undefined) ranks.set(typeId, [rank, rank]);
        else range[1] = rank;
        buf.copy(key, 1, iidStart, iidEnd);
        things.write(key, 0, 1 + iidLength, buf, iidEnd, cursor.payloadEnd);
      }
      const typeId = (buf[iidStart + 1]! << 8) | buf[iidStart + 2]!;
      for (let w = 0; w < HASH_WORDS; w++) definitions.key[w] = buf.readUInt32LE(start + 4 * w);
      const p = payload.reset().u32(refHi(ThingKind.Attribute, typeId)).u32(rank).f64(offset).bytes(buf, iidStart, iidEnd);
      definitions.add(p.buf, 0, p.pos);
    }
  } finally {
    cursor.close();
  }
  return { distinct: rank + 1, merged, ranks };
}
