// Pass 1 of an import: every item of the file, in file order, is checked against the schema and turned into
// fixed-width records for the sorters. Entities and relations get their new IIDs here (per-type sequence numbers
// in order of appearance); attributes get value-derived IIDs, ranked once they are sorted. References (owned
// attributes, role players) are recorded under the hash of the ID they name, to be joined with the definitions
// later: the items may come in any order, and nothing about them is kept in memory.

import { ChecksumCounter } from '../codec/index.js';
import type { AttributeItem, DataItem, EntityItem, RelationItem } from '../codec/index.js';
import { attributeIID, encodeValueRecord } from '../../encoding/index.js';
import { formatValue } from '../../common/values.js';
import { ImportErrors, type ItemPlace } from '../errors.js';
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
  putU16,
  putU32,
  refHi,
} from './records.js';

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
  /** What the file's items hold, counted as TypeDB's exporter counts (compared with the checksums item). */
  readonly counter = new ChecksumCounter();
  /** Entity and relation type id → number of instances (= the last sequence number given out). */
  readonly instances = new Map<number, number>();
  private readonly ownHash = new Uint32Array(HASH_WORDS);

  /** `secondHalf`: this indexer reads the second half of the file (its sequence numbers are provisional). */
  constructor(
    private readonly schema: ImportSchema,
    private readonly sorters: IndexerSorters,
    private readonly file: string,
    private readonly secondHalf = false,
  ) {}

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
      throw ImportErrors.unknownType(place, this.file);
    }
    if (info.root !== item.kind) throw ImportErrors.wrongItemKind(place, this.file, info.root);
    if (info.abstract) throw ImportErrors.abstractType(place, this.file);
    return info;
  }

  /** Gives the entity or relation its sequence number and records its definition; returns its ThingRef lo word. */
  private define(item: EntityItem | RelationItem, info: ThingTypeInfo, offset: number): number {
    const sequence = (this.instances.get(info.id) ?? 0) + 1;
    if (sequence > MAX_SEQUENCE) {
      throw ImportErrors.invalidOptions(`The file holds more than ${MAX_SEQUENCE} instances of '${info.label}'; Strata imports at most that many per type.`);
    }
    this.instances.set(info.id, sequence);
    const lo = this.secondHalf ? SECOND_HALF + sequence : sequence;
    const definitions = this.sorters.definitions;
    hashId(item.id, definitions.key, 0);
    const at = definitions.append(16);
    const arena = definitions.arena;
    putU32(arena, at, refHi(info.kind, info.id));
    putU32(arena, at + 4, lo);
    arena.writeDoubleLE(offset, at + 8);
    return lo;
  }

  private addObject(item: EntityItem, offset: number): void {
    const info = this.typeOf(item, offset);
    const sequence = this.define(item, info, offset);
    this.addOwnerships(item.ownerships, refHi(info.kind, info.id), sequence, offset);
  }

  private addRelation(item: RelationItem, offset: number): void {
    const info = this.typeOf(item, offset);
    let players = 0;
    for (const role of item.roles) players += role.players.length;
    if (players === 0) {
      throw ImportErrors.relationWithoutPlayers({ kind: 'relation', id: item.id, label: item.label, offset }, this.file);
    }
    const sequence = this.define(item, info, offset);
    const hi = refHi(info.kind, info.id);
    this.addOwnerships(item.ownerships, hi, sequence, offset);
    const references = this.sorters.references;
    for (const role of item.roles) {
      const roleId = info.roles.get(role.label);
      if (roleId === undefined) {
        throw ImportErrors.unknownRole({ kind: 'relation', id: item.id, label: item.label, offset }, this.file, role.label);
      }
      for (const player of role.players) {
        hashId(player, references.key, 0);
        const at = references.append(19);
        const arena = references.arena;
        arena[at] = REFERENCE_PLAYER;
        putU32(arena, at + 1, hi);
        putU32(arena, at + 5, sequence);
        putU16(arena, at + 9, roleId);
        arena.writeDoubleLE(offset, at + 11);
      }
    }
  }

  private addOwnerships(ownerships: readonly string[], ownerHi: number, ownerLo: number, offset: number): void {
    const references = this.sorters.references;
    for (const attribute of ownerships) {
      hashId(attribute, references.key, 0);
      const at = references.append(17);
      const arena = references.arena;
      arena[at] = REFERENCE_OWNED;
      putU32(arena, at + 1, ownerHi);
      putU32(arena, at + 5, ownerLo);
      arena.writeDoubleLE(offset, at + 9);
    }
  }

  private addAttribute(item: AttributeItem, offset: number): void {
    const info = this.typeOf(item, offset);
    const place = (): ItemPlace => ({ kind: 'attribute', id: item.id, label: item.label, offset });
    const value = item.value;
    if (value.type !== info.valueType) {
      throw ImportErrors.invalidValue(place(), this.file, `${formatValue(value)} is a ${value.type}, but '${info.label}' holds ${info.valueType} values`);
    }
    if (info.regex !== undefined && value.type === 'string' && !info.regex.test(value.value)) {
      throw ImportErrors.invalidValue(place(), this.file, `${formatValue(value)} does not match the regular expression '${info.regexText}' of '${info.label}'`);
    }
    let iid: Uint8Array;
    try {
      iid = attributeIID(info.id, value);
    } catch (e) {
      throw ImportErrors.invalidValue(place(), this.file, (e as Error).message);
    }
    const record = encodeValueRecord(value);
    hashId(item.id, this.ownHash, 0);
    const attributes = this.sorters.attributes;
    iidPrefixWords(iid, attributes.key);
    let at = attributes.append(4 * HASH_WORDS + 10 + iid.length + record.length);
    const arena = attributes.arena;
    for (let w = 0; w < HASH_WORDS; w++, at += 4) putU32(arena, at, this.ownHash[w]!);
    arena.writeDoubleLE(offset, at);
    putU16(arena, at + 8, iid.length);
    at = putBytes(arena, at + 10, iid, 0, iid.length);
    putBytes(arena, at, record, 0, record.length);
    // The owner's ThingRef is only known once attributes are ranked: these references name it by its ID hash.
    const references = this.sorters.references;
    for (const owned of item.ownerships) {
      hashId(owned, references.key, 0);
      let at = references.append(1 + 4 * HASH_WORDS + 8);
      const arena = references.arena;
      arena[at++] = REFERENCE_OWNED_BY_ATTRIBUTE;
      for (let w = 0; w < HASH_WORDS; w++, at += 4) putU32(arena, at, this.ownHash[w]!);
      arena.writeDoubleLE(offset, at);
    }
  }
}

