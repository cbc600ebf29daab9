// A TreeBuilder's page output written by a thread of its own (page-write-thread.ts). Writing a large new file
// costs the writing thread about as much as building its pages (the kernel copies every byte into fresh page
// cache), so the builder fills one buffer of a shared ring while that thread writes the others.
//
// The ring lives in shared memory: slot states, each slot's file position and length, and the slots' bytes. The
// builder waits (Atomics.wait) only when every slot is still being written; a write error is flagged in shared
// memory, its details sent on a message port the builder reads synchronously.

import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { startWorker } from '../../common/start-worker.js';
import { ringLayout, type PageWriteFailure, type PageWriteThreadData } from './page-ring.js';
import type { PageOutput } from './page-output.js';

// A small ring: its memory is touched for the first time once per store (costly on the machines measured), and
// it stays in the caches while the thread reads it. 4 × 1 MiB: a 1M-thing import 3.5% faster than 4 × 4 MiB
// (8 alternating runs); 8 × 256 KiB the same as 4 × 1 MiB.
const SLOTS = 4;
const SLOT_BYTES = 1 << 20;
/** How long the builder waits for a thread that has not started before it gives up. */
const START_TIMEOUT_MS = 30_000;
/** How long close() waits for the thread to end (a write to a stalled disk may take long). */
const END_TIMEOUT_MS = 60_000;
const WAIT_STEP_MS = 100;

export class ThreadedPageOutput implements PageOutput {
  buffer: Buffer;
  private slot = 0;
  private readonly control: Int32Array;
  private readonly meta: Float64Array;
  private readonly data: SharedArrayBuffer;
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private failure: Error | undefined;
  private closed = false;

  constructor(path: string) {
    const control = new SharedArrayBuffer(ringLayout.controlInts(SLOTS) * 4);
    const meta = new SharedArrayBuffer(SLOTS * 2 * 8);
    this.data = new SharedArrayBuffer(SLOTS * SLOT_BYTES);
    this.control = new Int32Array(control);
    this.meta = new Float64Array(meta);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const workerData: PageWriteThreadData = { path, slots: SLOTS, slotBytes: SLOT_BYTES, control, meta, data: this.data, port: port2 };
    this.worker = startWorker('page-write-thread', workerData, import.meta.url, [port2]);
    // Neither keeps the builder's thread alive: close() ends them.
    this.worker.unref();
    this.port.unref();
    this.buffer = this.slotBuffer(0);
  }

  submit(length: number, position: number): void {
    const slot = this.slot;
    this.meta[2 * slot] = position;
    this.meta[2 * slot + 1] = length;
    Atomics.store(this.control, ringLayout.state(slot), ringLayout.FULL);
    Atomics.notify(this.control, ringLayout.state(slot));
    this.slot = (slot + 1) % SLOTS;
    this.waitUntilFree(this.slot);
    this.buffer = this.slotBuffer(this.slot);
  }

  drain(): void {
    for (let slot = 0; slot < SLOTS; slot++) this.waitUntilFree(slot);
  }

  /**
   * Stops the thread and waits until it has ended (after its current write, and its background syncs): then no
   * descriptor of the file is left open, and the file can be removed or renamed.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.control, ringLayout.STOP, 1);
    for (let slot = 0; slot < SLOTS; slot++) Atomics.notify(this.control, ringLayout.state(slot));
    for (let waited = 0; Atomics.load(this.control, ringLayout.ENDED) === 0 && waited < END_TIMEOUT_MS; waited += WAIT_STEP_MS) {
      // Not started at all: it will see STOP first thing.
      if (waited >= START_TIMEOUT_MS && Atomics.load(this.control, ringLayout.READY) === 0) break;
      Atomics.wait(this.control, ringLayout.ENDED, 0, WAIT_STEP_MS);
    }
    this.port.close();
  }

  private waitUntilFree(slot: number): void {
    const state = ringLayout.state(slot);
    let waited = 0;
    while (Atomics.load(this.control, state) === ringLayout.FULL) {
      this.throwIfFailed();
      if (Atomics.load(this.control, ringLayout.ENDED) !== 0) throw new Error('the thread that writes the pages of a new store stopped unexpectedly');
      if (waited >= START_TIMEOUT_MS && Atomics.load(this.control, ringLayout.READY) === 0) {
        throw new Error(`the thread that writes the pages of a new store did not start within ${START_TIMEOUT_MS / 1000} s`);
      }
      Atomics.wait(this.control, state, ringLayout.FULL, WAIT_STEP_MS);
      waited += WAIT_STEP_MS;
    }
    this.throwIfFailed();
  }

  /** The write error the thread met, as the error writeSync would have thrown here. */
  private throwIfFailed(): void {
    if (this.failure === undefined && Atomics.load(this.control, ringLayout.FAILED) !== 0) {
      const received = receiveMessageOnPort(this.port)?.message as PageWriteFailure | undefined;
      const error: NodeJS.ErrnoException = new Error(received?.message ?? 'writing the pages of a new store failed');
      if (received?.code !== undefined) error.code = received.code;
      if (received?.errno !== undefined) error.errno = received.errno;
      if (received?.syscall !== undefined) error.syscall = received.syscall;
      this.failure = error;
    }
    if (this.failure !== undefined) throw this.failure;
  }

  private slotBuffer(slot: number): Buffer {
    return Buffer.from(this.data, slot * SLOT_BYTES, SLOT_BYTES);
  }
}
