// Byte-level mutations of a .typedb file for the import fuzzer (fuzz-import.ts): damage to the bytes as they are
// (bit flips, overwrites, cuts, inserted and deleted bytes, length prefixes), and damage to the records that is
// framed again correctly, so that it gets past the framing and reaches the decoder and the import behind it.

/** A record of the file: its length prefix's offset, and its item message. */
export interface RawRecord {
  readonly offset: number;
  readonly prefixBytes: number;
  readonly body: Buffer;
}

export type Random = () => number;
export type ByteMutation = (bytes: Buffer, records: readonly RawRecord[], random: Random) => Buffer;

export const below = (random: Random, n: number): number => Math.floor(random() * n);
export const pick = <T>(random: Random, xs: readonly T[]): T => xs[below(random, xs.length)]!;

/** Splits a well-formed file into its records. */
export function splitRecords(bytes: Buffer): RawRecord[] {
  const out: RawRecord[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    let length = 0;
    let scale = 1;
    let p = pos;
    for (;;) {
      const b = bytes[p++]!;
      length += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) break;
    }
    out.push({ offset: pos, prefixBytes: p - pos, body: bytes.subarray(p, p + length) });
    pos = p + length;
  }
  return out;
}

export function varint(value: bigint): Buffer {
  const out: number[] = [];
  let v = BigInt.asUintN(64, value);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

/** Records framed again, each with a correct length prefix. */
export function frame(bodies: readonly Buffer[]): Buffer {
  return Buffer.concat(bodies.flatMap((body) => [varint(BigInt(body.length)), body]));
}

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x12, 0x1a, 0x22, 0x7a, 0x82];

/** A random record other than the first and last (header and checksums), when there is one. */
function dataRecord(records: readonly RawRecord[], random: Random): number {
  return records.length > 2 ? 1 + below(random, records.length - 2) : below(random, records.length);
}

function recordEnd(r: RawRecord): number {
  return r.offset + r.prefixBytes + r.body.length;
}

/** Applies a byte mutation to the body of one record and frames the file again. */
function inBody(mutate: (body: Buffer, random: Random) => Buffer): ByteMutation {
  return (_bytes, records, random) => {
    const at = dataRecord(records, random);
    return frame(records.map((r, i) => (i === at ? mutate(Buffer.from(r.body), random) : r.body)));
  };
}

function flipBits(bytes: Buffer, random: Random): Buffer {
  const out = Buffer.from(bytes);
  if (out.length === 0) return out;
  for (let k = 0, n = 1 + below(random, 4); k < n; k++) out[below(random, out.length)]! ^= 1 << below(random, 8);
  return out;
}

function overwrite(bytes: Buffer, random: Random): Buffer {
  const out = Buffer.from(bytes);
  if (out.length === 0) return out;
  const at = below(random, out.length);
  for (let k = 0, n = 1 + below(random, 8); k < n && at + k < out.length; k++) {
    out[at + k] = random() < 0.5 ? pick(random, INTERESTING) : below(random, 256);
  }
  return out;
}

function insertBytes(bytes: Buffer, random: Random): Buffer {
  const at = below(random, bytes.length + 1);
  const extra = Buffer.from(Array.from({ length: 1 + below(random, 16) }, () => below(random, 256)));
  return Buffer.concat([bytes.subarray(0, at), extra, bytes.subarray(at)]);
}

function deleteBytes(bytes: Buffer, random: Random): Buffer {
  const at = below(random, bytes.length);
  return Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + 1 + below(random, 16)))]);
}

/** Length prefixes that cannot be right: huge, zero, over-long, one off. */
function badPrefix(length: number, random: Random): Buffer {
  switch (below(random, 8)) {
    case 0: return varint(0n);
    case 1: return varint(0x7fff_ffffn);
    case 2: return varint(0x8000_0000n);
    case 3: return varint(2n ** 35n);
    case 4: return Buffer.alloc(10, 0xff);
    case 5: return Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]); // six-byte zero
    case 6: return varint(BigInt(length + 1 + below(random, 3)));
    default: return varint(BigInt(Math.max(0, length - 1 - below(random, 3))));
  }
}

export const BYTE_MUTATIONS: Record<string, ByteMutation> = {
  'bit-flip': (bytes, _r, random) => flipBits(bytes, random),
  overwrite: (bytes, _r, random) => overwrite(bytes, random),
  'insert-bytes': (bytes, _r, random) => insertBytes(bytes, random),
  'delete-bytes': (bytes, _r, random) => deleteBytes(bytes, random),
  /** Cut at a record boundary, inside a length prefix, inside a body, one byte short of the end, anywhere. */
  truncate: (bytes, records, random) => {
    const r = records[below(random, records.length)]!;
    switch (below(random, 5)) {
      case 0: return bytes.subarray(0, r.offset);
      case 1: return bytes.subarray(0, r.offset + below(random, r.prefixBytes));
      case 2: return bytes.subarray(0, r.offset + r.prefixBytes + below(random, Math.max(1, r.body.length)));
      case 3: return bytes.subarray(0, bytes.length - 1);
      default: return bytes.subarray(0, below(random, bytes.length));
    }
  },
  /** One record's length prefix replaced by a wrong one, the rest left as it was. */
  'bad-prefix': (bytes, records, random) => {
    const r = records[below(random, records.length)]!;
    const body = r.offset + r.prefixBytes;
    return Buffer.concat([bytes.subarray(0, r.offset), badPrefix(r.body.length, random), bytes.subarray(body)]);
  },
  /** Prefixes with redundant continuation bytes (valid varints, non-canonical) or over the 5-byte varint32. */
  'long-prefix': (_bytes, records, random) => {
    const at = below(random, records.length);
    const extra = 1 + below(random, 6);
    return Buffer.concat(records.map((r, i) => {
      const prefix = varint(BigInt(r.body.length));
      if (i !== at) return Buffer.concat([prefix, r.body]);
      const long = Buffer.concat([Buffer.from(prefix.map((b) => b | 0x80)), Buffer.alloc(extra - 1, 0x80), Buffer.from([0])]);
      return Buffer.concat([long, r.body]);
    }));
  },
  'body-bit-flip': inBody(flipBits),
  'body-overwrite': inBody(overwrite),
  'body-insert': inBody(insertBytes),
  'body-delete': inBody(deleteBytes),
  'body-cut': inBody((body, random) => body.subarray(0, below(random, body.length + 1))),
  'record-duplicate': (_bytes, records, random) => {
    const at = below(random, records.length);
    const bodies = records.map((r) => r.body);
    bodies.splice(below(random, bodies.length + 1), 0, records[at]!.body);
    return frame(bodies);
  },
  'record-remove': (_bytes, records, random) => {
    const at = below(random, records.length);
    return frame(records.filter((_, i) => i !== at).map((r) => r.body));
  },
  'record-swap': (_bytes, records, random) => {
    const bodies = records.map((r) => r.body);
    const i = below(random, bodies.length);
    const j = below(random, bodies.length);
    [bodies[i], bodies[j]] = [bodies[j]!, bodies[i]!];
    return frame(bodies);
  },
  /** An empty record (length 0): an Item with no field set. */
  'record-empty': (_bytes, records, random) => {
    const bodies = records.map((r) => r.body);
    bodies.splice(below(random, bodies.length + 1), 0, Buffer.alloc(0));
    return frame(bodies);
  },
  /** The file followed by garbage, or by the start of itself. */
  'trailing-bytes': (bytes, records, random) => {
    const extra = random() < 0.5 ? Buffer.from(Array.from({ length: 1 + below(random, 20) }, () => below(random, 256))) : bytes.subarray(0, recordEnd(records[0]!) + below(random, 3));
    return Buffer.concat([bytes, extra]);
  },
};
