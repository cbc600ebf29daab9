// Worker-thread entry of the store writer: writes the new store from the schema and entity/relation counts
// it starts with, then from the entries the import sends through the channel (entry-channel.ts), while the
// import itself goes on sorting and joining on the other core.

import { parentPort, workerData } from 'node:worker_threads';
import { createFreshStore, type FreshStore } from '../../storage/lmdb-file/index.js';
import { EntryChannel, type ChannelShape } from './entry-channel.js';
import { readEntryFile } from './entry-file.js';
import { objectEntries, type StoredCounts } from './store-entries.js';
import { serializeError, type SerializedError } from './worker-messages.js';

export interface StoreWriterData {
  readonly storeDir: string;
  readonly schema: Uint8Array;
  /** Entity and relation ThingRef hi words and their instance counts. */
  readonly objects: readonly (readonly [number, number])[];
  readonly channel: ChannelShape;
}

export type StoreWriterMessage =
  | { readonly type: 'done'; readonly keys: number }
  | { readonly type: 'failed'; readonly error: SerializedError };

const port = parentPort!;
const data = workerData as StoreWriterData;
const channel = new EntryChannel(data.channel);
const counts: StoredCounts = { entities: 0, relations: 0, attributes: 0, ownerships: 0, roles: 0, roleEdges: 0, keys: 0 };

let message: StoreWriterMessage;
let store: FreshStore | undefined;
try {
  const fresh = createFreshStore(data.storeDir);
  store = fresh;
  for (const [key, value] of objectEntries(data.schema, new Map(data.objects as [number, number][]), counts)) fresh.add(key, value);
  channel.drain(
    (bytes, keyAt, keyLength, valueAt, valueLength) => {
      fresh.addFrom(bytes, keyAt, keyLength, bytes, valueAt, valueLength);
      counts.keys++;
    },
    (path) => {
      for (const [key, value] of readEntryFile(path)) {
        fresh.add(key, value);
        counts.keys++;
      }
    },
  );
  fresh.finish();
  message = { type: 'done', keys: counts.keys };
} catch (e) {
  store?.abort();
  channel.abortConsumer();
  message = { type: 'failed', error: serializeError(e) };
}
port.postMessage(message);
