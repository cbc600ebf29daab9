// Phase 2b/2c of an import: references are resolved by a merge join of the references (sorted by the hash of
// the ID they name) with the definitions (sorted by the hash of their own ID). Each resolved ownership or role
// player is checked against the schema and becomes two edge records, one per storage direction. Walking all the
// definitions also finds every ID defined more than once; walking all the references finds every ID that
// nothing defines. Both are reported with the earliest offending item, after the whole walk.

import { ThingKind } from '../../encoding/index.js';
import { ImportErrors } from '../errors.js';
import type { ExternalSorter, RecordCursor, SortedRecords } from './external-sorter.js';
import type { ImportSchema } from './import-schema.js';
import type { ThingOrdinals } from './thing-ordinals.js';
import { ItemRereader, idWithHash, referencedIds } from './item-rereader.js';
import {
  HASH_WORDS,
  PayloadBuilder,
  REFERENCE_OWNED,
  REFERENCE_OWNED_BY_ATTRIBUTE,
  REFERENCE_PLAYER,
  getOffset,
  getU16,
  getU32,
  kindOfRef,
  putBytes,
  putU16,
  typeOfRef,
} from './records.js';

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

const MAX_IID = 2048;

/**
 * Walks definitions in hash order one ID at a time. Records with the same hash are one group: the first is the
 * current definition, the others are duplicates, which are counted and remembered for the error.
 */
class DefinitionWalker {
  readonly key = new Uint32Array(HASH_WORDS);
  hi = 0;
  lo = 0;
  offset = 0;
  readonly iid = Buffer.allocUnsafe(MAX_IID);
  iidLength = 0;
  valid = false;
  /** Groups of more than one definition, and the items in them. */
  duplicatedIds = 0;
  duplicatedItems = 0;
  /** The duplicate noticed first when reading the file: the group whose second item comes earliest. */
  firstDuplicate: { offsets: [number, number]; key: Uint32Array } | undefined;
  private more: boolean;

  constructor(private readonly cursor: RecordCursor) {
    this.more = cursor.next();
    this.advance();
  }

  advance(): void {
    const cursor = this.cursor;
    if (!this.more) {
      this.valid = false;
      return;
    }
    for (let w = 0; w < HASH_WORDS; w++) this.key[w] = cursor.key[cursor.keyAt + w]!;
    const buf = cursor.payload;
    const start = cursor.payloadStart;
    this.hi = getU32(buf, start);
    this.lo = getU32(buf, start + 4);
    this.offset = getOffset(buf, start + 8);
    this.iidLength = putBytes(this.iid, 0, buf, start + 16, cursor.payloadEnd);
    this.valid = true;
    let first = this.offset;
    let second = Infinity;
    let group = 1;
    while ((this.more = cursor.next()) && this.sameKey(cursor)) {
      group++;
      const offset = getOffset(cursor.payload, cursor.payloadStart + 8);
      if (offset < first) {
        second = first;
        first = offset;
      } else if (offset < second) second = offset;
    }
    if (group > 1) {
      this.duplicatedIds++;
      this.duplicatedItems += group;
      if (this.firstDuplicate === undefined || second < this.firstDuplicate.offsets[1]) {
        this.firstDuplicate = { offsets: [first, second], key: Uint32Array.from(this.key) };
      }
    }
  }

  /** Moves to the definition of `hash` (true) or to the first one after it (false). */
  seek(hash: Uint32Array, at: number): boolean {
    while (this.valid) {
      const order = this.compare(hash, at);
      if (order === 0) return true;
      if (order > 0) return false;
      this.advance();
    }
    return false;
  }

  drain(): void {
    while (this.valid) this.advance();
  }

  /** Sign of (current key − hash). */
  private compare(hash: Uint32Array, at: number): number {
    for (let w = 0; w < HASH_WORDS; w++) {
      const x = this.key[w]!;
      const y = hash[at + w]!;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  }

  private sameKey(cursor: RecordCursor): boolean {
    for (let w = 0; w < HASH_WORDS; w++) if (cursor.key[cursor.keyAt + w] !== this.key[w]) return false;
    return true;
  }
}

export interface JoinResult {
  /** References from attribute items to the attributes they own, keyed by the owner's ID hash (phase 2c). */
  readonly attributeOwners: SortedRecords;
}

/** Emits the record of an ownership or a role player, keyed by ordinals. */
class EdgeEmitter {
  constructor(
    private readonly edges: EdgeSorters,
    private readonly ordinals: ThingOrdinals,
  ) {}

  /**
   * A HAS record: owner IID length u16, owner IID, attribute IID. `ownerIid` only for attribute owners (an entity's
   * or relation's IID follows from its ordinal).
   */
  ownership(owner: number, ownerIid: Buffer | undefined, ownerIidLength: number, attribute: number, attributeIid: Buffer, attributeIidLength: number): void {
    const has = this.edges.has;
    has.key[0] = owner;
    has.key[1] = attribute;
    const ownerBytes = ownerIid === undefined ? 0 : ownerIidLength;
    const at = has.append(2 + ownerBytes + attributeIidLength);
    const arena = has.arena;
    putU16(arena, at, ownerBytes);
    const next = ownerIid === undefined ? at + 2 : putBytes(arena, at + 2, ownerIid, 0, ownerBytes);
    putBytes(arena, next, attributeIid, 0, attributeIidLength);
  }

  /** A ROLE record: the player's IID if it is an attribute (others follow from their ordinals). */
  player(relation: number, role: number, player: number, playerIid: Buffer, playerIidLength: number): void {
    const forward = this.edges.role;
    forward.key[0] = relation;
    forward.key[1] = role;
    forward.key[2] = player;
    const iidBytes = this.ordinals.isAttribute(player) ? playerIidLength : 0;
    const at = forward.append(iidBytes);
    putBytes(forward.arena, at, playerIid, 0, iidBytes);
  }
}

/**
 * Adds to `reverse` every record of `records` with its key words in reverse order (HAS_REV from HAS, ROLE_REV from
 * ROLE). Made after the join, from sorted records, so that the join fills half the memory and the copies go into
 * memory it has released.
 */
export function reverseEdges(records: SortedRecords, reverse: ExternalSorter): void {
  const words = reverse.key.length;
  const cursor = records.open();
  try {
    while (cursor.next()) {
      const key = cursor.key;
      for (let w = 0; w < words; w++) reverse.key[w] = key[cursor.keyAt + words - 1 - w]!;
      reverse.add(cursor.payload, cursor.payloadStart, cursor.payloadEnd);
    }
  } finally {
    cursor.close();
  }
}

/** Phase 2b: resolves every reference; attribute-owned ownerships go to `attributeOwners` for phase 2c. */
export function joinReferences(
  definitions: SortedRecords,
  references: SortedRecords,
  attributeOwners: ExternalSorter,
  context: JoinContext,
): JoinResult {
  const { schema, file, ordinals } = context;
  const rereader = new ItemRereader(file);
  const emit = new EdgeEmitter(context.edges, ordinals);
  const payload = new PayloadBuilder();
  const walker = new DefinitionWalker(definitions.open());
  const refs = references.open();
  let missing = 0;
  let firstMissing: { offset: number; hash: Uint32Array } | undefined;
  try {
    while (refs.next()) {
      const key = refs.key;
      const at = refs.keyAt;
      const buf = refs.payload;
      const start = refs.payloadStart;
      const tag = buf[start]!;
      if (!walker.seek(key, at)) {
        missing++;
        const offset = getOffset(buf, refs.payloadEnd - 8);
        if (firstMissing === undefined || offset < firstMissing.offset) {
          firstMissing = { offset, hash: Uint32Array.from(key.subarray(at, at + HASH_WORDS)) };
        }
        continue;
      }
      if (missing > 0) continue; // failing anyway: only count the rest
      const targetKind = kindOfRef(walker.hi);
      if (tag === REFERENCE_PLAYER) {
        const relationHi = getU32(buf, start + 1);
        const relationLo = getU32(buf, start + 5);
        const role = getU16(buf, start + 9);
        const playerType = schema.typeById(typeOfRef(walker.hi));
        if (!playerType.plays.has(role)) {
          const relation = rereader.place(getOffset(buf, start + 11));
          const playerId = idWithHash(referencedIds(relation.item), key, at) ?? '?';
          throw ImportErrors.roleNotPlayable(file, relation, schema.roleLabel(role), playerType.label, playerId);
        }
        emit.player(ordinals.of(relationHi, relationLo), role, ordinals.of(walker.hi, walker.lo), walker.iid, walker.iidLength);
        continue;
      }
      // An ownership: the named thing must be an attribute.
      if (targetKind !== ThingKind.Attribute) {
        const owner = rereader.place(getOffset(buf, refs.payloadEnd - 8));
        const id = idWithHash(referencedIds(owner.item), key, at) ?? '?';
        throw ImportErrors.ownedNotAttribute(file, owner, id, rereader.place(walker.offset));
      }
      if (tag === REFERENCE_OWNED) {
        const ownerHi = getU32(buf, start + 1);
        const ownerLo = getU32(buf, start + 5);
        const ownerType = schema.typeById(typeOfRef(ownerHi));
        if (!ownerType.owns.has(typeOfRef(walker.hi))) {
          const owner = rereader.place(getOffset(buf, start + 9));
          const id = idWithHash(referencedIds(owner.item), key, at) ?? '?';
          throw ImportErrors.ownershipNotAllowed(file, owner, schema.typeById(typeOfRef(walker.hi)).label, id);
        }
        emit.ownership(ordinals.of(ownerHi, ownerLo), undefined, 0, ordinals.of(walker.hi, walker.lo), walker.iid, walker.iidLength);
      } else if (tag === REFERENCE_OWNED_BY_ATTRIBUTE) {
        for (let w = 0; w < HASH_WORDS; w++) attributeOwners.key[w] = buf.readUInt32LE(start + 1 + 4 * w);
        const offset = getOffset(buf, start + 1 + 4 * HASH_WORDS);
        const p = payload.reset().u32(walker.hi).u32(walker.lo).offset(offset).words(key, at, HASH_WORDS).bytes(walker.iid, 0, walker.iidLength);
        attributeOwners.add(p.buf, 0, p.pos);
      } else {
        throw new Error(`corrupt reference record (tag ${tag})`);
      }
    }
    walker.drain();
  } finally {
    refs.close();
  }
  if (walker.firstDuplicate !== undefined) {
    const [a, b] = walker.firstDuplicate.offsets;
    const first = rereader.place(a);
    const second = rereader.place(b);
    if (first.id !== second.id) {
      throw ImportErrors.hashCollision(file, `the different IDs ${JSON.stringify(first.id)} (byte offset ${a}) and ${JSON.stringify(second.id)} (byte offset ${b}) have the same 128-bit hash`);
    }
    throw ImportErrors.duplicateId(file, first.id!, first, second, walker.duplicatedIds, walker.duplicatedItems);
  }
  if (firstMissing !== undefined) {
    const referrer = rereader.place(firstMissing.offset);
    const id = idWithHash(referencedIds(referrer.item), firstMissing.hash, 0) ?? '?';
    const what = referrer.item.ownerships.includes(id) ? 'the owned attribute' : 'the role player';
    throw ImportErrors.undefinedReference(file, id, referrer, what, missing);
  }
  return { attributeOwners: attributeOwners.finish() };
}

/** Phase 2c: ownerships listed on attribute items, now that the owning attributes' ThingRefs are known. */
export function joinAttributeOwners(definitions: SortedRecords, attributeOwners: SortedRecords, context: JoinContext): void {
  if (attributeOwners.size === 0) return;
  const { schema, file, ordinals } = context;
  const rereader = new ItemRereader(file);
  const emit = new EdgeEmitter(context.edges, ordinals);
  const walker = new DefinitionWalker(definitions.open());
  const owned = attributeOwners.open();
  const attributeIid = Buffer.allocUnsafe(MAX_IID);
  try {
    while (owned.next()) {
      // Every owner hash is an attribute item's own ID, so it is defined (duplicates failed in phase 2b).
      if (!walker.seek(owned.key, owned.keyAt)) throw new Error('an attribute owner vanished from the definitions');
      const buf = owned.payload;
      const start = owned.payloadStart;
      const attributeHi = buf.readUInt32LE(start);
      const attributeLo = buf.readUInt32LE(start + 4);
      const offset = getOffset(buf, start + 8);
      const attributeIidStart = start + 16 + 4 * HASH_WORDS;
      const attributeIidLength = owned.payloadEnd - attributeIidStart;
      buf.copy(attributeIid, 0, attributeIidStart, owned.payloadEnd);
      const ownerType = schema.typeById(typeOfRef(walker.hi));
      if (!ownerType.owns.has(typeOfRef(attributeHi))) {
        const owner = rereader.place(offset);
        const attributeType = schema.typeById(typeOfRef(attributeHi)).label;
        const hash = new Uint32Array(HASH_WORDS);
        for (let w = 0; w < HASH_WORDS; w++) hash[w] = buf.readUInt32LE(start + 16 + 4 * w);
        const id = idWithHash(owner.item.ownerships, hash, 0) ?? '?';
        throw ImportErrors.ownershipNotAllowed(file, owner, attributeType, id);
      }
      emit.ownership(ordinals.of(walker.hi, walker.lo), walker.iid, walker.iidLength, ordinals.of(attributeHi, attributeLo), attributeIid, attributeIidLength);
    }
  } finally {
    owned.close();
  }
}
