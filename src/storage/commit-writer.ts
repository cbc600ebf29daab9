// A store's writer thread, seen from the store: it applies batches of changes (change-batch.ts) in LMDB write
// transactions of its own, off the event loop, and answers each with its outcome once it is durable. The store
// sends one batch at a time (commits are serialised), and can wait for it without its event loop when it closes.
//
// lmdb-js's own asynchronous writes were measured first and do not free the event loop for a large commit: each
// put is still encoded on the calling thread (~1-2 µs), and past 300 000 queued writes lmdb-js makes that thread
// wait for its writer. 400 000 changes held the event loop 0.7-1.4 s that way, as long as a synchronous transaction.

import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { startWorker } from '../common/start-worker.js';
import type { ChangeBatch } from './change-batch.js';
import { CONTROL, type CloseRequest, type CommitWriterData, type WriteOutcome, type WriteRequest } from './commit-writer-protocol.js';

/** How long close() waits for a write under way, and then for the thread to let go of the store. */
const END_TIMEOUT_MS = 60_000;
const WAIT_STEP_MS = 100;

export class CommitWriter {
  private readonly control: Int32Array;
  private readonly port: MessagePort;
  private readonly worker: Worker;
  /** Outcome handlers of the writes sent, in order. */
  private readonly waiting: Array<(failure: Error | undefined) => void> = [];
  private sent = 0;
  /** Set once the thread has stopped: every write then fails with it. */
  private stopped: Error | undefined;

  constructor(path: string, maxReaders: number) {
    const control = new SharedArrayBuffer(CONTROL.INTS * 4);
    this.control = new Int32Array(control);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const data: CommitWriterData = { path, maxReaders, control, port: port2 };
    this.worker = startWorker('commit-writer-thread', data, import.meta.url, [port2]);
    this.port.on('message', (outcome: WriteOutcome) => this.settleNext(outcome));
    this.worker.on('error', (error) => this.stop(error));
    this.worker.on('exit', (code) => this.stop(new Error(`the store's writer thread ended (exit code ${code})`)));
    // Idle, neither keeps the process alive; a write under way does (see write).
    this.idle();
  }

  /** False once the thread has stopped (it failed, or ended): the store starts another. */
  get usable(): boolean {
    return this.stopped === undefined;
  }

  /**
   * Sends the batch (its chunks are handed over: they are unusable here afterwards); `settle` is called once LMDB has
   * committed and flushed it (with undefined), or refused it (with why), never before this returns.
   */
  write(batch: ChangeBatch, settle: (failure: Error | undefined) => void): void {
    if (this.stopped !== undefined) {
      const reason = this.stopped;
      queueMicrotask(() => settle(reason));
      return;
    }
    this.waiting.push(settle);
    this.sent++;
    this.worker.ref();
    this.port.ref();
    const request: WriteRequest = { kind: 'write', chunks: batch.chunks };
    this.port.postMessage(request, batch.chunks);
  }

  /**
   * Waits, blocking, until every write sent has its outcome, and hands each to its handler before returning: for a
   * store that closes while a commit is being written, so that the commit ends (durable or refused) before it does.
   */
  finishWrites(): void {
    for (let waited = 0; this.waiting.length > 0 && waited < END_TIMEOUT_MS; ) {
      const finished = Atomics.load(this.control, CONTROL.FINISHED);
      if (finished >= this.sent || Atomics.load(this.control, CONTROL.ENDED) !== 0) break;
      Atomics.wait(this.control, CONTROL.FINISHED, finished, WAIT_STEP_MS);
      waited += WAIT_STEP_MS;
    }
    for (let message = receiveMessageOnPort(this.port); message !== undefined; message = receiveMessageOnPort(this.port)) {
      this.settleNext(message.message as WriteOutcome);
    }
    // Still without an outcome: the thread ended, or is stuck past the timeout.
    if (this.waiting.length > 0) this.stop(new Error(`the store's writer thread did not finish the write within ${END_TIMEOUT_MS / 1000} s`));
  }

  /** Lets the thread close its handle on the store and end; waits (blocking, bounded) until it has let go. */
  close(): void {
    this.finishWrites();
    const request: CloseRequest = { kind: 'close' };
    this.port.postMessage(request);
    // A thread that has stopped holds no handle on the store, and would never answer.
    for (let waited = 0; this.stopped === undefined && waited < END_TIMEOUT_MS; waited += WAIT_STEP_MS) {
      if (Atomics.load(this.control, CONTROL.CLOSED) !== 0 || Atomics.load(this.control, CONTROL.ENDED) !== 0) break;
      Atomics.wait(this.control, CONTROL.CLOSED, 0, WAIT_STEP_MS);
    }
    this.port.close();
    this.idle();
  }

  private settleNext(outcome: WriteOutcome): void {
    const settle = this.waiting.shift();
    if (this.waiting.length === 0) this.idle();
    settle?.(outcome.failure === undefined ? undefined : lmdbError(outcome.failure));
  }

  /** Fails every write still waiting: the thread can no longer answer them. */
  private stop(reason: Error): void {
    this.stopped ??= reason;
    while (this.waiting.length > 0) this.waiting.shift()!(reason);
    this.idle();
  }

  private idle(): void {
    this.worker.unref();
    this.port.unref();
  }
}

/** LMDB's error as the writer thread saw it: its message and code, as a commit on this thread would report them. */
function lmdbError(failure: NonNullable<WriteOutcome['failure']>): Error {
  const error: NodeJS.ErrnoException = new Error(failure.message);
  if (failure.code !== undefined) error.code = failure.code;
  return error;
}
