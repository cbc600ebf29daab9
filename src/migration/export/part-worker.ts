// Worker-thread entry of an export's part worker: once sent the export's pieces, encodes those it claims from the
// back (piece-claims.ts) of the pinned snapshot (which the main thread keeps open until this worker is done) into
// the part file it is given, and reports where each piece is in it.

import { closeSync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { StoredTree } from '../../storage/lmdb-file/index.js';
import { serializeError, type SerializedError } from '../worker-errors.js';
import { exportPart, scannerCursors, type KeyRange, type PartResult } from './export-part.js';
import type { LabelTable } from './labels.js';
import { PieceClaims } from './piece-claims.js';

export interface PartWorkerData {
  readonly tree: StoredTree;
  readonly labels: LabelTable;
  readonly file: string;
}

/** Sent once the export is cut: every piece (by index), and the claims that say which are this worker's. */
export interface PartPieces {
  readonly pieces: readonly (readonly KeyRange[])[];
  readonly claims: SharedArrayBuffer;
}

export type PartWorkerMessage =
  | { readonly type: 'done'; readonly result: PartResult }
  | { readonly type: 'failed'; readonly error: SerializedError };

const data = workerData as PartWorkerData;
const { pieces, claims: shared } = await new Promise<PartPieces>((resolve) => parentPort!.once('message', resolve));
const claims = new PieceClaims(shared);
const next = () => {
  const index = pieces.length === 0 ? undefined : claims.back();
  return index === undefined ? undefined : { index, ranges: pieces[index]! };
};
let message: PartWorkerMessage;
try {
  const fd = openSync(data.file, 'wx', 0o600);
  try {
    message = { type: 'done', result: await exportPart(scannerCursors(data.tree), data.labels, next, fd) };
  } finally {
    closeSync(fd);
  }
} catch (e) {
  message = { type: 'failed', error: serializeError(e) };
}
parentPort!.postMessage(message);
