// The mark a server leaves in each database directory it has open, so that a copy taken while it ran is told
// from a clean one. LMDB's data file changes under `cp -r`, `rsync` or `tar` while commits go on: the copy mixes
// pages from different commits, and can open cleanly yet hold a different schema or lose data (seen with a copy
// of a database under a steady writer: its types were gone). So a directory whose mark names another data file
// — a copy made while its server had it open — is refused. The mark names the data file by inode number and
// birth time, not by path or device: a directory moved or renamed, and a device renumbered at boot, stay the same
// file; a copy never is.
import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StrataError } from '../common/errors.js';

/** In the database directory, beside the manifest: present while a server has the database open. */
export const IN_USE_FILE = 'strata-in-use.json';

interface InUse {
  readonly pid: number;
  readonly host: string;
  /** The store's data file: `<inode>:<birth time in ms>`. */
  readonly dataFile: string;
  readonly since: string;
}

function dataFileIdentity(dataFile: string): string {
  const { ino, birthtimeMs } = statSync(dataFile);
  return `${ino}:${birthtimeMs}`;
}

/**
 * Throws DBS32 when database `name` at `dir` was copied from a server that had it open (its mark names another
 * data file). A mark naming this very data file was left by a server that stopped without closing it (a crash):
 * LMDB recovers from that by itself, so the database opens.
 */
export function checkNotCopiedWhileOpen(name: string, dir: string, dataFile: string): void {
  let text: string;
  try {
    text = readFileSync(join(dir, IN_USE_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  let mark: Partial<InUse> = {};
  try {
    mark = JSON.parse(text) as Partial<InUse>;
  } catch {
    // Not ours to guess: a mark that cannot be read cannot vouch for the data file either.
  }
  let identity: string;
  try {
    identity = dataFileIdentity(dataFile);
  } catch {
    return; // no data file to vouch for: the store's own check says what is missing
  }
  if (mark.dataFile === identity) return;
  const who = mark.pid === undefined ? 'a server' : `the server process ${mark.pid} on host '${mark.host}' (open since ${mark.since})`;
  throw new StrataError(
    'DBS',
    32,
    `Database '${name}' at '${dir}' was copied while ${who} had it open: a copy of a database's files taken while ` +
      'its server writes can mix data from different commits, and may be damaged without showing it. It was not opened and was left as it is. ' +
      "Stop that server and copy the directory again (rsync into this copy needs --delete: the stopped server removed " +
      `'${IN_USE_FILE}', and the copy must lose it too), or take a consistent copy while it runs with 'strata server backup ` +
      `--database=${name} --dir=<dir>' and copy that. If that server had already stopped (crashed) when the copy was made, ` +
      `the copy is consistent: delete '${join(dir, IN_USE_FILE)}' and restart this server.`,
  );
}

/** Marks the database at `dir` (whose store's data file is `dataFile`) open by this process. */
export function markInUse(dir: string, dataFile: string): void {
  const mark: InUse = { pid: process.pid, host: hostname(), dataFile: dataFileIdentity(dataFile), since: new Date().toISOString() };
  const path = join(dir, IN_USE_FILE);
  const temp = `${path}.tmp`;
  // Renamed into place so a copy never reads half a mark. Not fsynced: it matters only while this server runs,
  // and a copy taken after a power loss is a crash's, which LMDB's files survive.
  writeFileSync(temp, JSON.stringify(mark) + '\n');
  renameSync(temp, path);
}

/** Removes the mark once the store is closed. */
export function clearInUse(dir: string): void {
  try {
    unlinkSync(join(dir, IN_USE_FILE));
  } catch {
    // Closing must not fail on it: a mark left behind names this same data file, so at the next start it reads
    // as a crash, and the database opens all the same.
  }
}
