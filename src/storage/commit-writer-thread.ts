// Worker-thread entry of a store's commit writer (commit-writer.ts): applies each batch of changes it is sent in one
// synchronous LMDB write transaction, which lmdb-js commits and flushes to disk before it returns, and answers with
// the outcome. The same environment as the store's (lmdb-js shares it between threads): the store's readers see a
// commit once LMDB has committed it, and the store publishes it (its sequence) once the outcome arrives.

import { workerData } from 'node:worker_threads';
import { open, type RootDatabase } from 'lmdb';
import type { Key } from './api.js';
import { unpackChanges } from './change-batch.js';
import { CONTROL, type CloseRequest, type CommitWriterData, type WriteOutcome, type WriteRequest } from './commit-writer-protocol.js';
import { lmdbOptions } from './lmdb-options.js';

const { path, maxReaders, control, port } = workerData as CommitWriterData;
const state = new Int32Array(control);

// However the thread ends, the store must not wait for it any longer.
process.on('exit', () => {
  Atomics.store(state, CONTROL.ENDED, 1);
  Atomics.notify(state, CONTROL.FINISHED);
  Atomics.notify(state, CONTROL.CLOSED);
});

let db: RootDatabase<Buffer, Key> | undefined;
let openFailure: unknown;
try {
  db = open<Buffer, Key>(path, lmdbOptions(maxReaders));
} catch (error) {
  openFailure = error;
}

function write(request: WriteRequest): WriteOutcome {
  try {
    if (db === undefined) throw openFailure;
    const store = db;
    store.transactionSync(() => {
      for (const { key, value } of unpackChanges(request.chunks)) {
        if (value === undefined) store.remove(key);
        else store.put(key, value);
      }
      // Returning nothing matters: lmdb-js defers the commit past transactionSync if the callback returns a
      // promise (which put/remove do).
    });
    return { failure: undefined };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { failure: { message: e?.message ?? String(error), ...(e?.code !== undefined ? { code: e.code } : {}) } };
  }
}

port.on('message', (request: WriteRequest | CloseRequest) => {
  if (request.kind === 'close') {
    // Without asynchronous writes pending (this thread issues none), lmdb-js closes the handle before this returns.
    void db?.close();
    db = undefined;
    Atomics.store(state, CONTROL.CLOSED, 1);
    Atomics.notify(state, CONTROL.CLOSED);
    port.close();
    return;
  }
  port.postMessage(write(request));
  Atomics.add(state, CONTROL.FINISHED, 1);
  Atomics.notify(state, CONTROL.FINISHED);
});
