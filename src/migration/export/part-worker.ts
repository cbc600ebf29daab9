// Worker-thread entry of an export's second part: encodes its ranges of the pinned snapshot (which the main
// thread keeps open until this worker is done) into the part file it is given.

import { closeSync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { StoredTree } from '../../storage/lmdb-file/index.js';
import { serializeError, type SerializedError } from '../import/worker-messages.js';
import { exportPart, scannerCursors, type KeyRange, type PartResult } from './export-part.js';
import type { LabelTable } from './labels.js';

export interface PartWorkerData {
  readonly tree: StoredTree;
  readonly labels: LabelTable;
  readonly ranges: readonly KeyRange[];
  readonly file: string;
}

export type PartWorkerMessage =
  | { readonly type: 'done'; readonly result: PartResult }
  | { readonly type: 'failed'; readonly error: SerializedError };

const data = workerData as PartWorkerData;
let message: PartWorkerMessage;
try {
  const fd = openSync(data.file, 'wx', 0o600);
  try {
    message = { type: 'done', result: await exportPart(scannerCursors(data.tree), data.labels, data.ranges, fd) };
  } finally {
    closeSync(fd);
  }
} catch (e) {
  message = { type: 'failed', error: serializeError(e) };
}
parentPort!.postMessage(message);
