// Starting the export's part worker (part-worker.ts) and taking its result. It is started before the pieces are
// known, since loading takes it a while; the pieces follow by message.
import type { Worker } from 'node:worker_threads';
import { deserializeError } from '../worker-errors.js';
import { startWorker, workerResult } from '../worker-threads.js';
import type { KeyRange, PartResult } from './export-part.js';
import type { PartPieces, PartWorkerData, PartWorkerMessage } from './part-worker.js';

export class PartThread {
  private readonly worker: Worker;
  readonly result: Promise<PartResult>;
  private sent = false;

  constructor(data: PartWorkerData) {
    this.worker = startWorker('part-worker', data, import.meta.url);
    this.result = workerResult<PartResult>(this.worker, (message) => {
      const m = message as PartWorkerMessage;
      if (m.type === 'done') return { done: m.result };
      if (m.type === 'failed') return { failed: deserializeError(m.error) };
      return undefined;
    });
    this.result.catch(() => undefined); // awaited by the caller
  }

  /** The export's pieces and the order they are claimed and placed in (piece-order.ts): the worker starts claiming. */
  start(pieces: readonly (readonly KeyRange[])[], order: SharedArrayBuffer): void {
    this.sent = true;
    this.worker.postMessage({ pieces, order } satisfies PartPieces);
  }

  /**
   * Waits until the worker has ended (without pieces, if it has none yet: the export stopped, or failed before it
   * was cut). It no longer writes to the export file after this.
   */
  async stop(): Promise<void> {
    if (!this.sent) this.start([], new SharedArrayBuffer(32));
    await this.result.catch(() => undefined);
  }
}
