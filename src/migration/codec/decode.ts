// Decoding one record's bytes into the typed model: protobufjs does the wire parsing with a stricter reader
// (bounded, UTF-8-validated strings; 64-bit integers as bigint), then the message is mapped to `Item`.

import { isUtf8 } from 'node:buffer';
import type protobuf from 'protobufjs';
import type { Value } from '../../common/values.js';
import { CodecError, CodecErrorCode, describeSource, describeSourceCapitalised, quoteId, shownLabel } from './errors.js';
import type { Checksums, Item, RolePlayers, ThingId } from './model.js';
import { itemType, loadProtobuf } from './schema.js';

/** A wire-level fault found by the reader; turned into an UNDECODABLE_ITEM error with the file offset. */
class WireFault extends Error {}

/**
 * protobufjs' BufferReader with three differences: a string whose length runs past its message is an error
 * (stock protobufjs silently clips it), strings must be valid UTF-8 (as protobuf-java and prost require;
 * lenient decoding would turn bad bytes into U+FFFD and could make distinct IDs equal), and 64-bit integers
 * are returned as bigint so no long or datetime loses precision. Defined once protobufjs is loaded.
 */
let StrictReader: (new (buf: Buffer) => protobuf.BufferReader) | undefined;

function strictReader(): protobuf.BufferReader {
  StrictReader ??= defineStrictReader(loadProtobuf());
  return new StrictReader(Buffer.alloc(0));
}

function defineStrictReader(pb: typeof protobuf): new (buf: Buffer) => protobuf.BufferReader {
  class Strict extends pb.BufferReader {
    override string(): string {
      const length = this.uint32();
      const start = this.pos;
      const end = start + length;
      if (end > this.len) throw new WireFault(`a string of ${length} bytes runs past the end of its message`);
      this.pos = end;
      const buf = this.buf as FastBuffer;
      const text = buf.utf8Slice(start, end);
      // Decoding replaces every ill-formed sequence with U+FFFD, so only a string containing one can be invalid
      // (2.0 files hold genuine U+FFFD characters in IDs; those pass the check).
      if (text.indexOf('\uFFFD') !== -1 && !isUtf8(buf.subarray(start, end))) {
        throw new WireFault('a string field is not valid UTF-8');
      }
      return text;
    }
  }
  // The generated decoders call r.int64() / r.uint64() / r.sint64(); protobufjs' own versions return Long.
  const longReaders = Strict.prototype as unknown as Record<'int64' | 'uint64' | 'sint64', () => bigint>;
  longReaders.int64 = function (this: protobuf.Reader) {
    return BigInt.asIntN(64, readVarint64(this));
  };
  longReaders.uint64 = function (this: protobuf.Reader) {
    return readVarint64(this);
  };
  longReaders.sint64 = function (this: protobuf.Reader) {
    const n = readVarint64(this);
    return (n >> 1n) ^ -(n & 1n);
  };
  return Strict;
}

/** Node's Buffer has this undocumented, unwrapped form of `toString('utf8', start, end)`. */
type FastBuffer = Buffer & { utf8Slice(start: number, end: number): string };

/** Reads a varint of up to 10 bytes as the low 64 bits of an unsigned integer. */
function readVarint64(reader: protobuf.Reader): bigint {
  const buf = reader.buf;
  const len = reader.len;
  let pos = reader.pos;
  let lo = 0;
  let hi = 0;
  for (let shift = 0; shift < 28; shift += 7) {
    if (pos >= len) throw new WireFault('a varint runs past the end of its message');
    const b = buf[pos++]!;
    lo |= (b & 0x7f) << shift;
    if (b < 0x80) {
      reader.pos = pos;
      return BigInt(lo >>> 0);
    }
  }
  if (pos >= len) throw new WireFault('a varint runs past the end of its message');
  let b = buf[pos++]!;
  lo |= (b & 0x7f) << 28;
  hi = (b & 0x7f) >> 4;
  for (let shift = 3; b >= 0x80; shift += 7) {
    if (shift > 31) throw new WireFault('a varint is longer than 10 bytes');
    if (pos >= len) throw new WireFault('a varint runs past the end of its message');
    b = buf[pos++]!;
    hi |= (b & 0x7f) << shift;
  }
  reader.pos = pos;
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

// Shapes of the decoded protobufjs messages (camelCase names; absent fields read their prototype defaults).
interface IdMessage {
  id: string;
}
interface ThingMessage {
  id: string;
  label: string;
  attribute: IdMessage[];
}
interface RoleMessage {
  label: string;
  player: IdMessage[];
}
interface DatetimeMessage {
  seconds?: bigint;
  nanos?: number;
}
interface ValueMessage {
  value: string | undefined;
  string: string;
  boolean: boolean;
  long: bigint;
  double: number;
  datetime: bigint;
  datetimeV3: DatetimeMessage;
}
interface ItemMessage {
  item: string | undefined;
  attribute: ThingMessage & { value: ValueMessage | null };
  entity: ThingMessage;
  relation: ThingMessage & { role: RoleMessage[] };
  header: { typedbVersion: string; originalDatabase: string };
  checksums: Record<string, unknown>;
}

/** Where a record sits, for error messages. */
interface RecordPosition {
  /** The file path, if the input is a file. */
  readonly path: string | undefined;
  /** Byte offset of the record's length prefix. */
  readonly offset: number;
  /** Byte offset of the first byte of the item message (after the prefix). */
  readonly bodyOffset: number;
}

/** Decodes records out of the buffers handed to it; one instance per input (it reuses one protobufjs reader). */
export class ItemDecoder {
  private reader: protobuf.BufferReader | undefined;
  // The current record's position, reused across records instead of allocating one per item.
  private readonly at: { path: string | undefined; offset: number; bodyOffset: number };

  constructor(path: string | undefined) {
    this.at = { path, offset: 0, bodyOffset: 0 };
  }

  /**
   * Decodes the `Item` in `buf[start, end)`. `offset` is the input offset of the record's length prefix,
   * and `start` corresponds to input offset `bodyOffset`.
   */
  decode(buf: Buffer, start: number, end: number, offset: number, bodyOffset: number): Item {
    const at = this.at;
    at.offset = offset;
    at.bodyOffset = bodyOffset;
    const reader = (this.reader ??= strictReader());
    reader.buf = buf;
    reader.pos = start;
    reader.len = end;
    let message: ItemMessage;
    try {
      message = itemType().decode(reader) as unknown as ItemMessage;
    } catch (e) {
      const where = bodyOffset + (Math.min(reader.pos, end) - start);
      throw new CodecError(
        CodecErrorCode.UNDECODABLE_ITEM,
        `${describeSourceCapitalised(at.path)} is damaged or is not a .typedb export: the record at byte offset ` +
          `${offset} (${end - start} bytes) is not a valid data.Item protobuf message — ${wireReason(e)} ` +
          `(near byte offset ${where}). Re-export the data or restore the file from a good copy.`,
        offset,
        { cause: e },
      );
    }
    return toItem(message, buf, start, end, at);
  }
}

function wireReason(e: unknown): string {
  if (e instanceof WireFault) return e.message;
  const text = e instanceof Error ? e.message : String(e);
  if (/index out of range/.test(text)) return 'a field or nested message runs past the end of its enclosing message';
  const wire = /invalid wire type (\d+)/.exec(text);
  if (wire) return `a field has the invalid wire type ${wire[1]}`;
  if (/nesting depth/.test(text)) return 'groups are nested too deeply';
  if (/invalid varint/.test(text)) return 'a varint is longer than 10 bytes';
  return text;
}

function ids(list: readonly IdMessage[]): ThingId[] {
  const out = new Array<ThingId>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = list[i]!.id;
  return out;
}

function toItem(m: ItemMessage, buf: Buffer, start: number, end: number, at: RecordPosition): Item {
  const kind = m.item;
  if (kind !== undefined && Object.keys(m).length > 1) {
    throw new CodecError(
      CodecErrorCode.UNDECODABLE_ITEM,
      `${describeSourceCapitalised(at.path)} is damaged: the record at byte offset ${at.offset} holds more than ` +
        `one item kind (${Object.keys(m).join(', ')}); an item is exactly one of header, entity, relation, ` +
        `attribute or checksums.`,
      at.offset,
    );
  }
  switch (kind) {
    case 'entity': {
      const e = m.entity;
      return { kind: 'entity', id: e.id, label: e.label, ownerships: ids(e.attribute) };
    }
    case 'relation': {
      const r = m.relation;
      const roles = new Array<RolePlayers>(r.role.length);
      for (let i = 0; i < roles.length; i++) {
        const role = r.role[i]!;
        roles[i] = { label: role.label, players: ids(role.player) };
      }
      return { kind: 'relation', id: r.id, label: r.label, ownerships: ids(r.attribute), roles };
    }
    case 'attribute': {
      const a = m.attribute;
      return { kind: 'attribute', id: a.id, label: a.label, ownerships: ids(a.attribute), value: toValue(a, at) };
    }
    case 'header':
      return { kind: 'header', typedbVersion: m.header.typedbVersion, originalDatabase: m.header.originalDatabase };
    case 'checksums':
      return { kind: 'checksums', checksums: toChecksums(m.checksums, at) };
    default:
      throw new CodecError(
        CodecErrorCode.UNKNOWN_ITEM_KIND,
        `${describeSourceCapitalised(at.path)} holds a record of an unknown kind at byte offset ${at.offset}: ` +
          `it is a valid protobuf message but none of header, entity, relation, attribute or checksums ` +
          `(${describeFields(buf, start, end)}). The file was written by an incompatible tool or is damaged.`,
        at.offset,
      );
  }
}

/** Lists the top-level field numbers of a message, for the unknown-kind message. */
function describeFields(buf: Buffer, start: number, end: number): string {
  if (start === end) return 'the record is empty';
  const reader = new (loadProtobuf().BufferReader)(buf);
  reader.pos = start;
  reader.len = end;
  const numbers: number[] = [];
  try {
    while (reader.pos < end && numbers.length < 8) {
      const tag = reader.uint32();
      numbers.push(tag >>> 3);
      reader.skipType(tag & 7);
    }
  } catch {
    // best effort: list what could be read
  }
  return `field numbers found: ${numbers.join(', ')}`;
}

const COUNTERS: readonly [keyof Checksums, string, string][] = [
  ['entities', 'entityCount', 'entity_count'],
  ['attributes', 'attributeCount', 'attribute_count'],
  ['relations', 'relationCount', 'relation_count'],
  ['roles', 'roleCount', 'role_count'],
  ['ownerships', 'ownershipCount', 'ownership_count'],
];

function toChecksums(c: Record<string, unknown>, at: RecordPosition): Checksums {
  const out: Record<string, number> = {};
  for (const [name, field, protoName] of COUNTERS) {
    // An absent counter reads protobufjs' prototype default (a Long zero), so only own properties count.
    const raw = Object.hasOwn(c, field) ? (c[field] as bigint) : 0n;
    if (raw < 0n || raw > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new CodecError(
        CodecErrorCode.INVALID_CHECKSUM_COUNT,
        `${describeSourceCapitalised(at.path)} is damaged: the checksums item at byte offset ${at.offset} has ` +
          `${protoName} ${raw}, which is not a possible count.`,
        at.offset,
      );
    }
    out[name] = Number(raw);
  }
  return out as unknown as Checksums;
}

/** JS Date's range: ±8.64e15 ms around the epoch (years −271821 to 275760). */
const MAX_DATETIME_MS = 8_640_000_000_000_000n;

const UNSUPPORTED_VALUE_KINDS: Record<string, string> = {
  decimal: 'a decimal',
  date: 'a date',
  datetimeTz: 'a datetime-tz',
  duration: 'a duration',
  struct: 'a struct',
};

function toValue(a: ThingMessage & { value: ValueMessage | null }, at: RecordPosition): Value {
  const v = a.value;
  const kind = v?.value;
  if (v === null || kind === undefined) {
    throw new CodecError(
      CodecErrorCode.ATTRIBUTE_WITHOUT_VALUE,
      `The data being imported is invalid: ${describeAttribute(a, at)} in ${describeSource(at.path)} has no value (or only a value ` +
        `kind unknown to this reader). The file is damaged or was written by an incompatible tool.`,
      at.offset,
    );
  }
  if (Object.keys(v).length > 1) {
    throw new CodecError(
      CodecErrorCode.UNDECODABLE_ITEM,
      `${describeSourceCapitalised(at.path)} is damaged: ${describeAttribute(a, at)} holds more than one value ` +
        `(${Object.keys(v).join(', ')}).`,
      at.offset,
    );
  }
  switch (kind) {
    case 'string':
      return { type: 'string', value: v.string };
    case 'boolean':
      return { type: 'boolean', value: v.boolean };
    case 'long':
      return { type: 'long', value: v.long };
    case 'double':
      return { type: 'double', value: v.double };
    case 'datetime':
      return { type: 'datetime', value: datetimeMillis(v.datetime, a, at) };
    case 'datetimeV3': {
      // 3.x writes datetimes as seconds + nanos; Strata keeps milliseconds, so accept only exact conversions.
      // Absent fields read protobufjs' prototype defaults (a Long for seconds), so only own properties count.
      const dt = v.datetimeV3;
      const seconds = Object.hasOwn(dt, 'seconds') ? (dt.seconds as bigint) : 0n;
      const nanos = Object.hasOwn(dt, 'nanos') ? (dt.nanos as number) : 0;
      if (nanos >= 1_000_000_000 || nanos % 1_000_000 !== 0) {
        throw new CodecError(
          CodecErrorCode.UNREPRESENTABLE_VALUE,
          `Cannot read ${describeAttribute(a, at)} in ${describeSource(at.path)}: its datetime has ${nanos} nanoseconds, and Strata ` +
            `stores datetimes with millisecond precision, so importing it would change the value. Round these ` +
            `datetimes to whole milliseconds in the source database before exporting.`,
          at.offset,
        );
      }
      return { type: 'datetime', value: datetimeMillis(seconds * 1000n + BigInt(nanos / 1_000_000), a, at) };
    }
    default:
      throw new CodecError(
        CodecErrorCode.UNSUPPORTED_VALUE_TYPE,
        `Cannot read ${describeAttribute(a, at)} in ${describeSource(at.path)}: it holds ${UNSUPPORTED_VALUE_KINDS[kind] ?? kind} ` +
          `value (a TypeDB 3.x value type), and Strata only stores long, double, string, boolean and datetime ` +
          `values. Convert or remove attributes of type '${shownLabel(a.label)}' in the source database before exporting.`,
        at.offset,
      );
  }
}

function datetimeMillis(ms: bigint, a: ThingMessage, at: RecordPosition): number {
  if (ms > MAX_DATETIME_MS || ms < -MAX_DATETIME_MS) {
    throw new CodecError(
      CodecErrorCode.UNREPRESENTABLE_VALUE,
      `Cannot read ${describeAttribute(a, at)} in ${describeSource(at.path)}: its datetime (${ms} ms from the epoch) is outside ` +
        `the range Strata can store (years -271821 to 275760).`,
      at.offset,
    );
  }
  return Number(ms);
}

function describeAttribute(a: ThingMessage, at: RecordPosition): string {
  return `the attribute item at byte offset ${at.offset} (type '${shownLabel(a.label)}', id ${quoteId(a.id)})`;
}
