// Waiting for the result of an import's or export's worker thread (started with common/start-worker.ts).

import type { Worker } from 'node:worker_threads';

export { startWorker } from '../common/start-worker.js';

/** Resolves with the worker's first 'done' message payload, rejects with its 'failed' error or its exit. */
export function workerResult<T>(
  worker: Worker,
  decode: (message: { type: string; [key: string]: unknown }) => { done: T } | { failed: Error } | undefined,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
    };
    worker.on('message', (message) => {
      const outcome = decode(message);
      if (outcome === undefined) return;
      if ('done' in outcome) settle(() => resolve(outcome.done));
      else settle(() => reject(outcome.failed));
    });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) => settle(() => reject(new Error(`A worker thread of the import or export stopped unexpectedly (exit code ${code}); nothing was published. Please report this.`))));
  });
}
