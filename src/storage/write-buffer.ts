// The private, sorted change set of one write transaction: puts, deletes (tombstones), touches and locks.
// Reads of the transaction merge it over the snapshot; commit applies it in key order.

import sortedBtree from 'sorted-btree';
import { PENDING, runSteps, type Steps } from '../common/steps.js';
import { type KeyBounds, atOrAboveLower, belowUpper, compareKeys, keyToken } from './keys.js';

// sorted-btree is CommonJS with `exports.default`: under Node's ESM loader the default import is the whole
// `module.exports` object, and the class is its `default`. (Some bundlers hand over the class itself.)
type BTreeClass = typeof sortedBtree.default;
const BTree: BTreeClass =
  (sortedBtree as unknown as { default?: BTreeClass }).default ?? (sortedBtree as unknown as BTreeClass);

/** A buffered change: the new value, or DELETED for a tombstone that hides the snapshot's entry. */
export type Change = Buffer | typeof DELETED;
export const DELETED = null;

export type ChangeEntry = readonly [key: Buffer, change: Change];

const TOKENS_PER_STEP = 1024;

export class WriteBuffer {
  private readonly changes = new BTree<Buffer, Change>(undefined, compareKeys);
  /** Keys this transaction needs exclusively: explicit locks and every deleted key. */
  private readonly exclusive = new Set<string>();
  /** Keys counted as written for conflict detection but left as stored (see WriteTransaction.touch), by token. */
  private readonly touched = new Map<string, Buffer>();
  /** Prefixes under which some key must exist at commit (by token, so each is checked once). */
  private readonly required = new Map<string, Buffer>();
  /** Bumped on every change so that open range iterators know to re-seek (see MergedRangeIterator). */
  private revision = 0;

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

  put(key: Buffer, value: Buffer): void {
    this.changes.set(key, value);
    this.revision++;
  }

  delete(key: Buffer): void {
    this.changes.set(key, DELETED);
    this.exclusive.add(keyToken(key));
    this.revision++;
  }

  lock(key: Buffer): void {
    this.exclusive.add(keyToken(key));
  }

  /** A key already put or deleted here is written or exclusive already: only other keys need remembering. */
  touch(key: Buffer): void {
    if (this.changes.has(key)) return;
    this.touched.set(keyToken(key), key);
  }

  require(prefix: Buffer): void {
    this.required.set(keyToken(prefix), prefix);
  }

  requiredPrefixes(): IterableIterator<Buffer> {
    return this.required.values();
  }

  get requiredCount(): number {
    return this.required.size;
  }

  clear(): void {
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

  /** Tokens of the keys this transaction writes: puts and touches (deletes, also of a touched key, are in exclusiveTokens). */
  writtenTokens(): Set<string> {
    return runSteps(this.writtenTokensInSteps());
  }

  /** The same in steps: a string per key, several µs each, seconds for a commit of a few hundred thousand keys. */
  *writtenTokensInSteps(): Steps<Set<string>> {
    const tokens = new Set<string>();
    let seen = 0;
    for (const [key, change] of this.changes.entries()) {
      if (change !== DELETED) tokens.add(keyToken(key));
      if (++seen % TOKENS_PER_STEP === 0) yield PENDING;
    }
    for (const [token, key] of this.touched) if (this.changes.get(key) !== DELETED) tokens.add(token);
    return tokens;
  }

  exclusiveTokens(): ReadonlySet<string> {
    return this.exclusive;
  }
}

function within(entry: [Buffer, Change] | undefined, bounds: KeyBounds, reverse: boolean): ChangeEntry | undefined {
  if (entry === undefined) return undefined;
  return (reverse ? atOrAboveLower(entry[0], bounds) : belowUpper(entry[0], bounds)) ? entry : undefined;
}
