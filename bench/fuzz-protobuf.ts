// Field-level mutations of a record's protobuf message for the import fuzzer: the message is parsed into a tree
// of fields (length-delimited fields that parse as messages become subtrees), one field anywhere in the tree is
// changed, and the tree is written again with correct lengths around it, so that the damage reaches the decoder's
// field handling (unknown fields, wrong wire types, repeated singular fields, huge varints, bad UTF-8…).
import { below, frame, pick, varint, type ByteMutation, type Random } from './fuzz-bytes.js';

interface Field {
  num: number;
  wireType: number;
  /** Varint value (wire type 0). */
  varint?: bigint;
  /** Raw payload: fixed64/fixed32 bytes, or a length-delimited payload that is not a message. */
  bytes?: Buffer;
  /** A length-delimited payload that parses as a message. */
  sub?: Field[];
  /** Written instead of the payload's true length (a lie). */
  lengthLie?: number;
}

function readVarint(buf: Buffer, pos: number): [bigint, number] | undefined {
  let v = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    if (pos >= buf.length) return undefined;
    const b = buf[pos++]!;
    v |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return [v, pos];
  }
  return undefined;
}

/** The fields of a message, or undefined if the bytes are not exactly one message. */
export function parseMessage(buf: Buffer, depth = 0): Field[] | undefined {
  const fields: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const tag = readVarint(buf, pos);
    if (tag === undefined) return undefined;
    pos = tag[1];
    const num = Number(tag[0] >> 3n);
    const wireType = Number(tag[0] & 7n);
    if (num === 0) return undefined;
    if (wireType === 0) {
      const v = readVarint(buf, pos);
      if (v === undefined) return undefined;
      fields.push({ num, wireType, varint: v[0] });
      pos = v[1];
    } else if (wireType === 1 || wireType === 5) {
      const n = wireType === 1 ? 8 : 4;
      if (pos + n > buf.length) return undefined;
      fields.push({ num, wireType, bytes: buf.subarray(pos, pos + n) });
      pos += n;
    } else if (wireType === 2) {
      const len = readVarint(buf, pos);
      if (len === undefined) return undefined;
      pos = len[1];
      const end = pos + Number(len[0]);
      if (end > buf.length) return undefined;
      const payload = buf.subarray(pos, end);
      const sub = depth < 6 && payload.length > 0 ? parseMessage(payload, depth + 1) : undefined;
      fields.push(sub !== undefined ? { num, wireType, sub } : { num, wireType, bytes: payload });
      pos = end;
    } else {
      return undefined;
    }
  }
  return fields;
}

export function writeMessage(fields: readonly Field[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of fields) {
    parts.push(varint((BigInt(f.num) << 3n) | BigInt(f.wireType)));
    if (f.varint !== undefined) {
      parts.push(varint(f.varint));
    } else {
      const payload = f.sub !== undefined ? writeMessage(f.sub) : (f.bytes ?? Buffer.alloc(0));
      if (f.wireType === 2 || f.lengthLie !== undefined) parts.push(varint(BigInt(f.lengthLie ?? payload.length)));
      parts.push(payload);
    }
  }
  return Buffer.concat(parts);
}

function cloneField(f: Field): Field {
  return { ...f, bytes: f.bytes === undefined ? undefined : Buffer.from(f.bytes), sub: f.sub?.map(cloneField) };
}

/** Every field of the tree with the list that holds it. */
function allFields(fields: Field[], out: [Field[], number][] = []): [Field[], number][] {
  fields.forEach((f, i) => {
    out.push([fields, i]);
    if (f.sub !== undefined) allFields(f.sub, out);
  });
  return out;
}

/** Strings that are not UTF-8: a lone continuation byte, an overlong NUL, a surrogate, a cut sequence, 0xff. */
const NOT_UTF8 = [[0x80], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xff, 0xfe], [0xf4, 0x90, 0x80, 0x80]];
const VARINTS = [0n, 1n, 2n ** 31n - 1n, 2n ** 31n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n];

function textLike(random: Random, old: Buffer): Buffer {
  switch (below(random, 6)) {
    case 0: return Buffer.alloc(0);
    case 1: return Buffer.alloc(20_000 + below(random, 200_000), 'x');
    case 2: return Buffer.concat([old.subarray(0, below(random, old.length + 1)), Buffer.from(pick(random, NOT_UTF8)), old.subarray(below(random, old.length + 1))]);
    case 3: return Buffer.from(Array.from({ length: below(random, 30) }, () => below(random, 256)));
    case 4: return Buffer.from('\u0000\n\t"\'\\é☃𝄞', 'utf8');
    default: return Buffer.from(old.toString('latin1').toUpperCase(), 'latin1');
  }
}

const FIELD_MUTATIONS: ((tree: [Field[], number][], random: Random) => void)[] = [
  // drop
  (tree, random) => { const [list, i] = pick(random, tree); list.splice(i, 1); },
  // duplicate (a repeated singular field, or a repeated entry)
  (tree, random) => { const [list, i] = pick(random, tree); list.splice(i, 0, cloneField(list[i]!)); },
  // renumber
  (tree, random) => { const [list, i] = pick(random, tree); list[i]!.num = random() < 0.5 ? 1 + below(random, 20) : 1 + below(random, 536_870_911); },
  // change the wire type, keeping the payload (the decoder must refuse it, not misread it)
  (tree, random) => {
    const [list, i] = pick(random, tree);
    const f = list[i]!;
    const to = pick(random, [0, 1, 2, 5]);
    if (to === f.wireType) return;
    if (to === 0) list[i] = { num: f.num, wireType: 0, varint: BigInt(below(random, 1000)) };
    else if (to === 2) list[i] = { num: f.num, wireType: 2, bytes: Buffer.from('abc') };
    else list[i] = { num: f.num, wireType: to, bytes: Buffer.alloc(to === 1 ? 8 : 4, below(random, 256)) };
  },
  // extreme varints
  (tree, random) => {
    const varints = tree.filter(([l, i]) => l[i]!.varint !== undefined);
    if (varints.length === 0) return;
    const [list, i] = pick(random, varints);
    list[i]!.varint = random() < 0.8 ? pick(random, VARINTS) : BigInt(below(random, 2 ** 31)) * BigInt(below(random, 2 ** 31));
  },
  // text payloads: empty, very long, not UTF-8, random, odd characters
  (tree, random) => {
    const texts = tree.filter(([l, i]) => l[i]!.bytes !== undefined && l[i]!.wireType === 2);
    if (texts.length === 0) return;
    const [list, i] = pick(random, texts);
    list[i]!.bytes = textLike(random, list[i]!.bytes!);
  },
  // a nested message's length written wrong (the outer ones stay right)
  (tree, random) => {
    const [list, i] = pick(random, tree);
    const f = list[i]!;
    if (f.wireType !== 2) return;
    const len = f.sub !== undefined ? writeMessage(f.sub).length : f.bytes!.length;
    f.lengthLie = pick(random, [0, len + 1, Math.max(0, len - 1), 0x7fff_ffff, 2 ** 40]);
  },
  // swap two siblings
  (tree, random) => {
    const [list] = pick(random, tree);
    const i = below(random, list.length);
    const j = below(random, list.length);
    [list[i], list[j]] = [list[j]!, list[i]!];
  },
  // fixed64/fixed32 payloads (doubles): NaN, infinities, -0, denormals
  (tree, random) => {
    const fixed = tree.filter(([l, i]) => l[i]!.wireType === 1);
    if (fixed.length === 0) return;
    const [list, i] = pick(random, fixed);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(pick(random, [NaN, Infinity, -Infinity, -0, 5e-324, Number.MAX_VALUE]));
    list[i]!.bytes = b;
  },
];

/** One field of one record changed; the file framed again. */
export const fieldMutation: ByteMutation = (_bytes, records, random) => {
  const at = records.length > 2 ? below(random, records.length) : 0;
  const bodies = records.map((r) => r.body);
  const tree = parseMessage(bodies[at]!);
  if (tree === undefined || tree.length === 0) return frame(bodies);
  for (let k = 0, n = 1 + below(random, 2); k < n; k++) {
    const fields = allFields(tree);
    if (fields.length === 0) break;
    pick(random, FIELD_MUTATIONS)(fields, random);
  }
  bodies[at] = writeMessage(tree);
  return frame(bodies);
};

/** A field of one record moved into another record (an entity's ownership into a relation, a value into an entity…). */
export const fieldSplice: ByteMutation = (_bytes, records, random) => {
  const bodies = records.map((r) => r.body);
  const from = parseMessage(pick(random, bodies));
  const at = below(random, bodies.length);
  const into = parseMessage(bodies[at]!);
  if (from === undefined || into === undefined) return frame(bodies);
  const donors = allFields(from);
  const targets = allFields(into).filter(([l, i]) => l[i]!.sub !== undefined);
  if (donors.length === 0 || targets.length === 0) return frame(bodies);
  const [dl, di] = pick(random, donors);
  const [tl, ti] = pick(random, targets);
  const sub = tl[ti]!.sub!;
  sub.splice(below(random, sub.length + 1), 0, cloneField(dl[di]!));
  bodies[at] = writeMessage(into);
  return frame(bodies);
};

/** A 3.x value kind or an odd datetime, as the ValueObject of one attribute record: 3.x exports hold them. */
function value3x(random: Random): Field[] {
  const v = (num: number, varint: bigint): Field => ({ num, wireType: 0, varint });
  switch (below(random, 7)) {
    case 0: return [{ num: 6, wireType: 2, sub: [v(1, 12n), v(2, 5n * 10n ** 18n)] }]; // decimal
    case 1: return [{ num: 8, wireType: 2, sub: [v(1, BigInt(below(random, 1e6)))] }]; // date
    case 2: return [{ num: 9, wireType: 2, sub: [v(1, pick(random, [0n, 1n, 2n ** 62n, BigInt.asUintN(64, -(2n ** 62n))])), v(2, BigInt.asUintN(64, BigInt(pick(random, [0, 1, 1_000_000, 999_999_999, 1_000_000_000, -1_000_000, -1]))))] }]; // datetime v3
    case 3: return [{ num: 10, wireType: 2, sub: [v(1, 5n)] }]; // datetime-tz
    case 4: return [{ num: 11, wireType: 2, sub: [v(1, 1n), v(2, 2n), v(3, 3n)] }]; // duration
    case 5: return [{ num: 12 + below(random, 5), wireType: 2, bytes: Buffer.from('x') }]; // later kinds
    default: return [v(5, pick(random, [2n ** 63n - 1n, 2n ** 63n, 8_640_000_000_000_001n]))]; // 2.x datetime out of range
  }
}

export const valueKindMutation: ByteMutation = (_bytes, records, random) => {
  const bodies = records.map((r) => r.body);
  const attributes = bodies.map((b, i) => [parseMessage(b), i] as const).filter(([t]) => t?.[0]?.num === 1 && t[0].sub !== undefined);
  if (attributes.length === 0) return frame(bodies);
  const [tree, at] = pick(random, attributes);
  const attribute = tree![0]!.sub!;
  const value = attribute.find((f) => f.num === 4);
  if (value !== undefined) value.sub = value3x(random);
  bodies[at] = writeMessage(tree!);
  return frame(bodies);
};
