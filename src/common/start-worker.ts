// Starting a worker thread whose entry is a module beside the caller's. Compiled, a worker is the .js file beside
// its importer. Run from sources under tsx, Node 20 does not pass tsx's module hooks on to workers, so the worker
// registers them itself before it loads the .ts entry.

import { Worker, type TransferListItem } from 'node:worker_threads';

/**
 * The process's Node.js options a worker inherits, less `--input-type`, which Node refuses for a worker's entry file
 * (a script run with `node --input-type=module -e …` could start no worker otherwise).
 */
function workerExecArgv(): string[] {
  return process.execArgv.filter((arg) => !arg.startsWith('--input-type'));
}

/** Starts the worker whose entry is `name` (without extension) in the directory of `from` (a module's URL). */
export function startWorker(name: string, workerData: unknown, from: string, transferList?: readonly TransferListItem[]): Worker {
  const options = { workerData, transferList: transferList as TransferListItem[] | undefined, execArgv: workerExecArgv() };
  if (!from.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, from), options);
  const entry = new URL(`./${name}.ts`, from).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}
