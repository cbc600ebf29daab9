// The three sorters pass 1 fills, in a file of their own: the index worker loads this, not pass-one.ts and all
// that it needs.

import { ExternalSorter } from './external-sorter.js';
import { ATTRIBUTE_PAYLOAD_ORDER, HASH_WORDS } from './records.js';
import type { WordPool } from './word-pool.js';

export interface PassOneSorters {
  readonly definitions: ExternalSorter;
  readonly attributes: ExternalSorter;
  readonly references: ExternalSorter;
}

/**
 * The three pass-1 sorters, as both halves create them (the second half's run files are named apart).
 * `inPlace`: definitions and references are sorted without spare arrays. The importer's thread does so: a spare
 * would be fresh memory, slow to touch, on the longer of the two halves' paths. The worker sorts through spares
 * instead, and hands them over to be refilled by the join's edges. (Which of several definitions of one ID, or
 * of several references to it, comes first then depends on the sort, but not on anything else: the order of
 * equal keys only decides which of several errors in a file is reported.)
 */
export function passOneSorters(dir: string, sorterBytes: number, pool: WordPool, inPlace: boolean, suffix = ''): PassOneSorters {
  // Hash keys are radix-sorted on their first word only: equal first words are rare except for the same ID,
  // and the sorter orders such groups by the other words afterwards.
  const byHash = { keyWords: HASH_WORDS, radixBits: 32, memoryBytes: sorterBytes, pool, inPlace };
  return {
    definitions: new ExternalSorter({ dir, name: `definitions${suffix}`, ...byHash }),
    attributes: new ExternalSorter({ dir, name: `attributes${suffix}`, keyWords: 3, payloadOrder: ATTRIBUTE_PAYLOAD_ORDER, memoryBytes: sorterBytes, pool }),
    references: new ExternalSorter({ dir, name: `references${suffix}`, ...byHash }),
  };
}
