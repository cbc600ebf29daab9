// Sort records that a native kernel writes for one sorter, a batch at a time (native/src/run_merge.h's batch_t):
// the kernel stops when the batch is full, and the batch is added to the sorter whole (ExternalSorter.addRecords).

import type { ExternalSorter } from './external-sorter.js';

/**
 * 64 KiB: little fresh memory to touch, and it stays in the caches while it is copied out; a million edges are
 * still only a few hundred calls. (At most the smallest sorter's spill limit, 2^16 words.)
 */
const BATCH_WORDS = 1 << 14;
/** meta[2] when the records' sizes differ. */
const MIXED_SIZES = 0xffff_ffff;

export class SorterBatch {
  words = new Uint32Array(BATCH_WORDS);
  /** [words used, records, the size of every record in words (0: none yet; MIXED_SIZES)]. */
  readonly meta = new Uint32Array(3);

  constructor(private readonly sorter: ExternalSorter) {}

  /** Adds the batch's records to the sorter, and empties it. */
  flush(): void {
    const [used, count, size] = this.meta as unknown as [number, number, number];
    if (count === 0) return;
    this.sorter.addRecords(this.words, used, count, size === MIXED_SIZES ? -1 : size);
    this.meta.fill(0);
  }

  /**
   * Makes room for the record a kernel stopped at: flushes the batch, or grows it if it is empty (the record is
   * longer than the whole batch).
   */
  makeRoom(): void {
    if (this.meta[1] === 0) this.words = new Uint32Array(2 * this.words.length);
    else this.flush();
  }
}
