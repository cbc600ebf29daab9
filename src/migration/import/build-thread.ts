// Running an import build (build-store.ts) in a worker thread (build-worker.ts): its progress is passed on as it
// comes, its result or error returned.

import { deserializeError } from '../worker-errors.js';
import { startWorker, workerResult } from '../worker-threads.js';
import type { BuildOptions, BuildResult } from './build-store.js';
import type { WorkerMessage } from './worker-messages.js';

/** `signal`: when aborted, the worker (and the threads it started) is terminated, and the build rejects. */
export function buildInWorker(options: BuildOptions, signal?: AbortSignal): Promise<BuildResult> {
  const { onProgress, ...data } = options;
  const worker = startWorker('build-worker', data, import.meta.url);
  if (signal !== undefined) {
    const stop = () => void worker.terminate();
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    worker.once('exit', () => signal.removeEventListener('abort', stop));
  }
  return workerResult<BuildResult>(worker, (message) => {
    const m = message as unknown as WorkerMessage;
    if (m.type === 'progress') {
      onProgress?.(m.progress);
      return undefined;
    }
    return m.type === 'done' ? { done: m.result } : { failed: deserializeError(m.error) };
  });
}
