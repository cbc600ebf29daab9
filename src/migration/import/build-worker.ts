// Worker-thread entry of an import build: runs buildStore with the options it was started with and reports
// progress, the result or the error to the importer (importer.ts) by message.

import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../worker-errors.js';
import type { WorkerMessage } from './worker-messages.js';
import { buildStore, type BuildOptions } from './build-store.js';

const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);

try {
  const options = workerData as Omit<BuildOptions, 'onProgress'>;
  const result = await buildStore({ ...options, onProgress: (progress) => post({ type: 'progress', progress }) });
  post({ type: 'done', result });
} catch (e) {
  post({ type: 'failed', error: serializeError(e) });
}
