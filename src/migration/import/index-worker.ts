// Worker-thread entry that runs pass 1 of an import (ItemIndexer) over the second half of the file while the
// importer's own thread indexes the first half. Its sorters spill everything to run files, which the importer
// adopts into its own sorters; its sequence numbers are provisional (see ThingOrdinals).

import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { readItems, type Checksums } from '../codec/index.js';
import { TypeGraph } from '../../schema/index.js';
import type { SpilledRuns } from './external-sorter.js';
import { ImportSchema } from './import-schema.js';
import { ItemIndexer } from './item-indexer.js';
import { passOneSorters } from './pass-one.js';
import { serializeError, type SerializedError } from './worker-messages.js';

export interface IndexWorkerData {
  readonly file: string;
  /** Byte offset of the first record of the second half. */
  readonly start: number;
  readonly schema: Uint8Array;
  readonly scratchDir: string;
  /** Memory for each of the three sorters. */
  readonly sorterBytes: number;
}

export interface HalfIndex {
  readonly definitions: SpilledRuns;
  readonly attributes: SpilledRuns;
  readonly references: SpilledRuns;
  /** Entity and relation type id → instances in this half. */
  readonly instances: readonly (readonly [number, number])[];
  readonly counted: Checksums;
  /** Offsets of header and checksums items found in this half (a header here is an error). */
  readonly headerOffset: number | undefined;
  readonly checksums: { readonly offset: number; readonly counts: Checksums } | undefined;
  readonly items: number;
}

export type IndexWorkerMessage =
  | { readonly type: 'done'; readonly index: HalfIndex }
  | { readonly type: 'failed'; readonly error: SerializedError };

async function indexSecondHalf(data: IndexWorkerData): Promise<HalfIndex> {
  const schema = new ImportSchema(TypeGraph.deserialize(data.schema));
  const sorters = passOneSorters(data.scratchDir, data.sorterBytes, '-second-half');
  const indexer = new ItemIndexer(schema, sorters, data.file, true);
  let headerOffset: number | undefined;
  let checksums: HalfIndex['checksums'];
  let items = 0;
  const stream = createReadStream(data.file, { start: data.start, highWaterMark: 1 << 16 });
  for await (const { item, offset } of readItems(stream, { requireHeaderFirst: false, requireChecksums: false })) {
    const at = data.start + offset;
    if (item.kind === 'header') headerOffset ??= at;
    else if (item.kind === 'checksums') checksums ??= { offset: at, counts: item.checksums };
    else {
      indexer.add(item, at);
      items++;
    }
  }
  return {
    definitions: sorters.definitions.spillAll(),
    attributes: sorters.attributes.spillAll(),
    references: sorters.references.spillAll(),
    instances: [...indexer.instances],
    counted: indexer.counter.counts,
    headerOffset,
    checksums,
    items,
  };
}

let message: IndexWorkerMessage;
try {
  message = { type: 'done', index: await indexSecondHalf(workerData as IndexWorkerData) };
} catch (e) {
  message = { type: 'failed', error: serializeError(e) };
}
parentPort!.postMessage(message);

