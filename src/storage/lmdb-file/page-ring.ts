// The shared-memory ring between a ThreadedPageOutput and its page-write thread: what each Int32 of the control
// array means, and what the thread is started with.

import type { MessagePort } from 'node:worker_threads';

export const ringLayout = {
  /** Set by the builder: stop (after drain(), or to give up). */
  STOP: 0,
  /** Set by the thread when a write failed (the details follow on the port). */
  FAILED: 1,
  /** Set by the thread once it runs. */
  READY: 2,
  /** Set by the thread when it ends, for whatever reason. */
  ENDED: 3,
  /** A slot's state: FREE to fill, FULL to write. */
  state: (slot: number) => 4 + slot,
  controlInts: (slots: number) => 4 + slots,
  FREE: 0,
  FULL: 1,
} as const;

export interface PageWriteThreadData {
  readonly path: string;
  readonly slots: number;
  readonly slotBytes: number;
  readonly control: SharedArrayBuffer;
  /** Per slot: the file position of its first byte and its length (Float64). */
  readonly meta: SharedArrayBuffer;
  readonly data: SharedArrayBuffer;
  /** Where the thread sends a PageWriteFailure. */
  readonly port: MessagePort;
}

/** A failed write, as the system error's fields. */
export interface PageWriteFailure {
  readonly message: string;
  readonly code?: string;
  readonly errno?: number;
  readonly syscall?: string;
}
