// @key and @unique checks over the sorted ownership streams, as a commit would make them: every instance of a
// type owns exactly one attribute of each of its @key attribute types, and no two instances of one type own the
// same @key or @unique attribute. The forward stream (owner, attribute) gives the cardinalities, with instances
// that own nothing found as gaps in the owners' sequence numbers (or ranks); the reverse stream (attribute,
// owner) puts the owners of each attribute side by side.

import { formatValue } from '../../common/values.js';
import { attributeValueFromIID, ThingKind } from '../../encoding/index.js';
import { ImportErrors } from '../errors.js';
import type { ImportSchema, ThingTypeInfo } from './import-schema.js';
import type { ItemRereader } from './item-rereader.js';
import { kindOfRef, typeOfRef } from './records.js';

/** The ThingRef lo words an owner type's instances have: [first, last]. */
export type InstanceRange = readonly [number, number];

export class KeyConstraintChecker {
  private ownerHi = -1;
  private ownerLo = -1;
  private ownerOffset = 0;
  private ownerType: ThingTypeInfo | undefined;
  private readonly counts: number[] = [];
  /** Owner type hi word → the next lo word expected to own keys. */
  private readonly next = new Map<number, number>();

  private attribute = -1;
  private lastOwnerHi = -1;
  private lastOwnerOffset = 0;

  constructor(
    private readonly schema: ImportSchema,
    /** Owner type hi word → its instances' range, for every type that has instances. */
    private readonly instances: ReadonlyMap<number, InstanceRange>,
    private readonly rereader: ItemRereader,
    private readonly ordinal: (hi: number, lo: number) => string,
  ) {}

  /** One distinct ownership, in (owner, attribute) order; `offset` is the owner's item. */
  ownership(ownerHi: number, ownerLo: number, attributeHi: number, offset: number): void {
    if (ownerHi !== this.ownerHi || ownerLo !== this.ownerLo) {
      this.endOwner();
      this.startOwner(ownerHi, ownerLo, offset);
    }
    const type = this.ownerType;
    if (type === undefined) return;
    const index = type.keys.indexOf(typeOfRef(attributeHi));
    if (index < 0) return;
    if (++this.counts[index]! > 1) {
      const owner = this.rereader.place(offset);
      throw ImportErrors.keyViolation(
        `Attempted to commit a(n) '${type.label}' that has ${this.counts[index]} keys of type ` +
          `'${this.schema.typeById(type.keys[index]!).label}'; an instance owns exactly one key of each key type: ` +
          `${owner.kind} item ${JSON.stringify(owner.id)} at byte offset ${offset}.`,
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
   * One distinct ownership, in (attribute, owner) order: `attribute` identifies the attribute (its ordinal),
   * `iid[start, end)` is its IID.
   */
  reverseOwnership(attribute: number, attributeHi: number, ownerHi: number, offset: number, iid: Buffer, start: number, end: number): void {
    if (attribute !== this.attribute) {
      this.attribute = attribute;
      this.lastOwnerHi = ownerHi;
      this.lastOwnerOffset = offset;
      return;
    }
    if (ownerHi === this.lastOwnerHi) {
      const ownerType = this.schema.typeById(typeOfRef(ownerHi));
      const ownership = ownerType.owns.get(typeOfRef(attributeHi));
      if (ownership?.unique) {
        const value = attributeValueFromIID(iid.subarray(start, end));
        const text = value === undefined ? '(a long string)' : value.type === 'string' ? value.value : formatValue(value);
        const attributeType = this.schema.typeById(typeOfRef(attributeHi)).label;
        const kind = ownership.key ? 'key' : 'unique attribute';
        throw ImportErrors.keyViolation(
          `Attempted to assign a ${kind} '${text}' of type '${attributeType}' that had been taken by another ` +
            `'${ownerType.label}': the items at byte offsets ${this.lastOwnerOffset} and ${offset} both own it.`,
        );
      }
    }
    this.lastOwnerHi = ownerHi;
    this.lastOwnerOffset = offset;
  }

  private startOwner(hi: number, lo: number, offset: number): void {
    this.ownerHi = hi;
    this.ownerLo = lo;
    this.ownerOffset = offset;
    const type = this.keyedType(hi);
    this.ownerType = type;
    if (type === undefined) return;
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
    const index = this.counts.indexOf(0);
    if (index >= 0) {
      const owner = this.rereader.place(this.ownerOffset);
      throw ImportErrors.keyViolation(
        `Attempted to commit a(n) '${type.label}' that is missing key(s) of type(s): ` +
          `[${type.keys.filter((_, i) => this.counts[i] === 0).map((k) => this.schema.typeById(k).label).join(', ')}]: ` +
          `${owner.kind} item ${JSON.stringify(owner.id)} at byte offset ${this.ownerOffset}.`,
      );
    }
    this.ownerType = undefined;
  }

  private missing(type: ThingTypeInfo, hi: number, lo: number): never {
    throw ImportErrors.keyViolation(
      `Attempted to commit a(n) '${type.label}' that is missing key(s) of type(s): ` +
        `[${type.keys.map((k) => this.schema.typeById(k).label).join(', ')}]: ${this.ordinal(hi, lo)} owns none.`,
    );
  }

  private keyedType(hi: number): ThingTypeInfo | undefined {
    const type = this.schema.typeById(typeOfRef(hi));
    return type.keys.length > 0 ? type : undefined;
  }
}

/** How a thing without a known item is named: `the 17th person item of the file`. */
export function ordinalName(schema: ImportSchema): (hi: number, lo: number) => string {
  return (hi, lo) => {
    const type = schema.typeById(typeOfRef(hi));
    if (kindOfRef(hi) === ThingKind.Attribute) return `an attribute of type '${type.label}'`;
    return `the ${nth(lo)} ${type.label} item of the file`;
  };
}

function nth(n: number): string {
  const mod100 = n % 100;
  const suffix = mod100 >= 11 && mod100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
