// Starting the worker that encodes an export's second part (part-worker.ts), and its result.
import { startWorker, workerResult } from '../import/threads.js';
import { deserializeError } from '../import/worker-messages.js';
import type { PartResult } from './export-part.js';
import type { PartWorkerData, PartWorkerMessage } from './part-worker.js';

export function startPartWorker(data: PartWorkerData): Promise<PartResult> {
  const worker = startWorker('part-worker', data, import.meta.url);
  return workerResult<PartResult>(worker, (message) => {
    const m = message as PartWorkerMessage;
    if (m.type === 'done') return { done: m.result };
    if (m.type === 'failed') return { failed: deserializeError(m.error) };
    return undefined;
  });
}
