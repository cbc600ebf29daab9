// A commit is refused before LMDB writes it when the disk cannot hold it: LMDB reports a full disk in the middle
// of its commit, and lmdb-js has been seen to corrupt its process's memory after that (a crash moments later), so
// a full disk must be met here, not there.
import { statfsSync } from 'node:fs';
import { StrataError } from '../common/errors.js';
import { STORAGE_ERROR } from './errors.js';
import type { WriteBuffer } from './write-buffer.js';

/**
 * Room kept beyond the commit's own pages: LMDB's meta page, the branch pages above the changed leaves, and the
 * file growing in steps.
 */
const HEADROOM = 1 << 20;

/**
 * The most disk the changes can take: copy-on-write rewrites every page they touch, and a page holds at least half
 * of its size in entries, so twice their bytes (with each entry's node header), plus the headroom.
 */
export function commitBytesBound(changes: WriteBuffer): number {
  let bytes = 0;
  for (const [key, change] of changes.changesInOrder()) bytes += key.length + (change?.length ?? 0) + 16;
  return entryBytesBound(bytes);
}

/** The same bound from the entries' bytes (keys, values and 16 per entry), when they are counted already. */
export function entryBytesBound(entryBytes: number): number {
  return 2 * entryBytes + HEADROOM;
}

/** Throws STO09 (nothing applied) when the file system holding `directory` has less than `needed` bytes free. */
export function checkFreeSpace(directory: string, needed: number): void {
  let free: number;
  try {
    const stats = statfsSync(directory);
    free = stats.bavail * stats.bsize;
  } catch {
    return; // no answer from the file system: LMDB will tell
  }
  if (free >= needed) return;
  throw new StrataError(
    'STO',
    STORAGE_ERROR.COMMIT_FAILED,
    `The commit could not be written to disk (No space left on device: ${free} bytes free in '${directory}', about ${needed} needed); ` +
      'nothing was applied. Free disk space, then retry the transaction.',
  );
}
