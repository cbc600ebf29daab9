// Byte codecs for attribute values.
// - Key form: order-preserving for long, double, datetime and boolean, used inside attribute IIDs; strings are
//   length-prefixed (and hashed beyond a limit) because LMDB keys are bounded.
// - Record form: the full value, stored as the attribute's record so that long strings round-trip exactly.
import { createHash } from 'node:crypto';
import type { Value, ValueType } from '../common/values.js';
import { StrataError } from '../common/errors.js';

export const VALUE_TYPE_CODES: Record<ValueType, number> = { boolean: 1, long: 2, double: 3, string: 4, datetime: 5 };
const VALUE_TYPES_BY_CODE: ValueType[] = [];
for (const [name, code] of Object.entries(VALUE_TYPE_CODES)) VALUE_TYPES_BY_CODE[code] = name as ValueType;

export function valueTypeFromCode(code: number): ValueType {
  const type = VALUE_TYPES_BY_CODE[code];
  if (type === undefined) throw new StrataError('ENC', 1, `Unknown value type code ${code}.`);
  return type;
}

/** Strings up to this many UTF-8 bytes are stored inline in keys; longer ones as prefix + hash. */
export const STRING_INLINE_LIMIT = 200;
const STRING_HASHED_MARKER = 0xffff;
const STRING_HASH_PREFIX = 180;
const STRING_HASH_BYTES = 8;
/** Maximum string attribute size, as TypeDB 2.x (its encoding's unsigned 16-bit length). */
export const STRING_MAX_BYTES = 65_535;

const SIGN_BIT = 1n << 63n;

function writeSortableInt64(out: Uint8Array, offset: number, value: bigint): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setBigUint64(offset, BigInt.asUintN(64, value) ^ SIGN_BIT);
}

/**
 * Where stored 8-byte numbers are read: a DataView over the stored bytes themselves (on the JavaScript heap) would
 * first move them off it, which costs more than the read.
 */
const scratch = new DataView(new ArrayBuffer(8));

function checkEightBytes(bytes: Uint8Array, offset: number): void {
  if (offset < 0 || offset + 8 > bytes.length) throw new RangeError('Offset is outside the bounds of the DataView');
}

function readSortableInt64(bytes: Uint8Array, offset: number): bigint {
  checkEightBytes(bytes, offset);
  for (let i = 0; i < 8; i++) scratch.setUint8(i, bytes[offset + i]!);
  return BigInt.asIntN(64, scratch.getBigUint64(0) ^ SIGN_BIT);
}

function writeSortableDouble(out: Uint8Array, offset: number, value: number): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  // Normalise -0 to 0 so that equal doubles have equal keys.
  view.setFloat64(offset, value === 0 ? 0 : value);
  const high = view.getUint8(offset);
  if (high & 0x80) {
    for (let i = 0; i < 8; i++) out[offset + i] = ~out[offset + i]! & 0xff;
  } else {
    out[offset] = high | 0x80;
  }
}

function readSortableDouble(bytes: Uint8Array, offset: number): number {
  checkEightBytes(bytes, offset);
  const high = bytes[offset]!;
  if (high & 0x80) {
    scratch.setUint8(0, high & 0x7f);
    for (let i = 1; i < 8; i++) scratch.setUint8(i, bytes[offset + i]!);
  } else {
    for (let i = 0; i < 8; i++) scratch.setUint8(i, ~bytes[offset + i]! & 0xff);
  }
  return scratch.getFloat64(0);
}

const utf8 = new TextEncoder();
/** ignoreBOM: a value may begin with U+FEFF, which is part of it (by default the decoder drops it). */
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Bytes start..end as UTF-8, failing on invalid UTF-8 as utf8Decoder does. */
function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  // Stored keys and values are Buffers, and a view of a Buffer (which the decoder needs) costs several times the
  // decoding of a short string: ASCII, the usual case, is read straight from the Buffer instead.
  if (Buffer.isBuffer(bytes) && isAscii(bytes, start, end)) return bytes.toString('latin1', start, end);
  return utf8Decoder.decode(bytes.subarray(start, end));
}

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! > 0x7f) return false;
  return true;
}

/** Key bytes of a value (without a value-type tag: the attribute type determines it). */
export function encodeValueKey(value: Value): Uint8Array {
  switch (value.type) {
    case 'boolean':
      return Uint8Array.of(value.value ? 1 : 0);
    case 'long': {
      const out = new Uint8Array(8);
      writeSortableInt64(out, 0, value.value);
      return out;
    }
    case 'datetime': {
      const out = new Uint8Array(8);
      writeSortableInt64(out, 0, BigInt(value.value));
      return out;
    }
    case 'double': {
      const out = new Uint8Array(8);
      writeSortableDouble(out, 0, value.value);
      return out;
    }
    case 'string': {
      const bytes = utf8.encode(value.value);
      if (bytes.length > STRING_MAX_BYTES) {
        throw new StrataError('ENC', 1, `Attempted to insert a string larger than the maximum possible size: ${STRING_MAX_BYTES} bytes. (This one has ${bytes.length}.)`);
      }
      if (bytes.length <= STRING_INLINE_LIMIT) {
        const out = new Uint8Array(2 + bytes.length);
        out[0] = bytes.length >> 8;
        out[1] = bytes.length & 0xff;
        out.set(bytes, 2);
        return out;
      }
      const out = new Uint8Array(2 + STRING_HASH_PREFIX + STRING_HASH_BYTES);
      out[0] = STRING_HASHED_MARKER >> 8;
      out[1] = STRING_HASHED_MARKER & 0xff;
      out.set(bytes.subarray(0, STRING_HASH_PREFIX), 2);
      out.set(createHash('sha256').update(bytes).digest().subarray(0, STRING_HASH_BYTES), 2 + STRING_HASH_PREFIX);
      return out;
    }
  }
}

/** Length of the value key starting at offset, for a value of the given type. */
export function valueKeyLength(type: ValueType, bytes: Uint8Array, offset: number): number {
  switch (type) {
    case 'boolean':
      return 1;
    case 'long':
    case 'double':
    case 'datetime':
      return 8;
    case 'string': {
      const length = (bytes[offset]! << 8) | bytes[offset + 1]!;
      return length === STRING_HASHED_MARKER ? 2 + STRING_HASH_PREFIX + STRING_HASH_BYTES : 2 + length;
    }
  }
}

/** Decodes a value key; returns undefined for hashed strings (their full value is in the record). */
export function decodeValueKey(type: ValueType, bytes: Uint8Array, offset: number): Value | undefined {
  switch (type) {
    case 'boolean':
      return { type, value: bytes[offset] === 1 };
    case 'long':
      return { type, value: readSortableInt64(bytes, offset) };
    case 'datetime':
      return { type, value: Number(readSortableInt64(bytes, offset)) };
    case 'double':
      return { type, value: readSortableDouble(bytes, offset) };
    case 'string': {
      const length = (bytes[offset]! << 8) | bytes[offset + 1]!;
      if (length === STRING_HASHED_MARKER) return undefined;
      return { type, value: decodeUtf8(bytes, offset + 2, offset + 2 + length) };
    }
  }
}

/** Full value record: [type code][payload]. */
export function encodeValueRecord(value: Value): Uint8Array {
  if (value.type === 'string') {
    const bytes = utf8.encode(value.value);
    const out = new Uint8Array(1 + bytes.length);
    out[0] = VALUE_TYPE_CODES.string;
    out.set(bytes, 1);
    return out;
  }
  const key = encodeValueKey(value);
  const out = new Uint8Array(1 + key.length);
  out[0] = VALUE_TYPE_CODES[value.type];
  out.set(key, 1);
  return out;
}

export function decodeValueRecord(bytes: Uint8Array): Value {
  const type = valueTypeFromCode(bytes[0]!);
  if (type === 'string') return { type, value: decodeUtf8(bytes, 1, bytes.length) };
  return decodeValueKey(type, bytes, 1)!;
}
