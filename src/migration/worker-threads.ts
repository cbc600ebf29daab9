// Starting the import's and export's worker threads. Compiled, a worker is the .js file beside its importer. Run from
// sources under tsx, Node 20 does not pass tsx's module hooks on to workers, so the worker registers them
// itself before it loads the .ts entry.

import { Worker } from 'node:worker_threads';

/** Starts the worker whose entry is `name` (without extension) in the directory of `from` (a module's URL). */
export function startWorker(name: string, workerData: unknown, from: string): Worker {
  if (!from.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, from), { workerData });
  const entry = new URL(`./${name}.ts`, from).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

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
    worker.on('exit', (code) => settle(() => reject(new Error(`An import worker thread stopped unexpectedly (exit code ${code}).`))));
  });
}
