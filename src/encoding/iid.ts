// Instance identifiers (IIDs). Self-describing byte strings:
//   entity / relation: [kind][type id u16][sequence u64]            (11 bytes, append-ordered per type)
//   attribute:         [kind][type id u16][value type][value key]   (same value => same IID, so attributes dedup)
//   inferred relation: [kind][type id u16][identity u64, top bit set] (reserved range, see below)
//
// The sequence range with the top bit set (>= 2^63) is reserved for relations the reasoner infers inside one
// transaction. They are never stored: stored sequences count up from 1 per type and cannot reach 2^63, so the two
// ranges never collide. An inferred relation's identity is a hash of its type and role-player multiset, so the
// same inference gets the same IID in every transaction over the same data.
import type { Value, ValueType } from '../common/values.js';
import { StrataError } from '../common/errors.js';
import { VALUE_TYPE_CODES, decodeValueKey, encodeValueKey, valueKeyLength, valueTypeFromCode } from './value-codec.js';

export type IID = Uint8Array;

export enum ThingKind {
  Entity = 1,
  Relation = 2,
  Attribute = 3,
}

export const OBJECT_IID_LENGTH = 11;

export function objectIID(kind: ThingKind.Entity | ThingKind.Relation, typeId: number, sequence: number): IID {
  const out = new Uint8Array(OBJECT_IID_LENGTH);
  out[0] = kind;
  out[1] = typeId >> 8;
  out[2] = typeId & 0xff;
  new DataView(out.buffer).setBigUint64(3, BigInt(sequence));
  return out;
}

/** Marks the sequence bytes of an inferred relation (the top bit of the u64). */
const INFERRED_SEQUENCE_BIT = 0x80;

/** An inferred relation's IID from 8 identity bytes (the top bit is forced on; the rest are kept). */
export function inferredRelationIID(typeId: number, identity: Uint8Array): IID {
  // Pooled (every byte is set below): a transaction keeps one per inferred relation, and a Uint8Array of its own
  // costs an ArrayBuffer object and a separate allocation each.
  const out = Buffer.allocUnsafe(OBJECT_IID_LENGTH);
  out[0] = ThingKind.Relation;
  out[1] = typeId >> 8;
  out[2] = typeId & 0xff;
  out.set(identity.subarray(0, 8), 3);
  out[3] = out[3]! | INFERRED_SEQUENCE_BIT;
  return out;
}

/** Whether the IID is in the reserved range of inferred relations. */
export function isInferredRelationIID(iid: Uint8Array): boolean {
  return iid.length === OBJECT_IID_LENGTH && iid[0] === ThingKind.Relation && (iid[3]! & INFERRED_SEQUENCE_BIT) !== 0;
}

export function attributeIID(typeId: number, value: Value): IID {
  const valueKey = encodeValueKey(value);
  const out = new Uint8Array(4 + valueKey.length);
  out[0] = ThingKind.Attribute;
  out[1] = typeId >> 8;
  out[2] = typeId & 0xff;
  out[3] = VALUE_TYPE_CODES[value.type];
  out.set(valueKey, 4);
  return out;
}

/** Prefix shared by the IIDs of all instances of one type. */
export function typePrefix(kind: ThingKind, typeId: number): Uint8Array {
  return Uint8Array.of(kind, typeId >> 8, typeId & 0xff);
}

export function iidKind(iid: Uint8Array, offset = 0): ThingKind {
  return iid[offset] as ThingKind;
}

export function iidTypeId(iid: Uint8Array, offset = 0): number {
  return (iid[offset + 1]! << 8) | iid[offset + 2]!;
}

export function iidSequence(iid: Uint8Array, offset = 0): number {
  return Number(new DataView(iid.buffer, iid.byteOffset + offset + 3, 8).getBigUint64(0));
}

/** Length of the IID that starts at offset inside a larger key. */
export function iidLength(bytes: Uint8Array, offset = 0): number {
  const kind = bytes[offset];
  if (kind === ThingKind.Entity || kind === ThingKind.Relation) return OBJECT_IID_LENGTH;
  if (kind === ThingKind.Attribute) {
    const type = valueTypeFromCode(bytes[offset + 3]!);
    return 4 + valueKeyLength(type, bytes, offset + 4);
  }
  throw new StrataError('ENC', 2, `Corrupt key: unknown thing kind byte ${kind} at offset ${offset}.`);
}

export function readIID(bytes: Uint8Array, offset: number): IID {
  return bytes.subarray(offset, offset + iidLength(bytes, offset));
}

export function attributeValueType(iid: IID): ValueType {
  return valueTypeFromCode(iid[3]!);
}

/** The value held in an attribute IID, or undefined for hashed long strings (read the record instead). */
export function attributeValueFromIID(iid: IID): Value | undefined {
  return decodeValueKey(attributeValueType(iid), iid, 4);
}

/**
 * The IID as a Buffer: IIDs read from the store are Buffers already, and a Buffer over another array's memory costs
 * more than what is then done with it.
 */
function asBuffer(iid: IID): Buffer {
  return Buffer.isBuffer(iid) ? iid : Buffer.from(iid.buffer, iid.byteOffset, iid.byteLength);
}

export function iidToHex(iid: IID): string {
  return '0x' + asBuffer(iid).toString('hex');
}

export function iidFromHex(text: string): IID | undefined {
  const hex = text.startsWith('0x') ? text.slice(2) : text;
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
  const bytes = new Uint8Array(Buffer.from(hex, 'hex'));
  try {
    if (iidLength(bytes, 0) !== bytes.length) return undefined;
  } catch {
    return undefined;
  }
  return bytes;
}

/**
 * A string usable as a Map/Set key for an IID (one char per byte). Entity and relation IIDs (11 bytes) and short
 * attribute IIDs are made from their char codes: half the time of a Buffer view and its latin1 decoding, which was
 * 7% of reasoning CPU (rule bodies key sets and caches by IID at every relation they meet).
 */
export function iidKey(iid: IID): string {
  return iid.length <= SHORT_KEY ? String.fromCharCode.apply(null, iid as unknown as number[]) : asBuffer(iid).toString('latin1');
}

/** Up to this length, iidKey spreads the bytes as arguments; longer IIDs (long string values) are decoded. */
const SHORT_KEY = 32;

export function iidFromKey(key: string): IID {
  return new Uint8Array(Buffer.from(key, 'latin1'));
}
