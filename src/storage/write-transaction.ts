// A write transaction: a read snapshot plus a private sorted buffer of changes that its own reads see.
// Validation and the LMDB write happen in the store (WriteHost), which owns the commit log and sequence.

import type { Bytes, CommitHooks, Key, RangeOptions, WriteTransaction } from './api.js';
import type { WaitingSteps } from '../common/steps.js';
import { viewClosed } from './errors.js';
import { type KeyBounds, checkKey, checkValue, copyBytes, isUnstorableKey, prefixBounds, rangeBounds } from './keys.js';
import type { LmdbSnapshot } from './lmdb-snapshot.js';
import { ENTRIES, KEYS, MergedRangeIterator } from './merged-iterator.js';
import { countWithChanges } from './counted-changes.js';
import { DELETED, WriteBuffer } from './write-buffer.js';

export interface WriteHost {
  /** Validates and applies the transaction's changes; the host releases the transaction either way. */
  commitWrite(transaction: LmdbWriteTransaction, hooks?: CommitHooks): void;
  /** The same, with the LMDB write off the event loop (see WriteTransaction.commitInSteps). */
  commitWriteInSteps(transaction: LmdbWriteTransaction, hooks?: CommitHooks): WaitingSteps<void>;
  /** Closes the transaction's snapshot and forgets it as an open writer. */
  releaseWrite(transaction: LmdbWriteTransaction): void;
}

export class LmdbWriteTransaction implements WriteTransaction {
  readonly changes = new WriteBuffer();
  private open = true;

  constructor(
    readonly snapshot: LmdbSnapshot,
    private readonly host: WriteHost,
  ) {}

  get sequence(): number {
    return this.snapshot.sequence;
  }

  get changeCount(): number {
    return this.changes.size;
  }

  get isOpen(): boolean {
    return this.open;
  }

  get(key: Key): Bytes | undefined {
    this.assertOpen();
    if (isUnstorableKey(key)) return undefined;
    const change = this.changes.lookup(key);
    if (change === DELETED) return undefined;
    return change ?? this.snapshot.get(key);
  }

  has(key: Key): boolean {
    return this.get(key) !== undefined;
  }

  range(start: Key, end: Key, options?: RangeOptions): IterableIterator<[Key, Bytes]> {
    this.assertOpen();
    return new MergedRangeIterator(this.snapshot, this.changes, rangeBounds(start, end), options, ENTRIES);
  }

  prefix(prefix: Key, options?: RangeOptions): IterableIterator<[Key, Bytes]> {
    this.assertOpen();
    return new MergedRangeIterator(this.snapshot, this.changes, prefixBounds(prefix), options, ENTRIES);
  }

  rangeKeys(start: Key, end: Key, options?: RangeOptions): IterableIterator<Key> {
    this.assertOpen();
    return new MergedRangeIterator(this.snapshot, this.changes, rangeBounds(start, end), options, KEYS);
  }

  prefixKeys(prefix: Key, options?: RangeOptions): IterableIterator<Key> {
    this.assertOpen();
    return new MergedRangeIterator(this.snapshot, this.changes, prefixBounds(prefix), options, KEYS);
  }

  countKeys(start: Key, end: Key): number {
    this.assertOpen();
    return this.countBounds(rangeBounds(start, end));
  }

  countPrefixKeys(prefix: Key): number {
    this.assertOpen();
    return this.countBounds(prefixBounds(prefix));
  }

  /** The snapshot's count with this transaction's own puts and deletes in the range merged in. */
  private countBounds(bounds: KeyBounds): number {
    return countWithChanges(this.snapshot.countBounds(bounds), (key) => this.snapshot.has(key), this.changes, bounds);
  }

  put(key: Key, value: Bytes): void {
    this.assertOpen();
    checkKey(key);
    checkValue(value);
    this.changes.put(copyBytes(key), copyBytes(value));
  }

  delete(key: Key): void {
    this.assertOpen();
    checkKey(key);
    this.changes.delete(copyBytes(key));
  }

  lock(key: Key): void {
    this.assertOpen();
    checkKey(key);
    this.changes.lock(copyBytes(key));
  }

  touch(key: Key): void {
    this.assertOpen();
    checkKey(key);
    this.changes.touch(copyBytes(key));
  }

  discardChanges(): void {
    this.assertOpen();
    this.changes.clear();
  }

  requireAnyWithPrefix(prefix: Key): void {
    this.assertOpen();
    checkKey(prefix);
    this.changes.require(copyBytes(prefix));
  }

  /** Whether every required prefix still holds a key over `latest` (the latest commit) with this transaction's changes. */
  requirementsHoldOver(latest: LmdbSnapshot): boolean {
    for (const prefix of this.changes.requiredPrefixes()) {
      const merged = new MergedRangeIterator(latest, this.changes, prefixBounds(prefix), { limit: 1 }, KEYS);
      if (merged.next().done) return false;
    }
    return true;
  }

  commit(hooks?: CommitHooks): void {
    this.assertOpen();
    this.host.commitWrite(this, hooks);
  }

  commitInSteps(hooks?: CommitHooks): WaitingSteps<void> {
    this.assertOpen();
    return this.host.commitWriteInSteps(this, hooks);
  }

  abort(): void {
    if (this.open) this.host.releaseWrite(this);
  }

  /** Closing a write transaction without committing it aborts it. */
  close(): void {
    this.abort();
  }

  /** Called by the host exactly once, when it releases the transaction. */
  markClosed(): void {
    this.open = false;
    this.snapshot.close();
  }

  private assertOpen(): void {
    if (!this.open) throw viewClosed('transaction');
  }
}
