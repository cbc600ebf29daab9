// Where an import build's store entries go (build-store.ts): a store-writer thread that writes the store while
// the build goes on, or, without threads, one bulk load once every entry can be produced.

import type { Worker } from 'node:worker_threads';
import { TreeBuilder, builtLeavesTransfer, createFreshStore, type BuiltLeaves } from '../../storage/lmdb-file/index.js';
import { addEntryFile } from './entry-file.js';
import type { SortedRecords } from './external-sorter.js';
import { EDGE_SETS, edgeTools, emitEdgeEntries, emitEdgeSet, emitObjectEntries, type EdgeNaming, type EdgeSets, type RecordsPlace, type StoredCounts } from './store-entries.js';
import type { StoreWriterData, StoreWriterInput, StoreWriterMessage } from './store-writer.js';
import type { WordPool } from './word-pool.js';
import { deserializeError } from '../worker-errors.js';
import { startWorker, workerResult } from '../worker-threads.js';

/** The new store: its directory, its schema record, and where run files of the sorts are. */
export interface StoreTarget {
  readonly storeDir: string;
  /** The serialized schema (the value of the schema key). */
  readonly schema: Uint8Array;
  readonly scratchDir: string;
}

/** Where the store's entries go: a writer thread, or (without threads) one bulk load at the end. */
export interface StoreSink {
  /** Entities and relations are known: the writer may start. */
  start(objects: ReadonlyMap<number, number>): void;
  /** The attributes' THING entries, in an entry file, and what names the things of edge records. */
  attributes(path: string, naming: EdgeNaming): void;
  /**
   * The edge sets, last; resolves when the store is complete and closed, with what it holds (`onEdgeKeys` hears
   * of the edge keys written so far).
   */
  finish(sets: EdgeSets, onEdgeKeys: (keys: number) => void): Promise<StoredCounts>;
  /** After a failure: stops the writer and waits for it to close the store. */
  abandon(): Promise<void>;
}

/** Bytes a ROLE_REV entry of an entity or relation player takes in a leaf page, and then some. */
const LEAF_BYTES_PER_ROLE_EDGE = 44;

/** Without threads: everything is loaded in one bulk load once all entries can be generated. */
export class InlineSink implements StoreSink {
  private objects: ReadonlyMap<number, number> = new Map();
  private attributeFile: string | undefined;
  private naming: EdgeNaming | undefined;

  constructor(
    private readonly target: StoreTarget,
    /** Where the build's sorters take their arrays: those of the edge sets go back there. */
    private readonly pool: WordPool,
  ) {}

  start(objects: ReadonlyMap<number, number>): void {
    this.objects = objects;
  }

  attributes(path: string, naming: EdgeNaming): void {
    this.attributeFile = path;
    this.naming = naming;
  }

  async finish(sets: EdgeSets, onEdgeKeys: (keys: number) => void): Promise<StoredCounts> {
    const counts: StoredCounts = { entities: 0, relations: 0, attributes: 0, ownerships: 0, roles: 0, roleEdges: 0, keys: 0 };
    const store = createFreshStore(this.target.storeDir);
    try {
      emitObjectEntries(this.target.schema, this.objects, counts, store);
      counts.keys += addEntryFile(this.attributeFile!, store);
      const place: RecordsPlace = { dir: this.target.scratchDir, pool: this.pool };
      let edgeKeys = 0;
      await emitEdgeEntries(sets, this.naming!, place, counts, store, (keys) => onEdgeKeys((edgeKeys += keys)));
    } catch (e) {
      store.abort();
      throw e;
    }
    store.finish();
    return counts;
  }

  async abandon(): Promise<void> {}
}

/**
 * With threads: a store-writer worker writes the store while this thread works. It produces the edge keys
 * itself from the sorted sets this thread sends it, one set while this thread sorts the next, and sends their
 * arrays back for reuse. Producing keys takes longer than sorting, so once the last set is sorted this thread
 * would wait: it lays out that set's leaf pages itself instead (when the set is in memory), for the writer to
 * append after the others.
 */
export class ThreadSink implements StoreSink {
  private worker: Worker | undefined;
  private done: Promise<StoredCounts> | undefined;
  private failed = false;
  private onEdgeKeys: (keys: number) => void = () => {};
  private naming: EdgeNaming | undefined;

  constructor(
    private readonly target: StoreTarget,
    private readonly pool: WordPool,
    /** The most memory the last set's pages may take here (one sorter's share: the others are done by then). */
    private readonly leafBytes: number,
  ) {}

  start(objects: ReadonlyMap<number, number>): void {
    const { storeDir, schema, scratchDir } = this.target;
    const data: StoreWriterData = { storeDir, schema, objects: [...objects], scratchDir };
    const worker = startWorker('store-writer', data, import.meta.url);
    this.worker = worker;
    this.done = workerResult<StoredCounts>(worker, (message) => {
      const m = message as unknown as StoreWriterMessage;
      switch (m.type) {
        case 'progress':
          this.onEdgeKeys(m.edgeKeys);
          return undefined;
        case 'spares':
          for (const spare of m.spares) this.pool.give(spare.array, spare.touched);
          return undefined;
        case 'done':
          return { done: m.counts };
        case 'failed':
          this.failed = true;
          return { failed: deserializeError(m.error) };
      }
    });
    // Awaited in finish() or abandon().
    this.done.catch(() => (this.failed = true));
  }

  attributes(path: string, naming: EdgeNaming): void {
    this.naming = naming;
    this.send({ type: 'attributes', path, naming });
  }

  async finish(sets: EdgeSets, onEdgeKeys: (keys: number) => void): Promise<StoredCounts> {
    this.onEdgeKeys = onEdgeKeys;
    for (const set of EDGE_SETS) {
      // A turn of the event loop: arrays the writer is done with come back, and a failure of it stops this.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.failed) break;
      const records = await sets[set]();
      // The last set (ROLE_REV: no key checks, nothing counted but its keys), in memory and not too large for
      // its pages to be: they are made here.
      if (set === 'roleReverse' && records.spilledBytes === 0 && records.size * LEAF_BYTES_PER_ROLE_EDGE <= this.leafBytes) {
        const leaves = this.leaves(set, records, sets.release);
        this.send({ type: 'leaves', leaves }, builtLeavesTransfer(leaves));
        continue;
      }
      const { moved, transfer } = records.moveOut();
      sets.release(records);
      this.send({ type: 'edges', records: moved }, transfer);
    }
    return this.done!;
  }

  private leaves(set: 'roleReverse', records: SortedRecords, release: (records: SortedRecords) => void): BuiltLeaves {
    // Pages in an array of the pool (written before: cheaper than fresh memory), sized for the usual entry.
    const words = this.pool.take(Math.ceil((records.size * LEAF_BYTES_PER_ROLE_EDGE) / 4));
    const builder = TreeBuilder.leavesInMemory(new Uint8Array(words.buffer, words.byteOffset, words.byteLength));
    const counts: StoredCounts = { entities: 0, relations: 0, attributes: 0, ownerships: 0, roles: 0, roleEdges: 0, keys: 0 };
    const place: RecordsPlace = { dir: this.target.scratchDir, pool: this.pool };
    emitEdgeSet(set, records.moveOut().moved, place, edgeTools(this.naming!, (moved) => moved.dispose()), counts, builder, () => {});
    // Only accounted for now: the records moved out were released by emitEdgeSet.
    release(records);
    return builder.finishLeaves();
  }

  async abandon(): Promise<void> {
    if (this.worker === undefined) return;
    this.send({ type: 'abort' });
    await this.done!.catch(() => undefined);
  }

  private send(input: StoreWriterInput, transfer: ArrayBuffer[] = []): void {
    this.worker!.postMessage(input, transfer);
  }
}
