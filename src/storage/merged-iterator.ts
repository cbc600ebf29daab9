// Range iteration over a snapshot, optionally merged with a write transaction's buffered changes.
//
// Both inputs are sorted in the walking direction; at each step the nearer key wins, a buffered change beats the
// snapshot's entry for the same key, and tombstones hide it. The buffer may change while an iterator is open
// (query execution writes while it reads): the iterator then re-seeks the buffer from the last key it consumed,
// so it sees later changes ahead of its position and never repeats or skips a snapshot entry.

import type { Bytes, Key, RangeOptions } from './api.js';
import { type KeyBounds, compareKeys, isEmptyBounds } from './keys.js';
import { type ChangeEntry, DELETED, type WriteBuffer } from './write-buffer.js';

/**
 * Sorted entries of a snapshot within bounds, in one direction. The current entry is held in fields rather than
 * returned as a pair: a scan then allocates nothing per entry beyond what the store hands out.
 */
export interface SnapshotCursor {
  /** Moves to the next entry; false at the end (and after close). */
  advance(): boolean;
  /** The current entry's key, once advance() returned true. */
  readonly key: Buffer;
  /** The current entry's value; empty for a cursor that reads keys only. */
  readonly value: Buffer;
  /** Releases the cursor early; idempotent. */
  close(): void;
}

export interface SnapshotSource {
  /** Throws if the snapshot has been closed. */
  assertOpen(): void;
  /** With keysOnly, values are not read (every value is empty): a scan that needs only keys reads less. */
  openCursor(bounds: KeyBounds, reverse: boolean, keysOnly: boolean): SnapshotCursor;
}

/** What an iterator yields for an entry: the [key, value] pair, or the key alone. */
export type EntryShape<T> = { readonly keysOnly: boolean; emit(key: Buffer, value: Buffer): T };

export const ENTRIES: EntryShape<[Key, Bytes]> = { keysOnly: false, emit: (key, value) => [key, value] };
export const KEYS: EntryShape<Key> = { keysOnly: true, emit: (key) => key };

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

export class MergedRangeIterator<T = [Key, Bytes]> implements IterableIterator<T> {
  private readonly reverse: boolean;
  private remaining: number;
  private finished: boolean;

  private base: SnapshotCursor | undefined;
  /** Whether base's current entry is still to be consumed. */
  private baseHeld = false;
  private baseExhausted = false;

  private overlayHead: ChangeEntry | undefined;
  /** The buffer version overlayHead was computed at; -1 forces the first seek. */
  private overlayVersion = -1;
  /** The last key consumed from either input (yielded or hidden), in walking order. */
  private position: Buffer | undefined;

  constructor(
    private readonly source: SnapshotSource,
    private readonly overlay: WriteBuffer | undefined,
    private readonly bounds: KeyBounds,
    options: RangeOptions | undefined,
    private readonly shape: EntryShape<T>,
  ) {
    this.reverse = options?.reverse === true;
    const limit = options?.limit;
    this.remaining = limit === undefined ? Infinity : Math.max(0, Math.floor(limit));
    this.finished = this.remaining === 0 || isEmptyBounds(bounds);
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<T> {
    if (this.finished) return DONE;
    this.source.assertOpen();
    const overlay = this.overlay;
    if (overlay === undefined) return this.nextFromBase();
    for (;;) {
      if (!this.baseHeld && !this.baseExhausted) this.advanceBase();
      if (overlay.version !== this.overlayVersion) {
        this.overlayHead =
          this.position === undefined
            ? overlay.first(this.bounds, this.reverse)
            : overlay.after(this.position, this.bounds, this.reverse);
        this.overlayVersion = overlay.version;
      }

      const change = this.overlayHead;
      if (change === undefined) {
        if (!this.baseHeld) return this.finish();
        return this.yieldBase();
      }
      if (this.baseHeld) {
        const baseKey = this.base!.key;
        // Negative when the change comes first in walking order.
        const order = this.reverse ? compareKeys(baseKey, change[0]) : compareKeys(change[0], baseKey);
        if (order > 0) return this.yieldBase();
        if (order === 0) this.baseHeld = false; // the change replaces or hides the snapshot's entry
      }

      const [key, value] = change;
      this.position = key;
      this.overlayHead = overlay.after(key, this.bounds, this.reverse);
      if (value === DELETED) continue;
      return this.yieldEntry(key, value);
    }
  }

  return(): IteratorResult<T> {
    return this.finish();
  }

  /** A snapshot without buffered changes: its entries as they come. */
  private nextFromBase(): IteratorResult<T> {
    this.advanceBase();
    if (!this.baseHeld) return this.finish();
    this.baseHeld = false;
    const base = this.base!;
    return this.yieldEntry(base.key, base.value);
  }

  private advanceBase(): void {
    this.base ??= this.source.openCursor(this.bounds, this.reverse, this.shape.keysOnly);
    this.baseHeld = this.base.advance();
    if (!this.baseHeld) this.baseExhausted = true;
  }

  private yieldBase(): IteratorResult<T> {
    const base = this.base!;
    this.position = base.key;
    this.baseHeld = false;
    return this.yieldEntry(base.key, base.value);
  }

  private yieldEntry(key: Buffer, value: Buffer): IteratorResult<T> {
    if (--this.remaining === 0) this.finish();
    return { done: false, value: this.shape.emit(key, value) };
  }

  private finish(): IteratorReturnResult<undefined> {
    this.finished = true;
    this.base?.close();
    return DONE;
  }
}
