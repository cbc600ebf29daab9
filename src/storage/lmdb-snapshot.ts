// A read snapshot over one LMDB read transaction. Its cursors are tracked so that closing the snapshot
// finishes them first: lmdb-js keeps a read transaction alive while any cursor holds it, and an abandoned
// cursor would otherwise pin old pages (and grow the file) until process exit.

import type { Database, Transaction } from 'lmdb';
import type { Bytes, Key, RangeOptions, ScanSnapshot, StoredTree } from './api.js';
import { viewClosed } from './errors.js';
import { type KeyBounds, SMALLEST_KEY, isEmptyBounds, isUnstorableKey, prefixBounds, rangeBounds } from './keys.js';
import { ENTRIES, KEYS, MergedRangeIterator, type SnapshotCursor, type SnapshotSource } from './merged-iterator.js';

export type LmdbDatabase = Database<Buffer, Key>;

interface LmdbRangeOptions {
  transaction: Transaction;
  start?: Buffer;
  end?: Buffer;
  reverse?: boolean;
  exclusiveStart?: boolean;
  inclusiveEnd?: boolean;
  values?: boolean;
}

const NO_VALUE: Buffer = Buffer.alloc(0);

export class LmdbSnapshot implements ScanSnapshot, SnapshotSource {
  /** Set by the store for scan snapshots (Store.scanSnapshot). */
  tree: StoredTree | undefined = undefined;
  private closed = false;
  /** Set once lmdb-js has moved its shared read transaction past this snapshot's: it never reads for us again. */
  private stale = false;
  private readonly cursors = new Set<LmdbCursor>();
  private readonly readOptions: { transaction: Transaction };

  constructor(
    private readonly db: LmdbDatabase,
    private readonly txn: Transaction,
    readonly sequence: number,
    /** What this snapshot serves, for the error a caller gets after closing it. */
    private readonly kind: 'snapshot' | 'transaction',
    private readonly onClose: (snapshot: LmdbSnapshot) => void,
  ) {
    this.readOptions = { transaction: txn };
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  assertOpen(): void {
    if (this.closed) throw viewClosed(this.kind);
  }

  get(key: Key): Bytes | undefined {
    this.assertOpen();
    if (isUnstorableKey(key)) return undefined;
    // Note: lmdb-js ignores `transaction` for get() while a write transaction is active on this thread; the
    // store never reads snapshots inside its own LMDB write transactions, so this never applies here.
    return this.db.get(key, this.readOptions);
  }

  has(key: Key): boolean {
    return this.get(key) !== undefined;
  }

  range(start: Key, end: Key, options?: RangeOptions): IterableIterator<[Key, Bytes]> {
    this.assertOpen();
    return new MergedRangeIterator(this, undefined, rangeBounds(start, end), options, ENTRIES);
  }

  prefix(prefix: Key, options?: RangeOptions): IterableIterator<[Key, Bytes]> {
    this.assertOpen();
    return new MergedRangeIterator(this, undefined, prefixBounds(prefix), options, ENTRIES);
  }

  rangeKeys(start: Key, end: Key, options?: RangeOptions): IterableIterator<Key> {
    this.assertOpen();
    return new MergedRangeIterator(this, undefined, rangeBounds(start, end), options, KEYS);
  }

  prefixKeys(prefix: Key, options?: RangeOptions): IterableIterator<Key> {
    this.assertOpen();
    return new MergedRangeIterator(this, undefined, prefixBounds(prefix), options, KEYS);
  }

  countKeys(start: Key, end: Key): number {
    this.assertOpen();
    return this.countBounds(rangeBounds(start, end));
  }

  countPrefixKeys(prefix: Key): number {
    this.assertOpen();
    return this.countBounds(prefixBounds(prefix));
  }

  /** Counted by LMDB's cursor in native code: no key is copied out to JavaScript. */
  countBounds(bounds: KeyBounds): number {
    if (isEmptyBounds(bounds)) return 0;
    const options: LmdbRangeOptions = { transaction: this.txn };
    if (bounds.lower !== undefined) options.start = bounds.lower;
    if (bounds.upper !== undefined) options.end = bounds.upper;
    return this.db.getKeysCount(options);
  }

  openCursor(bounds: KeyBounds, reverse: boolean, keysOnly: boolean): SnapshotCursor {
    this.assertOpen();
    const options: LmdbRangeOptions = { transaction: this.txn };
    if (keysOnly) options.values = false;
    // lmdb-js checks `'start' in options`, so absent bounds must be absent properties, not undefined values.
    if (reverse) {
      // Reverse ranges in lmdb-js run from `start` down to `end`; ours are [lower, upper), so flip inclusivity.
      options.reverse = true;
      if (bounds.upper !== undefined) {
        options.start = bounds.upper;
        options.exclusiveStart = true;
      }
      // Without an end, lmdb-js stops (exclusively) at its default beginning key 0x00, which would drop the
      // key 0x00 itself; 0x00 inclusive is the smallest storable key, so it is the true "unbounded".
      options.end = bounds.lower ?? SMALLEST_KEY;
      options.inclusiveEnd = true;
    } else {
      if (bounds.lower !== undefined) options.start = bounds.lower;
      if (bounds.upper !== undefined) options.end = bounds.upper;
    }
    const cursor = new LmdbCursor(this, this.db, options, keysOnly, this.cursors);
    this.cursors.add(cursor);
    return cursor;
  }

  /**
   * Whether lmdb-js's shared read transaction is still this snapshot's own. A range read without a transaction then
   * reads the same snapshot, and lmdb-js reuses one cursor for such reads, where a range given a transaction opens
   * and closes a cursor of its own (~2 µs, and a native object for the garbage collector). The shared transaction
   * moves on at the first read after a commit or an event-loop turn; this snapshot's use of its own keeps that one
   * from being reset under it, so sameness is identity.
   */
  sharesReadTransaction(): boolean {
    if (this.stale) return false;
    let current: Transaction;
    try {
      current = this.db.useReadTransaction();
    } catch {
      // No reader slot for a new shared transaction: this snapshot reads through its own, as it always can.
      this.stale = true;
      return false;
    }
    current.done();
    if (current === this.txn) return true;
    this.stale = true;
    return false;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Cursors must be closed before the read transaction is released (lmdb-js: aborting a transaction under an
    // open cursor can crash the process).
    for (const cursor of [...this.cursors]) cursor.close();
    this.txn.done();
    this.onClose(this);
  }
}

/** One LMDB range iteration, opened on first use. */
class LmdbCursor implements SnapshotCursor {
  private iterator: Iterator<{ key: Buffer; value: Buffer } | Buffer> | undefined;
  private finished = false;
  key: Buffer = NO_VALUE;
  value: Buffer = NO_VALUE;

  constructor(
    private readonly snapshot: LmdbSnapshot,
    private readonly db: LmdbDatabase,
    private readonly options: LmdbRangeOptions,
    private readonly keysOnly: boolean,
    private readonly registry: Set<LmdbCursor>,
  ) {}

  advance(): boolean {
    if (this.finished) return false;
    // With binary key encoding lmdb-js returns keys (and values) as fresh Buffers; without values, the keys alone.
    this.iterator ??= this.open();
    const step = this.iterator.next();
    if (step.done === true) {
      // lmdb-js has already released its cursor when it reports done.
      this.finished = true;
      this.registry.delete(this);
      return false;
    }
    if (this.keysOnly) {
      this.key = step.value as Buffer;
    } else {
      const entry = step.value as { key: Buffer; value: Buffer };
      this.key = entry.key;
      this.value = entry.value;
    }
    return true;
  }

  close(): void {
    if (this.finished) return;
    this.finished = true;
    this.registry.delete(this);
    this.iterator?.return?.();
  }

  private open(): Iterator<{ key: Buffer; value: Buffer } | Buffer> {
    let options: Omit<LmdbRangeOptions, 'transaction'> & { transaction?: Transaction } = this.options;
    // Checked and opened at once (nothing runs in between): lmdb-js picks its transaction when iteration starts.
    if (this.snapshot.sharesReadTransaction()) {
      const { transaction: _, ...shared } = this.options;
      options = shared;
    }
    return (this.db.getRange(options) as Iterable<{ key: Buffer; value: Buffer } | Buffer>)[Symbol.iterator]();
  }
}
