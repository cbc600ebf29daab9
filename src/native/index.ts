// Loads Strata's native module (native/, built by `npm ci` with node-gyp): the few hot loops of bulk import and
// export that a benchmark showed JavaScript could not run fast enough. Loaded once per thread, on first use.

import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StrataError } from '../common/errors.js';
import type { EncodeThings } from './export-encoder.js';

/** Bumped with STRATA_NATIVE_ABI in native/src/abi.c whenever a kernel's signature changes. */
const EXPECTED_ABI = 3;

/** Where viewItems writes (src/migration/codec/item-view.ts's ViewTable). */
export interface ViewItemsOutput {
  readonly table: Int32Array;
  readonly doubles: Float64Array;
  readonly owned: Int32Array;
  readonly roles: Int32Array;
  readonly players: Int32Array;
  readonly hashes: Uint32Array;
  readonly used: Int32Array;
}

/**
 * Sorted runs of sort records as the resolving kernels read them (native/src/run_merge.h; RunSet in
 * src/migration/import/sorted-runs.ts): per run, three words of `positions`: next record, end of the valid words,
 * whether nothing follows (1) or the run must be refilled from its file (0).
 */
export interface NativeRunSet {
  readonly runs: readonly Uint32Array[];
  readonly positions: Uint32Array;
}

/** Sort records for one sorter (SorterBatch): `meta` = [words used, records, size of every record or 0xffffffff]. */
export interface NativeSorterBatch {
  readonly words: Uint32Array;
  readonly meta: Uint32Array;
}

/** What the join keeps between calls: `state` (JoinState in reference-join.ts) and the current definition's IID. */
export interface JoinWalk {
  readonly state: Uint32Array;
  readonly iid: Uint8Array;
}

/** The join's tables: thing ordinals (ThingOrdinals) and the schema's ownerships and played roles. */
export interface JoinTables {
  /** Ordinals below this are entities and relations. */
  readonly objects: number;
  readonly attributeKind: number;
  /** By type id: the ordinal of sequence number 1, the instances read by the first of two reading threads. */
  readonly base: Uint32Array;
  readonly firstHalf: Uint32Array;
  /** Type id → row + 1 of `allowed` (0: none); attribute or role type id → column + 1. */
  readonly rows: Uint16Array;
  readonly columns: Uint16Array;
  readonly width: number;
  /** Per row and column: 1 when the row's type plays the column's role, 2 when it owns the column's attribute type. */
  readonly allowed: Uint8Array;
}

/** The buffer of an entry file (EntryFileWriter): `meta` = [bytes used, entries]. */
export interface EntryBuffer {
  readonly buf: Uint8Array;
  readonly meta: Uint32Array;
}

/** The parts of viewItems' output that indexViews reads. */
export interface IndexViewsTable {
  readonly table: Int32Array;
  readonly doubles: Float64Array;
  readonly roles: Int32Array;
  readonly hashes: Uint32Array;
}

/** indexViews' schema tables and state (laid out by src/migration/import/view-indexer.ts). */
export interface IndexViewsState {
  readonly types: Int32Array;
  readonly roles: Int32Array;
  readonly labels: Uint8Array;
  readonly sequences: Uint32Array;
  readonly control: Int32Array;
  readonly counts: Float64Array;
}

/** The functions the native module exports; each kernel's file documents its own. */
export interface NativeModule {
  abi(): number;

  // Radix sorts of sort records (native/src/radix_sort.c; the layout: src/migration/import/radix-sort.ts).
  /**
   * Sorts the `count` records in `records[0, used)` stably by the first `radixBits` bits of their keys through
   * `spare` (at least `used` words); returns 0 when the sorted records are in `records`, 1 when in `spare`.
   */
  radixSortRecords(records: Uint32Array, spare: Uint32Array, used: number, count: number, keyWords: number, radixBits: number): 0 | 1;
  /**
   * The in-place sort's first pass over records all `size` words long: moves each into the region of the most
   * significant byte of the first `radixBits` key bits that varies. `starts` (258 words) gets the 257 region
   * bounds, then that byte's digit index. Returns the largest region's words, 0 when nothing is left to sort.
   */
  radixPartition(records: Uint32Array, used: number, size: number, keyWords: number, radixBits: number, starts: Uint32Array): number;
  /** Sorts each region radixPartition left in `starts`, through `spare` (at least the largest region's words). */
  radixSortBuckets(records: Uint32Array, starts: Uint32Array, spare: Uint32Array, size: number, keyWords: number, radixBits: number): void;

  // Leaf pages of a fresh store (native/src/leaf_pages.h; the page: src/storage/lmdb-file/layout.ts). Each of these
  // lays nodes into the leaf of `area` (the leaf, the last key laid, room for a refused key) and completes full
  // leaves into `pages` itself; `state` holds [lower, upper, previous key length, status, entries laid, pages
  // completed, next page number (low, high), refused key length] (LeafState in tree-builder.ts).
  /** Lays the batched entries in `batch[at, end)`; returns the batch position reached. */
  layLeafNodes(area: Uint8Array, state: Uint32Array, pages: Uint8Array, batch: Uint8Array, at: number, end: number): number;
  /** Completes the leaf being filled into the first page of `pages`. */
  completeLeaf(area: Uint8Array, state: Uint32Array, pages: Uint8Array): void;

  // The keys of an import's store (native/src/store_keys.c; driven by src/migration/import/store-entries.ts).
  /**
   * Lays the THING keys of the entities or relations of ThingRef hi word `hi` with sequence numbers
   * [sequence, last]; returns the next sequence number to lay (last + 1 when done).
   */
  emitObjectKeys(hi: number, sequence: number, last: number, area: Uint8Array, state: Uint32Array, pages: Uint8Array): number;
  /**
   * Lays the keys of the sorted edge records in `records[at, end)` (words) of the set `edge` names, with the
   * things named by `naming` (edge-naming.ts), checking @key and @unique (a violation stops it, its facts in
   * `edge`); returns the record word reached. `scratch` holds five keys' worth of bytes carried between calls.
   */
  emitEdgeKeys(
    records: Uint32Array,
    at: number,
    end: number,
    naming: Uint32Array,
    edge: Uint32Array,
    scratch: Uint8Array,
    area: Uint8Array,
    state: Uint32Array,
    pages: Uint8Array,
  ): number;

  // Plain data items of a .typedb file and their ID hashes (native/src/item_views.c; src/migration/codec/item-view.ts).
  /**
   * Parses the `count` item messages whose [start, end) pairs are in `spans` (of `buf`) into rows of `out.table`
   * (ViewTable's layout) and the arrays they share, whose entries in use are `out.used` (updated); returns the
   * records done: fewer when a shared array is full.
   */
  viewItems(buf: Uint8Array, spans: Int32Array, count: number, out: ViewItemsOutput): number;
  /** Writes the 128-bit hash of the ID whose UTF-8 bytes are bytes[start, end) into out[at..at+4). */
  hashIdBytes(bytes: Uint8Array, start: number, end: number, out: Uint32Array, at: number): void;

  // Sort records of the plain data items (native/src/index_views.c; src/migration/import/view-indexer.ts).
  /**
   * Indexes rows [from, to) of `table` (viewItems' output for `buf`; offsets[row] is a row's file offset) into the
   * three sorters' arrays, as view-indexer.ts lays out `state`; `room(sorter, words)` makes room in a sorter and
   * returns its array. Returns the row it stopped at (`to` when all were indexed), and why in the state's control.
   */
  indexViews(
    table: IndexViewsTable,
    buf: Uint8Array,
    offsets: Float64Array,
    from: number,
    to: number,
    state: IndexViewsState,
    definitions: Uint32Array,
    attributes: Uint32Array,
    references: Uint32Array,
    room: (sorter: number, words: number) => Uint32Array,
  ): number;

  // Ties of a radix sort by leading key bits (native/src/order_ties.c; src/migration/import/external-sorter.ts).
  /**
   * Orders each run of the records in `records[0, used)` that are equal in their first `radixBits` key bits by
   * their whole keys, then by payload (`order`: 0 none, 1 the payload's bytes, 2 the bytes after the 16-bit
   * length at payload offset `lengthAt`), then as they lie.
   */
  orderTies(records: Uint32Array, used: number, keyWords: number, radixBits: number, order: number, lengthAt: number): void;

  /** The export's record encoder: things' items straight from LMDB leaf pages (export-encoder.ts). */
  encodeThings: EncodeThings;

  // The import's resolving phase (native/src/reference_join.c, attribute_rank.c, edge_reverse.c). Each returns 0
  // when done, 1 when a run must be refilled (the state names it), 2 when a batch is full, 3 when a run ends
  // inside a record, and codes of its own from 4 on; each resumes where it stopped when called again.
  /**
   * The merge join of references (mode 0; or of attributes' ownerships, mode 1) with the definitions, both by ID
   * hash: ownerships into `has`, role players into `role`, ownerships by attributes into `owners`.
   */
  joinReferences(
    definitions: NativeRunSet,
    references: NativeRunSet,
    walk: JoinWalk,
    tables: JoinTables,
    has: NativeSorterBatch,
    role: NativeSorterBatch,
    owners: NativeSorterBatch,
    mode: 0 | 1,
  ): number;
  /**
   * Ranks the attributes (merged in IID order): THING entries of the distinct ones into `things`, each record's
   * definition into `definitions`; `ranks` per attribute type id [first rank + 1, last rank + 1].
   */
  rankAttributes(
    attributes: NativeRunSet,
    definitions: NativeSorterBatch,
    things: EntryBuffer,
    previous: Uint8Array,
    state: Uint32Array,
    ranks: Uint32Array,
    thingKeyspace: number,
    attributeKind: number,
  ): number;
  /** Every record of `forward` (in order) with its `keyWords` key words reversed, into `batch`; state[0] names a run to refill. */
  reverseEdges(forward: NativeRunSet, keyWords: number, batch: NativeSorterBatch, state: Uint32Array): number;
}

// This file runs as dist/src/native/index.js, or as src/native/index.ts (tsx: scripts the tests start).
const SOURCE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PACKAGE_ROOT = basename(SOURCE_ROOT) === 'dist' ? dirname(SOURCE_ROOT) : SOURCE_ROOT;
const MODULE_PATH = join(PACKAGE_ROOT, 'native/build/Release/strata_native.node');

let loaded: NativeModule | undefined;

export function nativeModule(): NativeModule {
  if (loaded !== undefined) return loaded;
  let module: NativeModule;
  try {
    module = createRequire(import.meta.url)(MODULE_PATH) as NativeModule;
  } catch (e) {
    throw new StrataError(
      'INT',
      8,
      `Strata's native module could not be loaded from '${MODULE_PATH}' (${(e as Error).message.split('\n')[0]}). ` +
        'Build it with `npm ci` or `npm run build:native` (needs python3, make and a C compiler).',
    );
  }
  if (module.abi() !== EXPECTED_ABI) {
    throw new StrataError(
      'INT',
      8,
      `Strata's native module at '${MODULE_PATH}' was built from other sources (interface ${module.abi()}, ` +
        `expected ${EXPECTED_ABI}). Rebuild it with \`npm run build:native\`.`,
    );
  }
  loaded = module;
  return module;
}
