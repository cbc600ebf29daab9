// What the store (commit-writer.ts) and its writer thread (commit-writer-thread.ts) say to each other.
import type { MessagePort } from 'node:worker_threads';

export interface CommitWriterData {
  /** The store's directory (real path): the thread opens the same LMDB environment. */
  readonly path: string;
  readonly maxReaders: number;
  /** Int32 counters the store can wait on without its event loop (see CONTROL). */
  readonly control: SharedArrayBuffer;
  /** Requests in, outcomes out. */
  readonly port: MessagePort;
}

/** Slots of the control array. */
export const CONTROL = {
  /** Writes finished, failed or not; bumped after the outcome was posted, so that it can be read at once. */
  FINISHED: 0,
  /** 1 once the thread has closed its handle on the store. */
  CLOSED: 1,
  /** 1 once the thread has ended, however. */
  ENDED: 2,
  INTS: 3,
} as const;

/** One batch of changes (change-batch.ts) to apply in one LMDB write transaction, committed durably. */
export interface WriteRequest {
  readonly kind: 'write';
  readonly chunks: ArrayBuffer[];
}

export interface CloseRequest {
  readonly kind: 'close';
}

/** The outcome of one write request, in the order they were sent. */
export interface WriteOutcome {
  /** Why LMDB refused the write (nothing of it was applied); undefined once it is committed and flushed. */
  readonly failure: { readonly message: string; readonly code?: string } | undefined;
}
