// Worker-thread entry that runs pass 1 of an import (ItemIndexer) over the second half of the file while the
// importer's own thread indexes the first half. Its sorters hand their sorted records over (what is still in
// memory moves without a copy), and the importer adopts them into its own sorters; its sequence numbers are
// provisional (see ThingOrdinals). It starts loading before the second half's offset is known, and waits for it.

import { parentPort, workerData } from 'node:worker_threads';
import type { Checksums } from '../codec/model.js';
import { scanItems } from '../codec/scan.js';
import type { HandedRuns } from './external-sorter.js';
import { ImportSchema, type ImportSchemaData } from './import-schema.js';
import { IndexingVisitor } from './indexing-visitor.js';
import { ItemIndexer } from './item-indexer.js';
import { passOneSorters } from './pass-one-sorters.js';
import { WordPool, type FreeWords } from './word-pool.js';
import { serializeError, type SerializedError } from '../worker-errors.js';

export interface IndexWorkerData {
  readonly file: string;
  /** The import's schema facts (sent as data: loading the schema layer would slow the worker's start). */
  readonly schema: ImportSchemaData;
  readonly scratchDir: string;
  /** Memory for each of the three sorters. */
  readonly sorterBytes: number;
}

/** The message that sets the worker going: the byte offset of the first record of the second half. */
export interface IndexWorkerStart {
  readonly start: number;
}

export interface HalfIndex {
  readonly definitions: HandedRuns;
  readonly attributes: HandedRuns;
  readonly references: HandedRuns;
  /** Entity and relation type id → instances in this half. */
  readonly instances: readonly (readonly [number, number])[];
  readonly counted: Checksums;
  /** Offsets of header and checksums items found in this half (a header here is an error). */
  readonly headerOffset: number | undefined;
  readonly checksums: { readonly offset: number; readonly counts: Checksums } | undefined;
  readonly items: number;
  /** The worker's free word arrays, for the importer's pool (their memory has been touched: cheap to reuse). */
  readonly spares: readonly FreeWords[];
}

export type IndexWorkerMessage =
  | { readonly type: 'done'; readonly index: HalfIndex }
  | { readonly type: 'failed'; readonly error: SerializedError };

async function indexSecondHalf(data: IndexWorkerData, start: number): Promise<HalfIndex> {
  const schema = new ImportSchema(data.schema);
  const pool = new WordPool();
  const sorters = passOneSorters(data.scratchDir, data.sorterBytes, pool, false, '-second-half');
  const indexer = new ItemIndexer(schema, sorters, data.file, true);
  const visitor = new IndexingVisitor(indexer);
  await scanItems(data.file, visitor, { start, requireHeaderFirst: false, requireChecksums: false });
  const definitions = sorters.definitions.handOver();
  const attributes = sorters.attributes.handOver();
  const references = sorters.references.handOver();
  return {
    definitions,
    attributes,
    references,
    spares: pool.drain(),
    instances: [...indexer.instances],
    counted: indexer.counts,
    headerOffset: visitor.header?.offset,
    checksums: visitor.checksums,
    items: visitor.items,
  };
}

let message: IndexWorkerMessage;
const transfer: ArrayBuffer[] = [];
try {
  const { start } = await new Promise<IndexWorkerStart>((resolve) => parentPort!.once('message', resolve));
  const index = await indexSecondHalf(workerData as IndexWorkerData, start);
  message = { type: 'done', index };
  // The records still in memory, and the spare arrays, move to the importer's thread without a copy.
  for (const handed of [index.definitions, index.attributes, index.references]) if (handed.memory !== undefined) transfer.push(handed.memory.words.buffer);
  for (const spare of index.spares) transfer.push(spare.array.buffer);
} catch (e) {
  message = { type: 'failed', error: serializeError(e) };
}
parentPort!.postMessage(message, transfer);

