// Worker-thread entry of an export's part worker: once sent the export's pieces, encodes those it claims
// (piece-order.ts) of the pinned snapshot (which the main thread keeps open until this worker is done) and places
// them in the export file, through the descriptor the main thread has open (descriptors belong to the process:
// no second open, which a read-only previous file's permissions, kept by the temporary file, could refuse).

import { parentPort, workerData } from 'node:worker_threads';
import type { StoredTree } from '../../storage/lmdb-file/index.js';
import { serializeError, type SerializedError } from '../worker-errors.js';
import { exportPart, scannerCursors, type KeyRange, type PartResult } from './export-part.js';
import type { LabelTable } from './labels.js';
import { PieceOrder } from './piece-order.js';
import { PieceSink, placeInFile } from './piece-sink.js';

export interface PartWorkerData {
  readonly tree: StoredTree;
  readonly labels: LabelTable;
  /** The export file's descriptor, and the offset where the first piece goes. */
  readonly fd: number;
  readonly start: number;
}

/** Sent once the export is cut: every piece (by index), and the order through which both threads claim and place them. */
export interface PartPieces {
  readonly pieces: readonly (readonly KeyRange[])[];
  readonly order: SharedArrayBuffer;
}

export type PartWorkerMessage =
  | { readonly type: 'done'; readonly result: PartResult }
  | { readonly type: 'failed'; readonly error: SerializedError };

const data = workerData as PartWorkerData;
const { pieces, order: shared } = await new Promise<PartPieces>((resolve) => parentPort!.once('message', resolve));
const order = new PieceOrder(shared);
const next = () => {
  const index = pieces.length === 0 ? undefined : order.claim();
  return index === undefined ? undefined : { index, ranges: pieces[index]! };
};
let message: PartWorkerMessage;
try {
  // This thread may block while it waits for the main thread's pieces: it has nothing else to do.
  const sink = new PieceSink(order, placeInFile(data.fd, data.start), (index) => order.waitToPlace(index));
  message = { type: 'done', result: await exportPart(scannerCursors(data.tree), data.labels, next, sink) };
} catch (e) {
  // The main thread stops claiming, and stops waiting for this thread's pieces.
  order.stop();
  message = { type: 'failed', error: serializeError(e) };
}
parentPort!.postMessage(message);
