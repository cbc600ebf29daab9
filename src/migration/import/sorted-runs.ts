// The sorted runs of an ExternalSorter and the cursors that read them: records in memory (an array of words with
// a byte view of it), run files read back through a buffer, and a k-way merge of several runs; and the same runs
// as the import's native resolving kernels read and merge them themselves (RunSet).

import { closeSync, openSync, readSync } from 'node:fs';
import type { WordPool } from './word-pool.js';

/** Orders two records whose key words are equal, by their payloads. */
export type PayloadOrder = (a: Buffer, aStart: number, aEnd: number, b: Buffer, bStart: number, bEnd: number) => number;

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
const EMPTY_WORDS = new Uint32Array(0);
const EMPTY_BYTES = Buffer.alloc(0);

/** A word array with a byte view of the same memory. */
export class Arena {
  readonly bytes: Buffer;

  constructor(readonly words: Uint32Array<ArrayBuffer>) {
    this.bytes = Buffer.from(words.buffer, words.byteOffset, words.byteLength);
  }
}

/** Records in sorted order in `arena.words[0, used)`, whose array goes back to `pool` when released. */
export class MemoryRun {
  constructor(
    readonly keyWords: number,
    readonly arena: Arena,
    readonly used: number,
    private readonly pool: WordPool,
  ) {}

  release(): void {
    this.pool.give(this.arena.words, this.used);
  }
}

export class EmptyCursor implements RecordCursor {
  readonly key = EMPTY_WORDS;
  readonly keyAt = 0;
  readonly payload = EMPTY_BYTES;
  readonly payloadStart = 0;
  readonly payloadEnd = 0;

  next(): boolean {
    return false;
  }

  close(): void {}
}

export class MemoryRunCursor implements RecordCursor {
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

/**
 * A window of a run file: the words read and not yet used, in a buffer refilled from the file. The run set of the
 * native kernels and FileRunCursor both read run files through it.
 */
export class FileRunWindow {
  private fd: number | undefined;
  arena = new Arena(new Uint32Array(READ_BUFFER / 4));
  /** Word positions in the buffer: the next unused word, the end of the words read. */
  at = 0;
  end = 0;
  /** Whether the file has nothing after `end`. */
  final = false;
  private filePos = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
  }

  /**
   * Moves the words [at, end) to the front and reads what follows them until the buffer is full (into a buffer
   * twice as large when they fill it: a record longer than the buffer), or to the end of the file.
   */
  refill(): void {
    if (this.fd === undefined) {
      this.final = true;
      return;
    }
    const rest = this.end - this.at;
    if (rest === this.arena.words.length) {
      const grown = new Arena(new Uint32Array(2 * this.arena.words.length));
      grown.words.set(this.arena.words.subarray(this.at, this.end));
      this.arena = grown;
    } else {
      this.arena.words.copyWithin(0, this.at, this.end);
    }
    this.at = 0;
    const bytes = this.arena.bytes;
    let filled = rest * 4;
    while (filled < bytes.length) {
      const read = readSync(this.fd, bytes, filled, bytes.length - filled, this.filePos);
      if (read === 0) {
        this.final = true;
        break;
      }
      filled += read;
      this.filePos += read;
    }
    // Run files hold whole words; a partial word can only be the end of a damaged file.
    if (filled % 4 !== 0) throw new Error(`run file '${this.path}' is damaged`);
    this.end = filled >>> 2;
  }

  /** The error for a run that ends inside a record. */
  truncated(): Error {
    return new Error(`run file '${this.path}' ends inside a record`);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export class FileRunCursor implements RecordCursor {
  private readonly window: FileRunWindow;
  keyAt = 0;
  payloadStart = 0;
  payloadEnd = 0;

  constructor(
    path: string,
    private readonly keyWords: number,
  ) {
    this.window = new FileRunWindow(path);
  }

  get key(): Uint32Array {
    return this.window.arena.words;
  }

  get payload(): Buffer {
    return this.window.arena.bytes;
  }

  next(): boolean {
    const window = this.window;
    for (;;) {
      const at = window.at;
      if (window.end > at) {
        const length = window.arena.words[at]!;
        const size = 1 + this.keyWords + ((length + 3) >>> 2);
        if (window.end - at >= size) {
          this.keyAt = at + 1;
          this.payloadStart = (at + 1 + this.keyWords) * 4;
          this.payloadEnd = this.payloadStart + length;
          window.at = at + size;
          return true;
        }
      }
      if (window.final) {
        if (window.end > window.at) throw window.truncated();
        this.close();
        return false;
      }
      window.refill();
    }
  }

  close(): void {
    this.window.close();
  }
}

/** The current record of one run of a RunSet, where a kernel stopped (for an error message). */
export interface RunRecord {
  readonly key: Uint32Array;
  readonly keyAt: number;
  readonly payload: Buffer;
  readonly payloadStart: number;
  readonly payloadEnd: number;
}

/**
 * Sorted runs as the native kernels read them (native/src/run_merge.h): the word array of each run and, in
 * `positions`, three words per run: its next record, the end of its valid words, and whether nothing follows them
 * (1; a run in memory) or its file has more (0). The kernels merge the runs themselves and advance the positions;
 * when one stops at a run whose next record is not whole, refill() reads more of it.
 */
export class RunSet {
  readonly runs: Uint32Array[] = [];
  readonly positions: Uint32Array;
  private readonly files: (FileRunWindow | undefined)[] = [];

  constructor(
    runs: readonly (string | MemoryRun)[],
    readonly keyWords: number,
  ) {
    this.positions = new Uint32Array(3 * runs.length);
    runs.forEach((run, i) => {
      if (typeof run === 'string') {
        const window = new FileRunWindow(run);
        this.files.push(window);
        this.runs.push(window.arena.words);
      } else {
        this.files.push(undefined);
        this.runs.push(run.arena.words);
        this.positions[3 * i + 1] = run.used;
        this.positions[3 * i + 2] = 1;
      }
    });
  }

  /** Reads more of run `i` after the words a kernel used. */
  refill(i: number): void {
    const window = this.window(i);
    window.at = this.positions[3 * i]!;
    window.refill();
    this.runs[i] = window.arena.words;
    this.positions[3 * i] = window.at;
    this.positions[3 * i + 1] = window.end;
    this.positions[3 * i + 2] = window.final ? 1 : 0;
  }

  /** The error for run `i`, which ends inside a record. */
  truncated(i: number): Error {
    return this.window(i).truncated();
  }

  /** The next record of run `i`. */
  record(i: number): RunRecord {
    const words = this.runs[i]!;
    const at = this.positions[3 * i]!;
    const payloadStart = (at + 1 + this.keyWords) * 4;
    const payload = Buffer.from(words.buffer, words.byteOffset, words.byteLength);
    return { key: words, keyAt: at + 1, payload, payloadStart, payloadEnd: payloadStart + words[at]! };
  }

  close(): void {
    for (const file of this.files) file?.close();
  }

  private window(i: number): FileRunWindow {
    const window = this.files[i];
    if (window === undefined) throw new Error(`run ${i} is in memory: it has nothing more to read`);
    return window;
  }
}

/** A k-way merge of sorted cursors; equal records come in cursor order (earlier runs first). */
export class MergeCursor implements RecordCursor {
  /** Heap of cursor indexes, smallest record first. */
  private readonly heap: number[] = [];
  private started = false;
  // The current record's fields, copied from the cursor it comes from (plain fields: read once per record).
  key: Uint32Array = EMPTY_WORDS;
  keyAt = 0;
  payload: Buffer = EMPTY_BYTES;
  payloadStart = 0;
  payloadEnd = 0;

  constructor(
    private readonly cursors: RecordCursor[],
    private readonly words: number,
    private readonly payloadOrder: PayloadOrder | undefined,
  ) {}

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
    if (heap.length === 0) return false;
    const top = this.cursors[heap[0]!]!;
    this.key = top.key;
    this.keyAt = top.keyAt;
    this.payload = top.payload;
    this.payloadStart = top.payloadStart;
    this.payloadEnd = top.payloadEnd;
    return true;
  }

  close(): void {
    for (const c of this.cursors) c.close();
    this.heap.length = 0;
  }

  private less(a: number, b: number): boolean {
    const x = this.cursors[a]!;
    const y = this.cursors[b]!;
    const xKey = x.key;
    const yKey = y.key;
    const xAt = x.keyAt;
    const yAt = y.keyAt;
    for (let w = 0; w < this.words; w++) {
      const xWord = xKey[xAt + w]!;
      const yWord = yKey[yAt + w]!;
      if (xWord !== yWord) return xWord < yWord;
    }
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
      const swap = heap[at]!;
      heap[at] = heap[child]!;
      heap[child] = swap;
      at = child;
    }
  }
}
