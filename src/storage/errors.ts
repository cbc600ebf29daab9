// Every failure the storage layer reports, in one place, as `[STOnn] Storage Error: …` with what to do next.

import { StrataError } from '../common/errors.js';
import type { ConflictKind } from './commit-log.js';
import type { DataFileProblem } from './lmdb-file/data-file-check.js';

/** Strata's own storage error numbers (a write conflict is TypeDB's TXN09–TXN11: transactionConflict). */
export const STORAGE_ERROR = {
  // 1 was the write conflict, now TypeDB's TXN09–TXN11.
  STORE_CLOSED: 2,
  VIEW_CLOSED: 3,
  INVALID_KEY: 4,
  BULK_LOAD_ORDER: 5,
  // 6 (bulk load into a store in use) and 13 (bulk load failed) were retired with Store.bulkLoad.
  BACKUP_FAILED: 7,
  ALREADY_OPEN: 8,
  COMMIT_FAILED: 9,
  CLOSE_DURING_BACKUP: 10,
  OPEN_FAILED: 11,
  SNAPSHOT_FAILED: 12,
  FRESH_STORE_FAILED: 14,
  STORE_UNUSABLE: 15,
  COMMIT_UNDER_WAY: 16,
  CHANGES_COMMITTED: 17,
} as const;

/** A commit that conflicts with one made since its snapshot: TypeDB 2.x's codes and texts, and what to do. */
export function transactionConflict(kind: ConflictKind): StrataError {
  const [number, text] = CONFLICT_TEXTS[kind];
  return new StrataError('TXN', number, `${text} Nothing was committed: retry the transaction.`);
}

const CONFLICT_TEXTS: Record<ConflictKind, readonly [number, string]> = {
  'modify-delete': [9, 'The transaction modifies a key that is deleted in a concurrent transaction.'],
  'delete-modify': [10, 'The transaction deletes a key that is modified in concurrent transaction.'],
  exclusive: [11, 'The transaction fails to create a key that is created exclusively in a concurrent transaction.'],
};

export function storeClosed(path: string): StrataError {
  return new StrataError('STO', STORAGE_ERROR.STORE_CLOSED, `The store at '${path}' has been closed. Open it again to use it.`);
}

export function viewClosed(kind: 'snapshot' | 'transaction'): StrataError {
  const what = kind === 'snapshot' ? 'read snapshot' : 'write transaction';
  return new StrataError(
    'STO',
    STORAGE_ERROR.VIEW_CLOSED,
    `The ${what} has already been closed (committed, aborted, or its store closed). Open a new one.`,
  );
}

export function invalidKey(detail: string): StrataError {
  return new StrataError('STO', STORAGE_ERROR.INVALID_KEY, `Invalid key: ${detail}`);
}

export function bulkLoadOrder(position: number, key: Uint8Array, previous: Uint8Array): StrataError {
  return new StrataError(
    'STO',
    STORAGE_ERROR.BULK_LOAD_ORDER,
    `Bulk load needs strictly ascending keys, greater than every key already stored: entry #${position} ` +
      `(key ${hex(key)}) is not greater than the key before it (${hex(previous)}). Sort the entries and ` +
      `load them into an empty store.`,
  );
}

export function backupFailed(target: string, reason: string, cause?: unknown): StrataError {
  const error = new StrataError('STO', STORAGE_ERROR.BACKUP_FAILED, `Backup to '${target}' failed: ${reason}`);
  if (cause !== undefined) error.cause = cause;
  return error;
}

export function alreadyOpen(path: string): StrataError {
  return new StrataError(
    'STO',
    STORAGE_ERROR.ALREADY_OPEN,
    `The store at '${path}' is already open in this process. Use the open store, or close it before opening it again.`,
  );
}

export function commitFailed(cause: unknown): StrataError {
  const error = new StrataError(
    'STO',
    STORAGE_ERROR.COMMIT_FAILED,
    `The commit could not be written to disk (${describe(cause)}); nothing was applied. ` +
      'Check free disk space and permissions, then retry the transaction.',
  );
  error.cause = cause;
  return error;
}

export function commitUnderWay(path: string): StrataError {
  return new StrataError(
    'STO',
    STORAGE_ERROR.COMMIT_UNDER_WAY,
    `Another commit to the store at '${path}' is being written off the event loop, and a synchronous commit cannot ` +
      'wait for it; nothing was applied. Commit with commitInSteps (as the server does), or once that commit has ended.',
  );
}

export function changesCommitted(): StrataError {
  return new StrataError(
    'STO',
    STORAGE_ERROR.CHANGES_COMMITTED,
    'The write transaction is being committed: its changes can no longer be changed. Wait for the commit to end, ' +
      'then make further changes in a new transaction.',
  );
}

export function freshStoreFailed(directory: string, cause: unknown): StrataError {
  const error = new StrataError(
    'STO',
    STORAGE_ERROR.FRESH_STORE_FAILED,
    `Writing a new store in '${directory}' failed (${describe(cause)}); its partial data file was removed. ` +
      'Free disk space or fix the cause, then try again.',
  );
  error.cause = cause;
  return error;
}

export function closeDuringBackup(path: string, running: number): StrataError {
  return new StrataError(
    'STO',
    STORAGE_ERROR.CLOSE_DURING_BACKUP,
    `The store at '${path}' cannot be closed while ${running} backup(s) are copying it. Await the backup, then close.`,
  );
}

export function openFailed(path: string, cause: unknown): StrataError {
  const error = new StrataError(
    'STO',
    STORAGE_ERROR.OPEN_FAILED,
    `The store at '${path}' could not be opened (${describe(cause)}). Check that the directory is readable and ` +
      'writable and holds an LMDB store written by Strata.',
  );
  error.cause = cause;
  return error;
}

/**
 * A store whose data file is missing, empty, unreadable or damaged: not opened (lmdb-js would crash on a damaged
 * file, and write a new store over a missing or empty one), and left as it is. Callers that know which database
 * the store holds read `file` and `problem` to say so.
 */
export class StoreFileError extends StrataError {
  constructor(
    readonly file: string,
    readonly problem: DataFileProblem,
  ) {
    super(
      'STO',
      STORAGE_ERROR.STORE_UNUSABLE,
      `The store data file '${file}' ${problem.detail}. The store was not opened and was left as it is. ` +
        (problem.kind === 'unreadable'
          ? 'Check that the file is readable and writable by this process, then open it again.'
          : 'Restore the store from a backup, or rebuild it from an export.'),
    );
  }
}

export function snapshotFailed(path: string, maxReaders: number, cause: unknown): StrataError {
  const full = describe(cause).includes('MDB_READERS_FULL');
  const error = new StrataError(
    'STO',
    STORAGE_ERROR.SNAPSHOT_FAILED,
    full
      ? `Too many open snapshots on the store at '${path}': all ${maxReaders} LMDB reader slots are in use. Close ` +
          'snapshots and transactions when done, or open the store with a larger maxReaders.'
      : `Could not open a read snapshot on the store at '${path}' (${describe(cause)}).`,
  );
  error.cause = cause;
  return error;
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

function hex(key: Uint8Array): string {
  const shown = Buffer.from(key.buffer, key.byteOffset, Math.min(key.length, 32)).toString('hex');
  return key.length > 32 ? `0x${shown}… (${key.length} bytes)` : `0x${shown}`;
}
