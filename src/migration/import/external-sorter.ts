// An external sort of records made of a fixed-width key (unsigned 32-bit words, most significant first) and a
// variable-length payload. Records collect in memory up to a budget, are sorted there (physical radix sort:
// radix-sort.ts), and are spilled to a run file when the budget is reached; reading merges the runs (k-way, by a
// binary heap: sorted-runs.ts) with the records still in memory. Memory therefore stays at the budget plus one
// read buffer per run, whatever the number of records, and nothing touches the disk when everything fits. The
// word arrays come from, and go back to, the thread's WordPool.
//
// In memory and in run files, a record is [payload bytes][key words][payload padded to whole words], so a run is
// written with one write call and read back without decoding.

import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { radixSortInPlace, radixSortRecords, recordWords } from './radix-sort.js';
import { mergeOrder, orderTies, type PayloadOrdering } from './payload-order.js';
import { Arena, EmptyCursor, FileRunCursor, MemoryRun, MemoryRunCursor, MergeCursor, RunSet, type RecordCursor } from './sorted-runs.js';
import { WordPool } from './word-pool.js';

export type { RecordCursor } from './sorted-runs.js';
export type { PayloadOrdering } from './payload-order.js';

export interface SorterOptions {
  /** Directory for run files, and a name for them. */
  readonly dir: string;
  readonly name: string;
  readonly keyWords: number;
  /**
   * How many leading key bits the radix sort orders by, a multiple of 8 (default: all). Records equal in these bits
   * are then ordered by their whole keys and `payloadOrder`: worth it when the leading bits almost always differ
   * (hashes), since every byte of key costs a pass.
   */
  readonly radixBits?: number;
  readonly payloadOrder?: PayloadOrdering;
  /**
   * Records are added in order of their key words after the first `radixBits` bits (a reverse edge set filled from
   * its sorted forward set): the stable radix sort by those bits then completes the order, and ties are left as
   * they are. Not with inPlace (that sort is not stable) nor payloadOrder.
   */
  readonly restInOrder?: boolean;
  /** Memory for records before they are spilled to a run, sorting space included. */
  readonly memoryBytes: number;
  /**
   * Sort records that all have one size in place, without a spare array as large as they are (whose memory would
   * have to be touched for the first time): then records with equal keys come in an order that is deterministic
   * but not the order they were added in.
   */
  readonly inPlace?: boolean;
  /** Where the word arrays come from (default: a pool of the sorter's own). */
  readonly pool?: WordPool;
}

/** Sorted records handed from one sorter to another, across threads: run files, and the rest still in memory. */
export interface HandedRuns {
  readonly runs: readonly string[];
  /** Sorted records in words [0, used) of `words` (transferable to another thread). */
  readonly memory: { readonly words: Uint32Array<ArrayBuffer>; readonly used: number } | undefined;
  /** Bytes in run files. */
  readonly bytes: number;
  readonly records: number;
}

/**
 * The options with every field, in one order: the callers' objects have several shapes (literals, spreads), and the
 * tie ordering that every sorter runs reads them, so it was compiled for one shape, thrown away at the next, and
 * compiled again.
 */
function sorterOptions(options: SorterOptions): SorterOptions {
  // Every key, so that an option added later cannot be left out here (the compiler says so).
  const all: { [K in keyof Required<SorterOptions>]: SorterOptions[K] } = {
    dir: options.dir,
    name: options.name,
    keyWords: options.keyWords,
    radixBits: options.radixBits,
    payloadOrder: options.payloadOrder,
    restInOrder: options.restInOrder,
    memoryBytes: options.memoryBytes,
    inPlace: options.inPlace,
    pool: options.pool,
  };
  return all;
}

/** A sorted run: a file, or records in memory. */
type Run = string | MemoryRun;

/**
 * Finished records moved to another thread (SortedRecords.moveOut, then SortedRecords.movedIn there): run files,
 * and arrays of sorted records that move without a copy (in the transfer list moveOut returns).
 */
export interface MovedRecords {
  readonly name: string;
  readonly keyWords: number;
  readonly runs: readonly (string | { readonly words: Uint32Array<ArrayBuffer>; readonly used: number })[];
  readonly size: number;
  readonly spilledBytes: number;
}

export class ExternalSorter {
  /** Fill with the next record's key words, then call add() or append(). */
  readonly key: Uint32Array;
  private memory: Arena | undefined;
  private used = 0;
  private count = 0;
  /** The size in words of every record in memory, or -1 once they differ. */
  private uniformSize = 0;
  private total = 0;
  /** Whether the records in memory are in order (prepare() was called and nothing added since). */
  private sorted = false;
  private readonly runs: Run[] = [];
  private spilled = 0;
  private readonly words: number;
  private readonly radixBits: number;
  /**
   * Words of records in memory at which they are spilled: two thirds of the budget. Sorting needs as much again,
   * but the sorters of a thread sort one at a time and share one spare array (WordPool), so with two or more
   * sorters records and spare together stay within their budgets.
   */
  private readonly limit: number;
  private readonly pool: WordPool;

  private readonly options: SorterOptions;

  constructor(options: SorterOptions) {
    this.options = sorterOptions(options);
    this.words = options.keyWords;
    this.radixBits = Math.min(options.radixBits ?? 32 * this.words, 32 * this.words);
    this.key = new Uint32Array(this.words);
    this.limit = Math.max(1 << 16, Math.floor(options.memoryBytes / 6));
    this.pool = options.pool ?? new WordPool();
  }

  /** Records added so far. */
  get size(): number {
    return this.total;
  }

  /** Bytes written to run files so far. */
  get spilledBytes(): number {
    return this.spilled;
  }

  /** Where append()'s payloads go (replaced when memory grows: read it after each append). */
  get arena(): Buffer {
    return this.memory!.bytes;
  }

  add(payload?: Uint8Array, start = 0, end = payload?.length ?? 0): void {
    const length = end - start;
    const at = this.append(length);
    if (length > 0) {
      // Payloads are mostly a few dozen bytes, where a loop beats the native copy's call overhead.
      const arena = this.memory!.bytes;
      if (length <= 64) for (let i = start, to = at; i < end; i++, to++) arena[to] = payload![i]!;
      else arena.set(payload!.subarray(start, end), at);
    }
  }

  /**
   * Adds a record with the key in `key` and a payload of `length` bytes that the caller writes into
   * `arena[at, at + length)` right away (before adding anything else); returns `at`.
   */
  append(length: number): number {
    const size = recordWords(this.words, length);
    this.makeRoom(size);
    if (size !== this.uniformSize) this.uniformSize = this.count === 0 ? size : -1;
    const words = this.memory!.words;
    let at = this.used;
    words[at++] = length;
    const key = this.key;
    for (let w = 0; w < this.words; w++) words[at++] = key[w]!;
    this.used += size;
    this.count++;
    this.total++;
    return at * 4;
  }

  /** Spills, or takes a larger array, as the next record of `size` words needs. */
  private makeRoom(size: number): void {
    this.sorted = false;
    if (this.count > 0 && this.used + size > this.limit) this.spill();
    if (this.memory === undefined || this.used + size > this.memory.words.length) this.grow(this.used + size);
  }

  /**
   * Hands the state of the records in memory to native code that appends records itself (indexViews): words
   * used, records, the size of every record (or -1) and the spill limit go into fill[at, at + 4); returns the
   * array they are in (empty when there is none yet). Until fillFrom, nothing else may add records.
   */
  fillTo(fill: Int32Array, at: number): Uint32Array {
    fill[at] = this.used;
    fill[at + 1] = this.count;
    fill[at + 2] = this.uniformSize;
    fill[at + 3] = this.limit;
    return this.memory?.words ?? NO_WORDS;
  }

  /** Takes back the state fillTo handed out, with the records native code appended since. */
  fillFrom(fill: Int32Array, at: number): void {
    const count = fill[at + 1]!;
    if (count === this.count) return;
    this.sorted = false;
    this.total += count - this.count;
    this.used = fill[at]!;
    this.count = count;
    this.uniformSize = fill[at + 2]!;
  }

  /**
   * For native code appending records (fillTo): makes room for a record of `size` words as append() does, and
   * returns the array the records are now in.
   */
  roomFor(fill: Int32Array, at: number, size: number): Uint32Array {
    this.fillFrom(fill, at);
    this.makeRoom(size);
    return this.fillTo(fill, at);
  }

  /**
   * Adds the `count` whole records in `records[0, used)` (a native kernel's batch, laid out as this sorter lays
   * them), each `uniformSize` words long, or -1 when their sizes differ.
   */
  addRecords(records: Uint32Array, used: number, count: number, uniformSize: number): void {
    if (count === 0) return;
    this.makeRoom(used);
    if (uniformSize !== this.uniformSize) this.uniformSize = this.count === 0 ? uniformSize : -1;
    this.memory!.words.set(records.subarray(0, used), this.used);
    this.used += used;
    this.count += count;
    this.total += count;
  }

  /**
   * Takes the memory array now instead of at the first record: the pool hands out its most written arrays first,
   * which cost the least to fill, so the sorters that will hold the most should reserve theirs first.
   */
  reserve(): void {
    if (this.memory === undefined) this.grow(0);
  }

  /**
   * Sorts what is in memory now (while this thread would otherwise wait), so that finish() has nothing left to
   * sort unless records are added in between.
   */
  prepare(): void {
    if (this.sorted) return;
    this.sortInMemory();
    this.sorted = true;
  }

  /** Sorts what is in memory and returns every record added, in order. The sorter must not be used after. */
  finish(): SortedRecords {
    if (!this.sorted) this.sortInMemory();
    const runs = [...this.runs];
    const memory = this.takeMemory();
    if (memory !== undefined) runs.push(new MemoryRun(this.words, new Arena(memory.words), memory.used, this.pool));
    return new SortedRecords(this.options, runs, this.total, this.spilled);
  }

  /**
   * Sorts what is in memory and hands over everything (for a sorter of another thread to adopt); the sorter must
   * not be used after.
   */
  handOver(): HandedRuns {
    if (!this.sorted) this.sortInMemory();
    const runs: string[] = [];
    for (const run of this.runs) {
      if (typeof run !== 'string') throw new Error(`sorter '${this.options.name}' cannot hand over runs it adopted`);
      runs.push(run);
    }
    return { runs, memory: this.takeMemory(), bytes: this.spilled, records: this.total };
  }

  /** Takes over the sorted records another sorter with the same options handed over (handOver). */
  adopt(handed: HandedRuns): void {
    this.runs.push(...handed.runs);
    if (handed.memory !== undefined) this.runs.push(new MemoryRun(this.words, new Arena(handed.memory.words), handed.memory.used, this.pool));
    this.spilled += handed.bytes;
    this.total += handed.records;
  }

  /** Deletes the run files (after a failure). */
  discard(): void {
    for (const run of this.runs) if (typeof run === 'string') rmSync(run, { force: true });
    this.runs.length = 0;
  }

  /** The records in memory, leaving none (undefined when there are none). */
  private takeMemory(): { words: Uint32Array<ArrayBuffer>; used: number } | undefined {
    const memory = this.memory;
    this.memory = undefined;
    if (memory === undefined) return undefined;
    if (this.count === 0) {
      this.pool.give(memory.words, 0);
      return undefined;
    }
    return { words: memory.words, used: this.used };
  }

  /** Sorts the records in memory, with a spare array from the pool, which gets back the one left over. */
  private sortInMemory(): void {
    const memory = this.memory;
    if (memory === undefined || this.count < 2) return;
    if (this.options.inPlace && this.uniformSize > 0 && !this.options.restInOrder) {
      let scratch: Uint32Array<ArrayBuffer> | undefined;
      let scratchWords = 0;
      radixSortInPlace(memory.words, this.used, this.uniformSize, this.words, this.radixBits, (words) => {
        scratchWords = words;
        return (scratch = this.pool.take(words));
      });
      if (scratch !== undefined) this.pool.give(scratch, scratchWords);
    } else {
      this.sortThroughSpare(memory);
    }
    if ((this.radixBits < 32 * this.words && !this.options.restInOrder) || this.options.payloadOrder !== undefined) {
      orderTies(this.memory!.words, this.used, this.words, this.radixBits, this.options.payloadOrder);
    }
  }

  private sortThroughSpare(memory: Arena): void {
    const spare = this.pool.take(this.used, this.limit);
    const sorted = radixSortRecords(memory.words, spare, this.used, this.count, this.words, this.radixBits);
    if (sorted === spare) {
      this.pool.give(memory.words, this.used);
      this.memory = new Arena(spare);
    } else {
      this.pool.give(spare, this.used);
    }
  }

  private spill(): void {
    this.sortInMemory();
    const sorted = this.memory!;
    const path = join(this.options.dir, `${this.options.name}-${this.runs.length}.run`);
    const fd = openSync(path, 'wx');
    try {
      const bytes = this.used * 4;
      let done = 0;
      while (done < bytes) done += writeSync(fd, sorted.bytes, done, bytes - done);
      this.spilled += bytes;
    } finally {
      closeSync(fd);
    }
    this.runs.push(path);
    this.count = 0;
    this.used = 0;
  }

  /** Takes an array from the pool: at first, and when the one taken is full before the limit (or a record is larger). */
  private grow(needed: number): void {
    const grown = new Arena(this.pool.take(needed, Math.max(needed, this.limit)));
    if (this.memory !== undefined) {
      grown.words.set(this.memory.words.subarray(0, this.used));
      this.pool.give(this.memory.words, this.used);
    }
    this.memory = grown;
  }
}

const NO_WORDS = new Uint32Array(0);

/** The sorted records of one sorter: its runs in files and in memory. Can be read several times. */
export class SortedRecords {
  private disposed = false;

  constructor(
    private readonly options: SorterOptions,
    private readonly runs: Run[],
    /** Number of records. */
    readonly size: number,
    /** Bytes in run files. */
    readonly spilledBytes: number,
    /** Whether dispose() releases the runs (a combination made by followedBy() only reads them). */
    private readonly owned = true,
  ) {}

  /**
   * These records and `other`'s (sorted alike), read as one: among equal records, these come first. Disposing
   * the combination releases nothing; dispose of both parts.
   */
  followedBy(other: SortedRecords): SortedRecords {
    return new SortedRecords(this.options, [...this.runs, ...other.runs], this.size + other.size, this.spilledBytes + other.spilledBytes, false);
  }

  /** A cursor over all records in key order (records with equal keys: by payload order, then as added). */
  open(): RecordCursor {
    if (this.disposed) throw new Error(`sorted records '${this.options.name}' were already disposed`);
    const keyWords = this.options.keyWords;
    const cursors = this.runs.map((run): RecordCursor => (typeof run === 'string' ? new FileRunCursor(run, keyWords) : new MemoryRunCursor(run)));
    if (cursors.length === 0) return new EmptyCursor();
    if (cursors.length === 1) return cursors[0]!;
    return new MergeCursor(cursors, keyWords, mergeOrder(this.options.payloadOrder));
  }

  /**
   * The runs as the native kernels read them: each kernel merges them itself, in the order of open() (ties by key
   * words, by the payload order of its own records, then by run).
   */
  openRuns(): RunSet {
    if (this.disposed) throw new Error(`sorted records '${this.options.name}' were already disposed`);
    return new RunSet(this.runs, this.options.keyWords);
  }

  /**
   * Hands the records to another thread: this object is disposed of without releasing anything, the receiver
   * (movedIn) owns the runs. Not for combinations (followedBy) nor records ordered by payload (a function).
   */
  moveOut(): { moved: MovedRecords; transfer: ArrayBuffer[] } {
    if (this.disposed || !this.owned || this.options.payloadOrder !== undefined) {
      throw new Error(`sorted records '${this.options.name}' cannot move to another thread`);
    }
    this.disposed = true;
    const transfer: ArrayBuffer[] = [];
    const runs = this.runs.map((run) => {
      if (typeof run === 'string') return run;
      transfer.push(run.arena.words.buffer);
      return { words: run.arena.words, used: run.used };
    });
    const moved: MovedRecords = { name: this.options.name, keyWords: this.options.keyWords, runs, size: this.size, spilledBytes: this.spilledBytes };
    return { moved, transfer };
  }

  /** Records another thread moved out, owned here; their arrays go to `pool` when disposed of. */
  static movedIn(moved: MovedRecords, dir: string, pool: WordPool): SortedRecords {
    const { name, keyWords } = moved;
    const runs = moved.runs.map((run): Run => (typeof run === 'string' ? run : new MemoryRun(keyWords, new Arena(run.words), run.used, pool)));
    return new SortedRecords(sorterOptions({ dir, name, keyWords, memoryBytes: 0 }), runs, moved.size, moved.spilledBytes);
  }

  /** Deletes the run files and gives the memory back. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (!this.owned) return;
    for (const run of this.runs) {
      if (typeof run === 'string') rmSync(run, { force: true });
      else run.release();
    }
  }
}
