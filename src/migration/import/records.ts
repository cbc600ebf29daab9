// The records the import pipeline sorts and joins, and how things are named inside it.
//
// A thing is named by a ThingRef, two unsigned 32-bit words whose order is the order of its IID bytes:
//   hi = kind << 16 | type id   (the IID's first three bytes)
//   lo = sequence number (entities, relations: the IID's last 8 bytes, below 2^32 here) or, for attributes, the
//        attribute's rank among all distinct attribute IIDs of the file (known once attributes are sorted).
// Edge keys made of ThingRefs therefore sort exactly as the storage keys made of the IIDs (IIDs are prefix-free),
// and are sorted by radix sort instead of byte comparisons.
//
// Record layouts (key words | payload, numbers little-endian, offsets are the byte offsets of items in the file,
// written by putOffset):
//   DEFINITION        id hash ×4                | thing hi, thing lo, offset u64, IID (attributes only)
//   ATTRIBUTE         IID bytes 0–11 ×3         | id hash ×4, offset u64, IID length u16, IID, value record
//   REFERENCE         referenced id hash ×4     | tag u8, then by tag:
//                       OWNED                     owner hi, owner lo, offset u64
//                       OWNED_BY_ATTRIBUTE        owner id hash ×4, offset u64
//                       PLAYER                    relation hi, relation lo, role type u16, offset u64
//   ATTRIBUTE_OWNER   owner id hash ×4          | attribute hi, attribute lo, offset u64, attribute id hash ×4,
//                                               attribute IID
//   HAS / HAS_REV     owner, attribute / attribute, owner (2 words each) | owner IID length u16, owner IID
//                                                 (attribute owners only), attribute IID
//   ROLE / ROLE_REV   relation, role, player / player, role, relation   | player IID (attributes only)

import { ThingKind } from '../../encoding/index.js';
import type { PayloadOrdering } from './payload-order.js';

export const REFERENCE_OWNED = 1;
export const REFERENCE_OWNED_BY_ATTRIBUTE = 2;
export const REFERENCE_PLAYER = 3;

export const HASH_WORDS = 4;

export function refHi(kind: ThingKind, typeId: number): number {
  return ((kind << 16) | typeId) >>> 0;
}

export function kindOfRef(hi: number): ThingKind {
  return ((hi >>> 16) & 0xff) as ThingKind;
}

export function typeOfRef(hi: number): number {
  return hi & 0xffff;
}

/**
 * A file offset (an integer below 2^53) as 8 bytes, low word first: integer stores, several times cheaper than
 * Buffer's writeDoubleLE, and every reference record holds one.
 */
export function putOffset(out: Uint8Array, at: number, offset: number): void {
  putU32(out, at, offset >>> 0);
  putU32(out, at + 4, Math.floor(offset / 0x1_0000_0000));
}

export function getOffset(buf: Uint8Array, at: number): number {
  return getU32(buf, at) + getU32(buf, at + 4) * 0x1_0000_0000;
}

/** Little-endian stores without Buffer's bounds checks and call overhead (the caller sized the buffer). */
export function putU32(out: Uint8Array, at: number, value: number): void {
  out[at] = value;
  out[at + 1] = value >>> 8;
  out[at + 2] = value >>> 16;
  out[at + 3] = value >>> 24;
}

export function putU16(out: Uint8Array, at: number, value: number): void {
  out[at] = value;
  out[at + 1] = value >>> 8;
}

export function getU32(buf: Uint8Array, at: number): number {
  return (buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16) | (buf[at + 3]! << 24)) >>> 0;
}

export function getU16(buf: Uint8Array, at: number): number {
  return buf[at]! | (buf[at + 1]! << 8);
}

/** Copies src[start, end) to out[at…]; returns the position after it. */
export function putBytes(out: Uint8Array, at: number, src: Uint8Array, start: number, end: number): number {
  if (end - start <= 64) {
    for (let i = start; i < end; i++) out[at++] = src[i]!;
    return at;
  }
  out.set(src.subarray(start, end), at);
  return at + end - start;
}

/** Packs the first 12 bytes of the IID iid[0, length), zero-padded, into three big-endian words (the attribute sort key). */
export function iidPrefixWords(iid: Uint8Array, length: number, out: Uint32Array): void {
  const byte = (at: number) => (at < length ? iid[at]! : 0);
  for (let w = 0; w < 3; w++) {
    const at = w * 4;
    out[w] = ((byte(at) << 24) | (byte(at + 1) << 16) | (byte(at + 2) << 8) | byte(at + 3)) >>> 0;
  }
}

/** Offset of the IID length inside an ATTRIBUTE payload. */
export const ATTRIBUTE_IID_LENGTH_AT = 4 * HASH_WORDS + 8;

/** ATTRIBUTE records with equal prefix words are ordered by their full IID bytes. */
export const ATTRIBUTE_PAYLOAD_ORDER: PayloadOrdering = { by: 'lengthPrefixed', lengthAt: ATTRIBUTE_IID_LENGTH_AT };
