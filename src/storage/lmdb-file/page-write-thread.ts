// Worker-thread entry of a ThreadedPageOutput: writes the ring's full slots to the new data file in turn, each
// at its position, and frees them. Through a descriptor of its own, so that the builder can close and remove
// its file at any time. Waits without blocking its event loop (Atomics.waitAsync), so that the background
// writeback's syncs complete here; a pending wait does not keep a thread alive, so a timer does.

import { closeSync, openSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { BackgroundWriteback } from '../../common/background-writeback.js';
import { writeAll } from './page-output.js';
import { ringLayout, type PageWriteFailure, type PageWriteThreadData } from './page-ring.js';

const { path, slots, slotBytes, port, ...shared } = workerData as PageWriteThreadData;
const control = new Int32Array(shared.control);
const meta = new Float64Array(shared.meta);
const data = new Uint8Array(shared.data);
const writeback = new BackgroundWriteback(path);

// Node 20 has it; this project's TypeScript library (ES2022) does not declare it.
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

const stopped = () => Atomics.load(control, ringLayout.STOP) !== 0;

async function writeSlots(fd: number): Promise<void> {
  Atomics.store(control, ringLayout.READY, 1);
  for (let slot = 0; ; slot = (slot + 1) % slots) {
    const state = ringLayout.state(slot);
    while (Atomics.load(control, state) !== ringLayout.FULL) {
      if (stopped()) return;
      const waiting = waitAsync(control, state, ringLayout.FREE);
      if (waiting.async) await waiting.value;
    }
    if (stopped()) return;
    const position = meta[2 * slot]!;
    const length = meta[2 * slot + 1]!;
    writeAll(fd, data.subarray(slot * slotBytes, slot * slotBytes + length), length, position);
    writeback.written(position + length);
    Atomics.store(control, state, ringLayout.FREE);
    Atomics.notify(control, state);
  }
}

// However the thread ends, the builder must not wait for it any longer.
process.on('exit', () => {
  Atomics.store(control, ringLayout.ENDED, 1);
  Atomics.notify(control, ringLayout.ENDED);
  for (let slot = 0; slot < slots; slot++) Atomics.notify(control, ringLayout.state(slot));
});
const keepAlive = setInterval(() => {}, 1 << 30);

let fd = -1;
try {
  fd = openSync(path, 'r+');
  await writeSlots(fd);
} catch (e) {
  const error = e as NodeJS.ErrnoException;
  const failure: PageWriteFailure = { message: error.message, code: error.code, errno: error.errno, syscall: error.syscall };
  port.postMessage(failure);
  Atomics.store(control, ringLayout.FAILED, 1);
  for (let slot = 0; slot < slots; slot++) Atomics.notify(control, ringLayout.state(slot));
} finally {
  clearInterval(keepAlive);
  if (fd >= 0) closeSync(fd);
  writeback.close();
  port.close();
}
