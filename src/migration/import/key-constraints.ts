// @key and @unique checks over the sorted ownership streams, as a commit would make them: every instance of a
// type owns exactly one attribute of each of its @key attribute types, and no two instances of one type own the
// same @key or @unique attribute. The forward stream (owner, attribute) gives the cardinalities, with instances
// that own nothing found as gaps in the owners' sequence numbers (or ranks); the reverse stream (attribute,
// owner) puts the owners of each attribute side by side. Offending things are named by finding their items in
// the file again (an error path only).

import { formatValue } from '../../common/values.js';
import { attributeValueFromIID, ThingKind } from '../../encoding/index.js';
import { quoteId } from '../codec/errors.js';
import { ImportErrors } from '../errors.js';
import type { ImportSchema, ThingTypeInfo } from './import-schema.js';
import type { ItemRereader } from './item-rereader.js';
import { kindOfRef, typeOfRef } from './records.js';

/** The ThingRef lo words an owner type's instances have: [first, last]. */
export type InstanceRange = readonly [number, number];

const NO_IID = Buffer.alloc(0);

export class KeyConstraintChecker {
  private ownerHi = -1;
  private ownerLo = -1;
  private ownerIid: Buffer = NO_IID;
  private ownerType: ThingTypeInfo | undefined;
  private readonly counts: number[] = [];
  /** Owner type hi word → the next lo word expected to own keys. */
  private readonly next = new Map<number, number>();

  private attribute = -1;
  private lastOwnerHi = -1;
  private lastOwnerLo = -1;
  private lastOwnerIid: Buffer = NO_IID;

  constructor(
    private readonly schema: ImportSchema,
    /** Owner type hi word → its instances' range, for every type that has instances. */
    private readonly instances: ReadonlyMap<number, InstanceRange>,
    private readonly rereader: ItemRereader,
  ) {}

  /**
   * One distinct ownership, in (owner, attribute) order. An attribute owner's IID is `iid[ownerStart, ownerEnd)`
   * (empty for entities and relations).
   */
  ownership(ownerHi: number, ownerLo: number, attributeHi: number, iid: Buffer, ownerStart: number, ownerEnd: number): void {
    if (ownerHi !== this.ownerHi || ownerLo !== this.ownerLo) {
      this.endOwner();
      this.startOwner(ownerHi, ownerLo, iid, ownerStart, ownerEnd);
    }
    const type = this.ownerType;
    if (type === undefined) return;
    const index = type.keys.indexOf(typeOfRef(attributeHi));
    if (index < 0) return;
    if (++this.counts[index]! > 1) {
      throw ImportErrors.keyViolation(
        `Attempted to commit a(n) '${type.label}' that has ${this.counts[index]} keys of type ` +
          `'${this.schema.typeById(type.keys[index]!).label}'; an instance owns exactly one key of each key type: ` +
          `${this.name(ownerHi, ownerLo, this.ownerIid)}.`,
      );
    }
  }

  /** After the last ownership: instances that own no key at all. */
  endOwnerships(): void {
    this.endOwner();
    for (const [hi, range] of this.instances) {
      const type = this.keyedType(hi);
      if (type === undefined) continue;
      const expected = this.next.get(hi) ?? range[0];
      if (expected <= range[1]) this.missing(type, hi, expected);
    }
  }

  /**
   * One distinct ownership, in (attribute, owner) order: `attribute` identifies the attribute (its ordinal);
   * its IID is `iid[attributeStart, attributeEnd)`, an attribute owner's `iid[ownerStart, attributeStart)`.
   */
  reverseOwnership(attribute: number, attributeHi: number, ownerHi: number, ownerLo: number, iid: Buffer, attributeStart: number, attributeEnd: number, ownerStart: number): void {
    if (attribute === this.attribute && ownerHi === this.lastOwnerHi) {
      const ownerType = this.schema.typeById(typeOfRef(ownerHi));
      const ownership = ownerType.owns.get(typeOfRef(attributeHi));
      if (ownership?.unique) {
        const value = attributeValueFromIID(iid.subarray(attributeStart, attributeEnd));
        const text = value === undefined ? '(a long string)' : value.type === 'string' ? value.value : formatValue(value);
        const attributeType = this.schema.typeById(typeOfRef(attributeHi)).label;
        throw ImportErrors.keyViolation(
          `Attempted to assign a ${ownership.key ? 'key' : 'unique attribute'} '${text}' of type '${attributeType}' ` +
            `that had been taken by another '${ownerType.label}': ${this.name(this.lastOwnerHi, this.lastOwnerLo, this.lastOwnerIid)} ` +
            `and ${this.name(ownerHi, ownerLo, iid.subarray(ownerStart, attributeStart))} both own it.`,
        );
      }
    }
    this.attribute = attribute;
    this.lastOwnerHi = ownerHi;
    this.lastOwnerLo = ownerLo;
    if (kindOfRef(ownerHi) === ThingKind.Attribute) this.lastOwnerIid = Buffer.from(iid.subarray(ownerStart, attributeStart));
  }

  private startOwner(hi: number, lo: number, iid: Buffer, start: number, end: number): void {
    this.ownerHi = hi;
    this.ownerLo = lo;
    const type = this.keyedType(hi);
    this.ownerType = type;
    if (type === undefined) return;
    this.ownerIid = end > start ? Buffer.from(iid.subarray(start, end)) : NO_IID;
    const range = this.instances.get(hi);
    const expected = this.next.get(hi) ?? range?.[0] ?? lo;
    if (expected < lo) this.missing(type, hi, expected);
    this.next.set(hi, lo + 1);
    this.counts.length = type.keys.length;
    this.counts.fill(0);
  }

  private endOwner(): void {
    const type = this.ownerType;
    if (type === undefined) return;
    if (this.counts.includes(0)) {
      const missing = type.keys.filter((_, i) => this.counts[i] === 0).map((k) => this.schema.typeById(k).label);
      throw ImportErrors.keyViolation(
        `Attempted to commit a(n) '${type.label}' that is missing key(s) of type(s): [${missing.join(', ')}]: ` +
          `${this.name(this.ownerHi, this.ownerLo, this.ownerIid)}.`,
      );
    }
    this.ownerType = undefined;
  }

  private missing(type: ThingTypeInfo, hi: number, lo: number): never {
    throw ImportErrors.keyViolation(
      `Attempted to commit a(n) '${type.label}' that is missing key(s) of type(s): ` +
        `[${type.keys.map((k) => this.schema.typeById(k).label).join(', ')}]: ${this.name(hi, lo, NO_IID)} owns none.`,
    );
  }

  private keyedType(hi: number): ThingTypeInfo | undefined {
    const type = this.schema.typeById(typeOfRef(hi));
    return type.keys.length > 0 ? type : undefined;
  }

  /** An entity or relation by its item in the file (its lo word is its position among its type's items). */
  private name(hi: number, lo: number, iid: Buffer): string {
    const type = this.schema.typeById(typeOfRef(hi));
    if (kindOfRef(hi) === ThingKind.Attribute) {
      const value = iid.length > 0 ? attributeValueFromIID(iid) : undefined;
      return value === undefined ? `an attribute of type '${type.label}'` : `the ${type.label} attribute ${formatValue(value)}`;
    }
    const place = this.rereader.nthWithLabel(type.label, lo);
    return place === undefined
      ? `the ${nth(lo)} ${type.label} item of the file`
      : `the ${type.label} item ${quoteId(place.item.id)} at byte offset ${place.offset}`;
  }
}

function nth(n: number): string {
  const mod100 = n % 100;
  const suffix = mod100 >= 11 && mod100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
