// Export of one database as a .typedb data file (and optionally its schema as a define query), from ONE read
// snapshot: the schema text is printed from the schema record of the same snapshot the data is read from, so
// the two always match even while schema and data writes continue.
//
// Things stream straight from the key space to the file: attributes first (so that a streaming importer meets
// every owned attribute before its owners), then entities, then relations, each in IID order, encoded by
// export/thing-encoder.ts (IDs are the base64 of Strata's IIDs; role labels are scoped; a role player repeated
// n times is written n times). The snapshot's pages are read straight from the data file when they can be
// located (Store.scanSnapshot); a large export is then cut into pieces of about equal work, which this thread
// encodes from the front straight into the file and a worker thread from the back into a part file, appended
// after this thread's pieces.
//
// The data file is written by the codec's ItemWriter to a temporary file, and the schema file the same way; both
// targets are checked before anything is written, and at the end the two are renamed into place all or nothing
// (export/publish.ts), so a failed export never destroys an earlier one.

import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { TYPEDB_COMPATIBLE_VERSION } from '../common/version.js';
import type { Database } from '../database/database.js';
import { Keyspace, ThingKind, schemaKey } from '../encoding/index.js';
import { TypeGraph, printSchema } from '../schema/index.js';
import { RangeCursor, type ScanSnapshot, type StoredTree } from '../storage/index.js';
import { DATA_FILE, ItemWriter, SCHEMA_FILE, checkWriteTarget, type Checksums } from './codec/index.js';
import { systemErrorText } from './codec/errors.js';
import { writeFailure } from './codec/target-file.js';
import { ExportErrors, jobStopped } from './errors.js';
import { exportPart, scannerCursors, type KeyRange, type PartCursors, type PartResult, type WrittenPiece } from './export/export-part.js';
import { labelTable, type LabelTable } from './export/labels.js';
import { PartThread } from './export/part-thread.js';
import { PieceClaims } from './export/piece-claims.js';
import { publishAll, type Replacement } from './export/publish.js';
import { splitIntoPieces } from './export/split.js';
import { EXPORT_TEMPORARY, removeStaleSiblings } from './stale-siblings.js';

export interface ExportOptions {
  /** The .typedb data file to write (replaced atomically if it exists). */
  readonly dataFile: string;
  /** Also write the schema, as one define query, to this file. */
  readonly schemaFile?: string;
  /** The version the header names (default: the TypeDB version Strata is compatible with). */
  readonly typedbVersion?: string;
  /**
   * Encode a large export on two threads, which share it out in pieces (default: when the store has at least
   * 200 000 entries). Needs the snapshot's pages (readPages).
   */
  readonly threads?: boolean;
  /**
   * Read the snapshot's pages straight from the data file when they can be located (default true); false reads
   * everything through lmdb-js, one thread. The output is the same byte for byte.
   */
  readonly readPages?: boolean;
  /** Called every 64k items and at the end. */
  readonly onProgress?: (progress: ExportProgress) => void;
  /**
   * Stops the export when aborted (a server shutting down): no piece is begun after that; the temporary file is
   * removed and any previous file at the path stays as it was.
   */
  readonly signal?: AbortSignal;
}

export interface ExportProgress extends Checksums {
  /** Bytes of the data file written so far. */
  readonly bytes: number;
}

export interface ExportResult {
  readonly dataFile: string;
  readonly schemaFile: string | undefined;
  /** The checksums item written. */
  readonly checksums: Checksums;
  readonly bytes: number;
  /** The schema text written (also when no schema file was asked for). */
  readonly schema: string;
  /** HAS or ROLE keys whose owner or relation does not exist (skipped; a consistent store has none). */
  readonly danglingEdges: number;
  readonly milliseconds: number;
}

/**
 * Pieces a two-thread export is cut into: each thread claims pieces until they meet, so neither waits for the other
 * longer than one piece takes.
 */
const PIECES = 8;

/** How a failed export ends its message: the up-front checks and publishAll leave every target as it was. */
const NOTHING_EXPORTED = 'Nothing was exported: any previous files at the given paths are as they were.';

/** Stores with fewer entries are exported by one thread: starting a worker would cost more than it saves. */
const PARALLEL_MIN_ENTRIES = 200_000;

/** The THING key ranges of the three kinds, in the order they are exported. */
const KIND_RANGES: readonly KeyRange[] = [ThingKind.Attribute, ThingKind.Entity, ThingKind.Relation].map(
  (kind) => [Uint8Array.of(Keyspace.Thing, kind), Uint8Array.of(Keyspace.Thing, kind + 1)] as const,
);

export async function exportDatabase(database: Database, options: ExportOptions): Promise<ExportResult> {
  const started = performance.now();
  const dataFile = resolve(options.dataFile);
  const schemaFile = options.schemaFile === undefined ? undefined : resolve(options.schemaFile);
  if (schemaFile === dataFile) throw ExportErrors.sameFile(dataFile);
  const snapshot = database.store.scanSnapshot();
  let writer: ItemWriter | undefined;
  let schemaTemp: string | undefined;
  let dataTemp: string | undefined;
  try {
    // Both paths are checked before anything is written: a bad schema path fails at once, not after the data.
    await checkWriteTarget(options.dataFile, DATA_FILE, NOTHING_EXPORTED);
    if (options.schemaFile !== undefined) await checkWriteTarget(options.schemaFile, SCHEMA_FILE, NOTHING_EXPORTED);
    for (const target of [dataFile, schemaFile]) if (target !== undefined) await removeStaleSiblings(target, EXPORT_TEMPORARY);
    const stored = snapshot.get(schemaKey);
    const schema = stored === undefined ? new TypeGraph() : TypeGraph.deserialize(stored);
    const schemaText = printSchema(schema);
    if (schemaFile !== undefined) schemaTemp = await writeTemporary(schemaFile, schemaText);
    writer = await ItemWriter.open(dataFile, {
      typedbVersion: options.typedbVersion ?? TYPEDB_COMPATIBLE_VERSION,
      originalDatabase: database.name,
    });
    const tree = options.readPages === false ? undefined : snapshot.tree;
    const threads = tree !== undefined && (options.threads ?? tree.entries >= PARALLEL_MIN_ENTRIES);
    const dangling = await writeThings(snapshot, tree, threads, labelTable(schema), writer, options.onProgress, options.signal);
    if (options.signal?.aborted) {
      throw jobStopped(
        `export of the database '${database.name}'`,
        'No file was written: any previous file at that path is as it was. Run the export again once the server runs.',
      );
    }
    const finished = await writer.seal();
    writer = undefined;
    dataTemp = finished.temporary;
    const replacements: Replacement[] = [{ temporary: dataTemp, target: dataFile, role: DATA_FILE }];
    if (schemaFile !== undefined) replacements.push({ temporary: schemaTemp!, target: schemaFile, role: SCHEMA_FILE });
    await publishAll(replacements);
    dataTemp = schemaTemp = undefined;
    options.onProgress?.({ ...finished.checksums, bytes: finished.bytes });
    return {
      dataFile: finished.path,
      schemaFile,
      checksums: finished.checksums,
      bytes: finished.bytes,
      schema: schemaText,
      danglingEdges: dangling,
      milliseconds: Math.round(performance.now() - started),
    };
  } finally {
    snapshot.close();
    await writer?.abort();
    // After a failed publish some temporaries are already renamed away: those are gone (ENOENT).
    for (const temp of [schemaTemp, dataTemp]) if (temp !== undefined) await unlink(temp).catch(() => undefined);
  }
}

/** Writes every thing's item; returns the edges skipped for lack of an owner. */
async function writeThings(
  snapshot: ScanSnapshot,
  tree: StoredTree | undefined,
  threads: boolean,
  labels: LabelTable,
  writer: ItemWriter,
  onProgress: ExportOptions['onProgress'],
  signal: AbortSignal | undefined,
): Promise<number> {
  const wrote = (bytes: number) => writer.writtenDirect(bytes);
  const progress = (counts: Checksums, bytes: number) => {
    onProgress?.({ ...counts, bytes: writer.bytesWritten + bytes });
    wrote(bytes);
  };
  const cursors: PartCursors =
    tree === undefined
      ? { things: new RangeCursor(snapshot), has: new RangeCursor(snapshot), roles: new RangeCursor(snapshot) }
      : scannerCursors(tree);
  if (tree === undefined || !threads) {
    let part: PartResult | undefined;
    const whole = [{ index: 0, ranges: KIND_RANGES }];
    await writer.appendDirect(async (fd) => (part = await exportPart(cursors, labels, () => whole.pop(), fd, progress)));
    return part!.dangling;
  }
  // This thread encodes pieces from the front into the file, the worker from the back into a part file. The
  // worker loads while the export is cut.
  const partFile = join(dirname(writer.path), `.${basename(writer.path)}.${process.pid}-${randomBytes(4).toString('hex')}.part`);
  const worker = new PartThread({ tree, labels, file: partFile });
  let claims: PieceClaims | undefined;
  try {
    const pieces = splitIntoPieces(tree, KIND_RANGES, PIECES);
    claims = PieceClaims.create(pieces.length);
    worker.start(pieces, claims.buffer);
    const front = () => {
      // Once stopped, no piece is begun: the worker stops after its current one too.
      if (signal?.aborted) claims!.takeAll();
      const index = claims!.front();
      return index === undefined ? undefined : { index, ranges: pieces[index]! };
    };
    let head: PartResult | undefined;
    await writer.appendDirect(async (fd) => (head = await exportPart(cursors, labels, front, fd, progress)));
    const tail = await worker.result;
    // The worker's pieces follow this thread's; it wrote them last piece first.
    const inOrder = [...tail.pieces].sort((a, b) => a.index - b.index);
    await writer.appendDirect(async (fd) => ({ bytes: appendPieces(fd, partFile, inOrder, wrote), counts: tail.counts }));
    return head!.dangling + tail.dangling;
  } finally {
    // After a failure here, the pieces nobody has begun are taken, so the worker stops after its current one.
    claims?.takeAll();
    await worker.stop();
    try {
      unlinkSync(partFile);
    } catch {
      // never created, or already gone
    }
  }
}

/**
 * Appends the bytes of `pieces` (in that order) from the file at `path` to `fd` (at its position); returns the
 * bytes copied (also told every 8 MiB).
 */
function appendPieces(fd: number, path: string, pieces: readonly WrittenPiece[], onBytes: (bytes: number) => void): number {
  const source = openSync(path, 'r');
  try {
    // 1 MiB stays in the caches: copying through 8 MiB took twice as long.
    const buffer = Buffer.allocUnsafe(1 << 20);
    let total = 0;
    for (const piece of pieces) {
      for (let at = piece.start; at < piece.end; ) {
        const read = readSync(source, buffer, 0, Math.min(buffer.length, piece.end - at), at);
        if (read === 0) throw new Error(`the part file '${path}' ended at byte ${at}, before the end of piece ${piece.index} (${piece.end})`);
        for (let done = 0; done < read; ) done += writeSync(fd, buffer, done, read - done);
        at += read;
        total += read;
        if (total % (8 << 20) < read) onBytes(total);
      }
    }
    return total;
  } finally {
    closeSync(source);
  }
}


/** Writes text to a temporary file beside `path` and fsyncs it; publishAll renames it into place. */
async function writeTemporary(path: string, text: string): Promise<string> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(temp, 'wx', 0o666);
    await handle.writeFile(text);
    await handle.sync();
  } catch (e) {
    await handle?.close();
    await unlink(temp).catch(() => undefined);
    throw writeFailure(path, `cannot write a temporary file in '${dirname(path)}' (${systemErrorText(e)})`, e, SCHEMA_FILE, NOTHING_EXPORTED);
  }
  await handle.close();
  return temp;
}
