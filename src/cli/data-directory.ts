// The server's data directory must exist (it is made if missing) and be writable before any store opens. TypeDB
// refuses with `[SRV02] … is not writable.`; Strata keeps that text and adds why and what to do, since "not
// writable" reads the same for a file in the way, a missing permission and a read-only disk.
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { StrataError } from '../common/errors.js';
import { makeDirectoriesNow } from '../common/make-directories.js';

const FIX = 'Give another directory with --storage.data';

/** Makes `dir` if missing; throws `[SRV02]` saying why it cannot be used. */
export function ensureWritableDataDir(dir: string): void {
  try {
    makeDirectoriesNow(dir);
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new StrataError('SRV', 2, `The data directory path '${dir}' is not writable: ${whyNot(dir, e as NodeJS.ErrnoException)}`);
  }
}

function whyNot(dir: string, thrown: NodeJS.ErrnoException): string {
  const existing = nearestExisting(dir);
  if (existing !== undefined && !existing.isDirectory) {
    return existing.path === dir
      ? `it is a file, not a directory. ${FIX}, or move the file away.`
      : `'${existing.path}' on its path is a file, not a directory. ${FIX}.`;
  }
  // A recursive mkdir can report ENOENT for a parent it may not write; the parent itself says why.
  const error = existing !== undefined && existing.path !== dir ? (accessError(existing.path) ?? thrown) : thrown;
  switch (error.code) {
    case 'EACCES':
    case 'EPERM': {
      const user = typeof process.getuid === 'function' ? ` (uid ${process.getuid()})` : '';
      const where = existing === undefined || existing.path === dir ? 'there' : `in '${existing.path}', where it would be made`;
      return `the server's user${user} may not write ${where} (${error.code}). Let that user write the directory, or ${FIX.toLowerCase()}.`;
    }
    case 'EROFS':
      return `it is on a read-only file system (EROFS). ${FIX}.`;
    case 'ENOSPC':
      return `the disk is full (ENOSPC). Free space there, or ${FIX.toLowerCase()}.`;
    case 'ENOENT':
      // The nearest existing ancestor refused a new entry: not a disk (/proc, /sys).
      return `'${existing?.path ?? dir}' does not take new directories (ENOENT): it is not on a disk, as /proc and /sys are not. ${FIX}.`;
    default:
      return `${error.message}. ${FIX}.`;
  }
}

/** `dir` or the nearest of its ancestors that exists. */
function nearestExisting(dir: string): { path: string; isDirectory: boolean } | undefined {
  for (let path = dir; ; path = dirname(path)) {
    try {
      return { path, isDirectory: statSync(path).isDirectory() };
    } catch {
      if (dirname(path) === path) return undefined;
    }
  }
}

function accessError(path: string): NodeJS.ErrnoException | undefined {
  try {
    accessSync(path, constants.W_OK);
    return undefined;
  } catch (e) {
    return e as NodeJS.ErrnoException;
  }
}
