// @key and @unique over the sorted ownership streams, as a commit would check them: every instance of a type owns
// exactly one attribute of each of its @key attribute types, and no two instances of one type own the same @key or
// @unique attribute. Native code checks them while it makes the edge keys (native/src/store_keys.c): the forward
// stream (owner, attribute) gives the cardinalities, with instances that own nothing found as gaps in the owners'
// sequence numbers (or ranks); the reverse stream (attribute, owner) puts the owners of each attribute side by
// side. It reports what it found as a KeyViolation; this file words it, naming the offending things by finding
// their items in the file again (an error path only), and finds the instances after the last owner that own none.

import { formatValue } from '../../common/values.js';
import { attributeValueFromIID, ThingKind } from '../../encoding/index.js';
import { quoteId } from '../codec/errors.js';
import { ImportErrors, type MigrationError } from '../errors.js';
import type { ImportSchema, ThingTypeInfo } from './import-schema.js';
import type { ItemRereader } from './item-rereader.js';
import { kindOfRef, typeOfRef } from './records.js';

/** The ThingRef lo words an owner type's instances have: [first, last]. */
export type InstanceRange = readonly [number, number];

/** What the native checks found (ThingRef hi and lo words; IIDs of attribute owners, empty for others). */
export type KeyViolation =
  /** An owner with a second key of one key type. */
  | { readonly kind: 'tooManyKeys'; readonly ownerHi: number; readonly ownerLo: number; readonly ownerIid: Uint8Array; readonly keyType: number; readonly count: number }
  /** An owner without a key of some key types: its count of each of its type's keys, in their order. */
  | { readonly kind: 'missingKeys'; readonly ownerHi: number; readonly ownerLo: number; readonly ownerIid: Uint8Array; readonly keyCounts: readonly number[] }
  /** An instance that owns nothing at all. */
  | { readonly kind: 'ownsNone'; readonly hi: number; readonly lo: number }
  /** Two owners of one type of one @unique (or @key) attribute: the previous one and this one. */
  | {
      readonly kind: 'uniqueTaken';
      readonly attributeHi: number;
      readonly attributeIid: Uint8Array;
      readonly ownerHi: number;
      readonly previousOwnerLo: number;
      readonly previousOwnerIid: Uint8Array;
      readonly ownerLo: number;
      readonly ownerIid: Uint8Array;
    };

const NO_IID = new Uint8Array(0);

export class KeyViolations {
  constructor(
    private readonly schema: ImportSchema,
    /** Owner type hi word → its instances' range, for every type that has instances. */
    private readonly instances: ReadonlyMap<number, InstanceRange>,
    private readonly rereader: ItemRereader,
  ) {}

  /** The error a violation the native checks found makes. */
  error(violation: KeyViolation): MigrationError {
    switch (violation.kind) {
      case 'tooManyKeys': {
        const type = this.schema.typeById(typeOfRef(violation.ownerHi));
        return ImportErrors.keyViolation(
          `Attempted to commit a(n) '${type.label}' that has ${violation.count} keys of type ` +
            `'${this.schema.typeById(violation.keyType).label}'; an instance owns exactly one key of each key type: ` +
            `${this.name(violation.ownerHi, violation.ownerLo, violation.ownerIid)}.`,
        );
      }
      case 'missingKeys': {
        const type = this.schema.typeById(typeOfRef(violation.ownerHi));
        const missing = type.keys.filter((_, i) => violation.keyCounts[i] === 0).map((k) => this.schema.typeById(k).label);
        return ImportErrors.keyViolation(
          `Attempted to commit a(n) '${type.label}' that is missing key(s) of type(s): [${missing.join(', ')}]: ` +
            `${this.name(violation.ownerHi, violation.ownerLo, violation.ownerIid)}.`,
        );
      }
      case 'ownsNone':
        return this.ownsNone(this.schema.typeById(typeOfRef(violation.hi)), violation.hi, violation.lo);
      case 'uniqueTaken': {
        const ownerType = this.schema.typeById(typeOfRef(violation.ownerHi));
        const ownership = ownerType.owns.get(typeOfRef(violation.attributeHi));
        const value = attributeValueFromIID(violation.attributeIid);
        const text = value === undefined ? '(a long string)' : value.type === 'string' ? value.value : formatValue(value);
        const attributeType = this.schema.typeById(typeOfRef(violation.attributeHi)).label;
        return ImportErrors.keyViolation(
          `Attempted to assign a ${ownership?.key ? 'key' : 'unique attribute'} '${text}' of type '${attributeType}' ` +
            `that had been taken by another '${ownerType.label}': ${this.name(violation.ownerHi, violation.previousOwnerLo, violation.previousOwnerIid)} ` +
            `and ${this.name(violation.ownerHi, violation.ownerLo, violation.ownerIid)} both own it.`,
        );
      }
    }
  }

  /**
   * After the last ownership: the first instance, if any, that owns no key at all beyond the last owner of its
   * type (`nextOwner` says which lo word would have owned next, undefined for a type no instance of which owns).
   */
  afterOwnerships(nextOwner: (hi: number) => number | undefined): MigrationError | undefined {
    for (const [hi, range] of this.instances) {
      const type = this.schema.typeById(typeOfRef(hi));
      if (type.keys.length === 0) continue;
      const expected = nextOwner(hi) ?? range[0];
      if (expected <= range[1]) return this.ownsNone(type, hi, expected);
    }
    return undefined;
  }

  private ownsNone(type: ThingTypeInfo, hi: number, lo: number): MigrationError {
    return ImportErrors.keyViolation(
      `Attempted to commit a(n) '${type.label}' that is missing key(s) of type(s): ` +
        `[${type.keys.map((k) => this.schema.typeById(k).label).join(', ')}]: ${this.name(hi, lo, NO_IID)} owns none.`,
    );
  }

  /** An entity or relation by its item in the file (its lo word is its position among its type's items). */
  private name(hi: number, lo: number, iid: Uint8Array): string {
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
