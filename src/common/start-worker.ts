// Starting a worker thread whose entry is a module beside the caller's. Compiled, a worker is the .js file beside
// its importer. Run from sources under tsx, Node 20 does not pass tsx's module hooks on to workers, so the worker
// registers them itself before it loads the .ts entry.

import { Worker, type TransferListItem } from 'node:worker_threads';

/**
 * A worker inherits the process's Node.js options. It is given none explicitly: Node refuses V8 options in a worker's
 * `execArgv` (`--expose-gc`, `--max-old-space-size`, `--stack-size`: they are the process's), so a server started with
 * one could start no commit writer. `--input-type` (a script run with `node --input-type=module -e …`) is refused for
 * a worker's entry file, but not for a worker's string: such a process starts the worker from a string importing it.
 */
function inheritsInputType(): boolean {
  return process.execArgv.some((arg) => arg.startsWith('--input-type'));
}

/** Starts the worker whose entry is `name` (without extension) in the directory of `from` (a module's URL). */
export function startWorker(name: string, workerData: unknown, from: string, transferList?: readonly TransferListItem[]): Worker {
  const options = { workerData, transferList: transferList as TransferListItem[] | undefined };
  const fromSources = from.endsWith('.ts');
  const entry = new URL(`./${name}.${fromSources ? 'ts' : 'js'}`, from);
  if (!fromSources && !inheritsInputType()) return new Worker(entry, options);
  const load = `import(${JSON.stringify(entry.href)})`;
  const bootstrap = fromSources ? `import('tsx/esm/api').then((tsx) => { tsx.register(); return ${load}; })` : load;
  return new Worker(bootstrap, { ...options, eval: true });
}
