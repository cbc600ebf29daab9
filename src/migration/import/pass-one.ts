// Pass 1 of an import: reading the file once through the ItemIndexer into three sorters, and verifying its
// header and checksums. With threads and a large enough file, the file is cut at a record boundary near its
// middle and a worker indexes the second half while this thread indexes the first; the worker's sorted records
// are then adopted into this thread's sorters. Any framing or order problem found in
// either half is reported by a plain sequential read of the whole file, so messages are exactly those of a
// single-threaded import.

import { closeSync, openSync, readSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import type { Checksums, HeaderItem } from '../codec/index.js';
import { CodecError, addChecksums, compareChecksums, describeChecksumMismatches, readItems } from '../codec/index.js';
import { parseLengthPrefix } from '../codec/framing.js';
import { scanItems } from '../codec/scan.js';
import { MigrationError, MigrationErrorCode } from '../errors.js';
import type { HalfIndex, IndexWorkerData, IndexWorkerMessage, IndexWorkerStart } from './index-worker.js';
import type { ImportSchema } from './import-schema.js';
import { IndexingVisitor } from './indexing-visitor.js';
import { ItemIndexer } from './item-indexer.js';
import { passOneSorters, type PassOneSorters } from './pass-one-sorters.js';
import { refHi } from './records.js';
import type { WordPool } from './word-pool.js';
import { deserializeError } from '../worker-errors.js';
import { startWorker, workerResult } from '../worker-threads.js';

export interface PassOneResult {
  /** The sorters, holding every definition, attribute and reference of the file. */
  readonly sorters: PassOneSorters;
  readonly header: HeaderItem;
  readonly checksums: Checksums;
  /** The counts of the file's items (equal to `checksums`: verified). */
  readonly counted: Checksums;
  /** Entity and relation ThingRef hi words → instances in the whole file. */
  readonly objects: Map<number, number>;
  /** When the file was read in two halves: instances of each type in the first half (see ThingOrdinals). */
  readonly firstHalf: Map<number, number> | undefined;
}

export interface PassOneOptions {
  readonly file: string;
  readonly totalBytes: number;
  readonly schema: ImportSchema;
  /** Memory for each of the three sorters (shared by the two halves when the file is split). */
  readonly sorterBytes: number;
  readonly scratchDir: string;
  /** This thread's word arrays for the sorters. */
  readonly pool: WordPool;
  readonly threads: boolean;
  readonly onItems: (items: number, bytesRead: number) => void;
  /** Called with the sorters as soon as they exist (so that a failure can clean them up). */
  readonly onSorters: (sorters: PassOneSorters) => void;
}

/** Starts the worker that will index the second half, from the offset it is sent (IndexWorkerStart). */
function startIndexWorker(options: PassOneOptions, sorterBytes: number): { worker: Worker; result: Promise<HalfIndex> } {
  const data: IndexWorkerData = { file: options.file, schema: options.schema.data, scratchDir: options.scratchDir, sorterBytes };
  const worker = startWorker('index-worker', data, import.meta.url);
  const result = workerResult<HalfIndex>(worker, (message) => {
    const m = message as unknown as IndexWorkerMessage;
    return m.type === 'done' ? { done: m.index } : { failed: deserializeError(m.error) };
  });
  result.catch(() => undefined); // awaited by the caller
  return { worker, result };
}

/** Files smaller than this are read by one thread: a worker's start costs more than it saves. */
const SPLIT_MIN_BYTES = 16 << 20;

export async function readPassOne(options: PassOneOptions): Promise<PassOneResult> {
  const { file, schema } = options;
  const halfBytes = Math.floor(options.sorterBytes / 2);
  // The worker starts before the split is known: it takes a while to load, while finding the split takes a walk
  // over half the file's length prefixes.
  const worker = options.threads && options.totalBytes >= SPLIT_MIN_BYTES ? startIndexWorker(options, halfBytes) : undefined;
  const split = worker === undefined ? undefined : findSplit(file, options.totalBytes);
  if (worker !== undefined) {
    if (split === undefined) await worker.worker.terminate();
    else worker.worker.postMessage({ start: split } satisfies IndexWorkerStart);
  }
  const sorterBytes = split === undefined ? options.sorterBytes : halfBytes;
  const sorters = passOneSorters(options.scratchDir, sorterBytes, options.pool, true);
  options.onSorters(sorters);
  const indexer = new ItemIndexer(schema, sorters, file);
  const visitor = new IndexingVisitor(indexer, options.onItems);
  const second = split === undefined ? undefined : worker!.result;
  const stopSecond = split === undefined ? undefined : () => worker!.worker.terminate();
  try {
    await scanItems(file, visitor, split === undefined ? {} : { start: 0, end: split, requireChecksums: false });
  } catch (e) {
    await stopSecond?.();
    // Half a file breaks order rules a whole one keeps: report framing and order problems as a whole read does.
    if (split !== undefined && e instanceof CodecError) await sequentialRead(file);
    throw e;
  }
  // While the second half is still being read, sort what this half has in memory.
  if (second !== undefined) for (const sorter of [sorters.definitions, sorters.attributes, sorters.references]) sorter.prepare();
  const objects = new Map<number, number>();
  for (const [typeId, count] of indexer.instances) objects.set(refHi(schema.typeById(typeId).kind, typeId), count);
  let counted = indexer.counts;
  let declared = visitor.checksums;
  let items = visitor.items;
  let firstHalf: Map<number, number> | undefined;
  if (second !== undefined) {
    let half: HalfIndex;
    try {
      half = await second;
    } catch (e) {
      if (e instanceof CodecError) await sequentialRead(file);
      throw e;
    }
    // A header in the second half, disagreeing checksums items, or none at all: the sequential read says which.
    const disagree = declared !== undefined && half.checksums !== undefined && compareChecksums(declared.counts, half.checksums.counts).length > 0;
    if (half.headerOffset !== undefined || disagree || (declared === undefined && half.checksums === undefined)) await sequentialRead(file);
    declared ??= half.checksums;
    sorters.definitions.adopt(half.definitions);
    sorters.attributes.adopt(half.attributes);
    sorters.references.adopt(half.references);
    for (const spare of half.spares) options.pool.give(spare.array, spare.touched);
    firstHalf = new Map(objects);
    for (const [typeId, count] of half.instances) {
      const hi = refHi(schema.typeById(typeId).kind, typeId);
      objects.set(hi, (objects.get(hi) ?? 0) + count);
    }
    counted = addChecksums(counted, half.counted);
    items += half.items;
  }
  options.onItems(items, options.totalBytes);
  const mismatches = compareChecksums(declared!.counts, counted);
  if (mismatches.length > 0) {
    throw new MigrationError(
      MigrationErrorCode.CHECKSUM_MISMATCH,
      `The import has finished but mismatches the required checksums: '\n${describeChecksumMismatches(mismatches, 'found')}\n` +
        `The items of '${file}' do not add up to its checksums item, so the file is incomplete or damaged. Nothing was imported.`,
    );
  }
  return { sorters, header: visitor.header!.item, checksums: declared!.counts, counted, objects, firstHalf };
}


/** Reads the whole file with the codec's own checks, to raise the error a single-threaded import would. */
async function sequentialRead(file: string): Promise<never> {
  for await (const _ of readItems(file)) {
    // the reader throws on the first problem
  }
  throw new Error(`the halves of '${file}' disagree with a sequential read of it; please report this`);
}

/**
 * The offset of the first record boundary at or after the middle of the file, found by walking the length
 * prefixes; undefined when the framing breaks before that (the sequential read will report it) or when the
 * second half would be empty.
 */
export function findSplit(file: string, size: number): number | undefined {
  // Past the middle: the other thread starts later (it has to load first), and sorts through spare arrays where
  // this one sorts in place (measured best at 55% on the social dataset).
  const middle = Math.floor(size * 0.55);
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    let chunkStart = 0;
    let length = 0;
    let at = 0; // offset of the next record
    for (;;) {
      if (at >= middle) return at < size ? at : undefined;
      if (at + 5 > chunkStart + length && chunkStart + length < size) {
        chunkStart = at;
        length = readSync(fd, chunk, 0, chunk.length, at);
      }
      const prefix = parseLengthPrefix(chunk, at - chunkStart, length);
      if (prefix === undefined || !Number.isFinite(prefix.length)) return undefined;
      at += prefix.bytes + prefix.length;
      if (at > size) return undefined;
    }
  } finally {
    closeSync(fd);
  }
}
