// Range iteration over a snapshot, optionally merged with a write transaction's buffered changes.
//
// Both inputs are sorted in the walking direction; at each step the nearer key wins, a buffered change beats the
// snapshot's entry for the same key, and tombstones hide it. The buffer may change while an iterator is open
// (query execution writes while it reads): the iterator then re-seeks the buffer from the last key it consumed,
// so it sees later changes ahead of its position and never repeats or skips a snapshot entry.

import type { Bytes, Key, RangeOptions } from './api.js';
import { type KeyBounds, compareKeys, isEmptyBounds } from './keys.js';
import { type ChangeEntry, DELETED, type WriteBuffer } from './write-buffer.js';

/** Sorted entries of a snapshot within bounds, in one direction. */
export interface SnapshotCursor {
  /** The next entry, or undefined at the end. */
  next(): [Buffer, Buffer] | undefined;
  /** Releases the cursor early; idempotent. */
  close(): void;
}

export interface SnapshotSource {
  /** Throws if the snapshot has been closed. */
  assertOpen(): void;
  openCursor(bounds: KeyBounds, reverse: boolean): SnapshotCursor;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

export class MergedRangeIterator implements IterableIterator<[Key, Bytes]> {
  private readonly reverse: boolean;
  private remaining: number;
  private finished: boolean;

  private base: SnapshotCursor | undefined;
  private baseHead: [Buffer, Buffer] | undefined;
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
    options?: RangeOptions,
  ) {
    this.reverse = options?.reverse === true;
    const limit = options?.limit;
    this.remaining = limit === undefined ? Infinity : Math.max(0, Math.floor(limit));
    this.finished = this.remaining === 0 || isEmptyBounds(bounds);
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<[Key, Bytes]> {
    if (this.finished) return DONE;
    this.source.assertOpen();
    for (;;) {
      if (this.baseHead === undefined && !this.baseExhausted) {
        this.base ??= this.source.openCursor(this.bounds, this.reverse);
        this.baseHead = this.base.next();
        if (this.baseHead === undefined) this.baseExhausted = true;
      }
      const overlay = this.overlay;
      if (overlay !== undefined && overlay.version !== this.overlayVersion) {
        this.overlayHead =
          this.position === undefined
            ? overlay.first(this.bounds, this.reverse)
            : overlay.after(this.position, this.bounds, this.reverse);
        this.overlayVersion = overlay.version;
      }

      const base = this.baseHead;
      const change = this.overlayHead;
      if (change === undefined) {
        if (base === undefined) return this.finish();
        return this.yieldBase(base);
      }
      if (base !== undefined) {
        // Negative when the change comes first in walking order.
        const order = this.reverse ? compareKeys(base[0], change[0]) : compareKeys(change[0], base[0]);
        if (order > 0) return this.yieldBase(base);
        if (order === 0) this.baseHead = undefined; // the change replaces or hides the snapshot's entry
      }

      const [key, value] = change;
      this.position = key;
      this.overlayHead = (overlay as WriteBuffer).after(key, this.bounds, this.reverse);
      if (value === DELETED) continue;
      return this.yieldEntry([key, value]);
    }
  }

  return(): IteratorResult<[Key, Bytes]> {
    return this.finish();
  }

  private yieldBase(entry: [Buffer, Buffer]): IteratorResult<[Key, Bytes]> {
    this.position = entry[0];
    this.baseHead = undefined;
    return this.yieldEntry(entry);
  }

  private yieldEntry(entry: [Buffer, Buffer]): IteratorResult<[Key, Bytes]> {
    if (--this.remaining === 0) this.finish();
    return { done: false, value: entry };
  }

  private finish(): IteratorReturnResult<undefined> {
    this.finished = true;
    this.base?.close();
    return DONE;
  }
}
