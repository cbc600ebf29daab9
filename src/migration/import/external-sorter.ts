// An external sort of records made of a fixed-width key (unsigned 32-bit words, most significant first) and a
// variable-length payload. Records collect in memory up to a budget, are sorted there (radix sort), and are
// spilled to a run file when the budget is reached; reading merges the runs (k-way, by a binary heap) with the
// records still in memory. Memory therefore stays at the budget plus one read buffer per run, whatever the
// number of records, and nothing touches the disk when everything fits.

import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { compareWords, sortedOrder } from './radix-sort.js';

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

const WRITE_BUFFER = 4 << 20;
const READ_BUFFER = 1 << 20;
const INITIAL_RECORDS = 1 << 16;

export class ExternalSorter {
  /** Fill with the next record's key words, then call add(). */
  readonly key: Uint32Array;
  private keys: Uint32Array;
  private ends: Uint32Array;
  private arena: Buffer;
  private count = 0;
  private used = 0;
  private total = 0;
  private readonly runs: string[] = [];
  private spilled = 0;
  private readonly perRecordBytes: number;
  private readonly radixWords: number;

  constructor(private readonly options: SorterOptions) {
    const words = options.keyWords;
    this.radixWords = Math.min(options.radixWords ?? words, words);
    this.key = new Uint32Array(words);
    this.keys = new Uint32Array(INITIAL_RECORDS * words);
    this.ends = new Uint32Array(INITIAL_RECORDS);
    this.arena = Buffer.allocUnsafe(1 << 20);
    // Key words and payload end, plus what sorting needs per record: two copies of the radix words with the
    // index, and the resulting order.
    this.perRecordBytes = 4 * words + 4 + 2 * 4 * (this.radixWords + 1) + 4;
  }

  /** Records added so far. */
  get size(): number {
    return this.total;
  }

  /** Bytes written to run files so far. */
  get spilledBytes(): number {
    return this.spilled;
  }

  add(payload?: Uint8Array, start = 0, end = payload?.length ?? 0): void {
    const length = end - start;
    if (this.count > 0 && (this.count + 1) * this.perRecordBytes + this.used + length > this.options.memoryBytes) {
      this.spill();
    }
    const words = this.options.keyWords;
    if (this.count + 1 > this.ends.length) this.growRecords();
    if (this.used + length > this.arena.length) this.growArena(this.used + length);
    const keys = this.keys;
    const key = this.key;
    for (let w = 0, at = this.count * words; w < words; w++, at++) keys[at] = key[w]!;
    if (length > 0) {
      // Payloads are mostly a few dozen bytes, where a loop beats the native copy's call overhead.
      const arena = this.arena;
      if (length <= 64) for (let i = start, at = this.used; i < end; i++, at++) arena[at] = payload![i]!;
      else arena.set(payload!.subarray(start, end), this.used);
    }
    this.used += length;
    this.ends[this.count] = this.used;
    this.count++;
    this.total++;
  }

  /** Sorts what is in memory and returns every record added, in order. The sorter must not be used after. */
  finish(): SortedRecords {
    const order = this.sortInMemory();
    const memory = new MemoryRun(this.options.keyWords, this.keys, this.ends, this.arena, order);
    return new SortedRecords(this.options, [...this.runs], memory, this.total, this.spilled);
  }

  /** Deletes the run files (after a failure). */
  discard(): void {
    for (const run of this.runs) rmSync(run, { force: true });
    this.runs.length = 0;
  }

  private sortInMemory(): Uint32Array {
    const { keyWords, payloadOrder } = this.options;
    const radixWords = this.radixWords;
    const keys = this.keys;
    const ends = this.ends;
    const arena = this.arena;
    const needTies = radixWords < keyWords || payloadOrder !== undefined;
    const rest = keyWords - radixWords;
    const ties = needTies
      ? (order: Uint32Array, from: number, to: number) => {
          // Records equal in their radix words are nearly always equal in all words (the same ID hash referenced
          // again): then there is nothing to reorder.
          if (payloadOrder === undefined) {
            const first = order[from]! * keyWords + radixWords;
            let same = true;
            for (let i = from + 1; i < to && same; i++) same = compareWords(keys, first, keys, order[i]! * keyWords + radixWords, rest) === 0;
            if (same) return;
          }
          const group = Array.from(order.subarray(from, to));
          group.sort((i, j) => {
            const byWords = compareWords(keys, i * keyWords + radixWords, keys, j * keyWords + radixWords, rest);
            if (byWords !== 0) return byWords;
            if (payloadOrder !== undefined) {
              const byPayload = payloadOrder(arena, i === 0 ? 0 : ends[i - 1]!, ends[i]!, arena, j === 0 ? 0 : ends[j - 1]!, ends[j]!);
              if (byPayload !== 0) return byPayload;
            }
            return i - j;
          });
          order.set(group, from);
        }
      : undefined;
    return sortedOrder(keys, keyWords, this.count, radixWords, ties);
  }

  private spill(): void {
    const order = this.sortInMemory();
    const words = this.options.keyWords;
    const path = join(this.options.dir, `${this.options.name}-${this.runs.length}.run`);
    const fd = openSync(path, 'wx');
    try {
      const out = Buffer.allocUnsafe(WRITE_BUFFER);
      let pos = 0;
      const flush = () => {
        let done = 0;
        while (done < pos) done += writeSync(fd, out, done, pos - done);
        this.spilled += pos;
        pos = 0;
      };
      const header = 4 * words + 4;
      for (let i = 0; i < order.length; i++) {
        const r = order[i]!;
        const start = r === 0 ? 0 : this.ends[r - 1]!;
        const end = this.ends[r]!;
        const size = header + end - start;
        if (pos + size > out.length) flush();
        if (size > out.length) {
          // A record larger than the buffer (a 64 KiB string value) goes out on its own.
          const own = Buffer.allocUnsafe(size);
          writeRecord(own, 0, this.keys, r * words, words, this.arena, start, end);
          let done = 0;
          while (done < size) done += writeSync(fd, own, done, size - done);
          this.spilled += size;
          continue;
        }
        pos = writeRecord(out, pos, this.keys, r * words, words, this.arena, start, end);
      }
      flush();
    } finally {
      closeSync(fd);
    }
    this.runs.push(path);
    this.count = 0;
    this.used = 0;
  }

  private growRecords(): void {
    const words = this.options.keyWords;
    const capacity = this.ends.length * 2;
    const keys = new Uint32Array(capacity * words);
    keys.set(this.keys.subarray(0, this.count * words));
    const ends = new Uint32Array(capacity);
    ends.set(this.ends.subarray(0, this.count));
    this.keys = keys;
    this.ends = ends;
  }

  private growArena(needed: number): void {
    const arena = Buffer.allocUnsafe(Math.max(needed, this.arena.length * 2));
    this.arena.copy(arena, 0, 0, this.used);
    this.arena = arena;
  }
}

function writeRecord(out: Buffer, pos: number, keys: Uint32Array, keyAt: number, words: number, arena: Buffer, start: number, end: number): number {
  for (let w = 0; w < words; w++, pos += 4) out.writeUInt32LE(keys[keyAt + w]!, pos);
  out.writeUInt32LE(end - start, pos);
  pos += 4;
  arena.copy(out, pos, start, end);
  return pos + end - start;
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
    if (this.memory !== undefined) cursors.push(this.memory.cursor());
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

class MemoryRun {
  constructor(
    readonly words: number,
    readonly keys: Uint32Array,
    readonly ends: Uint32Array,
    readonly arena: Buffer,
    readonly order: Uint32Array,
  ) {}

  cursor(): RecordCursor {
    return new MemoryRunCursor(this);
  }
}

class MemoryRunCursor implements RecordCursor {
  private i = -1;
  keyAt = 0;
  payloadStart = 0;
  payloadEnd = 0;
  readonly key: Uint32Array;
  readonly payload: Buffer;

  constructor(private readonly run: MemoryRun) {
    this.key = run.keys;
    this.payload = run.arena;
  }

  next(): boolean {
    const run = this.run;
    if (++this.i >= run.order.length) return false;
    const r = run.order[this.i]!;
    this.keyAt = r * run.words;
    this.payloadStart = r === 0 ? 0 : run.ends[r - 1]!;
    this.payloadEnd = run.ends[r]!;
    return true;
  }

  close(): void {
    this.i = this.run.order.length;
  }
}

class FileRunCursor implements RecordCursor {
  private fd: number | undefined;
  private buf = Buffer.allocUnsafe(READ_BUFFER);
  private pos = 0;
  private len = 0;
  private filePos = 0;
  private eof = false;
  readonly key: Uint32Array;
  readonly keyAt = 0;
  payloadStart = 0;
  payloadEnd = 0;

  constructor(
    private readonly path: string,
    private readonly words: number,
  ) {
    this.fd = openSync(path, 'r');
    this.key = new Uint32Array(words);
  }

  get payload(): Buffer {
    return this.buf;
  }

  next(): boolean {
    const header = 4 * this.words + 4;
    if (!this.ensure(header)) {
      if (this.len > this.pos) throw new Error(`run file '${this.path}' ends inside a record`);
      this.close();
      return false;
    }
    let pos = this.pos;
    for (let w = 0; w < this.words; w++, pos += 4) this.key[w] = this.buf.readUInt32LE(pos);
    const length = this.buf.readUInt32LE(pos);
    if (!this.ensure(header + length)) throw new Error(`run file '${this.path}' ends inside a record`);
    this.payloadStart = this.pos + header;
    this.payloadEnd = this.payloadStart + length;
    this.pos = this.payloadEnd;
    return true;
  }

  /** Makes at least n unread bytes available at this.pos; false at the end of the file. */
  private ensure(n: number): boolean {
    if (this.len - this.pos >= n) return true;
    if (this.fd === undefined) return false;
    const rest = this.len - this.pos;
    if (n > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2));
      this.buf.copy(grown, 0, this.pos, this.len);
      this.buf = grown;
    } else {
      this.buf.copy(this.buf, 0, this.pos, this.len);
    }
    this.pos = 0;
    this.len = rest;
    while (this.len < n && !this.eof) {
      const read = readSync(this.fd, this.buf, this.len, this.buf.length - this.len, this.filePos);
      if (read === 0) this.eof = true;
      this.len += read;
      this.filePos += read;
    }
    return this.len >= n;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.eof = true;
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
