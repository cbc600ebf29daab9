// The private, sorted change set of one write transaction: puts, deletes (tombstones), touches and locks.
// Reads of the transaction merge it over the snapshot; commit applies it in key order.

import sortedBtree from 'sorted-btree';
import { changesCommitted } from './errors.js';
import { type KeySet, TokenKeySet } from './key-set.js';
import { type KeyBounds, atOrAboveLower, belowUpper, compareKeys, keyToken } from './keys.js';

// sorted-btree is CommonJS with `exports.default`: under Node's ESM loader the default import is the whole
// `module.exports` object, and the class is its `default`. (Some bundlers hand over the class itself.)
type BTreeClass = typeof sortedBtree.default;
const BTree: BTreeClass =
  (sortedBtree as unknown as { default?: BTreeClass }).default ?? (sortedBtree as unknown as BTreeClass);

type ChangeTree = sortedBtree.default<Buffer, Change>;

/** A buffered change: the new value, or DELETED for a tombstone that hides the snapshot's entry. */
export type Change = Buffer | typeof DELETED;
export const DELETED = null;

export type ChangeEntry = readonly [key: Buffer, change: Change];

export class WriteBuffer {
  private readonly changes: ChangeTree = new BTree<Buffer, Change>(undefined, compareKeys);
  /** Keys this transaction needs exclusively: explicit locks and every deleted key. */
  private readonly exclusive = new TokenKeySet();
  /** Keys counted as written for conflict detection but left as stored (see WriteTransaction.touch). */
  private readonly touched = new TokenKeySet();
  /** Prefixes under which some key must exist at commit (by token, so each is checked once). */
  private readonly required = new Map<string, Buffer>();
  /** Bumped on every change so that open range iterators know to re-seek (see MergedRangeIterator). */
  private revision = 0;
  /** Set at commit: from then on the commit log may hold this buffer's key sets, which must never change. */
  private sealed = false;
  private readonly written: KeySet = new WrittenKeys(this.changes, this.touched);

  get version(): number {
    return this.revision;
  }

  get size(): number {
    return this.changes.size;
  }

  get lockCount(): number {
    return this.exclusive.size;
  }

  get touchCount(): number {
    return this.touched.size;
  }

  /** Makes every later change fail: called when the transaction's commit begins. */
  seal(): void {
    this.sealed = true;
  }

  put(key: Buffer, value: Buffer): void {
    this.assertUnsealed();
    this.changes.set(key, value);
    this.revision++;
  }

  delete(key: Buffer): void {
    this.assertUnsealed();
    this.changes.set(key, DELETED);
    this.exclusive.add(key);
    this.revision++;
  }

  lock(key: Buffer): void {
    this.assertUnsealed();
    this.exclusive.add(key);
  }

  /** A key already put or deleted here is written or exclusive already: only other keys need remembering. */
  touch(key: Buffer): void {
    this.assertUnsealed();
    if (this.changes.has(key)) return;
    this.touched.add(key);
  }

  require(prefix: Buffer): void {
    this.assertUnsealed();
    this.required.set(keyToken(prefix), prefix);
  }

  requiredPrefixes(): IterableIterator<Buffer> {
    return this.required.values();
  }

  get requiredCount(): number {
    return this.required.size;
  }

  clear(): void {
    this.assertUnsealed();
    this.changes.clear();
    this.exclusive.clear();
    this.touched.clear();
    this.required.clear();
    this.revision++; // open iterators re-seek, and find nothing
  }

  /** The buffered change for key: a value, DELETED, or undefined when the snapshot decides. */
  lookup(key: Uint8Array): Change | undefined {
    return this.changes.get(key as Buffer);
  }

  /** The first change inside bounds, walking in the given direction. */
  first(bounds: KeyBounds, reverse: boolean): ChangeEntry | undefined {
    const entry = reverse
      ? this.changes.nextLowerPair(bounds.upper) // strictly below the exclusive upper bound; undefined = highest
      : bounds.lower === undefined
        ? this.changes.nextHigherPair(undefined) // undefined = lowest
        : this.changes.getPairOrNextHigher(bounds.lower);
    return within(entry, bounds, reverse);
  }

  /** The next change strictly after key (in the walking direction) inside bounds. */
  after(key: Buffer, bounds: KeyBounds, reverse: boolean): ChangeEntry | undefined {
    const entry = reverse ? this.changes.nextLowerPair(key) : this.changes.nextHigherPair(key);
    return within(entry, bounds, reverse);
  }

  /** All changes in ascending key order: the order LMDB writes fastest. */
  changesInOrder(): IterableIterator<[Buffer, Change]> {
    return this.changes.entries();
  }

  /** The keys this transaction writes: puts and touches (deletes, also of a touched key, are in exclusiveKeys). */
  writtenKeys(): KeySet {
    return this.written;
  }

  exclusiveKeys(): KeySet {
    return this.exclusive;
  }

  private assertUnsealed(): void {
    if (this.sealed) throw changesCommitted();
  }
}

/** The written keys as a view of the buffer, never copied: a commit can hold hundreds of thousands. */
class WrittenKeys implements KeySet {
  constructor(
    private readonly changes: ChangeTree,
    private readonly touched: TokenKeySet,
  ) {}

  get sizeBound(): number {
    return this.changes.size + this.touched.size;
  }

  has(key: Buffer): boolean {
    const change = this.changes.get(key);
    // A touched key put or deleted later is decided by its change.
    return change === undefined ? this.touched.has(key) : change !== DELETED;
  }

  *keys(): Generator<Buffer> {
    for (const [key, change] of this.changes.entries()) if (change !== DELETED) yield key;
    for (const key of this.touched.keys()) if (this.changes.get(key) === undefined) yield key;
  }
}

function within(entry: [Buffer, Change] | undefined, bounds: KeyBounds, reverse: boolean): ChangeEntry | undefined {
  if (entry === undefined) return undefined;
  return (reverse ? atOrAboveLower(entry[0], bounds) : belowUpper(entry[0], bounds)) ? entry : undefined;
}
