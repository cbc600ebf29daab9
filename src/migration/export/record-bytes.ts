// The byte-level pieces of the export's record encoder (thing-encoder.ts): string fields encoded once (labels),
// copies four bytes at a time, and base64 written straight into the record buffer through a 12-bit table.

import { varint32Size, writeVarint32 } from '../codec/wire.js';

/** A string field as the encoder copies it: tag, length and bytes; nothing for an empty string (proto3). */
export class EncodedField {
  readonly bytes: Buffer;
  readonly view: DataView;

  constructor(tag: number, text: string) {
    const utf8 = Buffer.from(text, 'utf8');
    const size = utf8.length === 0 ? 0 : 1 + varint32Size(utf8.length) + utf8.length;
    this.bytes = Buffer.alloc(size);
    if (size > 0) {
      this.bytes[0] = tag;
      utf8.copy(this.bytes, writeVarint32(this.bytes, 1, utf8.length));
    }
    this.view = viewOf(this.bytes);
  }
}

const BASE64 = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');
/** The two base64 characters of each 12-bit value, high byte first: a 3-byte group is two lookups, one write. */
const BASE64_PAIRS = new Uint16Array(4096);
for (let i = 0; i < 4096; i++) BASE64_PAIRS[i] = (BASE64[i >>> 6]! << 8) | BASE64[i & 63]!;
const PAD = 0x3d;

export function viewOf(buffer: Buffer): DataView {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.length);
}

export function base64Length(bytes: number): number {
  return (((bytes + 2) / 3) | 0) << 2;
}

/** Copies `length` bytes four at a time (the last four may overlap), byte by byte below four. */
export function copyBytes(from: DataView, fromAt: number, to: DataView, toAt: number, length: number): void {
  if (length < 4) {
    for (let i = 0; i < length; i++) to.setUint8(toAt + i, from.getUint8(fromAt + i));
    return;
  }
  let i = 0;
  for (; i + 4 < length; i += 4) to.setUint32(toAt + i, from.getUint32(fromAt + i));
  to.setUint32(toAt + length - 4, from.getUint32(fromAt + length - 4));
}

/** Copies an encoded field into out at `at`; returns where it ends. */
export function copyField(field: EncodedField, out: Buffer, view: DataView, at: number): number {
  const length = field.bytes.length;
  if (length > 64) return at + field.bytes.copy(out, at);
  copyBytes(field.view, 0, view, at, length);
  return at + length;
}

/** The base64 of an 11-byte object IID (16 characters, the last one padding), as four 4-byte writes. */
export function writeObjectBase64(view: DataView, at: number, bytes: Buffer, from: number): void {
  for (let i = from; i < from + 9; i += 3, at += 4) {
    const triple = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    view.setUint32(at, (BASE64_PAIRS[triple >>> 12]! << 16) | BASE64_PAIRS[triple & 0xfff]!);
  }
  const last = (bytes[from + 9]! << 16) | (bytes[from + 10]! << 8);
  view.setUint32(at, (BASE64_PAIRS[last >>> 12]! << 16) | (BASE64[(last >>> 6) & 63]! << 8) | PAD);
}

/** Standard base64 with padding, as Buffer.toString('base64') writes it, of bytes[from, from + length), into out at `at`. */
export function writeBase64(view: DataView, out: Buffer, at: number, bytes: Buffer, from: number, length: number): number {
  const end = from + length;
  let i = from;
  for (; i + 2 < end; i += 3) {
    const triple = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    view.setUint32(at, (BASE64_PAIRS[triple >>> 12]! << 16) | BASE64_PAIRS[triple & 0xfff]!);
    at += 4;
  }
  if (i < end) {
    const rest = end - i;
    const triple = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    out[at++] = BASE64[triple >>> 18]!;
    out[at++] = BASE64[(triple >>> 12) & 63]!;
    out[at++] = rest === 2 ? BASE64[(triple >>> 6) & 63]! : PAD;
    out[at++] = PAD;
  }
  return at;
}
