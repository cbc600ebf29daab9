// Pass 1 of an import: every item of the file, in file order, is checked against the schema and turned into
// fixed-width records for the sorters. Entities and relations get their new IIDs here (per-type sequence numbers
// in order of appearance); attributes get value-derived IIDs, ranked once they are sorted. References (owned
// attributes, role players) are recorded under the hash of the ID they name, to be joined with the definitions
// later: the items may come in any order, and nothing about them is kept in memory.
//
// Items come as parsed views (addViews: the hot path, many at a time, indexed by native code straight from the
// file's bytes: view-indexer.ts) or decoded (add: every item the view path declines — unusual shapes, values only
// the full path encodes, and every item that fails a check, so that messages are made in one place). Both write
// the same records (view-indexer.test.ts compares them).

import { ChecksumCounter, addChecksums } from '../codec/checksums.js';
import type { AttributeItem, Checksums, DataItem, EntityItem, RelationItem } from '../codec/model.js';
import type { ViewTable } from '../codec/item-view.js';
import { attributeIID, encodeValueRecord } from '../../encoding/index.js';
import { ImportErrors, shownValue, type ItemPlace } from '../errors.js';
import type { ExternalSorter } from './external-sorter.js';
import { SECOND_HALF } from './thing-ordinals.js';
import { hashId } from './id-hash.js';
import type { ImportSchema, ThingTypeInfo } from './import-schema.js';
import {
  HASH_WORDS,
  REFERENCE_OWNED,
  REFERENCE_OWNED_BY_ATTRIBUTE,
  REFERENCE_PLAYER,
  iidPrefixWords,
  putBytes,
  putOffset,
  putU16,
  putU32,
  refHi,
} from './records.js';
import { ViewIndexer } from './view-indexer.js';

export interface IndexerSorters {
  readonly definitions: ExternalSorter;
  readonly attributes: ExternalSorter;
  readonly references: ExternalSorter;
}

/**
 * Sequence numbers are stored in 8 bytes but carried in one 32-bit word through the pipeline. When two threads
 * index the two halves of a file, the second half's numbers start at SECOND_HALF (see ThingOrdinals), so each
 * half can number at most 2^31 - 1 instances of a type.
 */
const MAX_SEQUENCE = 0x7fff_ffff;

export class ItemIndexer {
  /** What the decoded items hold, counted as TypeDB's exporter counts. */
  private readonly counter = new ChecksumCounter();
  /** Instances so far of each entity and relation type, by type id (= the last sequence number given out). */
  private readonly sequences = new Uint32Array(1 << 16);
  private readonly ownHash = new Uint32Array(HASH_WORDS);
  private readonly views: ViewIndexer;

  /** `secondHalf`: this indexer reads the second half of the file (its sequence numbers are provisional). */
  constructor(
    private readonly schema: ImportSchema,
    private readonly sorters: IndexerSorters,
    private readonly file: string,
    private readonly secondHalf = false,
  ) {
    this.views = new ViewIndexer(schema, this.sequences, sorters, secondHalf);
  }

  /** What the file's items hold, counted as TypeDB's exporter counts (compared with the checksums item). */
  get counts(): Checksums {
    return addChecksums(this.counter.counts, this.views.counts);
  }

  /** Entity and relation type id → number of instances. */
  get instances(): Map<number, number> {
    const instances = new Map<number, number>();
    for (let typeId = 0; typeId < this.sequences.length; typeId++) if (this.sequences[typeId]! > 0) instances.set(typeId, this.sequences[typeId]!);
    return instances;
  }

  add(item: DataItem, offset: number): void {
    switch (item.kind) {
      case 'entity':
        this.addObject(item, offset);
        break;
      case 'relation':
        this.addRelation(item, offset);
        break;
      case 'attribute':
        this.addAttribute(item, offset);
        break;
    }
    this.counter.add(item);
  }

  private typeOf(item: DataItem, offset: number): ThingTypeInfo {
    const info = this.schema.type(item.label);
    const place: ItemPlace = { kind: item.kind, id: item.id, label: item.label, offset };
    if (info === undefined) {
      const other = this.schema.otherRoot(item.label);
      if (other !== undefined) throw ImportErrors.wrongItemKind(place, this.file, other);
      throw ImportErrors.unknownType(place, this.file, this.schema.data.origin);
    }
    if (info.root !== item.kind) throw ImportErrors.wrongItemKind(place, this.file, info.root);
    if (info.abstract) throw ImportErrors.abstractType(place, this.file);
    return info;
  }

  /**
   * Gives the entity or relation its sequence number and records its definition, keyed by the hash the caller put
   * in the definitions sorter's key; returns its ThingRef lo word.
   */
  private define(info: ThingTypeInfo, offset: number): number {
    const sequence = this.sequences[info.id]! + 1;
    if (sequence > MAX_SEQUENCE) {
      throw ImportErrors.invalidOptions(`The file holds more than ${MAX_SEQUENCE} instances of '${info.label}'; Strata imports at most that many per type.`);
    }
    this.sequences[info.id] = sequence;
    const lo = this.secondHalf ? SECOND_HALF + sequence : sequence;
    const definitions = this.sorters.definitions;
    const at = definitions.append(16);
    const arena = definitions.arena;
    putU32(arena, at, refHi(info.kind, info.id));
    putU32(arena, at + 4, lo);
    putOffset(arena, at + 8, offset);
    return lo;
  }

  private addObject(item: EntityItem, offset: number): void {
    const info = this.typeOf(item, offset);
    hashId(item.id, this.sorters.definitions.key, 0);
    const sequence = this.define(info, offset);
    this.addOwnerships(item.ownerships, refHi(info.kind, info.id), sequence, offset);
  }

  private addRelation(item: RelationItem, offset: number): void {
    const info = this.typeOf(item, offset);
    let players = 0;
    for (const role of item.roles) players += role.players.length;
    if (players === 0) {
      throw ImportErrors.relationWithoutPlayers({ kind: 'relation', id: item.id, label: item.label, offset }, this.file);
    }
    hashId(item.id, this.sorters.definitions.key, 0);
    const sequence = this.define(info, offset);
    const hi = refHi(info.kind, info.id);
    this.addOwnerships(item.ownerships, hi, sequence, offset);
    const references = this.sorters.references;
    for (const role of item.roles) {
      const roleId = info.roles.get(role.label) ?? info.roles.get(roleName(role.label));
      if (roleId === undefined) {
        throw ImportErrors.unknownRole({ kind: 'relation', id: item.id, label: item.label, offset }, this.file, role.label);
      }
      for (const player of role.players) {
        hashId(player, references.key, 0);
        this.appendPlayer(hi, sequence, roleId, offset);
      }
    }
  }

  /** A role player reference, keyed by the player's ID hash the caller put in the references sorter's key. */
  private appendPlayer(relationHi: number, relationLo: number, roleId: number, offset: number): void {
    const references = this.sorters.references;
    const at = references.append(19);
    const arena = references.arena;
    arena[at] = REFERENCE_PLAYER;
    putU32(arena, at + 1, relationHi);
    putU32(arena, at + 5, relationLo);
    putU16(arena, at + 9, roleId);
    putOffset(arena, at + 11, offset);
  }

  private addOwnerships(ownerships: readonly string[], ownerHi: number, ownerLo: number, offset: number): void {
    const references = this.sorters.references;
    for (const attribute of ownerships) {
      hashId(attribute, references.key, 0);
      this.appendOwned(ownerHi, ownerLo, offset);
    }
  }

  /** An ownership reference, keyed by the attribute's ID hash the caller put in the references sorter's key. */
  private appendOwned(ownerHi: number, ownerLo: number, offset: number): void {
    const references = this.sorters.references;
    const at = references.append(17);
    const arena = references.arena;
    arena[at] = REFERENCE_OWNED;
    putU32(arena, at + 1, ownerHi);
    putU32(arena, at + 5, ownerLo);
    putOffset(arena, at + 9, offset);
  }

  private addAttribute(item: AttributeItem, offset: number): void {
    const info = this.typeOf(item, offset);
    const place = (): ItemPlace => ({ kind: 'attribute', id: item.id, label: item.label, offset });
    const value = item.value;
    if (value.type !== info.valueType) {
      throw ImportErrors.invalidValue(place(), this.file, `${shownValue(value)} is a ${value.type}, but '${info.label}' holds ${info.valueType} values`);
    }
    if (info.regex !== undefined && value.type === 'string' && !info.regex.test(value.value)) {
      throw ImportErrors.invalidValue(place(), this.file, `${shownValue(value)} does not match the regular expression '${info.regexText}' of '${info.label}'`);
    }
    let iid: Uint8Array;
    try {
      iid = attributeIID(info.id, value);
    } catch (e) {
      throw ImportErrors.invalidValue(place(), this.file, (e as Error).message);
    }
    const record = encodeValueRecord(value);
    hashId(item.id, this.ownHash, 0);
    const at = this.appendAttribute(iid, iid.length, record.length, offset);
    putBytes(this.sorters.attributes.arena, at, record, 0, record.length);
    for (const owned of item.ownerships) {
      hashId(owned, this.sorters.references.key, 0);
      this.appendOwnedByAttribute(offset);
    }
  }

  /**
   * An attribute record for iid[0, iidLength) and the ID hash in ownHash, with `recordLength` bytes of value
   * record left for the caller to write at the position returned.
   */
  private appendAttribute(iid: Uint8Array, iidLength: number, recordLength: number, offset: number): number {
    const attributes = this.sorters.attributes;
    iidPrefixWords(iid, iidLength, attributes.key);
    let at = attributes.append(4 * HASH_WORDS + 10 + iidLength + recordLength);
    const arena = attributes.arena;
    for (let w = 0; w < HASH_WORDS; w++, at += 4) putU32(arena, at, this.ownHash[w]!);
    putOffset(arena, at, offset);
    putU16(arena, at + 8, iidLength);
    return putBytes(arena, at + 10, iid, 0, iidLength);
  }

  /**
   * An ownership listed on the attribute whose ID hash is in ownHash, keyed by the owned attribute's ID hash the
   * caller put in the references sorter's key. The owner's ThingRef is only known once attributes are ranked:
   * these references name it by its ID hash.
   */
  private appendOwnedByAttribute(offset: number): void {
    const references = this.sorters.references;
    let at = references.append(1 + 4 * HASH_WORDS + 8);
    const arena = references.arena;
    arena[at++] = REFERENCE_OWNED_BY_ATTRIBUTE;
    for (let w = 0; w < HASH_WORDS; w++, at += 4) putU32(arena, at, this.ownHash[w]!);
    putOffset(arena, at, offset);
  }

  /**
   * Adds the parsed items of rows [from, to) of `table` (offsets[row]: the row's file offset) up to the first that
   * must go through add() instead, which it returns (`to` when it took them all): a record that is not a plain
   * item, fails a check (add() makes the message) or has a value only the full path encodes.
   */
  addViews(table: ViewTable, offsets: Float64Array, from: number, to: number): number {
    return this.views.index(table, offsets, from, to);
  }
}

/**
 * The name of a role label: TypeDB 2.x's importer looks the part after `:` up among the relation type's roles,
 * inherited ones included, whatever the scope says (`sub-relation:role` for a role of the supertype).
 */
function roleName(label: string): string {
  return label.slice(label.lastIndexOf(':') + 1);
}
