// A read view that merges a private, in-memory overlay of puts over another read view (a snapshot or a write
// transaction). Nothing in the overlay ever reaches the store: it holds derived entries (the reasoner's inferred
// facts) that reads must see as if they were stored. Puts only: the overlay never hides an entry of the base.
// A range iterator sees puts made while it is open only if the overlay already had an entry in its range when it
// was opened; callers that write while they read must not rely on seeing their own writes.

import type { Bytes, Key, RangeOptions, ReadView } from './api.js';
import { type KeyBounds, checkKey, checkValue, copyBytes, isUnstorableKey, prefixBounds, rangeBounds } from './keys.js';
import { ENTRIES, KEYS, MergedRangeIterator, type SnapshotCursor, type SnapshotSource } from './merged-iterator.js';
import { DELETED, WriteBuffer } from './write-buffer.js';
import { countWithChanges } from './counted-changes.js';

export class OverlayView implements ReadView {
  private readonly overlay = new WriteBuffer();
  /** Shared small values, by their bytes as a number (see shared). */
  private readonly smallValues = new Map<number, Buffer>();
  private readonly source: SnapshotSource;

  constructor(private readonly base: ReadView) {
    this.source = new ReadViewSource(base);
  }

  /** Number of entries in the overlay. */
  get size(): number {
    return this.overlay.size;
  }

  put(key: Key, value: Bytes): void {
    checkKey(key);
    checkValue(value);
    this.overlay.put(copyBytes(key), this.shared(value));
  }

  /**
   * A copy of the value, shared with every equal value of at most SHARED_VALUE_BYTES: the overlay holds a great many
   * equal small values (empty records, role-player counts), and a Buffer each cost ~100 bytes (readers never change
   * a value they read).
   */
  private shared(value: Bytes): Buffer {
    if (value.length > SHARED_VALUE_BYTES) return copyBytes(value);
    let token = 1; // a leading 1 tells lengths apart: [0] and [0, 0] differ
    for (let i = 0; i < value.length; i++) token = token * 256 + value[i]!;
    let buffer = this.smallValues.get(token);
    if (buffer === undefined) this.smallValues.set(token, (buffer = copyBytes(value)));
    return buffer;
  }

  /** Whether the overlay itself (not the base) holds the key. */
  hasOwn(key: Key): boolean {
    const change = this.overlay.lookup(key);
    return change !== undefined && change !== DELETED;
  }

  /** Overlay entries (only) whose key starts with prefix, in key order. */
  *ownPrefix(prefix: Key): Generator<[Key, Bytes]> {
    const bounds = prefixBounds(prefix);
    for (let entry = this.overlay.first(bounds, false); entry !== undefined; entry = this.overlay.after(entry[0], bounds, false)) {
      if (entry[1] !== DELETED) yield [entry[0], entry[1]];
    }
  }

  get(key: Key): Bytes | undefined {
    if (isUnstorableKey(key)) return undefined;
    const change = this.overlay.lookup(key);
    if (change !== undefined && change !== DELETED) return change;
    return this.base.get(key);
  }

  has(key: Key): boolean {
    return this.get(key) !== undefined;
  }

  range(start: Key, end: Key, options?: RangeOptions): IterableIterator<[Key, Bytes]> {
    const bounds = rangeBounds(start, end);
    // Most ranges hold no overlay entry: read the base directly, without merging.
    if (this.overlay.first(bounds, false) === undefined) return this.base.range(start, end, options);
    return new MergedRangeIterator(this.source, this.overlay, bounds, options, ENTRIES);
  }

  prefix(prefix: Key, options?: RangeOptions): IterableIterator<[Key, Bytes]> {
    const bounds = prefixBounds(prefix);
    if (this.overlay.first(bounds, false) === undefined) return this.base.prefix(prefix, options);
    return new MergedRangeIterator(this.source, this.overlay, bounds, options, ENTRIES);
  }

  rangeKeys(start: Key, end: Key, options?: RangeOptions): IterableIterator<Key> {
    const bounds = rangeBounds(start, end);
    if (this.overlay.first(bounds, false) === undefined) return this.base.rangeKeys(start, end, options);
    return new MergedRangeIterator(this.source, this.overlay, bounds, options, KEYS);
  }

  prefixKeys(prefix: Key, options?: RangeOptions): IterableIterator<Key> {
    const bounds = prefixBounds(prefix);
    if (this.overlay.first(bounds, false) === undefined) return this.base.prefixKeys(prefix, options);
    return new MergedRangeIterator(this.source, this.overlay, bounds, options, KEYS);
  }

  /** The base's count plus the overlay's entries in range that the base lacks (an overlay put may repeat a base key). */
  countKeys(start: Key, end: Key): number {
    return countWithChanges(this.base.countKeys(start, end), (key) => this.base.has(key), this.overlay, rangeBounds(start, end));
  }

  countPrefixKeys(prefix: Key): number {
    return countWithChanges(this.base.countPrefixKeys(prefix), (key) => this.base.has(key), this.overlay, prefixBounds(prefix));
  }
}

/** Values up to this many bytes are shared (see OverlayView.shared): the tokens stay exact integers below 2^53. */
const SHARED_VALUE_BYTES = 4;

/** Serves a read view's ranges as the sorted cursors the merging iterator consumes. */
class ReadViewSource implements SnapshotSource {
  constructor(private readonly view: ReadView) {}

  // The base view checks that it is open on every read.
  assertOpen(): void {}

  openCursor(bounds: KeyBounds, reverse: boolean, keysOnly: boolean): SnapshotCursor {
    const options = { reverse };
    const lower = bounds.lower ?? new Uint8Array(0);
    if (keysOnly) {
      const keys = bounds.upper === undefined ? this.view.prefixKeys(lower, options) : this.view.rangeKeys(lower, bounds.upper, options);
      return new ViewCursor(keys, (cursor, key) => {
        cursor.key = asBuffer(key);
      });
    }
    const entries = bounds.upper === undefined ? this.view.prefix(lower, options) : this.view.range(lower, bounds.upper, options);
    return new ViewCursor(entries, (cursor, [key, value]) => {
      cursor.key = asBuffer(key);
      cursor.value = asBuffer(value);
    });
  }
}

const NO_VALUE: Buffer = Buffer.alloc(0);

class ViewCursor<T> implements SnapshotCursor {
  key: Buffer = NO_VALUE;
  value: Buffer = NO_VALUE;
  private done = false;

  constructor(
    private readonly items: IterableIterator<T>,
    private readonly take: (cursor: ViewCursor<T>, item: T) => void,
  ) {}

  advance(): boolean {
    if (this.done) return false;
    const step = this.items.next();
    if (step.done === true) {
      this.done = true;
      return false;
    }
    this.take(this, step.value);
    return true;
  }

  close(): void {
    if (this.done) return;
    this.done = true;
    this.items.return?.();
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
