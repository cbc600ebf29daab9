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
import { ATTRIBUTE_IID_LENGTH_AT, HASH_WORDS, getOffset, getU16, getU32, putBytes, putOffset, putU32, refHi } from './records.js';

export interface RankedAttributes {
  /** Distinct attributes (IIDs). */
  readonly distinct: number;
  /** Attribute items that collapsed into an attribute an earlier item (in IID order) already defined. */
  readonly merged: number;
  /** Attribute type id → [first rank, last rank] of its attributes. */
  readonly ranks: ReadonlyMap<number, readonly [number, number]>;
}

/** Ranks the sorted attributes; their THING entries go to `things`, their definitions to `definitions`. */
export function rankAttributes(
  sorted: SortedRecords,
  definitions: ExternalSorter,
  things: EntryFileWriter,
  file: string,
): RankedAttributes {
  // IIDs are at most a few hundred bytes (long strings are keyed by a prefix and a hash).
  const key = Buffer.allocUnsafe(1 << 12);
  key[0] = Keyspace.Thing;
  const ranks = new Map<number, [number, number]>();
  // The IID and value record of the last distinct attribute: previous[0, previousIid) and [previousIid, previousEnd).
  let previous = Buffer.allocUnsafe(1 << 12);
  let previousIid = 0;
  let previousEnd = 0;
  let rank = -1;
  let merged = 0;
  const cursor = sorted.open();
  try {
    while (cursor.next()) {
      const buf = cursor.payload;
      const start = cursor.payloadStart;
      const end = cursor.payloadEnd;
      const offset = getOffset(buf, start + 4 * HASH_WORDS);
      const iidLength = getU16(buf, start + ATTRIBUTE_IID_LENGTH_AT);
      const iidStart = start + ATTRIBUTE_IID_LENGTH_AT + 2;
      const iidEnd = iidStart + iidLength;
      if (rank >= 0 && iidLength === previousIid && equalBytes(previous, 0, buf, iidStart, iidLength)) {
        merged++;
        // Long strings are keyed by a prefix and a hash of the value: equal keys must still hold equal values.
        if (end - iidEnd !== previousEnd - previousIid || !equalBytes(previous, previousIid, buf, iidEnd, end - iidEnd)) {
          throw ImportErrors.hashCollision(file, `two different long string values (one at byte offset ${offset}) have the same storage key`);
        }
      } else {
        rank++;
        if (end - iidStart > previous.length) previous = Buffer.allocUnsafe(2 * (end - iidStart));
        previousIid = iidLength;
        previousEnd = putBytes(previous, 0, buf, iidStart, end);
        const typeId = (buf[iidStart + 1]! << 8) | buf[iidStart + 2]!;
        const range = ranks.get(typeId);
        if (range === undefined) ranks.set(typeId, [rank, rank]);
        else range[1] = rank;
        putBytes(key, 1, buf, iidStart, iidEnd);
        things.write(key, 0, 1 + iidLength, buf, iidEnd, end);
      }
      const typeId = (buf[iidStart + 1]! << 8) | buf[iidStart + 2]!;
      for (let w = 0; w < HASH_WORDS; w++) definitions.key[w] = getU32(buf, start + 4 * w);
      const at = definitions.append(16 + iidLength);
      const arena = definitions.arena;
      putU32(arena, at, refHi(ThingKind.Attribute, typeId));
      putU32(arena, at + 4, rank);
      putOffset(arena, at + 8, offset);
      putBytes(arena, at + 16, buf, iidStart, iidEnd);
    }
  } finally {
    cursor.close();
  }
  return { distinct: rank + 1, merged, ranks };
}

/** Whether a[aStart, aStart + length) equals b[bStart, bStart + length). */
function equalBytes(a: Uint8Array, aStart: number, b: Uint8Array, bStart: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}
