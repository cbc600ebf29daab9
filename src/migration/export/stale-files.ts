// An export writes `.<name>.<pid>-<random>.tmp` (and, on two threads, `.part`) beside its target and renames or
// removes them when it ends; a server killed mid-export leaves them, up to the size of the export. The next export
// to the same path removes those of processes that no longer run. `.prev` files are kept: after a crash between
// the two renames of a schema-and-data export, one holds the previous content.
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isProcessRunning } from '../../common/process-liveness.js';

/** Removes the temporary files that dead processes' exports to `target` left beside it. */
export async function removeStaleExportFiles(target: string): Promise<void> {
  const name = basename(target);
  const pattern = /^\.(.+)\.(\d+)-[0-9a-f]{8}\.(tmp|part)$/;
  let entries: string[];
  try {
    entries = await readdir(dirname(target));
  } catch {
    return; // the target's directory is checked, and its failure reported, by the export itself
  }
  for (const entry of entries) {
    const match = pattern.exec(entry);
    if (match === null || match[1] !== name || isProcessRunning(Number(match[2]))) continue;
    await rm(join(dirname(target), entry), { force: true });
  }
}
