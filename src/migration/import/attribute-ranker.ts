// Phase 2a of an import: attributes, sorted by IID, get their ranks (their ThingRef lo word). Items with the
// same type and value have the same IID and collapse into one attribute, as in TypeDB, where importing an
// attribute is a `put` that reuses an existing attribute of that value: each of their IDs then names the same
// attribute, and their ownerships all land on it. Every item's ID is recorded as a definition for the join,
// and each distinct attribute's storage entry is written, already in key order, to an entry file for the store
// writer. The walk runs in native code (native/src/attribute_rank.c), a batch of records per call.

import { Keyspace, ThingKind } from '../../encoding/index.js';
import { nativeModule } from '../../native/index.js';
import type { EntryFileWriter } from './entry-file.js';
import { ImportErrors } from '../errors.js';
import type { ExternalSorter, SortedRecords } from './external-sorter.js';
import { runKernel } from './run-kernel.js';
import { SorterBatch } from './sorter-batch.js';

export interface RankedAttributes {
  /** Distinct attributes (IIDs). */
  readonly distinct: number;
  /** Attribute items that collapsed into an attribute an earlier item (in IID order) already defined. */
  readonly merged: number;
  /** Attribute type id → [first rank, last rank] of its attributes. */
  readonly ranks: ReadonlyMap<number, readonly [number, number]>;
}

/** The words of the kernel's state (native/src/attribute_rank.c). */
enum RankState {
  Run = 0,
  Distinct = 1,
  Merged = 2,
  Needed = 5,
  Offset = 6,
  Words = 8,
}

/** The rank kernel's own codes. */
enum RankCode {
  FlushThings = 4,
  GrowPrevious = 5,
  Collision = 6,
}

const TYPES = 1 << 16;

/** Ranks the sorted attributes (in native code); their THING entries go to `things`, their definitions to `definitions`. */
export function rankAttributes(
  sorted: SortedRecords,
  definitions: ExternalSorter,
  things: EntryFileWriter,
  file: string,
): RankedAttributes {
  const runs = sorted.openRuns();
  const batch = new SorterBatch(definitions);
  const state = new Uint32Array(RankState.Words);
  // The IID and value record of the last distinct attribute (IIDs are at most a few hundred bytes; long strings
  // are keyed by a prefix and a hash, but their value records hold them whole).
  let previous = Buffer.allocUnsafe(1 << 12);
  // Per attribute type id: [first rank + 1, last rank + 1], 0 for none.
  const typeRanks = new Uint32Array(2 * TYPES);
  const native = nativeModule();
  try {
    runKernel(() => native.rankAttributes(runs, batch, things, previous, state, typeRanks, Keyspace.Thing, ThingKind.Attribute), {
      refill: () => runs.refill(state[RankState.Run]!),
      flush: () => batch.makeRoom(),
      truncated: () => runs.truncated(state[RankState.Run]!),
      other: (code) => {
        const needed = state[RankState.Needed]!;
        if (code === RankCode.FlushThings) things.makeRoom(needed);
        else if (code === RankCode.GrowPrevious) {
          const grown = Buffer.allocUnsafe(2 * needed);
          previous.copy(grown);
          previous = grown;
        } else if (code === RankCode.Collision) {
          const offset = state[RankState.Offset]! + state[RankState.Offset + 1]! * 0x1_0000_0000;
          throw ImportErrors.hashCollision(file, `two different long string values (one at byte offset ${offset}) have the same storage key`);
        } else throw new Error(`rankAttributes returned the unknown code ${code}`);
      },
    });
    batch.flush();
  } finally {
    runs.close();
  }
  const ranks = new Map<number, [number, number]>();
  // Attributes come in IID order, whose bytes after the first are the type id: ranks come in type id order.
  for (let typeId = 0; typeId < TYPES; typeId++) {
    const first = typeRanks[2 * typeId]!;
    if (first !== 0) ranks.set(typeId, [first - 1, typeRanks[2 * typeId + 1]! - 1]);
  }
  return { distinct: state[RankState.Distinct]!, merged: state[RankState.Merged]!, ranks };
}
