// Import of a .typedb file into a database, atomically. The new database — manifest, and a store bulk-loaded
// with the whole key space — is built in a staging directory inside the data directory
// (`.importing-<name>-<pid>-<random>`), then published by the database manager in one swap. Until then the
// target is untouched and invisible changes are impossible; on any failure the staging directory is removed,
// and after a crash the manager removes it at its next start.
//
// Two flows, as TypeDB's `typedb server import`:
//   - seed (no schema given): the database exists, holds its schema, and no data yet (2.6–2.18 `--file`);
//   - new (schema text or file given): the database does not exist, or exists with an empty schema and no
//     data (2.19+ `--schema --data`).
//
// IDs: entities and relations get new IIDs with per-type sequence numbers in file order; attributes get
// value-derived IIDs, so attribute items of the same type and value become one attribute (as TypeDB's `put`),
// whose ownerships are the union of theirs. Repeated ownerships collapse; repeated role players are kept as
// repetitions. The result reports how many items collapsed.

import { syncPathNow } from '../common/sync-path.js';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../database/database.js';
import { STORE_DIR } from '../database/database.js';
import { IMPORT_STAGING_PREFIX, checkDatabaseName, type DatabaseManager } from '../database/manager.js';
import { writeManifest } from '../database/manifest.js';
import { Keyspace, schemaKey } from '../encoding/index.js';
import { TypeGraph, printSchema } from '../schema/index.js';
import { DATA_FILE, SCHEMA_FILE, checkReadSource, type Checksums } from './codec/index.js';
import { systemErrorText } from './codec/errors.js';
import { readTextSource } from './codec/source-file.js';
import { ImportErrors, jobStopped, type SchemaOrigin } from './errors.js';
import { buildStore, type BuildOptions, type BuildPhase, type BuildResult } from './import/build-store.js';
import { ImportSchema } from './import/import-schema.js';
import { buildInWorker } from './import/build-thread.js';
import type { StoredCounts } from './import/store-entries.js';
import { schemaFromText } from './schema-text.js';
import { directoryBytes } from './disk-usage.js';
import { systemCode } from './worker-errors.js';
import { withSwappedDataHint } from './swapped-files.js';

export interface ImportOptions {
  /** The .typedb data file. */
  readonly dataFile: string;
  /** Schema of a new database: one define query (as `database schema` prints it). Exclusive with schemaFile. */
  readonly schemaText?: string;
  /** File holding the schema of a new database. Without schemaText or schemaFile, the database must exist. */
  readonly schemaFile?: string;
  /** Memory for the import's sort buffers (default 640 MiB); beyond it they spill to the staging directory. */
  readonly memoryBytes?: number;
  /**
   * Run the build in worker threads: true for a worker thread that uses further threads of its own, false for
   * one pass on this thread. By default, from 8 MiB (about 80 000 things) the build runs on a worker thread: it
   * is seconds of synchronous work per million things, which would otherwise stall everything else in this
   * process (a server's other clients). From 48 MiB (about 480 000 things) it also uses the second core: one
   * thread writes the store while another sorts and joins, and the file is read in two halves. Below that,
   * starting those threads costs more than they save (measured: 100 000 things 0.8 s on one thread, 1.0 s with
   * them; equal at 500 000; at 1 000 000, 3.4 s on one thread, 2.8 s with them).
   */
  readonly threads?: boolean;
  readonly onProgress?: (progress: ImportProgress) => void;
  /**
   * Stops the import when aborted (a server shutting down): a build in worker threads is stopped at once, one on
   * this thread when it is done; the staging directory is removed and nothing is published.
   */
  readonly signal?: AbortSignal;
}

export interface ImportProgress {
  readonly phase: BuildPhase | 'publishing' | 'done';
  /** Items read (reading) or keys written (writing). */
  readonly done: number;
  readonly bytesRead: number;
  readonly totalBytes: number;
}

export interface ImportResult {
  readonly database: string;
  /** Whether the import created the database (new flow) rather than filling an existing one. */
  readonly created: boolean;
  readonly header: { readonly typedbVersion: string; readonly originalDatabase: string };
  /** The file's checksums, verified. */
  readonly checksums: Checksums;
  /** What the database now holds. */
  readonly stored: Readonly<Omit<StoredCounts, 'keys'>> & { readonly keys: number };
  /** Attribute items that collapsed into an attribute of the same type and value. */
  readonly mergedAttributes: number;
  /** Ownership entries that repeated one already listed. */
  readonly mergedOwnerships: number;
  /** Size of the new database's directory. */
  readonly databaseBytes: number;
  /** Most disk the sort runs used at once (beyond the new database itself). */
  readonly scratchPeakBytes: number;
  readonly milliseconds: number;
  readonly timings: Readonly<Record<BuildPhase, number>>;
}

/** From this size, by default, the build runs on a worker thread (see ImportOptions.threads). */
const WORKER_MIN_BYTES = 8 << 20;
/** From this size, by default, the build also uses threads of its own (see ImportOptions.threads). */
const THREADS_MIN_BYTES = 48 << 20;

/** Databases being imported, per manager: a second import of the same name is refused. */
const importing = new WeakMap<DatabaseManager, Set<string>>();

export async function importDatabase(manager: DatabaseManager, name: string, options: ImportOptions): Promise<ImportResult> {
  const started = performance.now();
  checkDatabaseName(name);
  if (options.schemaText !== undefined && options.schemaFile !== undefined) {
    throw ImportErrors.invalidOptions('Give the schema either as text or as a file, not both.');
  }
  // As TypeDB: the data file first, then the schema file; only regular files (a pipe would block the import).
  const { size } = checkReadSource(options.dataFile, DATA_FILE);
  if (options.schemaFile !== undefined) checkReadSource(options.schemaFile, SCHEMA_FILE);
  const running = importing.get(manager) ?? new Set<string>();
  importing.set(manager, running);
  if (running.has(name)) throw ImportErrors.importInProgress(name);
  running.add(name);
  let staging: string | undefined;
  try {
    const target = prepareTarget(manager, name, options);
    staging = createStaging(manager, name);
    const inWorker = options.threads ?? size >= WORKER_MIN_BYTES;
    const build: BuildOptions = {
      file: options.dataFile,
      schema: target.schema,
      importSchema: ImportSchema.of(TypeGraph.deserialize(target.schema), target.origin).data,
      storeDir: join(staging, STORE_DIR),
      scratchDir: join(staging, 'scratch'),
      memoryBytes: options.memoryBytes,
      threads: options.threads ?? size >= THREADS_MIN_BYTES,
      onProgress: options.onProgress,
    };
    let result: BuildResult;
    try {
      result = inWorker ? await buildInWorker(build, options.signal) : await buildStore(build);
      options.signal?.throwIfAborted(); // reported as stopped below
      rmSync(build.scratchDir, { recursive: true, force: true });
      syncTree(staging);
    } catch (e) {
      if (options.signal?.aborted) {
        throw jobStopped(`import into the database '${name}'`, 'Nothing was imported: the database is as it was. Run the import again once the server runs.');
      }
      const code = systemCode(e);
      if (code !== undefined) throw ImportErrors.writeFailed(name, manager.dataDir, code, (e as Error).message, e);
      throw withSwappedDataHint(e, options.dataFile);
    }
    options.onProgress?.({ phase: 'publishing', done: result.stored.keys, bytesRead: 0, totalBytes: 0 });
    manager.publishStaged(name, staging, target.stillExpected);
    staging = undefined;
    const database = manager.get(name);
    options.onProgress?.({ phase: 'done', done: result.stored.keys, bytesRead: 0, totalBytes: 0 });
    return {
      database: name,
      created: target.created,
      header: { typedbVersion: result.header.typedbVersion, originalDatabase: result.header.originalDatabase },
      checksums: result.checksums,
      stored: result.stored,
      mergedAttributes: result.mergedAttributes,
      mergedOwnerships: result.mergedOwnerships,
      databaseBytes: directoryBytes(database.dir),
      scratchPeakBytes: result.scratchPeakBytes,
      milliseconds: Math.round(performance.now() - started),
      timings: result.timings,
    };
  } finally {
    running.delete(name);
    if (staging !== undefined) rmSync(staging, { recursive: true, force: true });
  }
}

/** The new database's directory, with its manifest, under a staging name in the data directory. */
function createStaging(manager: DatabaseManager, name: string): string {
  const staging = join(manager.dataDir, `${IMPORT_STAGING_PREFIX}${name}-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    mkdirSync(staging);
  } catch (e) {
    const code = systemCode(e);
    if (code === undefined) throw e;
    throw ImportErrors.writeFailed(name, manager.dataDir, code, `it cannot create its working directory there (${systemErrorText(e)})`, e);
  }
  try {
    writeManifest(staging);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    const code = systemCode(e);
    if (code === undefined) throw e;
    throw ImportErrors.writeFailed(name, manager.dataDir, code, `it cannot write the new database's manifest (${systemErrorText(e)})`, e);
  }
  return staging;
}

interface Target {
  /** The schema the new store gets. */
  readonly schema: Uint8Array;
  /** Where it came from, for messages. */
  readonly origin: SchemaOrigin;
  readonly created: boolean;
  /** Checked again when publishing: the target must still be as it was found. */
  readonly stillExpected: (current: Database | undefined) => void;
}

function prepareTarget(manager: DatabaseManager, name: string, options: ImportOptions): Target {
  if (options.schemaText === undefined && options.schemaFile === undefined) {
    // Seed flow: the existing database's own schema, read from one snapshot together with the emptiness check.
    if (!manager.contains(name)) {
      if (manager.refused.has(name)) throw ImportErrors.targetRefused(name, manager.refused.get(name)!);
      throw ImportErrors.databaseNotFound(name);
    }
    const state = inspect(manager.get(name));
    if (state.hasData) throw ImportErrors.targetNotEmpty(name, 'it already holds data. Import into a new database (give --schema), or delete the data first.');
    const schema = state.schema;
    return {
      schema,
      origin: { kind: 'database', database: name },
      created: false,
      stillExpected: (current) => {
        if (current === undefined) throw ImportErrors.databaseNotFound(name);
        const now = inspect(current);
        if (now.hasData) throw ImportErrors.targetNotEmpty(name, 'data was written into it while the import ran. Nothing was imported.');
        if (Buffer.compare(now.schema, schema) !== 0) {
          throw ImportErrors.targetNotEmpty(name, 'its schema was changed while the import ran. Nothing was imported; run the import again.');
        }
      },
    };
  }
  const source = options.schemaFile !== undefined ? `file '${options.schemaFile}'` : 'text';
  const text = options.schemaFile !== undefined ? readTextSource(options.schemaFile, SCHEMA_FILE) : options.schemaText!;
  const schema = schemaFromText(text, source).serialize();
  const emptyOrAbsent = (current: Database | undefined) => {
    if (current === undefined) return;
    const state = inspect(current);
    if (state.hasData) throw ImportErrors.targetNotEmpty(name, 'it holds data. Delete the database first, or import under another name.');
    if (printSchema(TypeGraph.deserialize(state.schema)) !== '') {
      throw ImportErrors.targetNotEmpty(name, 'it has a schema. Delete the database first, import under another name, or import without a schema into it.');
    }
  };
  if (manager.contains(name)) emptyOrAbsent(manager.get(name));
  else if (manager.refused.has(name)) throw ImportErrors.targetRefused(name, manager.refused.get(name)!);
  const origin: SchemaOrigin =
    options.schemaFile !== undefined ? { kind: 'file', database: name, file: options.schemaFile } : { kind: 'text', database: name };
  return { schema, origin, created: !manager.contains(name), stillExpected: emptyOrAbsent };
}

/** The stored schema bytes and whether any thing exists, from one snapshot. */
function inspect(database: Database): { schema: Uint8Array; hasData: boolean } {
  const snapshot = database.store.snapshot();
  try {
    const schema = snapshot.get(schemaKey) ?? new TypeGraph().serialize();
    let hasData = false;
    for (const _ of snapshot.prefixKeys(Uint8Array.of(Keyspace.Thing), { limit: 1 })) hasData = true;
    return { schema: new Uint8Array(schema), hasData };
  } finally {
    snapshot.close();
  }
}

/** fsyncs every file and directory below (and including) dir, so that the publish rename is durable. */
function syncTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) syncTree(path);
    else syncPathNow(path);
  }
  syncPathNow(dir);
}
