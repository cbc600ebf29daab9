// The ordered key-value store every layer above is built on. Keys compare as unsigned bytes.
// Reads are synchronous: LMDB reads are memory-mapped and cheap, and sync code keeps the engine simple. A commit is
// synchronous too, or, for a caller that serves others meanwhile, written off the event loop (commitInSteps).
import type { WaitingSteps } from '../common/steps.js';

export type Key = Uint8Array;
export type Bytes = Uint8Array;

export interface RangeOptions {
  readonly reverse?: boolean;
  readonly limit?: number;
}

/** A consistent read view. */
export interface ReadView {
  get(key: Key): Bytes | undefined;
  has(key: Key): boolean;
  /** Entries with start <= key < end, in key order. */
  range(start: Key, end: Key, options?: RangeOptions): IterableIterator<[Key, Bytes]>;
  /** Entries whose key starts with prefix, in key order. */
  prefix(prefix: Key, options?: RangeOptions): IterableIterator<[Key, Bytes]>;
  /** The keys of range(start, end, options) alone: cheaper per entry, since values are not read. */
  rangeKeys(start: Key, end: Key, options?: RangeOptions): IterableIterator<Key>;
  /** The keys of prefix(prefix, options) alone: cheaper per entry, since values are not read. */
  prefixKeys(prefix: Key, options?: RangeOptions): IterableIterator<Key>;
  /** How many keys range(start, end) holds, counted without reading them out one by one where the store can. */
  countKeys(start: Key, end: Key): number;
  /** How many keys prefix(prefix) holds (see countKeys). */
  countPrefixKeys(prefix: Key): number;
}

/** A read snapshot: sees the store as of when it was opened. Close it promptly (it pins LMDB pages). */
export interface Snapshot extends ReadView {
  /** Commit sequence number this snapshot sees. */
  readonly sequence: number;
  close(): void;
}

/**
 * A write transaction: a snapshot plus a private buffer of changes that its own reads see.
 * Nothing reaches the store until commit, which validates against commits made since the snapshot.
 */
export interface WriteTransaction extends Snapshot {
  put(key: Key, value: Bytes): void;
  delete(key: Key): void;
  /**
   * Marks a key as exclusively owned by this transaction: commit fails with a conflict error if another
   * transaction committed since this snapshot wrote, deleted or locked the same key. Deletes lock implicitly.
   */
  lock(key: Key): void;
  /**
   * Counts an existing key as written by this transaction without rewriting it: conflicts are detected as for a put
   * of its current value (a concurrent delete of it fails one of the two commits), but commit leaves the stored key
   * alone. Rewriting an unchanged key would cost LMDB a copy of its page, anywhere in the file, for nothing.
   */
  touch(key: Key): void;
  /**
   * Requires some key starting with prefix to exist at commit, over the latest commit with this transaction's own
   * changes merged: otherwise commit fails with a conflict ([TXN11]). For what two transactions may each keep alone
   * but break together, such as each removing a different one of the last two entries under a prefix.
   */
  requireAnyWithPrefix(prefix: Key): void;
  /** Drops every buffered change, lock and requirement; the transaction goes on over the same snapshot. */
  discardChanges(): void;
  /** Number of buffered changes. */
  readonly changeCount: number;
  /**
   * Validates, then applies all changes atomically and durably. Throws StrataError (TXN09–TXN11) on conflict, and
   * [STO16] while another caller's commitInSteps is under way (a synchronous commit cannot wait for it). From the
   * moment a commit (either kind) begins, a change to the transaction (put, delete, lock, touch, require,
   * discardChanges) fails with [STO17]: the commit log keeps the committed change buffer itself.
   */
  commit(hooks?: CommitHooks): void;
  /**
   * The same commit for a caller that serves others meanwhile (the server): it waits (Waiting) for commits under way
   * to end, then validates as commit() does, copies the changes in steps, and waits while a thread of the store
   * writes them in one LMDB transaction and flushes it. It returns once the commit is durable and visible to new
   * snapshots, or throws as commit() does (nothing applied). Snapshots opened while it is written see the store
   * as it was before it. Once its changes are being written, aborting the transaction waits for the outcome.
   */
  commitInSteps(hooks?: CommitHooks): WaitingSteps<void>;
  /** Drops the buffer and closes the snapshot. Idempotent. */
  abort(): void;
}

/** What a commit's caller does at its place in the order of commits, so that no other commit comes in between. */
export interface CommitHooks {
  /** Runs once no other commit is under way, before this one is validated; throws to refuse it (nothing written). */
  readonly beforeWrite?: () => void;
  /** Runs once the commit is durable and visible, before any other commit begins. Must not throw. */
  readonly afterWrite?: () => void;
}

/** Where a pinned snapshot's B-tree lies in the store's data file, for TreeScanner (lmdb-file/). */
export interface StoredTree {
  readonly dataFile: string;
  /** The root page; undefined for an empty store. */
  readonly root: number | undefined;
  readonly depth: number;
  readonly entries: number;
}

/** A snapshot that can also be scanned page by page from the data file, by any thread, while it stays open. */
export interface ScanSnapshot extends Snapshot {
  /** Undefined when the snapshot's pages could not be located; scan it through range() then. */
  readonly tree: StoredTree | undefined;
}

export interface Store {
  readonly path: string;
  snapshot(): Snapshot;
  /** A snapshot of the latest commit, with its location in the data file (for whole-store scans). */
  scanSnapshot(): ScanSnapshot;
  beginWrite(): WriteTransaction;
  /** Consistent online copy into a new directory (compacting), fsynced before it returns. */
  backup(targetDir: string): Promise<void>;
  close(): void;
}
