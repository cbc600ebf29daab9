// Worker-thread entry of the store writer: writes the new store on the second core while the import goes on
// sorting on its own. It starts with the schema and the entity and relation counts (their THING keys), then is
// sent, in key order, the attributes' entry file with what names things in edge records (EdgeNaming), then the
// four sorted edge sets, whose keys it produces itself (store-entries.ts) straight into the store's pages. The
// arrays of a set go back to the importer once its keys are written, for the sorts still to come. A set whose
// leaf pages the importer built itself (when it would otherwise wait) is appended as it comes.

import { parentPort, workerData } from 'node:worker_threads';
import { createFreshStore, type BuiltLeaves, type FreshStore } from '../../storage/lmdb-file/index.js';
import { addEntryFile } from './entry-file.js';
import type { MovedRecords } from './external-sorter.js';
import { EDGE_SETS, edgeTools, emitEdgeSet, emitObjectEntries, type EdgeNaming, type StoredCounts } from './store-entries.js';
import { WordPool, type FreeWords } from './word-pool.js';
import { serializeError, type SerializedError } from '../worker-errors.js';

export interface StoreWriterData {
  readonly storeDir: string;
  /** The serialized schema (the value of the schema key). */
  readonly schema: Uint8Array;
  /** Entity and relation ThingRef hi words and their instance counts. */
  readonly objects: readonly (readonly [number, number])[];
  /** Where run files of edge sets that were too large for memory are. */
  readonly scratchDir: string;
}

/**
 * From the importer, in this order: attributes, then the four edge sets (HAS, HAS_REV, ROLE, ROLE_REV), each as
 * sorted records or as leaf pages the importer built from them itself; or, at any time, abort.
 */
export type StoreWriterInput =
  | { readonly type: 'attributes'; readonly path: string; readonly naming: EdgeNaming }
  | { readonly type: 'edges'; readonly records: MovedRecords }
  | { readonly type: 'leaves'; readonly leaves: BuiltLeaves }
  | { readonly type: 'abort' };

export type StoreWriterMessage =
  | { readonly type: 'progress'; readonly edgeKeys: number }
  /** Record arrays done with (their memory has been written: cheap to reuse). */
  | { readonly type: 'spares'; readonly spares: readonly FreeWords[] }
  | { readonly type: 'done'; readonly counts: StoredCounts }
  | { readonly type: 'failed'; readonly error: SerializedError };

/** The importer stopped the build; nothing more will come. */
class Aborted extends Error {}

const PROGRESS_EVERY = 1 << 18;

/** The importer's messages, taken in order. */
class Inbox {
  private readonly queue: StoreWriterInput[] = [];
  private waiting: ((input: StoreWriterInput) => void) | undefined;
  readonly listener = (input: StoreWriterInput): void => {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting !== undefined) waiting(input);
    else this.queue.push(input);
  };

  async next<T extends StoreWriterInput['type']>(...types: T[]): Promise<Extract<StoreWriterInput, { type: T }>> {
    const input = this.queue.shift() ?? (await new Promise<StoreWriterInput>((resolve) => (this.waiting = resolve)));
    if (input.type === 'abort') throw new Aborted();
    if (!types.includes(input.type as T)) throw new Error(`the store writer expected '${types.join("' or '")}' and was sent '${input.type}'`);
    return input as Extract<StoreWriterInput, { type: T }>;
  }
}

const port = parentPort!;
const data = workerData as StoreWriterData;
const inbox = new Inbox();
port.on('message', inbox.listener);
const post = (message: StoreWriterMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

async function writeStore(store: FreshStore): Promise<StoredCounts> {
  const counts: StoredCounts = { entities: 0, relations: 0, attributes: 0, ownerships: 0, roles: 0, roleEdges: 0, keys: 0 };
  emitObjectEntries(data.schema, new Map(data.objects as [number, number][]), counts, store);
  const attributes = await inbox.next('attributes');
  counts.keys += addEntryFile(attributes.path, store);
  const pool = new WordPool();
  const tools = edgeTools(attributes.naming, (records) => {
    records.dispose();
    const spares = pool.drain();
    post({ type: 'spares', spares }, spares.map((spare) => spare.array.buffer));
  });
  let edgeKeys = 0;
  const onKeys = (keys: number) => {
    const before = edgeKeys;
    edgeKeys += keys;
    if (Math.floor(edgeKeys / PROGRESS_EVERY) > Math.floor(before / PROGRESS_EVERY)) post({ type: 'progress', edgeKeys });
  };
  const place = { dir: data.scratchDir, pool };
  for (const set of EDGE_SETS) {
    const input = await inbox.next('edges', 'leaves');
    if (input.type === 'edges') {
      emitEdgeSet(set, input.records, place, tools, counts, store, onKeys);
    } else {
      store.appendLeaves(input.leaves);
      counts.keys += input.leaves.entries;
      edgeKeys += input.leaves.entries;
      post({ type: 'progress', edgeKeys });
    }
  }
  return counts;
}

let store: FreshStore | undefined;
try {
  // This thread makes keys and pages; another writes the pages to the file (its kernel time is as long again).
  store = createFreshStore(data.storeDir, { writeThread: true });
  const counts = await writeStore(store);
  store.finish();
  post({ type: 'done', counts });
} catch (e) {
  store?.abort();
  post({ type: 'failed', error: serializeError(e instanceof Aborted ? new Error('the import stopped the store writer') : e) });
} finally {
  port.off('message', inbox.listener);
}
