// Online backup: LMDB's consistent copy of a live store, made durable and published atomically.
//
// The copy is written into a temporary directory beside the target, fsynced (LMDB's copy does not sync), and
// renamed into place, so the target either does not exist or holds a complete store, even across a crash.

import { makeDirectories } from '../common/make-directories.js';
import { syncPath } from '../common/sync-path.js';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { backupFailed } from './errors.js';

/** Writes a consistent copy of the store into an existing, empty directory. */
export type CopyInto = (directory: string) => Promise<void>;

export async function backupInto(targetDir: string, copyInto: CopyInto): Promise<void> {
  const target = resolve(targetDir);
  const replaceEmptyTarget = await checkTarget(target);
  const parent = dirname(target);
  await makeDirectories(parent);
  const staging = join(parent, `.${basename(target)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging);
  try {
    await copyInto(staging);
    for (const name of await readdir(staging)) await syncPath(join(staging, name));
    await syncPath(staging);
    if (replaceEmptyTarget) await rmdir(target);
    await rename(staging, target);
    await syncPath(parent);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw backupFailed(target, error instanceof Error ? error.message : String(error), error);
  }
}

/** Returns whether the target exists as an empty directory; throws if it exists otherwise. */
async function checkTarget(target: string): Promise<boolean> {
  let info;
  try {
    info = await stat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw backupFailed(target, `cannot inspect the target (${(error as Error).message}).`, error);
  }
  if (!info.isDirectory()) {
    throw backupFailed(target, 'the target exists and is not a directory. Choose a new directory.');
  }
  if ((await readdir(target)).length > 0) {
    throw backupFailed(target, 'the target directory is not empty. Choose a new or empty directory.');
  }
  return true;
}
