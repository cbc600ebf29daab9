// The key space of an imported database, generated in ascending key order for the store's bulk load, in three
// parts that follow each other: emitObjectEntries (META: the schema; THING: entities and relations, straight from
// the per-type counts), the ranked attributes' THING entries (an entry file written by the attribute ranker),
// and the edge sets' (HAS, HAS_REV, ROLE, ROLE_REV from their sorted records). Repeated ownerships collapse into one
// edge; repeated role players become the edge's repetition count, as the concept layer stores them. Native code
// makes the keys and lays them into the store's leaf pages (native/src/store_keys.c, edge-emitter.ts).

import { ThingKind, schemaKey } from '../../encoding/index.js';
import { nativeModule } from '../../native/index.js';
import type { LeafLayout } from '../../storage/lmdb-file/index.js';
import { EDGE_SETS, EdgeEmitter, type EdgeSet } from './edge-emitter.js';
import { edgeNamingTable, type EdgeNamingTable } from './edge-naming.js';
import { SortedRecords, type MovedRecords } from './external-sorter.js';
import { ImportSchema, type ImportSchemaData } from './import-schema.js';
import { ItemRereader } from './item-rereader.js';
import { KeyViolations, type InstanceRange } from './key-constraints.js';
import { kindOfRef } from './records.js';
import { ThingOrdinals } from './thing-ordinals.js';
import type { WordPool } from './word-pool.js';

export { EDGE_SETS, type EdgeSet } from './edge-emitter.js';

/** What producing an edge set's keys needs besides its records: names of things, key checks, and a release. */
export interface EdgeTools {
  readonly naming: EdgeNamingTable;
  readonly keys: KeyViolations;
  /** Called with each set's records once its keys were produced. */
  readonly release: (records: SortedRecords) => void;
}

/**
 * Each edge set's records, asked for when its keys are next (sorted then, or arriving from the thread that sorted
 * them), and their release once its keys were produced.
 */
export type EdgeSets = { readonly [set in EdgeSet]: () => SortedRecords | Promise<SortedRecords> } & {
  readonly release: (records: SortedRecords) => void;
};

/** Where a thread's records live: the directory of their run files, and the pool their arrays go back to. */
export interface RecordsPlace {
  readonly dir: string;
  readonly pool: WordPool;
}

/**
 * What producing the edge keys needs besides the sets, as plain data (it crosses to the store writer's thread):
 * how ordinals map to things, and the schema and file for the @key/@unique checks and their messages.
 */
export interface EdgeNaming {
  /** Entity and relation ThingRef hi words → instances. */
  readonly objects: readonly (readonly [number, number])[];
  /** Attribute ThingRef hi words → [first rank, last rank]. */
  readonly attributeRanks: readonly (readonly [number, readonly [number, number]])[];
  /** When two threads read the file: instances of each entity and relation type in its first half. */
  readonly firstHalf: readonly (readonly [number, number])[] | undefined;
  readonly schema: ImportSchemaData;
  readonly file: string;
}

/** The tools `naming` describes. */
export function edgeTools(naming: EdgeNaming, release: (records: SortedRecords) => void): EdgeTools {
  const objects = new Map(naming.objects);
  const attributeRanks = new Map(naming.attributeRanks);
  const ordinals = new ThingOrdinals(objects, attributeRanks, naming.firstHalf === undefined ? undefined : new Map(naming.firstHalf));
  const instances = new Map<number, InstanceRange>(attributeRanks);
  for (const [hi, count] of objects) instances.set(hi, [1, count]);
  const schema = new ImportSchema(naming.schema);
  const keys = new KeyViolations(schema, instances, new ItemRereader(naming.file));
  return { naming: edgeNamingTable(ordinals, schema, instances), keys, release };
}

/** What was stored, by kind. */
export interface StoredCounts {
  entities: number;
  relations: number;
  attributes: number;
  /** Distinct ownership edges. */
  ownerships: number;
  /** Role-player edges, repetitions counted (the file's role count). */
  roles: number;
  /** Distinct (relation, role, player) edges. */
  roleEdges: number;
  /** Keys written. */
  keys: number;
}

/**
 * The schema record, then the THING entries of entities and relations (ThingRef hi word → instances), laid by
 * native code a page area at a time.
 */
export function emitObjectEntries(schema: Uint8Array, objects: ReadonlyMap<number, number>, counts: StoredCounts, out: LeafLayout & { add(key: Uint8Array, value: Uint8Array): void }): void {
  counts.keys++;
  out.add(schemaKey, schema);
  const native = nativeModule();
  for (const [hi, count] of [...objects].sort((a, b) => a[0] - b[0])) {
    let sequence = 1;
    out.layLeaves((area, state, pages) => (sequence = native.emitObjectKeys(hi, sequence, count, area, state, pages)));
    counts.keys += count;
    if (kindOfRef(hi) === ThingKind.Entity) counts.entities += count;
    else counts.relations += count;
  }
}

/**
 * HAS, HAS_REV, ROLE and ROLE_REV entries on the thread that sorts them, checking @key and @unique on the way;
 * `onKeys` hears of the keys laid.
 */
export async function emitEdgeEntries(sets: EdgeSets, naming: EdgeNaming, place: RecordsPlace, counts: StoredCounts, out: LeafLayout, onKeys: (keys: number) => void): Promise<void> {
  const tools = edgeTools(naming, (records) => records.dispose());
  for (const set of EDGE_SETS) {
    const records = await sets[set]();
    emitEdgeSet(set, records.moveOut().moved, place, tools, counts, out, onKeys);
    // Only accounted for now: the records moved out are released by emitEdgeSet.
    sets.release(records);
  }
}

/** The entries of one edge set, from its sorted records (released afterwards, through `tools`). */
export function emitEdgeSet(set: EdgeSet, moved: MovedRecords, place: RecordsPlace, tools: EdgeTools, counts: StoredCounts, out: LeafLayout, onKeys: (keys: number) => void): void {
  const records = SortedRecords.movedIn(moved, place.dir, place.pool);
  const emitter = new EdgeEmitter(set, tools.naming, tools.keys, out, onKeys);
  try {
    const only = moved.runs.length === 1 ? moved.runs[0]! : undefined;
    if (only !== undefined && typeof only !== 'string') {
      emitter.lay(only.words, 0, only.used, true);
    } else {
      const cursor = records.open();
      try {
        emitter.layFrom(cursor);
      } finally {
        cursor.close();
      }
    }
  } finally {
    tools.release(records);
  }
  counts.keys += emitter.keysLaid;
  if (set === 'has') counts.ownerships += emitter.keysLaid;
  if (set === 'role') {
    counts.roleEdges += emitter.keysLaid;
    counts.roles += emitter.playersCounted;
  }
}
