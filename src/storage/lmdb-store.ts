// The Store on LMDB (lmdb-js): one unnamed database per directory, raw binary keys and values.
//
// Concurrency model: one process owns a store. Readers use LMDB read transactions as snapshots. Write
// transactions buffer changes over a snapshot, validate optimistically against the in-memory commit log at
// commit, then apply everything in one fsynced LMDB write transaction: on the calling thread (commit), or on the
// store's writer thread (commitInSteps, commit-writer.ts), one commit at a time. Commit sequence numbers are in
// memory and restart at 0 on every open: they only order commits among transactions of this process.

import { mkdirSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { open, type RootDatabase, type Transaction } from 'lmdb';
import type { CommitHooks, Key, ScanSnapshot, Snapshot, Store, StoredTree, WriteTransaction } from './api.js';
import { Waiting, type WaitingSteps } from '../common/steps.js';
import { backupInto } from './backup.js';
import { packChanges } from './change-batch.js';
import { CommitLog } from './commit-log.js';
import { CommitWriter } from './commit-writer.js';
import {
  alreadyOpen,
  closeDuringBackup,
  commitFailed,
  commitUnderWay,
  openFailed,
  snapshotFailed,
  StoreFileError,
  storeClosed,
  transactionConflict,
  viewClosed,
} from './errors.js';
import { LmdbSnapshot } from './lmdb-snapshot.js';
import { checkDataFile } from './lmdb-file/data-file-check.js';
import { DATA_FILE } from './lmdb-file/layout.js';
import { locateTree, type ReadTransactionStats } from './lmdb-file/snapshot-tree.js';
import { lmdbOptions } from './lmdb-options.js';
import { DELETED } from './write-buffer.js';
import { checkFreeSpace, commitBytesBound, entryBytesBound } from './free-space.js';
import { LmdbWriteTransaction, type WriteHost } from './write-transaction.js';

export interface StoreOptions {
  /**
   * Most LMDB read transactions open at once (every snapshot and write transaction holds one). LMDB's default of
   * 126 is low for a server; default 1024.
   */
  readonly maxReaders?: number;
  /**
   * Whether a store may be created when the directory holds none (default true). With false, only an existing
   * store opens: a missing or empty data file is refused like a damaged one.
   */
  readonly create?: boolean;
}

const DEFAULT_MAX_READERS = 1024;

/**
 * Commits of up to this many changed keys are written on the calling thread even in steps: they hold the event
 * loop a few ms at most (~2 µs a key), where handing them to the writer thread doubled a small commit's latency
 * (0.31 -> 0.62 ms at p50) and started a thread for stores that never commit much at once.
 */
const SYNCHRONOUS_COMMIT_MAX_CHANGES = 4096;

/** lmdb-js's read transactions count their users; a snapshot opened during a commit shares the pinned one. */
type SharedReadTransaction = Transaction & { use(): void };

/** A commitInSteps from the moment its turn comes until it has ended. */
interface CommitUnderWay {
  readonly transaction: LmdbWriteTransaction;
  readonly hooks: CommitHooks;
  /** `checking`: validated and copied on the event loop; `writing`: on the writer thread; then `ended`. */
  phase: 'checking' | 'writing' | 'ended';
  failure: unknown;
  /** Resolves once it has ended, either way. */
  readonly ended: Promise<void>;
  readonly end: () => void;
}

/** Directories with an open store in this process: a second store on one directory would bypass the commit log. */
const openDirectories = new Set<string>();

/** Opens (creating if needed, unless `options.create` is false) the store in directory `path`. */
export function openStore(path: string, options: StoreOptions = {}): Store {
  return LmdbStore.open(path, options);
}

/**
 * Throws StoreFileError unless directory `path` holds a data file lmdb-js can open safely (see data-file-check.ts);
 * with `mayCreate`, a missing or empty one passes (lmdb-js then writes a new store).
 */
export function checkStoreFiles(path: string, mayCreate = false): void {
  const file = join(path, DATA_FILE);
  const problem = checkDataFile(file);
  if (problem === undefined || (mayCreate && (problem.kind === 'missing' || problem.kind === 'empty'))) return;
  throw new StoreFileError(resolve(file), problem);
}

class LmdbStore implements Store, WriteHost {
  private sequence = 0;
  private closed = false;
  private runningBackups = 0;
  private readonly commitLog = new CommitLog();
  private readonly snapshots = new Set<LmdbSnapshot>();
  private readonly writers = new Set<LmdbWriteTransaction>();
  /** The commitInSteps whose turn it is; others wait for it to end. */
  private underWay: CommitUnderWay | undefined;
  /**
   * While a commit is written by the writer thread: the read transaction of the store as it was before it, which
   * new snapshots share. LMDB shows the commit to new read transactions as soon as the thread commits it, before the
   * store has counted it (its sequence), and lmdb-js renews its shared read transaction at every event-loop turn.
   */
  private pinnedRead: SharedReadTransaction | undefined;
  /** Started with the first commitInSteps that writes. */
  private writer: CommitWriter | undefined;

  private constructor(
    readonly path: string,
    private readonly db: RootDatabase<Buffer, Key>,
    private readonly maxReaders: number,
  ) {}

  static open(path: string, options: StoreOptions): LmdbStore {
    const create = options.create ?? true;
    let directory: string;
    try {
      if (create) mkdirSync(path, { recursive: true });
    } catch (error) {
      throw openFailed(path, error);
    }
    checkStoreFiles(path, create);
    try {
      directory = realpathSync(resolve(path));
    } catch (error) {
      throw openFailed(path, error);
    }
    if (openDirectories.has(directory)) throw alreadyOpen(directory);
    const maxReaders = options.maxReaders ?? DEFAULT_MAX_READERS;
    let db: RootDatabase<Buffer, Key>;
    try {
      db = open<Buffer, Key>(directory, lmdbOptions(maxReaders));
    } catch (error) {
      throw openFailed(directory, error);
    }
    openDirectories.add(directory);
    return new LmdbStore(directory, db, maxReaders);
  }

  snapshot(): Snapshot {
    this.assertOpen();
    const snapshot = new LmdbSnapshot(this.db, this.readTransaction(), this.sequence, 'snapshot', (closed) =>
      this.snapshots.delete(closed),
    );
    this.snapshots.add(snapshot);
    return snapshot;
  }

  scanSnapshot(): ScanSnapshot {
    const snapshot = this.snapshot() as LmdbSnapshot;
    // No commit can come between the two calls: commits end on this thread, and each one renews the shared read
    // transaction the snapshot and the statistics both use. While the writer thread writes one, the statistics
    // may already show it, unlike the pinned snapshot: the snapshot is then scanned through lmdb-js.
    let tree: StoredTree | undefined;
    if (this.pinnedRead !== undefined) return snapshot;
    try {
      tree = locateTree(join(this.path, DATA_FILE), this.db.getStats() as ReadTransactionStats);
    } catch {
      tree = undefined; // unreadable meta pages: the snapshot is still good through lmdb-js
    }
    snapshot.tree = tree;
    return snapshot;
  }

  beginWrite(): WriteTransaction {
    this.assertOpen();
    // Every commit resets lmdb-js's shared read transaction, so the one handed out here sees exactly the
    // commits up to this.sequence (while one is being written, the pinned one: see pinnedRead).
    const snapshot = new LmdbSnapshot(this.db, this.readTransaction(), this.sequence, 'transaction', () => {});
    const transaction = new LmdbWriteTransaction(snapshot, this);
    this.commitLog.registerWriter(snapshot.sequence);
    this.writers.add(transaction);
    return transaction;
  }

  commitWrite(transaction: LmdbWriteTransaction, hooks: CommitHooks = {}): void {
    transaction.changes.seal();
    try {
      if (this.underWay !== undefined) throw commitUnderWay(this.path);
      this.validate(transaction, hooks);
      const changes = transaction.changes;
      if (changes.size > 0) {
        checkFreeSpace(this.path, commitBytesBound(changes));
        this.applyChanges(transaction);
      }
    } catch (error) {
      this.releaseWrite(transaction);
      throw error;
    }
    this.published(transaction);
    hooks.afterWrite?.();
  }

  *commitWriteInSteps(transaction: LmdbWriteTransaction, hooks: CommitHooks = {}): WaitingSteps<void> {
    transaction.changes.seal();
    while (this.underWay !== undefined) yield new Waiting(this.underWay.ended);
    let end = (): void => {};
    const ended = new Promise<void>((resolve) => (end = resolve));
    const commit: CommitUnderWay = { transaction, hooks, phase: 'checking', failure: undefined, ended, end };
    this.underWay = commit;
    try {
      this.validate(transaction, hooks);
      if (transaction.changes.size === 0) return this.endCommit(commit, undefined);
      if (transaction.changes.size <= SYNCHRONOUS_COMMIT_MAX_CHANGES) {
        checkFreeSpace(this.path, commitBytesBound(transaction.changes));
        this.applyChanges(transaction);
        return this.endCommit(commit, undefined);
      }
      const batch = yield* packChanges(transaction.changes.changesInOrder(), () => !this.closed && transaction.isOpen);
      if (batch === undefined) throw this.closed ? storeClosed(this.path) : viewClosed('transaction');
      checkFreeSpace(this.path, entryBytesBound(batch.entryBytes));
      if (this.writer?.usable !== true) this.writer = new CommitWriter(this.path, this.maxReaders);
      this.pinnedRead = this.readTransaction() as SharedReadTransaction;
      commit.phase = 'writing';
      this.writer.write(batch, (failure) => this.endCommit(commit, failure && commitFailed(failure)));
    } catch (error) {
      this.endCommit(commit, error);
      throw error;
    } finally {
      // Abandoned by its runner before its changes went to the writer thread: nothing is written.
      if (commit.phase === 'checking') this.endCommit(commit, viewClosed('transaction'));
    }
    yield new Waiting(commit.ended);
    if (commit.failure !== undefined) throw commit.failure;
  }

  /** The checks of a commit at its turn. */
  private validate(transaction: LmdbWriteTransaction, hooks: CommitHooks): void {
    this.assertOpen();
    hooks.beforeWrite?.();
    const changes = transaction.changes;
    if (this.commitLog.hasCommitsAfter(transaction.sequence)) {
      const conflict = this.commitLog.conflict(transaction.sequence, changes.writtenKeys(), changes.exclusiveKeys());
      if (conflict !== undefined) throw transactionConflict(conflict);
    }
    // Checked over the latest commit: commits since the snapshot may have removed what the snapshot still had.
    if (changes.requiredCount > 0 && !this.requirementsHold(transaction)) throw transactionConflict('exclusive');
  }

  /** Ends the commit under way: published (`failure` undefined), or nothing applied. Once only. */
  private endCommit(commit: CommitUnderWay, failure: unknown): void {
    if (commit.phase === 'ended') return;
    const wrote = commit.phase === 'writing';
    commit.phase = 'ended';
    commit.failure = failure;
    if (wrote) {
      this.pinnedRead?.done();
      this.pinnedRead = undefined;
      // The next snapshot must see this commit: lmdb-js only renews its shared read transaction by itself for
      // commits it makes on this thread.
      if (failure === undefined && !this.closed) this.db.resetReadTxn();
    }
    if (failure === undefined) {
      this.published(commit.transaction);
      commit.hooks.afterWrite?.();
    } else {
      this.releaseWrite(commit.transaction);
    }
    this.underWay = undefined;
    commit.end();
  }

  /** A commit is applied: its transaction is released, and it is counted and remembered for conflict checks. */
  private published(transaction: LmdbWriteTransaction): void {
    this.releaseWrite(transaction);
    const changes = transaction.changes;
    if (changes.size === 0 && changes.lockCount === 0 && changes.touchCount === 0) return; // nothing for anyone to see or conflict with
    this.sequence++;
    // The record holds the buffer itself, sealed since the commit began; the transaction is closed by now.
    if (this.commitLog.openWriters > 0) {
      this.commitLog.record({ sequence: this.sequence, written: changes.writtenKeys(), exclusive: changes.exclusiveKeys() });
    }
  }

  private requirementsHold(transaction: LmdbWriteTransaction): boolean {
    const latest = this.snapshot() as LmdbSnapshot;
    try {
      return transaction.requirementsHoldOver(latest);
    } finally {
      latest.close();
    }
  }

  releaseWrite(transaction: LmdbWriteTransaction): void {
    // Being written: released when its outcome arrives (endCommit).
    if (this.underWay?.transaction === transaction && this.underWay.phase === 'writing') return;
    if (!this.writers.delete(transaction)) return;
    transaction.markClosed();
    this.commitLog.releaseWriter(transaction.sequence);
  }

  async backup(targetDir: string): Promise<void> {
    this.assertOpen();
    this.runningBackups++;
    try {
      // The compacting copy: it barely slows writers (DESIGN: ~4 ms worst commit latency, where the raw copy
      // blocked them ~0.1 s), and it leaves free pages behind.
      await backupInto(targetDir, (directory) => this.db.backup(directory, true));
    } finally {
      this.runningBackups--;
    }
  }

  close(): void {
    if (this.closed) return;
    if (this.runningBackups > 0) throw closeDuringBackup(this.path, this.runningBackups);
    this.closed = true;
    // A commit being written ends first, durable or refused (its outcome is handed over before this returns); one
    // still being checked stops at its next step, writing nothing.
    this.writer?.close();
    for (const transaction of [...this.writers]) this.releaseWrite(transaction);
    for (const snapshot of [...this.snapshots]) snapshot.close();
    // Without asynchronous writes pending, lmdb-js closes the environment before this returns; the promise only
    // matters for async writes, which this store never issues (its writer thread writes synchronously).
    void this.db.close();
    openDirectories.delete(this.path);
  }

  private applyChanges(transaction: LmdbWriteTransaction): void {
    const db = this.db;
    try {
      db.transactionSync(() => {
        for (const [key, change] of transaction.changes.changesInOrder()) {
          if (change === DELETED) db.remove(key);
          else db.put(key, change);
        }
        // Returning nothing matters: lmdb-js defers the commit past transactionSync if the callback returns a
        // promise (which put/remove do).
      });
    } catch (error) {
      throw commitFailed(error);
    }
  }

  /**
   * lmdb-js shares one read transaction among all readers until the next commit (which resets it), so snapshots
   * opened between two commits cost one LMDB reader slot together.
   */
  private readTransaction(): Transaction {
    if (this.pinnedRead !== undefined) {
      this.pinnedRead.use();
      return this.pinnedRead;
    }
    try {
      return this.db.useReadTransaction();
    } catch (error) {
      throw snapshotFailed(this.path, this.maxReaders, error);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw storeClosed(this.path);
  }
}
