// What an import build in a worker thread sends back (errors as worker-errors.ts carries them).

import type { SerializedError } from '../worker-errors.js';
import type { BuildProgress, BuildResult } from './build-store.js';

/** Messages from the worker. */
export type WorkerMessage =
  | { readonly type: 'progress'; readonly progress: BuildProgress }
  | { readonly type: 'done'; readonly result: BuildResult }
  | { readonly type: 'failed'; readonly error: SerializedError };
