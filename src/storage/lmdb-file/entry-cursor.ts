// Entries one at a time for whole-store scans of the data file's pages (TreeScanner). The current entry is
// exposed through fields, valid until the next call to next().

export interface EntryCursor {
  /** Key bytes: page[keyAt, keyAt + keyLength). */
  readonly page: Buffer;
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
