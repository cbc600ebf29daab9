// Export of one database as a .typedb data file (and optionally its schema as a define query), from ONE read
// snapshot: the schema text is printed from the schema record of the same snapshot the data is read from, so
// the two always match even while schema and data writes continue.
//
// Things stream straight from the key space to the file: attributes first (so that a streaming importer meets
// every owned attribute before its owners), then entities, then relations, each in IID order, encoded by
// export/thing-encoder.ts (IDs are the base64 of Strata's IIDs; role labels are scoped; a role player repeated
// n times is written n times). The snapshot's pages are read straight from the data file when they can be
// located (Store.scanSnapshot). Asked for two threads, the export is cut into pieces of about equal work, which this
// thread and a worker thread both claim in order and each place in the file at its final offset once the pieces
// before it are there (export/piece-order.ts, export/piece-sink.ts).
//
// The data file is written by the codec's ItemWriter to a temporary file, and the schema file the same way; both
// targets are checked before anything is written, and at the end the two are renamed into place all or nothing
// (export/publish.ts), so a failed export never destroys an earlier one.

import { randomBytes } from 'node:crypto';
import { open, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { TYPEDB_COMPATIBLE_VERSION } from '../common/version.js';
import type { Database } from '../database/database.js';
import { Keyspace, ThingKind, schemaKey } from '../encoding/index.js';
import { TypeGraph, printSchema } from '../schema/index.js';
import { RangeLeaves, type ScanSnapshot, type StoredTree } from '../storage/index.js';
import { DATA_FILE, ItemWriter, SCHEMA_FILE, addChecksums, checkWriteTarget, type Checksums } from './codec/index.js';
import { systemErrorText } from './codec/errors.js';
import { writeFailure } from './codec/target-file.js';
import { ExportErrors, jobStopped } from './errors.js';
import { exportPart, scannerCursors, type KeyRange, type PartCursors, type PartResult } from './export/export-part.js';
import { FileSink } from './export/file-sink.js';
import { labelTable, type LabelTable } from './export/labels.js';
import { PartThread } from './export/part-thread.js';
import { PieceOrder } from './export/piece-order.js';
import { PieceSink, placeInFile } from './export/piece-sink.js';
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
   * Encode the export on two threads, which share it out in pieces (default false). Needs the snapshot's pages
   * (readPages). With the native encoder one thread is faster on the 2-core machines measured, at 1M and 4M things:
   * cutting the export and starting the worker cost more than the second thread saves.
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

const ENTRIES_PER_PIECE = 50_000;
const MAX_PIECES = 1024;
/** Pieces cut by the work in all three keyspaces; finer ones halve the THING keys only (split.ts). */
const BALANCED_PIECES = 8;

/** How a failed export ends its message: the up-front checks and publishAll leave every target as it was. */
const NOTHING_EXPORTED = 'Nothing was exported: any previous files at the given paths are as they were.';

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
    writer = await ItemWriter.open(
      dataFile,
      { typedbVersion: options.typedbVersion ?? TYPEDB_COMPATIBLE_VERSION, originalDatabase: database.name },
      { role: DATA_FILE, outcome: NOTHING_EXPORTED },
    );
    const tree = options.readPages === false ? undefined : snapshot.tree;
    const threads = tree !== undefined && options.threads === true;
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
  // `bytes` of the things' records are in the file, after the `start` bytes of the header.
  const progress = (counts: Checksums, start: number, bytes: number) => {
    onProgress?.({ ...counts, bytes: start + bytes });
    writer.writtenDirect(bytes);
  };
  if (tree === undefined || !threads) {
    const cursors: PartCursors =
      tree === undefined
        ? { things: new RangeLeaves(snapshot), has: new RangeLeaves(snapshot), roles: new RangeLeaves(snapshot) }
        : scannerCursors(tree);
    let part: PartResult | undefined;
    const whole = [{ index: 0, ranges: KIND_RANGES }];
    await writer.appendDirect(async (fd, start) => {
      const sink = new FileSink(fd, undefined, start);
      part = await exportPart(cursors, labels, () => whole.pop(), sink, (counts) => progress(counts, start, sink.written + sink.position));
      return { bytes: sink.written, counts: part.counts };
    });
    return part!.dangling;
  }
  let dangling = 0;
  await writer.appendDirect(async (fd, start) => {
    // Both threads claim pieces from the front and place each in the file once the pieces before it are. The
    // worker loads while the export is cut.
    const worker = new PartThread({ tree, labels, fd, start });
    let order: PieceOrder | undefined;
    try {
      const pieces = splitIntoPieces(tree, KIND_RANGES, pieceCount(tree.entries), BALANCED_PIECES);
      const shared = (order = PieceOrder.create(pieces.length));
      // A worker that failed or was lost stops the export: this thread then no longer waits for its pieces.
      worker.result.catch(() => shared.stop());
      worker.start(pieces, shared.buffer);
      const next = () => {
        // Once stopped, no piece is begun: the worker stops after its current one too.
        if (signal?.aborted) shared.stop();
        const index = shared.claim();
        return index === undefined ? undefined : { index, ranges: pieces[index]! };
      };
      // This thread never blocks: it waits for the worker's pieces with Atomics.waitAsync.
      const sink = new PieceSink(shared, placeInFile(fd, start), (index) => shared.waitToPlaceAsync(index));
      const head = await exportPart(scannerCursors(tree), labels, next, sink, (counts) => progress(counts, start, shared.placedBytes));
      const tail = await worker.result;
      dangling = head.dangling + tail.dangling;
      const counts = addChecksums(head.counts, tail.counts);
      if (!head.stopped && !tail.stopped && shared.placed !== pieces.length) {
        throw new Error(`the export placed ${shared.placed} of its ${pieces.length} pieces. Please report this.`);
      }
      progress(counts, start, shared.placedBytes);
      return { bytes: shared.placedBytes, counts };
    } finally {
      // After a failure here, no piece is begun or placed, and the worker ends before the file is closed.
      order?.stop();
      await worker.stop();
    }
  });
  return dangling;
}

/**
 * Pieces a two-thread export is cut into, for a store of `entries` entries: a power of two, about 50 000 entries
 * each (128 pieces of about 0.8 MB of output for the 1M-thing benchmark store), so that neither thread waits long
 * for the other and a thread holds little in memory (fresh memory is costly to touch here: with 32 pieces of
 * 3 MB, peak RSS was ~10 MiB higher); at least 8.
 */
function pieceCount(entries: number): number {
  let count = 8;
  while (count < MAX_PIECES && count * ENTRIES_PER_PIECE < entries) count *= 2;
  return count;
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
