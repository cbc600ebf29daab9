// Exports and backups write beside their target under a temporary name holding their process id — an export
// `.<name>.<pid>-<random>.tmp` (two-thread exports of earlier versions also `.part`), a backup the directory
// `.<name>.partial-<pid>-<random>` — and rename or remove it when they end. A server killed mid-way leaves it, up
// to the size of the export or backup; the next one to the same target removes those of processes that no longer
// run. An export's `.prev` files are kept: after a crash between the two renames of a schema-and-data export, one
// holds the previous content.
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isProcessRunning } from '../common/process-liveness.js';

/** Temporary names: group 1 the target's name, group 2 the process id. */
export const EXPORT_TEMPORARY = /^\.(.+)\.(\d+)-[0-9a-f]{8}\.(?:tmp|part)$/;
export const BACKUP_TEMPORARY = /^\.(.+)\.partial-(\d+)-[0-9a-f]{8}$/;

/** Removes what dead processes' jobs on `target` left beside it under names `pattern` matches. */
export async function removeStaleSiblings(target: string, pattern: RegExp): Promise<void> {
  const name = basename(target);
  let entries: string[];
  try {
    entries = await readdir(dirname(target));
  } catch {
    return; // the target's directory is checked, and its failure reported, by the job itself
  }
  for (const entry of entries) {
    const match = pattern.exec(entry);
    if (match === null || match[1] !== name || isProcessRunning(Number(match[2]))) continue;
    await rm(join(dirname(target), entry), { recursive: true, force: true });
  }
}
