// The Store on LMDB (lmdb-js): one unnamed database per directory, raw binary keys and values.
//
// Concurrency model: one process owns a store. Readers use LMDB read transactions as snapshots. Write
// transactions buffer changes over a snapshot, validate optimistically against the in-memory commit log at
// commit, then apply everything in one synchronous, fsynced LMDB write transaction. Commit sequence numbers are
// in memory and restart at 0 on every open: they only order commits among transactions of this process.

import { mkdirSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { open, type RootDatabase, type Transaction } from 'lmdb';
import type { Key, ScanSnapshot, Snapshot, Store, StoredTree, WriteTransaction } from './api.js';
import { backupInto } from './backup.js';
import { CommitLog } from './commit-log.js';
import {
  alreadyOpen,
  closeDuringBackup,
  commitFailed,
  openFailed,
  snapshotFailed,
  StoreFileError,
  storeClosed,
  transactionConflict,
} from './errors.js';
import { LmdbSnapshot } from './lmdb-snapshot.js';
import { checkDataFile } from './lmdb-file/data-file-check.js';
import { DATA_FILE } from './lmdb-file/layout.js';
import { locateTree, type ReadTransactionStats } from './lmdb-file/snapshot-tree.js';
import { DELETED } from './write-buffer.js';
import { checkFreeSpace, commitBytesBound } from './free-space.js';
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
 * The address space mapped for a store's data file up front. lmdb-js keeps every map a store outgrows until it closes
 * (readers may still be on it), and pages touched through each stay resident: a store grown by doubling its map
 * held up to ~2x its size in RSS more. Only address space: the file is not extended to it (no writemap). A store
 * that outgrows it still grows, by new maps.
 */
const MAP_BYTES = 16 * 1024 ** 3;

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
      db = open<Buffer, Key>(directory, {
        keyEncoding: 'binary',
        encoding: 'binary',
        compression: false,
        // lmdb-js would treat a directory name with a dot ("shop.v2") as a file path; a store is always a directory.
        noSubdir: false,
        maxReaders,
        mapSize: MAP_BYTES,
      });
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
    // No commit can come between the two calls: commits run synchronously on this thread, and each one renews
    // the shared read transaction the snapshot and the statistics both use.
    let tree: StoredTree | undefined;
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
    // commits up to this.sequence.
    const snapshot = new LmdbSnapshot(this.db, this.readTransaction(), this.sequence, 'transaction', () => {});
    const transaction = new LmdbWriteTransaction(snapshot, this);
    this.commitLog.registerWriter(snapshot.sequence);
    this.writers.add(transaction);
    return transaction;
  }

  commitWrite(transaction: LmdbWriteTransaction): void {
    const changes = transaction.changes;
    let written: Set<string> | undefined;
    try {
      this.assertOpen();
      if (this.commitLog.hasCommitsAfter(transaction.sequence)) {
        written = changes.writtenTokens();
        const conflict = this.commitLog.conflict(transaction.sequence, written, changes.exclusiveTokens());
        if (conflict !== undefined) throw transactionConflict(conflict);
      }
      // Checked over the latest commit: commits since the snapshot may have removed what the snapshot still had.
      if (changes.requiredCount > 0 && !this.requirementsHold(transaction)) throw transactionConflict('exclusive');
      if (changes.size > 0) {
        checkFreeSpace(this.path, commitBytesBound(changes));
        this.applyChanges(transaction);
      }
    } catch (error) {
      this.releaseWrite(transaction);
      throw error;
    }
    this.releaseWrite(transaction);
    if (changes.size === 0 && changes.lockCount === 0 && changes.touchCount === 0) return; // nothing for anyone to see or conflict with
    this.sequence++;
    if (this.commitLog.openWriters > 0) {
      this.commitLog.record({
        sequence: this.sequence,
        written: written ?? changes.writtenTokens(),
        exclusive: changes.exclusiveTokens(),
      });
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
    for (const transaction of [...this.writers]) this.releaseWrite(transaction);
    for (const snapshot of [...this.snapshots]) snapshot.close();
    // Without asynchronous writes pending, lmdb-js closes the environment before this returns; the promise only
    // matters for async writes, which this store never issues.
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
