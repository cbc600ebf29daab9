// Builds the complete store of an imported database from a .typedb file, in bounded memory:
//   1. read    — one streaming pass over the file: validate items, give entities and relations their IIDs,
//                record definitions, attributes and references (ItemIndexer); verify the checksums item
//   2. resolve — rank attributes by IID, join references with definitions by ID hash (twice if attributes own
//                attributes), check ownerships and played roles against the schema; edges go to four sorters
//   3. write   — the whole key space in ascending order into a fresh store (bulk load), checking @key/@unique
// All sorting is external (radix-sorted runs of records, merged from disk) under `scratchDir`; memory stays
// within `memoryBytes` for the sorters plus fixed buffers, whatever the size of the file.
//
// With `threads`, the two cores share the work: a large file is read in two halves by two threads (pass-one.ts),
// and the store is written by a second thread from as soon as the entity and relation counts are known, so that
// the store's pages are laid out during steps 2 and 3; that thread makes each edge set's keys while this one
// sorts the next (store-sinks.ts).

import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Checksums, HeaderItem } from '../codec/index.js';
import { ThingKind } from '../../encoding/index.js';
import { MigrationError, MigrationErrorCode } from '../errors.js';
import { rankAttributes, type RankedAttributes } from './attribute-ranker.js';
import { EntryFileWriter } from './entry-file.js';
import { ExternalSorter, type SortedRecords, type SorterOptions } from './external-sorter.js';
import { ImportSchema, type ImportSchemaData } from './import-schema.js';
import { readPassOne } from './pass-one.js';
import { HASH_WORDS, refHi } from './records.js';
import { joinAttributeOwners, joinReferences, reverseEdges, type EdgeSorters } from './reference-join.js';
import type { EdgeSets, StoredCounts } from './store-entries.js';
import { InlineSink, ThreadSink, type StoreSink } from './store-sinks.js';
import { ThingOrdinals } from './thing-ordinals.js';
import { WordPool } from './word-pool.js';

export type BuildPhase = 'reading' | 'resolving' | 'writing';

export interface BuildProgress {
  readonly phase: BuildPhase;
  /** Items read so far (reading), or ownership and role-player keys produced so far (writing). */
  readonly done: number;
  /** Bytes of the file read so far, and its size. */
  readonly bytesRead: number;
  readonly totalBytes: number;
}

export interface BuildOptions {
  /** The .typedb data file. */
  readonly file: string;
  /** The schema of the new database, serialized (the bytes stored at the schema key). */
  readonly schema: Uint8Array;
  /**
   * The same schema's facts for the import (ImportSchema.of): computed by the caller, so that a build in a worker
   * thread does not load the schema layer and the TypeQL parser to read them.
   */
  readonly importSchema: ImportSchemaData;
  /** An empty or missing directory for the new store. */
  readonly storeDir: string;
  /** A directory for sort runs (created if missing; the caller removes it). */
  readonly scratchDir: string;
  /** Memory for sort buffers, all phases together (default 640 MiB). */
  readonly memoryBytes?: number;
  /** Write the store from a second thread, overlapping the other phases (default true). */
  readonly threads?: boolean;
  readonly onProgress?: (progress: BuildProgress) => void;
}

export interface BuildResult {
  readonly header: HeaderItem;
  /** The file's checksums item (verified against its items). */
  readonly checksums: Checksums;
  /** What the new store holds. */
  readonly stored: Readonly<StoredCounts>;
  /** Attribute items that named an attribute another item already had (same type and value). */
  readonly mergedAttributes: number;
  /** Ownership entries that repeated an ownership already listed. */
  readonly mergedOwnerships: number;
  /** Most bytes the sort runs took on disk at one time. */
  readonly scratchPeakBytes: number;
  /** Milliseconds per phase (with threads, writing is what remained after resolving). */
  readonly timings: Readonly<Record<BuildPhase, number>>;
}

const DEFAULT_MEMORY = 640 << 20;
/**
 * Shares of the memory budget, per sorter (a sorter's share covers its records, up to two thirds of it, and its
 * part of the sorting space: a thread's sorters sort one at a time, through one spare array or in place). Reading
 * fills three sorters; resolving keeps the sorted definitions and references in memory while it fills the
 * attributes' definitions and the two forward edge sorters (and a third sorter when attributes own attributes);
 * writing sorts the edge sets one at a time, filling each reverse set from its forward set. The peak is about the
 * whole budget.
 */
const READING_SHARE = 1 / 3;
const RESOLVING_SHARE = 1 / 6;

export async function buildStore(options: BuildOptions): Promise<BuildResult> {
  const { file, scratchDir } = options;
  mkdirSync(scratchDir, { recursive: true });
  const sorters = new Sorters(scratchDir, options.memoryBytes ?? DEFAULT_MEMORY);
  const timings: Record<BuildPhase, number> = { reading: 0, resolving: 0, writing: 0 };
  const report = options.onProgress ?? (() => {});
  const schema = new ImportSchema(options.importSchema);
  const sink: StoreSink = options.threads === false ? new InlineSink(options, sorters.pool) : new ThreadSink(options, sorters.pool, sorters.share(RESOLVING_SHARE));
  const counts: StoredCounts = { entities: 0, relations: 0, attributes: 0, ownerships: 0, roles: 0, roleEdges: 0, keys: 0 };
  try {
    // 1. read
    let started = performance.now();
    const totalBytes = statSync(file).size;
    const read = await readPassOne({
      file,
      totalBytes,
      schema,
      sorterBytes: sorters.share(READING_SHARE),
      scratchDir,
      pool: sorters.pool,
      threads: options.threads !== false,
      onItems: (done, bytesRead) => report({ phase: 'reading', done, bytesRead, totalBytes }),
      onSorters: (made) => sorters.adoptSorters(made.definitions, made.attributes, made.references),
    });
    const { header, counted, objects } = read;
    const { definitions, attributes, references } = read.sorters;
    const declared = read.checksums;
    sink.start(objects);
    timings.reading = performance.now() - started;

    // 2. resolve
    started = performance.now();
    report({ phase: 'resolving', done: 0, bytesRead: totalBytes, totalBytes });
    const sortedAttributes = sorters.finish(attributes);
    // The edge sorters will hold the most records of this phase, so they take the most written arrays: one now,
    // one once the attributes' are free and their definitions sorted.
    const edges: EdgeSorters = { has: sorters.create('has', RESOLVING_SHARE, 2), role: sorters.create('role', RESOLVING_SHARE, 3) };
    edges.has.reserve();
    const things = new EntryFileWriter(join(scratchDir, 'attribute-things.entries'));
    // The attributes' definitions are sorted apart: the others are sorted already.
    const attributeDefinitions = sorters.create('attribute-definitions', RESOLVING_SHARE, HASH_WORDS, { radixBits: 32 });
    let ranked: RankedAttributes;
    try {
      ranked = rankAttributes(sortedAttributes, attributeDefinitions, things, file);
    } finally {
      things.close();
    }
    sorters.dispose(attributes, sortedAttributes);
    const sortedAttributeDefinitions = sorters.finish(attributeDefinitions);
    edges.role.reserve();
    counts.attributes = ranked.distinct;
    const attributeRanks = new Map<number, readonly [number, number]>();
    for (const [typeId, range] of ranked.ranks) attributeRanks.set(refHi(ThingKind.Attribute, typeId), range);
    const ordinals = new ThingOrdinals(objects, attributeRanks, read.firstHalf);
    sink.attributes(things.path, {
      objects: [...objects],
      attributeRanks: [...attributeRanks],
      firstHalf: read.firstHalf === undefined ? undefined : [...read.firstHalf],
      schema: schema.data,
      file,
    });
    const sortedObjectDefinitions = sorters.finish(definitions);
    // Among records of one ID (duplicates), entities and relations come first, as they were added first.
    const sortedDefinitions = sortedObjectDefinitions.followedBy(sortedAttributeDefinitions);
    const sortedReferences = sorters.finish(references);
    const attributeOwners = sorters.create('attribute-owners', RESOLVING_SHARE, HASH_WORDS, { radixBits: 32 });
    const context = { schema, file, edges, ordinals };
    const joined = joinReferences(sortedDefinitions, sortedReferences, attributeOwners, context);
    sorters.dispose(references, sortedReferences);
    joinAttributeOwners(sortedDefinitions, joined.attributeOwners, context);
    sorters.dispose(attributeOwners, joined.attributeOwners);
    sorters.dispose(definitions, sortedObjectDefinitions);
    sorters.dispose(attributeDefinitions, sortedAttributeDefinitions);
    timings.resolving = performance.now() - started;

    // 3. write
    started = performance.now();
    // Each edge set is sorted when its keys are next: with threads, the writer stores one set while this thread
    // sorts the next. A reverse set is filled from its forward set, once that is sorted.
    // A reverse set is filled in the order of its forward set, which is the order of its own last key word(s):
    // sorting by the others completes it (HAS_REV [attribute, owner]: by attribute; ROLE_REV [player, role,
    // relation]: by player and role), two radix passes fewer each.
    const hasReverse = sorters.create('has-reverse', RESOLVING_SHARE, 2, { radixBits: 32, restInOrder: true });
    const roleReverse = sorters.create('role-reverse', RESOLVING_SHARE, 3, { radixBits: 64, restInOrder: true });
    const sorting = (sorter: ExternalSorter) => () => sorters.finish(sorter);
    const sortingWithReverse = (sorter: ExternalSorter, reverse: ExternalSorter) => () => {
      const records = sorters.finish(sorter);
      reverseEdges(records, reverse);
      return records;
    };
    const sets: EdgeSets = {
      has: sortingWithReverse(edges.has, hasReverse),
      hasReverse: sorting(hasReverse),
      role: sortingWithReverse(edges.role, roleReverse),
      roleReverse: sorting(roleReverse),
      release: (records) => sorters.release(records),
    };
    const progress = (done: number) => report({ phase: 'writing', done, bytesRead: totalBytes, totalBytes });
    const stored = await sink.finish(sets, progress);
    counts.entities = counted.entities;
    counts.relations = counted.relations;
    counts.ownerships = stored.ownerships;
    counts.roles = stored.roles;
    counts.roleEdges = stored.roleEdges;
    counts.keys = stored.keys;
    timings.writing = performance.now() - started;

    // Every item became exactly what it should have; a difference here is a bug, not a bad file.
    const expected = 1 + counted.entities + counted.relations + ranked.distinct + 2 * counts.ownerships + 2 * counts.roleEdges;
    if (counts.roles !== counted.roles || counts.attributes + ranked.merged !== counted.attributes || counts.keys !== expected || counts.ownerships > counted.ownerships) {
      throw new MigrationError(
        MigrationErrorCode.CHECKSUM_MISMATCH,
        `Internal error: the import stored ${counts.keys} keys (${JSON.stringify(counts)}) for ${JSON.stringify(counted)} in the file. Nothing was imported; please report this.`,
      );
    }
    report({ phase: 'writing', done: counts.keys, bytesRead: totalBytes, totalBytes });
    return {
      header,
      checksums: declared,
      stored: counts,
      mergedAttributes: ranked.merged,
      mergedOwnerships: counted.ownerships - counts.ownerships,
      scratchPeakBytes: sorters.peak,
      timings,
    };
  } catch (e) {
    await sink.abandon();
    sorters.discardAll();
    throw e;
  }
}

/** The sorters of one build: their memory budget, and the disk their runs take (for the peak). */
class Sorters {
  private readonly live = new Set<ExternalSorter>();
  private readonly all = new Set<ExternalSorter>();
  /** Finished records and the sorters they came from. */
  private readonly results = new Map<SortedRecords, ExternalSorter>();
  /** The word arrays of this thread's sorters, recycled from phase to phase. */
  readonly pool = new WordPool();
  peak = 0;

  constructor(
    private readonly dir: string,
    private readonly budget: number,
  ) {}

  /** Bytes of memory a sorter with `share` of the budget may use. */
  share(share: number): number {
    return Math.max(1 << 20, Math.floor(this.budget * share));
  }

  /** Sorters made elsewhere, accounted and cleaned up here. */
  adoptSorters(...sorters: ExternalSorter[]): void {
    for (const sorter of sorters) {
      this.live.add(sorter);
      this.all.add(sorter);
    }
  }

  /** A sorter allowed `share` of the memory budget. */
  create(name: string, share: number, keyWords: number, extra: Partial<SorterOptions> = {}): ExternalSorter {
    const memoryBytes = this.share(share);
    const sorter = new ExternalSorter({ dir: this.dir, name, keyWords, memoryBytes, pool: this.pool, ...extra });
    this.live.add(sorter);
    this.all.add(sorter);
    return sorter;
  }

  finish(sorter: ExternalSorter): SortedRecords {
    this.note();
    const records = sorter.finish();
    this.results.set(records, sorter);
    return records;
  }

  /** Deletes finished records (their runs and memory) once they have been read. */
  release(records: SortedRecords): void {
    this.note();
    records.dispose();
    const sorter = this.results.get(records);
    if (sorter !== undefined) this.live.delete(sorter);
    this.results.delete(records);
  }

  dispose(sorter: ExternalSorter, records: SortedRecords): void {
    this.release(records);
    this.live.delete(sorter);
  }

  discardAll(): void {
    for (const records of this.results.keys()) records.dispose();
    for (const sorter of this.all) sorter.discard();
  }

  private note(): void {
    let sum = 0;
    for (const s of this.live) sum += s.spilledBytes;
    this.peak = Math.max(this.peak, sum);
  }
}
