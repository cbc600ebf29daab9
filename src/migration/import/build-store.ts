// Builds the complete store of an imported database from a .typedb file, in bounded memory:
//   1. read   — one streaming pass over the file: validate items, give entities and relations their IIDs,
//               record definitions, attributes and references (ItemIndexer); verify the checksums item
//   2. resolve — rank attributes by IID, join references with definitions (two passes if attributes own
//               attributes), check ownerships and played roles against the schema; edges go to four sorters
//   3. write  — the whole key space in ascending order into a fresh store (bulk load), checking @key/@unique
// All sorting is external (radix-sorted runs of fixed-width records, merged from disk) under `scratchDir`.

import { mkdirSync, statSync } from 'node:fs';
import type { Checksums, HeaderItem } from '../codec/index.js';
import { describeChecksumMismatches, compareChecksums, readItems } from '../codec/index.js';
import { ThingKind } from '../../encoding/index.js';
import { openStore } from '../../storage/index.js';
import { TypeGraph } from '../../schema/index.js';
import { ImportErrors, MigrationError, MigrationErrorCode } from '../errors.js';
import { rankAttributes } from './attribute-ranker.js';
import { ExternalSorter, type SorterOptions } from './external-sorter.js';
import { ImportSchema } from './import-schema.js';
import { ItemIndexer } from './item-indexer.js';
import { ItemRereader } from './item-rereader.js';
import { KeyConstraintChecker, ordinalName, type InstanceRange } from './key-constraints.js';
import { compareAttributePayloads, HASH_WORDS, refHi } from './records.js';
import { joinAttributeOwners, joinReferences, type EdgeSorters } from './reference-join.js';
import { storeEntries, type StoredCounts } from './store-entries.js';

export type BuildPhase = 'reading' | 'resolving' | 'writing';

export interface BuildProgress {
  readonly phase: BuildPhase;
  /** Items read so far (reading), or keys written so far (writing). */
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
  /** An empty or missing directory for the new store. */
  readonly storeDir: string;
  /** A directory for sort runs (created if missing; the caller removes it). */
  readonly scratchDir: string;
  /** Memory for sort buffers, all phases together (default 512 MiB). */
  readonly memoryBytes?: number;
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
  /** Milliseconds per phase. */
  readonly timings: Readonly<Record<BuildPhase, number>>;
}

const DEFAULT_MEMORY = 512 << 20;
/** Sorters holding records in memory at the same time, at most (phase 2: see below). */
const CONCURRENT_SORTERS = 8;
const PROGRESS_EVERY = 1 << 16;

export async function buildStore(options: BuildOptions): Promise<BuildResult> {
  const { file, scratchDir } = options;
  mkdirSync(scratchDir, { recursive: true });
  const budget = Math.max(1 << 20, Math.floor((options.memoryBytes ?? DEFAULT_MEMORY) / CONCURRENT_SORTERS));
  // Sorters whose runs are on disk, for the scratch-space peak.
  const live = new Set<ExternalSorter>();
  let scratchPeak = 0;
  const noteScratch = () => {
    let sum = 0;
    for (const s of live) sum += s.spilledBytes;
    scratchPeak = Math.max(scratchPeak, sum);
  };
  const sorter = (name: string, keyWords: number, extra: Partial<SorterOptions> = {}) => {
    const created = new ExternalSorter({ dir: scratchDir, name, keyWords, memoryBytes: budget, ...extra });
    live.add(created);
    return created;
  };
  const timings: Record<BuildPhase, number> = { reading: 0, resolving: 0, writing: 0 };
  const report = options.onProgress ?? (() => {});
  const schema = new ImportSchema(TypeGraph.deserialize(options.schema));

  // 1. read
  let started = performance.now();
  const definitions = sorter('definitions', HASH_WORDS, { radixWords: 2 });
  const attributes = sorter('attributes', 3, { payloadOrder: compareAttributePayloads });
  const references = sorter('references', HASH_WORDS, { radixWords: 2 });
  const indexer = new ItemIndexer(schema, { definitions, attributes, references }, file);
  let header: HeaderItem | undefined;
  let declared: Checksums | undefined;
  const totalBytes = statSync(file).size;
  let items = 0;
  for await (const { item, offset } of readItems(file)) {
    if (item.kind === 'header') header = item;
    else if (item.kind === 'checksums') declared ??= item.checksums;
    else {
      indexer.add(item, offset);
      if (++items % PROGRESS_EVERY === 0) report({ phase: 'reading', done: items, bytesRead: offset, totalBytes });
    }
  }
  // The reader requires both (MIG10, MIG29), so they are there.
  const counted = indexer.counter.counts;
  const mismatches = compareChecksums(declared!, counted);
  if (mismatches.length > 0) {
    throw new MigrationError(
      MigrationErrorCode.CHECKSUM_MISMATCH,
      `The import has finished but mismatches the required checksums: '\n${describeChecksumMismatches(mismatches, 'found')}\n` +
        `The items of '${file}' do not add up to its checksums item, so the file is incomplete or damaged. Nothing was imported.`,
    );
  }
  report({ phase: 'reading', done: items, bytesRead: totalBytes, totalBytes });
  noteScratch();
  timings.reading = performance.now() - started;

  // 2. resolve. In memory at once, at most: definitions, references (until joined), attribute owners, the
  // attribute spool and the four edge sorters — CONCURRENT_SORTERS budgets.
  started = performance.now();
  report({ phase: 'resolving', done: 0, bytesRead: totalBytes, totalBytes });
  const sortedAttributes = attributes.finish();
  const spool = sorter('attribute-things', 0);
  const ranked = rankAttributes(sortedAttributes, definitions, spool, file);
  sortedAttributes.dispose();
  noteScratch();
  live.delete(attributes);
  const edges: EdgeSorters = {
    has: sorter('has', 4),
    hasReverse: sorter('has-reverse', 4),
    role: sorter('role', 5),
    roleReverse: sorter('role-reverse', 5),
  };
  const sortedDefinitions = definitions.finish();
  const sortedReferences = references.finish();
  const attributeOwners = sorter('attribute-owners', HASH_WORDS, { radixWords: 2 });
  noteScratch();
  const context = { schema, file, edges };
  const joined = joinReferences(sortedDefinitions, sortedReferences, attributeOwners, context);
  noteScratch();
  sortedReferences.dispose();
  live.delete(references);
  joinAttributeOwners(sortedDefinitions, joined.attributeOwners, context);
  joined.attributeOwners.dispose();
  sortedDefinitions.dispose();
  live.delete(definitions);
  live.delete(attributeOwners);
  const sorted = {
    has: edges.has.finish(),
    hasReverse: edges.hasReverse.finish(),
    role: edges.role.finish(),
    roleReverse: edges.roleReverse.finish(),
  };
  noteScratch();
  timings.resolving = performance.now() - started;

  // 3. write
  started = performance.now();
  const objects = new Map<number, number>();
  const instances = new Map<number, InstanceRange>();
  for (const [typeId, count] of indexer.instances) {
    const hi = refHi(schema.typeById(typeId).kind, typeId);
    objects.set(hi, count);
    instances.set(hi, [1, count]);
  }
  for (const [typeId, range] of ranked.ranks) instances.set(refHi(ThingKind.Attribute, typeId), range);
  const rereader = new ItemRereader(file);
  const keys = new KeyConstraintChecker(schema, instances, rereader, ordinalName(schema));
  const stored: StoredCounts = { entities: 0, relations: 0, attributes: 0, ownerships: 0, roles: 0, roleEdges: 0, keys: 0 };
  const store = openStore(options.storeDir);
  try {
    const entries = storeEntries({ schema: options.schema, objects, attributes: ranked.things, ...sorted, keys }, stored);
    store.bulkLoad(withProgress(entries, stored, (done) => report({ phase: 'writing', done, bytesRead: totalBytes, totalBytes })));
  } finally {
    store.close();
    ranked.things.dispose();
    for (const s of Object.values(sorted)) s.dispose();
  }
  timings.writing = performance.now() - started;

  // Every item became exactly what it should have; a difference here is a bug, not a bad file.
  const expectations: [string, number, number][] = [
    ['entities', stored.entities, counted.entities],
    ['relations', stored.relations, counted.relations],
    ['attributes', stored.attributes + ranked.merged, counted.attributes],
    ['role players', stored.roles, counted.roles],
  ];
  for (const [what, found, expected] of expectations) {
    if (found !== expected) {
      throw new MigrationError(
        MigrationErrorCode.CHECKSUM_MISMATCH,
        `Internal error: the import stored ${found} ${what} for ${expected} in the file. Nothing was imported; please report this.`,
      );
    }
  }
  if (stored.ownerships > counted.ownerships) throw ImportErrors.invalidOptions('Internal error: more ownerships stored than listed.');
  report({ phase: 'writing', done: stored.keys, bytesRead: totalBytes, totalBytes });
  return {
    header: header!,
    checksums: declared!,
    stored,
    mergedAttributes: ranked.merged,
    mergedOwnerships: counted.ownerships - stored.ownerships,
    scratchPeakBytes: scratchPeak,
    timings,
  };
}

function* withProgress<T>(entries: Iterable<T>, counts: StoredCounts, report: (done: number) => void): Generator<T> {
  let next = 1 << 18;
  for (const entry of entries) {
    yield entry;
    if (counts.keys >= next) {
      next += 1 << 18;
      report(counts.keys);
    }
  }
}
