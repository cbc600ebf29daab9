// Phase 2b/2c of an import: references are resolved by a merge join of the references (sorted by the hash of
// the ID they name) with the definitions (sorted by the hash of their own ID). Each resolved ownership or role
// player is checked against the schema and becomes two edge records, one per storage direction. Walking all the
// definitions also finds every ID defined more than once; walking all the references finds every ID that
// nothing defines. Both are reported with the earliest offending item, after the whole walk. The walk runs in
// native code (native/src/reference_join.c), a batch of records per call; the messages are worded here.

import { ThingKind } from '../../encoding/index.js';
import { nativeModule, type JoinTables, type JoinWalk } from '../../native/index.js';
import { ImportErrors } from '../errors.js';
import type { ExternalSorter, SortedRecords } from './external-sorter.js';
import type { ImportSchema } from './import-schema.js';
import type { ThingOrdinals } from './thing-ordinals.js';
import { ItemRereader, idWithHash, referencedIds } from './item-rereader.js';
import { HASH_WORDS, getOffset, getU16, getU32, typeOfRef } from './records.js';
import { runKernel } from './run-kernel.js';
import { SorterBatch } from './sorter-batch.js';
import type { RunRecord, RunSet } from './sorted-runs.js';

/** The edges in their forward direction (the reverse sets are made from them: reverseEdges). */
export interface EdgeSorters {
  readonly has: ExternalSorter;
  readonly role: ExternalSorter;
}

export interface JoinContext {
  readonly schema: ImportSchema;
  readonly file: string;
  /** HAS keyed [owner, attribute], ROLE [relation, role, player]; all by ordinal. */
  readonly edges: EdgeSorters;
  readonly ordinals: ThingOrdinals;
}

/** The longest IID a definition may hold (long strings are keyed by a prefix and a hash). */
const MAX_IID = 2048;

/** The words of JoinWalk.state (native/src/reference_join.c). */
enum JoinState {
  DefinitionHi = 6,
  DefinitionOffset = 8,
  DuplicatedIds = 16,
  DuplicatedItems = 17,
  HasDuplicate = 18,
  DuplicateFirst = 19,
  DuplicateSecond = 21,
  Missing = 23,
  HasMissing = 24,
  MissingOffset = 25,
  MissingHash = 27,
  /** The run to refill, the batch to flush, or the run whose next reference failed a check. */
  Run = 31,
  /** Of a run to refill: 0 the definitions, 1 the references. */
  Side = 32,
  Detail = 33,
  Words = 34,
}

/** The join kernel's own codes. */
enum JoinCode {
  RoleNotPlayable = 4,
  OwnedNotAttribute = 5,
  OwnershipNotAllowed = 6,
  CorruptTag = 7,
  OwnerVanished = 8,
  IidTooLong = 9,
}

enum JoinMode {
  References = 0,
  AttributeOwners = 1,
}

/** Bits of JoinTables.allowed. */
const PLAYS = 1;
const OWNS = 2;

export interface JoinResult {
  /** References from attribute items to the attributes they own, keyed by the owner's ID hash (phase 2c). */
  readonly attributeOwners: SortedRecords;
}

/** The schema's ownerships and played roles, and the ordinals, as the join kernel reads them. */
function joinTables(schema: ImportSchema, ordinals: ThingOrdinals): JoinTables {
  const types = schema.data.types;
  const rows = new Uint16Array(1 << 16);
  const columns = new Uint16Array(1 << 16);
  let width = 0;
  for (const type of types) {
    for (const id of [...type.owns.keys(), ...type.plays]) if (columns[id] === 0) columns[id] = ++width;
  }
  const allowed = new Uint8Array(types.length * width);
  types.forEach((type, row) => {
    rows[type.id] = row + 1;
    for (const id of type.owns.keys()) allowed[row * width + columns[id]! - 1]! |= OWNS;
    for (const id of type.plays) allowed[row * width + columns[id]! - 1]! |= PLAYS;
  });
  const attributeKind = ThingKind.Attribute;
  return { objects: ordinals.objects, attributeKind, base: ordinals.base, firstHalf: ordinals.firstHalfCount, rows, columns, width, allowed };
}

/** One join (phase 2b or 2c) in the native kernel: the runs it reads, the batches it fills, what it keeps. */
class NativeJoin {
  readonly walk: JoinWalk = { state: new Uint32Array(JoinState.Words), iid: Buffer.allocUnsafe(MAX_IID) };
  private readonly batches: SorterBatch[];
  private readonly tables: JoinTables;

  constructor(
    private readonly definitions: RunSet,
    private readonly references: RunSet,
    context: JoinContext,
    attributeOwners: ExternalSorter | undefined,
  ) {
    const has = new SorterBatch(context.edges.has);
    const role = new SorterBatch(context.edges.role);
    // Phase 2c adds to none but `has`: its owners batch is never filled.
    this.batches = [has, role, attributeOwners === undefined ? role : new SorterBatch(attributeOwners)];
    this.tables = joinTables(context.schema, context.ordinals);
  }

  /** Runs the join to its end; `failed` words the error of a reference that fails a check. */
  run(mode: JoinMode, failed: (code: number, reference: RunRecord) => Error): void {
    const { state } = this.walk;
    const [has, role, owners] = this.batches as [SorterBatch, SorterBatch, SorterBatch];
    const native = nativeModule();
    const side = () => (state[JoinState.Side] === 0 ? this.definitions : this.references);
    runKernel(() => native.joinReferences(this.definitions, this.references, this.walk, this.tables, has, role, owners, mode), {
      refill: () => side().refill(state[JoinState.Run]!),
      flush: () => this.batches[state[JoinState.Run]!]!.makeRoom(),
      truncated: () => side().truncated(state[JoinState.Run]!),
      other: (code) => {
        if (code === JoinCode.IidTooLong) throw new Error(`a definition's IID is longer than ${MAX_IID} bytes`);
        throw failed(code, this.references.record(state[JoinState.Run]!));
      },
    });
    for (const batch of this.batches) batch.flush();
  }

  /** The current definition's ThingRef hi word and item offset. */
  get definitionHi(): number {
    return this.walk.state[JoinState.DefinitionHi]!;
  }

  get definitionOffset(): number {
    return u64(this.walk.state, JoinState.DefinitionOffset);
  }
}

function u64(state: Uint32Array, at: number): number {
  return state[at]! + state[at + 1]! * 0x1_0000_0000;
}

/**
 * Adds to `reverse` every record of `records` with its key words in reverse order (HAS_REV from HAS, ROLE_REV from
 * ROLE), in native code. Made after the join, from sorted records, so that the join fills half the memory and the
 * copies go into memory it has released.
 */
export function reverseEdges(records: SortedRecords, reverse: ExternalSorter): void {
  const forward = records.openRuns();
  const batch = new SorterBatch(reverse);
  const state = new Uint32Array(1);
  const native = nativeModule();
  try {
    if (forward.keyWords !== reverse.key.length) throw new Error(`reversing edges of ${forward.keyWords} key words into a sorter of ${reverse.key.length}`);
    runKernel(() => native.reverseEdges(forward, forward.keyWords, batch, state), {
      refill: () => forward.refill(state[0]!),
      flush: () => batch.makeRoom(),
      truncated: () => forward.truncated(state[0]!),
      other: (code) => {
        throw new Error(`reverseEdges returned the unknown code ${code}`);
      },
    });
    batch.flush();
  } finally {
    forward.close();
  }
}

/** Phase 2b: resolves every reference; attribute-owned ownerships go to `attributeOwners` for phase 2c. */
export function joinReferences(
  definitions: SortedRecords,
  references: SortedRecords,
  attributeOwners: ExternalSorter,
  context: JoinContext,
): JoinResult {
  const { schema, file } = context;
  const rereader = new ItemRereader(file);
  const defs = definitions.openRuns();
  const refs = references.openRuns();
  const join = new NativeJoin(defs, refs, context, attributeOwners);
  try {
    join.run(JoinMode.References, (code, { key, keyAt: at, payload: buf, payloadStart: start, payloadEnd: end }) => {
      switch (code) {
        case JoinCode.RoleNotPlayable: {
          const role = getU16(buf, start + 9);
          const playerType = schema.typeById(typeOfRef(join.definitionHi));
          const relation = rereader.place(getOffset(buf, start + 11));
          const playerId = idWithHash(referencedIds(relation.item), key, at) ?? '?';
          return ImportErrors.roleNotPlayable(file, relation, schema.roleLabel(role), playerType.label, playerId);
        }
        case JoinCode.OwnedNotAttribute: {
          const owner = rereader.place(getOffset(buf, end - 8));
          const id = idWithHash(referencedIds(owner.item), key, at) ?? '?';
          return ImportErrors.ownedNotAttribute(file, owner, id, rereader.place(join.definitionOffset));
        }
        case JoinCode.OwnershipNotAllowed: {
          schema.typeById(typeOfRef(getU32(buf, start + 1)));
          const owner = rereader.place(getOffset(buf, start + 9));
          const id = idWithHash(referencedIds(owner.item), key, at) ?? '?';
          return ImportErrors.ownershipNotAllowed(file, owner, schema.typeById(typeOfRef(join.definitionHi)).label, id);
        }
        case JoinCode.CorruptTag:
          return new Error(`corrupt reference record (tag ${join.walk.state[JoinState.Detail]})`);
        default:
          return new Error(`the join returned the unknown code ${code}`);
      }
    });
  } finally {
    defs.close();
    refs.close();
  }
  const state = join.walk.state;
  if (state[JoinState.HasDuplicate]) {
    const a = u64(state, JoinState.DuplicateFirst);
    const b = u64(state, JoinState.DuplicateSecond);
    const first = rereader.place(a);
    const second = rereader.place(b);
    if (first.id !== second.id) {
      throw ImportErrors.hashCollision(file, `the different IDs ${JSON.stringify(first.id)} (byte offset ${a}) and ${JSON.stringify(second.id)} (byte offset ${b}) have the same 128-bit hash`);
    }
    throw ImportErrors.duplicateId(file, first.id!, first, second, state[JoinState.DuplicatedIds]!, state[JoinState.DuplicatedItems]!);
  }
  if (state[JoinState.HasMissing]) {
    const referrer = rereader.place(u64(state, JoinState.MissingOffset));
    const hash = state.subarray(JoinState.MissingHash, JoinState.MissingHash + HASH_WORDS);
    const id = idWithHash(referencedIds(referrer.item), hash, 0) ?? '?';
    const what = referrer.item.ownerships.includes(id) ? 'the owned attribute' : 'the role player';
    throw ImportErrors.undefinedReference(file, id, referrer, what, state[JoinState.Missing]!);
  }
  return { attributeOwners: attributeOwners.finish() };
}

/** Phase 2c: ownerships listed on attribute items, now that the owning attributes' ThingRefs are known. */
export function joinAttributeOwners(definitions: SortedRecords, attributeOwners: SortedRecords, context: JoinContext): void {
  if (attributeOwners.size === 0) return;
  const { schema, file } = context;
  const defs = definitions.openRuns();
  const owned = attributeOwners.openRuns();
  const join = new NativeJoin(defs, owned, context, undefined);
  try {
    join.run(JoinMode.AttributeOwners, (code, { payload: buf, payloadStart: start }) => {
      if (code === JoinCode.OwnerVanished) return new Error('an attribute owner vanished from the definitions');
      if (code !== JoinCode.OwnershipNotAllowed) return new Error(`the join returned the unknown code ${code}`);
      schema.typeById(typeOfRef(join.definitionHi));
      const owner = new ItemRereader(file).place(getOffset(buf, start + 8));
      const attributeType = schema.typeById(typeOfRef(getU32(buf, start))).label;
      const hash = new Uint32Array(HASH_WORDS);
      for (let w = 0; w < HASH_WORDS; w++) hash[w] = getU32(buf, start + 16 + 4 * w);
      const id = idWithHash(owner.item.ownerships, hash, 0) ?? '?';
      return ImportErrors.ownershipNotAllowed(file, owner, attributeType, id);
    });
  } finally {
    defs.close();
    owned.close();
  }
}
