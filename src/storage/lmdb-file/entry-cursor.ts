// One way to walk entries for whole-store scans, whichever the source: the data file's pages (TreeScanner) or,
// when a snapshot's pages cannot be located, lmdb-js range reads (RangeCursor). The current entry is exposed
// through fields, valid until the next call to next().

import type { ReadView } from '../api.js';

export interface EntryCursor {
  /** Key bytes: page[keyAt, keyAt + keyLength). */
  readonly page: Buffer;
  /** The same bytes as `page`, for reading several at once. */
  readonly pageView: DataView;
  readonly keyAt: number;
  readonly keyLength: number;
  /** Value bytes: value[valueAt, valueAt + valueLength). */
  readonly value: Buffer;
  readonly valueAt: number;
  readonly valueLength: number;
  /** Positions before the first entry with key >= start; next() stops at the first key >= end. */
  seek(start: Uint8Array, end: Uint8Array): void;
  /** Moves to the next entry; false at the end of the range. */
  next(): boolean;
  close(): void;
}

/** An EntryCursor over a read view's range(). */
export class RangeCursor implements EntryCursor {
  page: Buffer = Buffer.alloc(0);
  pageView: DataView = new DataView(new ArrayBuffer(0));
  keyAt = 0;
  keyLength = 0;
  value: Buffer = Buffer.alloc(0);
  valueAt = 0;
  valueLength = 0;
  private entries: IterableIterator<[Uint8Array, Uint8Array]> | undefined;

  constructor(private readonly view: ReadView) {}

  seek(start: Uint8Array, end: Uint8Array): void {
    this.entries?.return?.();
    this.entries = this.view.range(start, end);
  }

  next(): boolean {
    const step = this.entries?.next();
    if (step === undefined || step.done === true) return false;
    const [key, value] = step.value;
    this.page = asBuffer(key);
    this.pageView = new DataView(key.buffer, key.byteOffset, key.length);
    this.keyLength = key.length;
    this.value = asBuffer(value);
    this.valueLength = value.length;
    return true;
  }

  close(): void {
    this.entries?.return?.();
    this.entries = undefined;
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
