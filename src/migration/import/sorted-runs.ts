// The sorted runs of an ExternalSorter and the cursors that read them: records in memory (an array of words with
// a byte view of it), run files read back through a buffer, and a k-way merge of several runs.

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

export class FileRunCursor implements RecordCursor {
  private fd: number | undefined;
  private arena = new Arena(new Uint32Array(READ_BUFFER / 4));
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
      const grown = new Arena(new Uint32Array(Math.max(n, this.arena.words.length * 2)));
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
