// Drives the native kernel that makes one edge set's keys and lays them into the store's leaf pages
// (native/src/store_keys.c): over the sorted records where they lie when the set is one array in memory, else
// (run files merged) over copies of the merged records, a block at a time. What the kernel carries from call to
// call is in this object's arrays, so several sets (and threads) never share it.

import { nativeModule, type NativeModule } from '../../native/index.js';
import type { LeafLayout } from '../../storage/lmdb-file/index.js';
import { MAX_KEY_BYTES } from '../../storage/keys.js';
import type { MigrationError } from '../errors.js';
import type { EdgeNamingTable } from './edge-naming.js';
import type { RecordCursor } from './external-sorter.js';
import type { KeyViolation, KeyViolations } from './key-constraints.js';
import { recordWords } from './radix-sort.js';

/** The four edge sets, in key order (their numbers are the kernel's). */
export type EdgeSet = 'has' | 'hasReverse' | 'role' | 'roleReverse';
export const EDGE_SETS: readonly EdgeSet[] = ['has', 'hasReverse', 'role', 'roleReverse'];
const KEY_WORDS: Readonly<Record<EdgeSet, number>> = { has: 2, hasReverse: 2, role: 3, roleReverse: 3 };

// The edge state's fields (store_keys.c's EDGE_*).
const SET = 0;
const FINISH = 1;
const PREVIOUS_FIRST = 3;
const PREVIOUS_SECOND = 4;
const PREVIOUS_THIRD = 5;
const EDGES = 8;
const REPEATS = 9;
const OWNER = 12;
const OWNER_IID_LENGTH = 16;
const LAST_ATTRIBUTE = 17;
const LAST_OWNER_HI = 18;
const LAST_OWNER_IID_LENGTH = 20;
const VIOLATION = 21;
const FACT = 22;
const FACT_ATTRIBUTE_IID_LENGTH = 26;
const FACT_OWNER_IID_LENGTH = 27;
const HEADER = 28;
const NONE = 0xffff_ffff;
const TOO_MANY_KEYS = 1;
const MISSING_KEYS = 2;
const OWNS_NONE = 3;
const UNIQUE_TAKEN = 4;
// The scratch regions (SCRATCH_*), each as long as the longest key.
const OWNER_IID = 1;
const LAST_OWNER_IID = 2;
const FACT_ATTRIBUTE_IID = 3;
const FACT_OWNER_IID = 4;
const SCRATCH_REGIONS = 5;

/** Words of merged records copied per block. */
const BLOCK_WORDS = 1 << 16;

export class EdgeEmitter {
  private readonly native: NativeModule = nativeModule();
  private readonly edge: Uint32Array;
  private readonly scratch = new Uint8Array(SCRATCH_REGIONS * MAX_KEY_BYTES);
  private reported = 0;

  constructor(
    readonly set: EdgeSet,
    private readonly naming: EdgeNamingTable,
    private readonly keys: KeyViolations,
    private readonly out: LeafLayout,
    /** Hears of the keys laid so far, after every page area's worth. */
    private readonly onKeys: (keys: number) => void,
  ) {
    const edge = new Uint32Array(HEADER + naming.maxKeys + naming.keyedTypes);
    edge[SET] = EDGE_SETS.indexOf(set);
    for (const field of [PREVIOUS_FIRST, PREVIOUS_SECOND, PREVIOUS_THIRD, OWNER, LAST_ATTRIBUTE, LAST_OWNER_HI]) edge[field] = NONE;
    this.edge = edge;
  }

  /** Keys laid. */
  get keysLaid(): number {
    return this.edge[EDGES]!;
  }

  /** Role players counted (a ROLE set's repetitions added up). */
  get playersCounted(): number {
    return this.edge[REPEATS]!;
  }

  /** Lays the keys of the sorted records in `words[at, end)`; `last` when no records follow. */
  lay(words: Uint32Array, at: number, end: number, last: boolean): void {
    const { native, naming, edge, scratch } = this;
    edge[FINISH] = last ? 1 : 0;
    this.out.layLeaves((area, state, pages) => {
      at = native.emitEdgeKeys(words, at, end, naming.table, edge, scratch, area, state, pages);
      this.onKeys(edge[EDGES]! - this.reported);
      this.reported = edge[EDGES]!;
    });
    if (edge[VIOLATION] !== 0) throw this.keys.error(this.violation());
    if (last && this.set === 'has') {
      const failure = this.afterOwnerships();
      if (failure !== undefined) throw failure;
    }
  }

  /** Lays the keys of the records `cursor` reads (records of other arrays, merged), copied a block at a time. */
  layFrom(cursor: RecordCursor): void {
    const keyWords = KEY_WORDS[this.set];
    let words = new Uint32Array(BLOCK_WORDS);
    let bytes = new Uint8Array(words.buffer);
    let used = 0;
    while (cursor.next()) {
      const { key, keyAt, payload, payloadStart, payloadEnd } = cursor;
      const size = recordWords(keyWords, payloadEnd - payloadStart);
      if (used + size > words.length) {
        this.lay(words, 0, used, false);
        used = 0;
        if (size > words.length) {
          words = new Uint32Array(size);
          bytes = new Uint8Array(words.buffer);
        }
      }
      words[used] = payloadEnd - payloadStart;
      for (let w = 0; w < keyWords; w++) words[used + 1 + w] = key[keyAt + w]!;
      bytes.set(payload.subarray(payloadStart, payloadEnd), (used + 1 + keyWords) * 4);
      used += size;
    }
    this.lay(words, 0, used, true);
  }

  private violation(): KeyViolation {
    const edge = this.edge;
    const fact = (i: number) => edge[FACT + i]!;
    const iid = (region: number, length: number) => Buffer.from(this.scratch.subarray(region * MAX_KEY_BYTES, region * MAX_KEY_BYTES + length));
    const ownerIid = () => iid(OWNER_IID, edge[OWNER_IID_LENGTH]!);
    switch (edge[VIOLATION]) {
      case TOO_MANY_KEYS:
        return { kind: 'tooManyKeys', ownerHi: fact(0), ownerLo: fact(1), ownerIid: ownerIid(), keyType: fact(2), count: fact(3) };
      case MISSING_KEYS: {
        const keyCounts = [...edge.subarray(HEADER, HEADER + this.naming.maxKeys)];
        return { kind: 'missingKeys', ownerHi: fact(0), ownerLo: fact(1), ownerIid: ownerIid(), keyCounts };
      }
      case OWNS_NONE:
        return { kind: 'ownsNone', hi: fact(0), lo: fact(1) };
      case UNIQUE_TAKEN:
        return {
          kind: 'uniqueTaken',
          attributeHi: fact(0),
          attributeIid: iid(FACT_ATTRIBUTE_IID, edge[FACT_ATTRIBUTE_IID_LENGTH]!),
          ownerHi: fact(1),
          ownerLo: fact(2),
          ownerIid: iid(FACT_OWNER_IID, edge[FACT_OWNER_IID_LENGTH]!),
          previousOwnerLo: fact(3),
          previousOwnerIid: iid(LAST_OWNER_IID, edge[LAST_OWNER_IID_LENGTH]!),
        };
      default:
        throw new Error(`emitEdgeKeys reported violation ${edge[VIOLATION]}, which this build does not know`);
    }
  }

  /** Instances after the last owner of their type that own no key (the kernel keeps the next one expected). */
  private afterOwnerships(): MigrationError | undefined {
    const expected = this.edge.subarray(HEADER + this.naming.maxKeys);
    return this.keys.afterOwnerships((hi) => {
      const slot = this.naming.slot(hi & 0xffff);
      const next = slot === 0 ? 0 : expected[slot - 1]!;
      return next === 0 ? undefined : next - 1;
    });
  }
}
