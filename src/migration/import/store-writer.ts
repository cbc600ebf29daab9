// Worker-thread entry of the store writer: bulk-loads the new store from the schema and entity/relation counts
// it starts with, then from the entries the import sends through the channel (entry-channel.ts), while the
// import itself goes on sorting and joining on the other core.

import { parentPort, workerData } from 'node:worker_threads';
import { writeFreshStore } from '../../storage/index.js';
import { EntryChannel, type ChannelShape } from './entry-channel.js';
import { objectEntries, type StoreEntry, type StoredCounts } from './store-entries.js';
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

function* everything(): Generator<StoreEntry> {
  yield* objectEntries(data.schema, new Map(data.objects as [number, number][]), counts);
  for (const entry of channel.entries()) {
    counts.keys++;
    yield entry;
  }
}

let message: StoreWriterMessage;
try {
  writeFreshStore(data.storeDir, everything());
  message = { type: 'done', keys: counts.keys };
} catch (e) {
  channel.abortConsumer();
  message = { type: 'failed', error: serializeError(e) };
}
port.postMessage(message);
