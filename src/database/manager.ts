// The databases of one data directory: discovery at start-up (with the encoding-version check), create, list,
// delete, and publishing a database built elsewhere in the data directory (import). A database that cannot be
// opened is refused alone; the others are served. The data directory is locked while the manager is open.
import { makeDirectoriesNow } from '../common/make-directories.js';
import { syncPathNow } from '../common/sync-path.js';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { StrataError } from '../common/errors.js';
import { isProcessRunning } from '../common/process-liveness.js';
import { checkStoreFiles, writeFreshStore } from '../storage/index.js';
import type { DatabaseManagerApi, Session, SessionOptions, SessionType } from './api.js';
import { DataDirLock, LOCK_FILE } from './data-dir-lock.js';
import { Database, STORE_DIR } from './database.js';
import { hasManifest, isManifestlessStrataDirectory, isTypeDBDirectory, missingManifestError, readAndCheckManifest, typeDBDirectoryError, writeManifest } from './manifest.js';
import { stagedStoreRefusal, storeRefusal } from './store-refusal.js';
import { printSchema } from '../schema/index.js';

/** What a directory name cannot hold, or should not: path separators, NUL and the other control characters. */
const UNSAFE_IN_NAME = /[/\\\u0000-\u001f\u007f]/;

/**
 * Directories in which an import builds a database (`.importing-<name>-<pid>-<random>`): ignored by discovery,
 * and removed at start-up when the process that made them is gone (an import interrupted by a crash).
 */
export const IMPORT_STAGING_PREFIX = '.importing-';
/**
 * File names have at most 255 bytes: the name must fit with the prefixes and suffixes of the directories that
 * creating, importing into and deleting a database use on the way.
 */
const MAX_NAME_BYTES = 200;
/** Where publishStaged moves the database it replaces (`.replaced-<name>-<pid>-<time>`) until the swap is done. */
const REPLACED_PREFIX = '.replaced-';
const CREATING_PREFIX = '.creating-';
const DELETING_PREFIX = '.deleting-';

/** Names starting with `_` are reserved: TypeDB 2.x refuses them to every database operation (DBS09). */
export function checkNotReserved(name: string): void {
  if (name.startsWith('_')) throw new StrataError('DBS', 9, 'Database name must not start with an underscore.');
}

/**
 * A database is a directory of its name: any name TypeDB 2.x takes (it refuses only a leading `_`) works, but for
 * those no directory can have, or that the data directory's own entries use.
 */
export function checkDatabaseName(name: string): void {
  checkNotReserved(name);
  const invalid = (why: string) => new StrataError('DBS', 20, `'${name.length > 40 ? `${name.slice(0, 40)}…` : name}' is not a valid database name: ${why}.`);
  if (name === '') throw new StrataError('DBS', 20, 'A database name cannot be empty.');
  if (name.startsWith('.')) throw invalid("it starts with '.', as the data directory's own working directories do");
  if (UNSAFE_IN_NAME.test(name)) throw invalid("it holds '/', '\\' or a control character, which a directory name cannot");
  if (name === LOCK_FILE) throw invalid("it is the name of the data directory's lock file");
  const bytes = Buffer.byteLength(name);
  if (bytes > MAX_NAME_BYTES) throw invalid(`it takes ${bytes} bytes in UTF-8, at most ${MAX_NAME_BYTES} are allowed`);
}

/**
 * The name's directory exists but is not served. Databases are found only at start-up, so a database directory
 * copied in while the server runs lands here: say so and name the fix (restart), not "not a database".
 */
function occupiedNameError(name: string, dir: string): StrataError {
  if (hasManifest(dir) || isManifestlessStrataDirectory(dir) || isTypeDBDirectory(dir)) {
    return new StrataError(
      'DBS',
      21,
      `Cannot create database '${name}': '${dir}' holds a database directory that this server did not find when it started ` +
        '(it was put there while the server ran; the server looks for databases only at start-up). Restart the server to serve it ' +
        '(a directory it cannot open is then refused with the reason), or move it away to use the name.',
    );
  }
  return new StrataError('DBS', 21, `Cannot create database '${name}': '${dir}' already exists but is not a database. Move it away first.`);
}

export class DatabaseManager implements DatabaseManagerApi {
  readonly dataDir: string;
  private readonly databases = new Map<string, Database>();
  /** Databases found on disk that could not be opened, with the reason. */
  readonly refused = new Map<string, StrataError>();
  /** What discovery found that the user should know about, though nothing was refused for it. */
  readonly notices: string[] = [];
  private open = true;
  private readonly lock: DataDirLock;

  constructor(dataDir: string) {
    this.dataDir = resolve(dataDir);
    makeDirectoriesNow(this.dataDir);
    // Before anything else: clean-up and discovery must not run while another server uses the directory.
    this.lock = DataDirLock.acquire(this.dataDir);
    try {
      this.finishInterruptedWork();
      this.discover();
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /** Opens every database directory of the data directory, or records why it is refused. */
  private discover(): void {
    for (const entry of readdirSync(this.dataDir)) {
      const dir = join(this.dataDir, entry);
      if (entry.startsWith('.') || !statSync(dir).isDirectory()) continue;
      if (!hasManifest(dir)) {
        // A TypeDB 2.x database directory, or a partial copy of a Strata one: say so instead of ignoring it silently.
        // Anything else (lost+found, say) is not a database and is left alone.
        if (isTypeDBDirectory(dir)) this.refused.set(entry, typeDBDirectoryError(entry, dir));
        else if (isManifestlessStrataDirectory(dir)) this.refused.set(entry, missingManifestError(entry, dir));
        continue;
      }
      try {
        readAndCheckManifest(entry, dir);
        this.databases.set(entry, new Database(entry, dir));
      } catch (e) {
        this.refused.set(entry, storeRefusal(entry, dir, e));
      }
      this.notices.push(...nestedCopyNotices(entry, dir, this.dataDir));
    }
  }

  private assertOpen(): void {
    if (!this.open) throw new StrataError('DBS', 3, 'Attempted to use database manager when it has been closed.');
  }

  create(name: string): void {
    this.assertOpen();
    checkDatabaseName(name);
    const dir = join(this.dataDir, name);
    const refusal = this.refused.get(name);
    if (refusal !== undefined) {
      // Not in 'database list', yet "already exists": say why, or the user is left with a contradiction.
      throw new StrataError(
        'DBS',
        4,
        `The database with the name '${name}' already exists: its directory '${dir}' is there, but this server does not serve it: ` +
          `${refusal.message} To use the name for a new database, move that directory out of the data directory first.`,
      );
    }
    if (this.databases.has(name)) {
      throw new StrataError('DBS', 4, `The database with the name '${name}' already exists.`);
    }
    if (existsSync(dir)) throw occupiedNameError(name, dir);
    // Build the directory, store included, under a temporary name so that a crash never leaves a half-created
    // database (a database directory without a store is refused, never given a new store).
    const staging = join(this.dataDir, `${CREATING_PREFIX}${name}-${process.pid}`);
    try {
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging);
      writeManifest(staging);
      writeFreshStore(join(staging, STORE_DIR), []);
      syncPathNow(join(staging, STORE_DIR));
      syncPathNow(staging);
      renameSync(staging, dir);
      syncPathNow(this.dataDir);
    } catch (e) {
      rmSync(staging, { recursive: true, force: true });
      const code = (e as NodeJS.ErrnoException).code ?? ((e as Error).cause as NodeJS.ErrnoException | undefined)?.code;
      if (code === undefined) throw e;
      throw new StrataError(
        'DBS',
        31,
        `Cannot create database '${name}': writing it in '${this.dataDir}' failed (${(e as Error).message}). Free disk space or fix the directory's permissions, then try again.`,
      );
    }
    this.databases.set(name, new Database(name, dir));
  }

  contains(name: string): boolean {
    this.assertOpen();
    return this.databases.has(name);
  }

  all(): string[] {
    this.assertOpen();
    return [...this.databases.keys()].sort();
  }

  get(name: string): Database {
    this.assertOpen();
    const db = this.databases.get(name);
    if (db) return db;
    const refusal = this.refused.get(name);
    if (refusal) throw refusal;
    throw new StrataError('DBS', 6, `The database with the name '${name}' does not exist.`);
  }

  delete(name: string): void {
    const db = this.get(name);
    db.close();
    this.databases.delete(name);
    // Rename first, so that a crash mid-delete never leaves a half-deleted database that looks valid.
    const trash = join(this.dataDir, `${DELETING_PREFIX}${name}-${process.pid}-${Date.now()}`);
    renameSync(db.dir, trash);
    rmSync(trash, { recursive: true, force: true });
  }

  /**
   * Makes the complete database directory `stagedDir` (built in the data directory, under IMPORT_STAGING_PREFIX)
   * the database `name`, replacing the current one if there is one: `precondition` may refuse by throwing, then
   * the current database is closed (its sessions end), moved aside, the staged directory renamed into its place,
   * and the new database opened. A crash between the two renames is finished at the next start-up (the old
   * database comes back); any failure before the second rename leaves the current database as it was.
   */
  publishStaged(name: string, stagedDir: string, precondition?: (current: Database | undefined) => void): void {
    this.assertOpen();
    checkDatabaseName(name);
    const staged = resolve(stagedDir);
    if (dirname(staged) !== this.dataDir) {
      throw new StrataError('DBS', 25, `Cannot publish '${staged}' as database '${name}': it must be a directory directly inside the data directory '${this.dataDir}'.`);
    }
    readAndCheckManifest(name, staged);
    try {
      checkStoreFiles(join(staged, STORE_DIR)); // before the current database is moved aside
    } catch (e) {
      throw stagedStoreRefusal(name, staged, e);
    }
    const refusal = this.refused.get(name);
    if (refusal) {
      throw new StrataError('DBS', 26, `Cannot replace database '${name}': it exists but cannot be opened (${refusal.message}). Move its directory away first.`);
    }
    const current = this.databases.get(name);
    precondition?.(current);
    const target = join(this.dataDir, name);
    if (current === undefined && existsSync(target)) throw occupiedNameError(name, target);
    let aside: string | undefined;
    if (current !== undefined) {
      current.close();
      this.databases.delete(name);
      aside = join(this.dataDir, `${REPLACED_PREFIX}${name}-${process.pid}-${Date.now()}`);
      renameSync(current.dir, aside);
    }
    try {
      renameSync(staged, target);
    } catch (e) {
      if (aside !== undefined) {
        renameSync(aside, target);
        this.databases.set(name, new Database(name, target));
      }
      throw e;
    }
    syncPathNow(this.dataDir);
    this.databases.set(name, new Database(name, target));
    if (aside !== undefined) rmSync(aside, { recursive: true, force: true });
  }

  /** Removes the staging directories of imports whose process has gone; completes interrupted publishes. */
  private finishInterruptedWork(): void {
    for (const entry of readdirSync(this.dataDir)) {
      const path = join(this.dataDir, entry);
      if (entry.startsWith(IMPORT_STAGING_PREFIX)) {
        // Our own pid means a directory left by an earlier process that had it.
        const pid = pidOf(entry);
        if (pid === process.pid || !isProcessRunning(pid)) rmSync(path, { recursive: true, force: true });
      } else if (entry.startsWith(CREATING_PREFIX) || entry.startsWith(DELETING_PREFIX)) {
        // A create or delete cut short by a crash (this manager holds the directory's lock, so no one else's):
        // the database was not there yet, or no longer is; finish by removing what is left.
        rmSync(path, { recursive: true, force: true });
      } else if (entry.startsWith(REPLACED_PREFIX)) {
        // `.replaced-<name>-<pid>-<time>`: the publish stopped between its renames unless <name> exists again.
        const name = entry.slice(REPLACED_PREFIX.length).split('-').slice(0, -2).join('-');
        if (existsSync(join(this.dataDir, name))) rmSync(path, { recursive: true, force: true });
        else renameSync(path, join(this.dataDir, name));
      }
    }
  }

  session(database: string, type: SessionType, options?: SessionOptions): Session {
    return this.get(database).session(type, options);
  }

  schema(database: string): string {
    return printSchema(this.get(database).schema);
  }

  close(): void {
    if (!this.open) return;
    for (const db of this.databases.values()) db.close();
    this.databases.clear();
    this.open = false;
    this.lock.release();
  }
}

/**
 * `cp -r copy <data>/name` onto an existing database directory puts the copy inside it, where it is never served:
 * say so, or the user believes the database was replaced.
 */
function nestedCopyNotices(name: string, dir: string, dataDir: string): string[] {
  const notices: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const inner = join(dir, entry.name);
    if (entry.name === STORE_DIR || !entry.isDirectory() || !(hasManifest(inner) || isManifestlessStrataDirectory(inner))) continue;
    notices.push(
      `database directory '${dir}' holds '${inner}', a database directory itself, which is not served: copying a database ` +
        `directory onto an existing one of the same name ('cp -r') puts the copy inside it. Stop the server, move '${inner}' out, ` +
        `then either put it in place of '${dir}' (moved away first) to replace database '${name}', or put it in '${dataDir}' under a name of its own.`,
    );
  }
  return notices;
}

/** The process id in a `<prefix><name>-<pid>-<suffix>` directory name. */
function pidOf(entry: string): number {
  const parts = entry.split('-');
  return Number(parts[parts.length - 2]);
}
