// An external sort of records made of a fixed-width key (unsigned 32-bit words, most significant first) and a
// variable-length payload. Records collect in memory up to a budget, are sorted there (physical radix sort:
// radix-sort.ts), and are spilled to a run file when the budget is reached; reading merges the runs (k-way, by a
// binary heap) with the records still in memory. Memory therefore stays at the budget plus one read buffer per
// run, whatever the number of records, and nothing touches the disk when everything fits.
//
// In memory and in run files, a record is [payload bytes][key words][payload padded to whole words], so a run is
// written with one write call and read back without decoding.

import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { compareWords, radixSortRecords, recordWords } from './radix-sort.js';

/** Orders two records whose key words are equal, by their payloads. */
export type PayloadOrder = (a: Buffer, aStart: number, aEnd: number, b: Buffer, bStart: number, bEnd: number) => number;

export interface SorterOptions {
  /** Directory for run files, and a name for them. */
  readonly dir: string;
  readonly name: string;
  readonly keyWords: number;
  /**
   * How many leading key words the radix sort orders by (default: all). Records equal in these words are then
   * ordered by the remaining words and `payloadOrder`: worth it when the leading words almost always differ
   * (hashes), since every radix word costs two passes.
   */
  readonly radixWords?: number;
  readonly payloadOrder?: PayloadOrder;
  /** Memory for records before they are spilled to a run, sorting space included. */
  readonly memoryBytes: number;
}

/** Run files handed from one sorter to another (between threads). */
export interface SpilledRuns {
  readonly runs: readonly string[];
  readonly bytes: number;
  readonly records: number;
}

/** The current record of a cursor: `key[keyAt..keyAt+keyWords)` and `payload[payloadStart..payloadEnd)`. */
export interface RecordCursor {
  /** Moves to the next record; false when there is none (the fields are then meaningless). */
  next(): boolean;
  readonly key: Uint32Array;
  readonly keyAt: number;
  readonly payload: Buffer;
  readonly payloadStart: number;
  readonly payloadEnd: number;
  close(): void;
}

const READ_BUFFER = 1 << 20;

/** A word array with a byte view of the same memory. */
class Arena {
  readonly words: Uint32Array;
  readonly bytes: Buffer;

  constructor(size: number) {
    this.words = new Uint32Array(size);
    this.bytes = Buffer.from(this.words.buffer, this.words.byteOffset, this.words.byteLength);
  }
}

export class ExternalSorter {
  /** Fill with the next record's key words, then call add() or append(). */
  readonly key: Uint32Array;
  private memory: Arena;
  /** The second buffer radix passes write into, allocated when first needed. */
  private spare: Arena | undefined;
  private used = 0;
  private count = 0;
  private total = 0;
  /** Whether the records in memory are in order (prepare() was called and nothing added since). */
  private sorted = false;
  private readonly runs: string[] = [];
  private spilled = 0;
  private readonly words: number;
  private readonly radixWords: number;
  /** Words in memory (both buffers together) at which the records are spilled. */
  private readonly limit: number;

  constructor(private readonly options: SorterOptions) {
    this.words = options.keyWords;
    this.radixWords = Math.min(options.radixWords ?? this.words, this.words);
    this.key = new Uint32Array(this.words);
    this.limit = Math.max(1 << 16, Math.floor(options.memoryBytes / 8));
    // Allocated at full size: large typed arrays come from mmap'ed zero pages, which cost nothing until touched,
    // while growing by copying costs a copy and a fresh zeroed array per step.
    this.memory = new Arena(this.limit);
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
    return this.memory.bytes;
  }

  add(payload?: Uint8Array, start = 0, end = payload?.length ?? 0): void {
    const length = end - start;
    const at = this.append(length);
    if (length > 0) {
      // Payloads are mostly a few dozen bytes, where a loop beats the native copy's call overhead.
      const arena = this.memory.bytes;
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
    this.sorted = false;
    if (this.count > 0 && this.used + size > this.limit) this.spill();
    if (this.used + size > this.memory.words.length) this.grow(this.used + size);
    const words = this.memory.words;
    let at = this.used;
    words[at++] = length;
    const key = this.key;
    for (let w = 0; w < this.words; w++) words[at++] = key[w]!;
    this.used += size;
    this.count++;
    this.total++;
    return at * 4;
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
    const sorted = this.sorted ? this.memory : this.sortInMemory();
    const memory = new MemoryRun(this.words, sorted, this.used);
    this.spare = undefined;
    return new SortedRecords(this.options, [...this.runs], memory, this.total, this.spilled);
  }

  /**
   * Sorts and writes what is in memory as a last run, and hands over all runs (for another thread to adopt);
   * the sorter must not be used after.
   */
  spillAll(): SpilledRuns {
    if (this.count > 0) this.spill();
    return { runs: [...this.runs], bytes: this.spilled, records: this.total };
  }

  /** Takes over sorted runs written by another sorter with the same options (spillAll). */
  adopt(runs: SpilledRuns): void {
    this.runs.push(...runs.runs);
    this.spilled += runs.bytes;
    this.total += runs.records;
  }

  /** Deletes the run files (after a failure). */
  discard(): void {
    for (const run of this.runs) rmSync(run, { force: true });
    this.runs.length = 0;
  }

  /** Sorts the records in memory; returns the arena that holds them sorted. */
  private sortInMemory(): Arena {
    if (this.count < 2) return this.memory;
    if (this.spare === undefined || this.spare.words.length < this.used) this.spare = new Arena(this.memory.words.length);
    const sorted = radixSortRecords(this.memory.words, this.spare.words, this.used, this.count, this.words, this.radixWords);
    const arena = sorted === this.memory.words ? this.memory : this.spare;
    const other = arena === this.memory ? this.spare : this.memory;
    if (this.radixWords < this.words || this.options.payloadOrder !== undefined) this.orderTies(arena, other);
    // Keep appending into the other buffer; the sorted one is spilled or handed over.
    this.memory = arena;
    this.spare = other;
    return arena;
  }

  /** Orders groups of records equal in their radix words by the remaining words, then by payload. */
  private orderTies(arena: Arena, scratch: Arena): void {
    const { words: data, bytes } = arena;
    const keyWords = this.words;
    const radixWords = this.radixWords;
    const rest = keyWords - radixWords;
    const payloadOrder = this.options.payloadOrder;
    let groupStart = 0;
    let groupSize = 1;
    let previous = 0;
    const flush = (end: number) => {
      if (groupSize < 2) return;
      if (payloadOrder === undefined) {
        // Nearly always the same ID over and over: equal in every word, nothing to reorder.
        let same = true;
        for (let at = groupStart; at < end && same; at += 1 + keyWords + ((data[at]! + 3) >>> 2)) {
          same = compareWords(data, at + 1 + radixWords, data, groupStart + 1 + radixWords, rest) === 0;
        }
        if (same) return;
      }
      // Record starts of the group, sorted, then the group rewritten in that order.
      const starts: number[] = [];
      for (let at = groupStart; at < end; at += 1 + keyWords + ((data[at]! + 3) >>> 2)) starts.push(at);
      starts.sort((a, b) => {
        const byWords = compareWords(data, a + 1 + radixWords, data, b + 1 + radixWords, rest);
        if (byWords !== 0) return byWords;
        if (payloadOrder !== undefined) {
          const aStart = (a + 1 + keyWords) * 4;
          const bStart = (b + 1 + keyWords) * 4;
          const byPayload = payloadOrder(bytes, aStart, aStart + data[a]!, bytes, bStart, bStart + data[b]!);
          if (byPayload !== 0) return byPayload;
        }
        return a - b;
      });
      let to = 0;
      for (const s of starts) {
        const size = 1 + keyWords + ((data[s]! + 3) >>> 2);
        scratch.words.set(data.subarray(s, s + size), to);
        to += size;
      }
      data.set(scratch.words.subarray(0, to), groupStart);
    };
    for (let at = 0; at < this.used; ) {
      const size = 1 + keyWords + ((data[at]! + 3) >>> 2);
      if (at > 0 && compareWords(data, at + 1, data, previous + 1, radixWords) === 0) groupSize++;
      else {
        flush(at);
        groupStart = at;
        groupSize = 1;
      }
      previous = at;
      at += size;
    }
    flush(this.used);
  }

  private spill(): void {
    const sorted = this.sortInMemory();
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

  /** Only a record larger than the whole budget needs more room than the arena has. */
  private grow(needed: number): void {
    const grown = new Arena(needed);
    grown.words.set(this.memory.words.subarray(0, this.used));
    this.memory = grown;
  }
}

/** The sorted records of one sorter: run files plus the last, in-memory run. Can be read several times. */
export class SortedRecords {
  private disposed = false;

  constructor(
    private readonly options: SorterOptions,
    private readonly runs: string[],
    private memory: MemoryRun | undefined,
    /** Number of records. */
    readonly size: number,
    /** Bytes in run files. */
    readonly spilledBytes: number,
  ) {}

  /** A cursor over all records in key order (records with equal keys: by payload order, then as added). */
  open(): RecordCursor {
    if (this.disposed) throw new Error(`sorted records '${this.options.name}' were already disposed`);
    const cursors: RecordCursor[] = this.runs.map((path) => new FileRunCursor(path, this.options.keyWords));
    if (this.memory !== undefined) cursors.push(new MemoryRunCursor(this.memory));
    if (cursors.length === 1) return cursors[0]!;
    return new MergeCursor(cursors, this.options.keyWords, this.options.payloadOrder);
  }

  /** Deletes the run files and releases the memory. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const run of this.runs) rmSync(run, { force: true });
    this.memory = undefined;
  }
}

/** Records in sorted order in `arena.words[0, used)`. */
class MemoryRun {
  constructor(
    readonly keyWords: number,
    readonly arena: Arena,
    readonly used: number,
  ) {}
}

class MemoryRunCursor implements RecordCursor {
  private at = 0;
  keyAt = 0;
  payloadStart = 0;
  payloadEnd = 0;
  readonly key: Uint32Array;
  readonly payload: Buffer;

  constructor(private readonly run: MemoryRun) {
    this.key = run.arena.words;
    this.payload = run.arena.bytes;
  }

  next(): boolean {
    const at = this.at;
    if (at >= this.run.used) return false;
    const words = this.key;
    const keyWords = this.run.keyWords;
    const length = words[at]!;
    this.keyAt = at + 1;
    this.payloadStart = (at + 1 + keyWords) * 4;
    this.payloadEnd = this.payloadStart + length;
    this.at = at + 1 + keyWords + ((length + 3) >>> 2);
    return true;
  }

  close(): void {
    this.at = this.run.used;
  }
}

class FileRunCursor implements RecordCursor {
  private fd: number | undefined;
  private arena = new Arena(READ_BUFFER / 4);
  /** Word positions in the buffer: next record, end of valid data. */
  private at = 0;
  private end = 0;
  private filePos = 0;
  keyAt = 0;
  payloadStart = 0;
  payloadEnd = 0;

  constructor(
    private readonly path: string,
    private readonly keyWords: number,
  ) {
    this.fd = openSync(path, 'r');
  }

  get key(): Uint32Array {
    return this.arena.words;
  }

  get payload(): Buffer {
    return this.arena.bytes;
  }

  next(): boolean {
    if (!this.ensure(1)) return this.finish();
    const length = this.arena.words[this.at]!;
    const size = 1 + this.keyWords + ((length + 3) >>> 2);
    if (!this.ensure(size)) throw new Error(`run file '${this.path}' ends inside a record`);
    const at = this.at;
    this.keyAt = at + 1;
    this.payloadStart = (at + 1 + this.keyWords) * 4;
    this.payloadEnd = this.payloadStart + length;
    this.at = at + size;
    return true;
  }

  /** Makes at least n unread words available at this.at; false at the end of the file. */
  private ensure(n: number): boolean {
    if (this.end - this.at >= n) return true;
    if (this.fd === undefined) return false;
    const rest = this.end - this.at;
    if (n > this.arena.words.length) {
      const grown = new Arena(Math.max(n, this.arena.words.length * 2));
      grown.words.set(this.arena.words.subarray(this.at, this.end));
      this.arena = grown;
    } else {
      this.arena.words.copyWithin(0, this.at, this.end);
    }
    this.at = 0;
    this.end = rest;
    const bytes = this.arena.bytes;
    let filled = rest * 4;
    while (filled < n * 4) {
      const read = readSync(this.fd, bytes, filled, bytes.length - filled, this.filePos);
      if (read === 0) break;
      filled += read;
      this.filePos += read;
    }
    // Run files hold whole words; a partial word can only be the end of a damaged file.
    this.end = filled >>> 2;
    if (filled % 4 !== 0 && this.end < n) throw new Error(`run file '${this.path}' is damaged`);
    return this.end >= n;
  }

  private finish(): boolean {
    if (this.end > this.at) throw new Error(`run file '${this.path}' ends inside a record`);
    this.close();
    return false;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** A k-way merge of sorted cursors; equal records come in cursor order (earlier runs first). */
class MergeCursor implements RecordCursor {
  /** Heap of cursor indexes, smallest record first. */
  private readonly heap: number[] = [];
  private started = false;
  private top: RecordCursor | undefined;

  constructor(
    private readonly cursors: RecordCursor[],
    private readonly words: number,
    private readonly payloadOrder: PayloadOrder | undefined,
  ) {}

  get key(): Uint32Array {
    return this.top!.key;
  }
  get keyAt(): number {
    return this.top!.keyAt;
  }
  get payload(): Buffer {
    return this.top!.payload;
  }
  get payloadStart(): number {
    return this.top!.payloadStart;
  }
  get payloadEnd(): number {
    return this.top!.payloadEnd;
  }

  next(): boolean {
    const heap = this.heap;
    if (!this.started) {
      this.started = true;
      for (let i = 0; i < this.cursors.length; i++) if (this.cursors[i]!.next()) this.push(i);
    } else if (heap.length > 0) {
      const i = heap[0]!;
      if (this.cursors[i]!.next()) this.siftDown(0);
      else {
        const last = heap.pop()!;
        if (heap.length > 0) {
          heap[0] = last;
          this.siftDown(0);
        }
      }
    }
    if (heap.length === 0) {
      this.top = undefined;
      return false;
    }
    this.top = this.cursors[heap[0]!];
    return true;
  }

  close(): void {
    for (const c of this.cursors) c.close();
    this.heap.length = 0;
  }

  private less(a: number, b: number): boolean {
    const x = this.cursors[a]!;
    const y = this.cursors[b]!;
    const byKey = compareWords(x.key, x.keyAt, y.key, y.keyAt, this.words);
    if (byKey !== 0) return byKey < 0;
    if (this.payloadOrder !== undefined) {
      const byPayload = this.payloadOrder(x.payload, x.payloadStart, x.payloadEnd, y.payload, y.payloadStart, y.payloadEnd);
      if (byPayload !== 0) return byPayload < 0;
    }
    return a < b;
  }

  private push(i: number): void {
    const heap = this.heap;
    heap.push(i);
    let at = heap.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.less(heap[at]!, heap[parent]!)) break;
      [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
      at = parent;
    }
  }

  private siftDown(at: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= heap.length) return;
      const right = left + 1;
      const child = right < heap.length && this.less(heap[right]!, heap[left]!) ? right : left;
      if (!this.less(heap[child]!, heap[at]!)) return;
      [heap[at], heap[child]] = [heap[child]!, heap[at]!];
      at = child;
    }
  }
}
