// The lock on a data directory: one database manager (one server) at a time, as TypeDB's RocksDB LOCK. Two
// managers on one directory each keep their own view of the databases and their own commit log, and lose each
// other's commits. The lock is a file created exclusively that names its holder; a lock whose holder is no longer
// running (exited, or a zombie) is stale and taken over.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StrataError } from '../common/errors.js';
import { isProcessRunning, processStartTime } from '../common/process-liveness.js';

/** The lock file, directly in the data directory (a file, so never taken for a database directory). */
export const LOCK_FILE = 'strata.lock';

/** A lock file older than this that names no process was left by a crash between its creation and its write. */
const UNWRITTEN_LOCK_MILLIS = 10_000;
/** Tries before giving up when other processes keep taking and releasing the lock at the same moment. */
const ATTEMPTS = 5;

interface Holder {
  readonly pid: number;
  readonly host: string;
  /** The holder's start time (processStartTime), to tell it from a later process with the same pid. */
  readonly started?: string;
  /**
   * The locked directory's identity (directoryIdentity): a lock file copied along with a data directory (`cp -r`
   * while its server runs) names the original, and does not hold the copy.
   */
  readonly dir?: string;
  readonly since: string;
}

/** Data directories (real paths) locked by this process. */
const lockedHere = new Set<string>();

export class DataDirLock {
  private held = true;

  private constructor(
    private readonly key: string,
    private readonly path: string,
    private readonly content: string,
  ) {}

  /**
   * Locks `dataDir` (an existing directory) or throws DBS27 naming who holds it. A second manager on the same
   * directory in this process is refused too: it would have the same lost-commit problem as a second process.
   */
  static acquire(dataDir: string): DataDirLock {
    const key = realpathSync(dataDir);
    if (lockedHere.has(key)) throw lockedInThisProcess(dataDir);
    const path = join(dataDir, LOCK_FILE);
    const dir = directoryIdentity(dataDir);
    const holder: Holder = { pid: process.pid, host: hostname(), started: processStartTime(process.pid), dir, since: new Date().toISOString() };
    const content = JSON.stringify(holder) + '\n';
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (tryCreate(path, content)) {
        lockedHere.add(key);
        return new DataDirLock(key, path, content);
      }
      const found = readLock(path);
      if (found === undefined) continue; // released since our try
      if (!isStale(found, dir)) throw locked(dataDir, path, found.holder);
      takeOver(path, found.text);
    }
    throw contended(dataDir, path);
  }

  /** Removes the lock file, unless it is no longer ours. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    lockedHere.delete(this.key);
    try {
      if (readFileSync(this.path, 'utf8') === this.content) unlinkSync(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}

/** Creates the lock file holding `content`; false if it exists. */
function tryCreate(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new StrataError('DBS', 27, `Cannot lock the data directory: creating '${path}' failed (${(e as Error).message}). Check that the directory is writable.`);
  }
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(path); // a lock naming no one would hold the directory until it is old enough to be judged stale
    throw new StrataError('DBS', 27, `Cannot lock the data directory: writing '${path}' failed (${(e as Error).message}). Free disk space, then try again.`);
  }
  closeSync(fd);
  return true;
}

interface FoundLock {
  readonly text: string;
  /** Undefined when the file names no holder (being written, or damaged). */
  readonly holder: Holder | undefined;
  readonly ageMillis: number;
}

function readLock(path: string): FoundLock | undefined {
  let text: string;
  let ageMillis: number;
  try {
    text = readFileSync(path, 'utf8');
    ageMillis = Date.now() - statSync(path).mtimeMs;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') {
      throw new StrataError('DBS', 27, `Cannot lock the data directory: '${path}' is a directory, where the server keeps its lock file. Move it away, then start again.`);
    }
    throw new StrataError('DBS', 27, `Cannot lock the data directory: reading '${path}' failed (${(e as Error).message}). Check its permissions.`);
  }
  return { text, holder: parseHolder(text), ageMillis };
}

function parseHolder(text: string): Holder | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<Holder>;
    if (!Number.isSafeInteger(parsed.pid) || typeof parsed.host !== 'string') return undefined;
    return parsed as Holder;
  } catch {
    return undefined; // not JSON: a lock being written, or damaged (judged by its age)
  }
}

/** The directory's device and inode: the same under any path, and kept by a rename, unlike a copy's. */
function directoryIdentity(dataDir: string): string {
  const { dev, ino } = statSync(dataDir);
  return `${dev}:${ino}`;
}

function isStale(found: FoundLock, dir: string): boolean {
  const holder = found.holder;
  if (holder === undefined) return found.ageMillis > UNWRITTEN_LOCK_MILLIS;
  // Copied along from the directory its holder locked.
  if (holder.dir !== undefined && holder.dir !== dir) return true;
  // Processes on another machine (or container) sharing the directory cannot be seen from here.
  if (holder.host !== hostname()) return false;
  // Our pid, but not locked by us: left by an earlier process that had the same pid (a restarted container).
  if (holder.pid === process.pid) return true;
  if (!isProcessRunning(holder.pid)) return true;
  const started = processStartTime(holder.pid);
  return holder.started !== undefined && started !== undefined && started !== holder.started; // pid reused
}

/**
 * Removes the stale lock whose content was `staleText`. It is first moved aside, and put back if it turns out to
 * be a newer lock another process took over with meanwhile, so that two processes racing to take over the same
 * stale lock cannot both win.
 */
function takeOver(path: string, staleText: string): void {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // another process removed it first
    throw e;
  }
  if (readFileSync(aside, 'utf8') === staleText) unlinkSync(aside);
  else renameSync(aside, path);
}

function locked(dataDir: string, path: string, holder: Holder | undefined): StrataError {
  const deleteHint = (condition: string) => `If ${condition}, delete the lock file '${path}' and start again.`;
  if (holder === undefined) {
    return new StrataError(
      'DBS',
      27,
      `The data directory '${dataDir}' is being locked by another process right now (its lock file '${path}' names no process yet). ` +
        `Two servers on one data directory would lose each other's commits. Wait and try again. ${deleteHint('the message persists and no Strata server uses this directory')}`,
    );
  }
  const where = holder.host === hostname() ? `process ${holder.pid}` : `process ${holder.pid} on host '${holder.host}'`;
  return new StrataError(
    'DBS',
    27,
    `The data directory '${dataDir}' is in use by another Strata server (${where}, since ${holder.since}). ` +
      `Two servers on one data directory would lose each other's commits. Stop that server, or start this one on another data directory (--storage.data). ` +
      deleteHint(`${where} is not a Strata server using this directory`),
  );
}

function lockedInThisProcess(dataDir: string): StrataError {
  return new StrataError(
    'DBS',
    27,
    `The data directory '${dataDir}' is already open in this process (pid ${process.pid}). Close its database manager before opening another one on it.`,
  );
}

function contended(dataDir: string, path: string): StrataError {
  return new StrataError(
    'DBS',
    27,
    `Cannot lock the data directory '${dataDir}': other processes kept taking and releasing its lock file '${path}'. Make sure one server at a time starts on it, then try again.`,
  );
}
