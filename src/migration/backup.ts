// Online backup of a live database: a complete database directory (manifest + store) that any data directory
// serves as it is — copy it in under the database's name (or any valid name) and (re)start the server.
//
// The store part is LMDB's consistent, compacting copy from one read transaction (storage layer), taken while
// writers keep committing; the manifest is copied as is (it never changes after creation). Everything is built
// in a hidden directory beside the target, fsynced, and renamed into place, so the target either does not
// exist or holds a complete backup, even across a crash.

import { makeDirectories } from '../common/make-directories.js';
import { syncPath } from '../common/sync-path.js';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Database } from '../database/database.js';
import { STORE_DIR } from '../database/database.js';
import { MANIFEST_FILE, manifestPath } from '../database/manifest.js';
import { BackupErrors, jobStopped } from './errors.js';
import { directoryBytes } from './disk-usage.js';
import { BACKUP_TEMPORARY, removeStaleSiblings } from './stale-siblings.js';

export interface BackupResult {
  /** The backup directory (absolute). */
  readonly dir: string;
  /** Its size on disk. */
  readonly bytes: number;
  readonly milliseconds: number;
}

/**
 * Writes a consistent copy of the live database into `targetDir`, which must not exist or be empty. `signal`: when
 * aborted (a server shutting down), the backup stops after the store copy under way (which cannot be interrupted),
 * removes what it wrote and leaves the target as it was.
 */
export async function backupDatabase(database: Database, targetDir: string, signal?: AbortSignal): Promise<BackupResult> {
  const started = performance.now();
  const target = resolve(targetDir);
  const fail = (detail: string, cause?: unknown) => BackupErrors.failed(database.name, target, detail, cause);
  await checkTarget(target, fail);
  const parent = dirname(target);
  await removeStaleSiblings(target, BACKUP_TEMPORARY);
  const staging = join(parent, `.${basename(target)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  const stopped = new Error('stopped');
  // The directories made for the target's parent go too on failure: "the target was left as it was".
  let madeParents: string | undefined;
  try {
    madeParents = await makeDirectories(parent);
    await mkdir(staging);
    await copyFile(manifestPath(database.dir), join(staging, MANIFEST_FILE));
    await syncPath(join(staging, MANIFEST_FILE));
    await database.store.backup(join(staging, STORE_DIR));
    if (signal?.aborted) throw stopped;
    await syncPath(staging);
    // rename(2) replaces an empty directory in one step: an empty target is never removed first and then missing.
    await rename(staging, target);
    await syncPath(parent);
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    if (madeParents !== undefined) await removeEmptyParents(parent, madeParents);
    if (e === stopped) {
      throw jobStopped(`backup of the database '${database.name}'`, `The target '${target}' is as it was. Run the backup again once the server runs.`);
    }
    throw fail(`${(e as Error).message}${systemAdvice(e)}`, e);
  }
  return { dir: target, bytes: directoryBytes(target), milliseconds: Math.round(performance.now() - started) };
}

/** Throws unless the target is absent or an empty directory. */
async function checkTarget(target: string, fail: (detail: string) => Error): Promise<void> {
  let info;
  try {
    info = await stat(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    const file = (e as NodeJS.ErrnoException).code === 'ENOTDIR' ? await fileOnPath(target) : undefined;
    if (file !== undefined) throw fail(`'${file}' on its path is a file, not a directory; choose a directory path`);
    throw fail(`cannot inspect the target (${(e as Error).message})`);
  }
  if (!info.isDirectory()) throw fail('the target exists and is not a directory; choose a new directory');
  if ((await readdir(target)).length > 0) throw fail('the target directory is not empty; choose a new or empty directory');
}

/**
 * Removes the directories from `parent` up to `topmost` (the first one this backup made) while they are empty:
 * another job (a backup to a sibling target) may have written into them since, and the target may already be in
 * place when a failure comes after the rename.
 */
async function removeEmptyParents(parent: string, topmost: string): Promise<void> {
  for (let at = parent; ; at = dirname(at)) {
    try {
      await rmdir(at);
    } catch {
      return; // not empty (or gone): it and the directories above it stay
    }
    if (at === topmost || at === dirname(at)) return;
  }
}

/** The nearest ancestor of `path` that exists, when it is not a directory. */
async function fileOnPath(path: string): Promise<string | undefined> {
  for (let at = dirname(path); at !== dirname(at); at = dirname(at)) {
    try {
      return (await stat(at)).isDirectory() ? undefined : at;
    } catch {
      // not there (or not a directory on the way): look further up
    }
  }
  return undefined;
}

/** What to do about a system error of the copy; the storage layer's errors carry the system's text only. */
function systemAdvice(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const text = e instanceof Error ? e.message : String(e);
  if (code === 'ENOSPC' || /No space left on device/.test(text)) return '. The disk is full: free space there, or back up to another disk';
  if (code === 'EACCES' || code === 'EPERM' || /Permission denied/.test(text)) {
    return ". The server writes the backup itself: check that the user it runs as may write that directory, or choose another";
  }
  if (code === 'EROFS' || /Read-only file system/.test(text)) return '. The file system is read-only: choose a directory on a writable disk';
  if (code === 'ENOENT' && (e as NodeJS.ErrnoException).syscall === 'mkdir') return '. Directories cannot be made there (not a disk, as /proc and /sys are not): choose a directory on a disk';
  return '';
}
