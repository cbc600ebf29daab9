// Encodes items as TypeDB 2.x does (export-format.md §5): fields in ascending number order, non-oneof proto3
// scalars omitted when zero/empty, oneof members and empty messages always written, repeated messages
// unpacked. Hand-written over a caller's buffer because protobufjs' Writer managed ~0.25M items/s here; the
// tests check it byte for byte against the worked example and decode its output with protobufjs.

import type { Value } from '../../common/values.js';
import { CodecError, CodecErrorCode, quoteId } from './errors.js';
import { MAX_RECORD_BYTES } from './framing.js';
import {
  TAG_ITEM_ATTRIBUTE,
  TAG_ITEM_ENTITY,
  TAG_ITEM_RELATION,
  TAG_ITEM_HEADER,
  TAG_ITEM_CHECKSUMS,
  TAG_1_LEN,
  TAG_2_LEN,
  TAG_3_LEN,
  TAG_4_LEN,
  TAG_VALUE_BOOLEAN,
  TAG_VALUE_LONG,
  TAG_VALUE_DOUBLE,
  TAG_VALUE_DATETIME,
  varint32Size,
  varint64Size,
  writeVarint32,
  writeVarint64,
} from './wire.js';
import type { Checksums, DataItem, Item, RolePlayers, ThingId } from './model.js';

const CHECKSUM_TAGS: readonly [keyof Checksums, number][] = [
  ['entities', 0x08],
  ['attributes', 0x10],
  ['relations', 0x18],
  ['roles', 0x20],
  ['ownerships', 0x28],
];

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MAX_DATETIME_MS = 8.64e15;

/**
 * Two-pass encoder: `measure(item)` validates the item and returns its record size (length prefix included),
 * remembering every string and nested-message length; `write(buf, pos)` then emits that item.
 */
export class ItemEncoder {
  private item: Item | undefined;
  /** Byte lengths in the order `write` needs them (a message's length before its fields). */
  private lens = new Int32Array(256);
  private n = 0;
  private cursor = 0;
  private valueLo = 0;
  private valueHi = 0;

  measure(item: Item): number {
    this.item = item;
    this.n = 0;
    let body: number;
    let tagBytes = 1;
    switch (item?.kind) {
      case 'entity':
        body = this.measureThing(item);
        break;
      case 'attribute':
        body = this.measureThing(item) + this.measureValue(item);
        break;
      case 'relation': {
        body = this.measureThing(item);
        const roles = item.roles;
        if (!Array.isArray(roles)) throw invalid(item, 'its roles are not an array');
        for (let i = 0; i < roles.length; i++) body += this.measureRole(item, roles[i]!);
        break;
      }
      case 'header':
        body = this.stringField(item, item.typedbVersion, 'typedbVersion') +
          this.stringField(item, item.originalDatabase, 'originalDatabase');
        break;
      case 'checksums':
        body = 0;
        for (const [name] of CHECKSUM_TAGS) {
          const count = item.checksums[name];
          if (!Number.isSafeInteger(count) || count < 0) throw invalid(item, `its ${name} count ${count} is not a count`);
          if (count !== 0) body += 1 + varintSize(count);
        }
        tagBytes = 2;
        break;
      default:
        throw new CodecError(
          CodecErrorCode.INVALID_ITEM_TO_WRITE,
          `Cannot write an item of kind ${JSON.stringify((item as { kind?: unknown } | undefined)?.kind)}: the kinds ` +
            `are header, entity, relation, attribute and checksums.`,
        );
    }
    const itemBytes = tagBytes + varint32Size(body) + body;
    if (itemBytes > MAX_RECORD_BYTES) {
      throw invalid(item, `it would encode to ${itemBytes} bytes, beyond protobuf's 2 GiB message limit`);
    }
    this.push(body);
    return varint32Size(itemBytes) + itemBytes;
  }

  /** Writes the item last given to `measure` at `buf[pos]`; `buf` must have room for the measured size. */
  write(buf: Buffer, pos: number): number {
    const item = this.item!;
    this.cursor = 0;
    const body = this.lens[this.n - 1]!; // pushed last by measure
    const tagBytes = item.kind === 'checksums' ? 2 : 1;
    pos = writeVarint32(buf, pos, tagBytes + varint32Size(body) + body);
    switch (item.kind) {
      case 'entity':
        buf[pos++] = TAG_ITEM_ENTITY;
        pos = writeVarint32(buf, pos, body);
        pos = this.writeThing(buf, pos, item);
        break;
      case 'attribute':
        buf[pos++] = TAG_ITEM_ATTRIBUTE;
        pos = writeVarint32(buf, pos, body);
        pos = this.writeThing(buf, pos, item);
        pos = this.writeValue(buf, pos, item.value);
        break;
      case 'relation':
        buf[pos++] = TAG_ITEM_RELATION;
        pos = writeVarint32(buf, pos, body);
        pos = this.writeThing(buf, pos, item);
        for (const role of item.roles) pos = this.writeRole(buf, pos, role);
        break;
      case 'header':
        buf[pos++] = TAG_ITEM_HEADER;
        pos = writeVarint32(buf, pos, body);
        pos = this.writeStringField(buf, pos, TAG_1_LEN, item.typedbVersion);
        pos = this.writeStringField(buf, pos, TAG_2_LEN, item.originalDatabase);
        break;
      case 'checksums':
        buf[pos++] = TAG_ITEM_CHECKSUMS[0];
        buf[pos++] = TAG_ITEM_CHECKSUMS[1];
        pos = writeVarint32(buf, pos, body);
        for (const [name, tag] of CHECKSUM_TAGS) {
          const count = item.checksums[name];
          if (count === 0) continue;
          buf[pos++] = tag;
          pos = writeVarintNumber(buf, pos, count);
        }
        break;
    }
    return pos;
  }

  /** Encodes one item into a new buffer (convenience for tests and small outputs). */
  encode(item: Item): Buffer {
    const buf = Buffer.allocUnsafe(this.measure(item));
    const end = this.write(buf, 0);
    return end === buf.length ? buf : buf.subarray(0, end);
  }

  private push(length: number): void {
    if (this.n === this.lens.length) {
      const grown = new Int32Array(this.lens.length * 2);
      grown.set(this.lens);
      this.lens = grown;
    }
    this.lens[this.n++] = length;
  }

  private next(): number {
    return this.lens[this.cursor++]!;
  }

  // --- measuring: each returns the bytes of a field (tag + length + content) and records lengths ---

  /** A non-oneof string: omitted when empty (proto3 default). `what` names it in errors. */
  private stringField(item: Item, s: string, what: string): number {
    const bytes = utf8Length(s);
    if (bytes < 0) {
      throw invalid(
        item,
        typeof s === 'string'
          ? `its ${what} ${quoteId(s)} is not valid Unicode (it has an unpaired surrogate)`
          : `its ${what} is not a string`,
      );
    }
    this.push(bytes);
    return bytes === 0 ? 0 : 1 + varint32Size(bytes) + bytes;
  }

  /** id, label and ownerships, common to the three thing kinds. */
  private measureThing(item: DataItem): number {
    let size = this.stringField(item, item.id, 'id') + this.stringField(item, item.label, 'label');
    const owned = item.ownerships;
    if (!Array.isArray(owned)) throw invalid(item, 'its ownerships are not an array');
    for (let i = 0; i < owned.length; i++) size += this.idMessage(item, owned[i]!, 'owned attribute ID');
    return size;
  }

  /** A repeated `{ string id = 1; }` message: always written, even when empty. */
  private idMessage(item: Item, id: ThingId, what: string): number {
    const inner = this.stringField(item, id, what);
    return 1 + varint32Size(inner) + inner;
  }

  private measureRole(item: DataItem, role: RolePlayers): number {
    if (typeof role !== 'object' || role === null) throw invalid(item, 'one of its roles is not an object');
    const slot = this.n;
    this.push(0);
    let size = this.stringField(item, role.label, 'role label');
    const players = role.players;
    if (!Array.isArray(players)) throw invalid(item, `the players of role '${role.label}' are not an array`);
    for (let i = 0; i < players.length; i++) size += this.idMessage(item, players[i]!, 'player ID');
    this.lens[slot] = size;
    return 1 + varint32Size(size) + size;
  }

  private measureValue(item: Extract<Item, { kind: 'attribute' }>): number {
    const v = item.value as Value | undefined;
    let size: number;
    switch (v?.type) {
      case 'string': {
        const bytes = utf8Length(v.value);
        if (bytes < 0) throw invalid(item, 'its string value is not valid Unicode (it has an unpaired surrogate)');
        this.push(bytes);
        size = 1 + varint32Size(bytes) + bytes; // a oneof member is written even when empty
        break;
      }
      case 'boolean':
        if (typeof v.value !== 'boolean') throw invalid(item, 'its boolean value is not a boolean');
        size = 2;
        break;
      case 'long':
        if (typeof v.value !== 'bigint' || v.value < INT64_MIN || v.value > INT64_MAX) {
          throw invalid(item, `its long value ${String(v.value)} is not a 64-bit integer (bigint)`);
        }
        this.setInt64(v.value);
        size = 1 + varint64Size(this.valueLo, this.valueHi);
        break;
      case 'double':
        if (typeof v.value !== 'number') throw invalid(item, 'its double value is not a number');
        size = 9;
        break;
      case 'datetime':
        if (!Number.isSafeInteger(v.value) || Math.abs(v.value) > MAX_DATETIME_MS) {
          throw invalid(item, `its datetime value ${String(v.value)} is not a whole number of epoch milliseconds`);
        }
        this.setInt64(v.value);
        size = 1 + varint64Size(this.valueLo, this.valueHi);
        break;
      default:
        throw invalid(item, `its value ${JSON.stringify(v)} is not a long, double, string, boolean or datetime value`);
    }
    this.push(size);
    return 1 + varint32Size(size) + size;
  }

  /** Splits an int64 into the unsigned 32-bit halves of its two's complement. */
  private setInt64(v: bigint | number): void {
    if (typeof v === 'number' && v >= 0) {
      this.valueLo = v % 0x1_0000_0000;
      this.valueHi = Math.floor(v / 0x1_0000_0000);
      return;
    }
    const u = BigInt.asUintN(64, BigInt(v));
    this.valueLo = Number(u & 0xffff_ffffn);
    this.valueHi = Number(u >> 32n);
  }

  // --- writing: visits fields in the same order as measuring ---

  private writeStringField(buf: Buffer, pos: number, tag: number, s: string): number {
    const bytes = this.next();
    if (bytes === 0) return pos;
    buf[pos++] = tag;
    pos = writeVarint32(buf, pos, bytes);
    return writeString(buf, pos, s, bytes);
  }

  private writeIdMessage(buf: Buffer, pos: number, tag: number, id: string): number {
    const bytes = this.next();
    buf[pos++] = tag;
    if (bytes === 0) {
      buf[pos++] = 0;
      return pos;
    }
    pos = writeVarint32(buf, pos, 1 + varint32Size(bytes) + bytes);
    buf[pos++] = TAG_1_LEN;
    pos = writeVarint32(buf, pos, bytes);
    return writeString(buf, pos, id, bytes);
  }

  private writeThing(buf: Buffer, pos: number, item: DataItem): number {
    pos = this.writeStringField(buf, pos, TAG_1_LEN, item.id);
    pos = this.writeStringField(buf, pos, TAG_2_LEN, item.label);
    const owned = item.ownerships;
    for (let i = 0; i < owned.length; i++) pos = this.writeIdMessage(buf, pos, TAG_3_LEN, owned[i]!);
    return pos;
  }

  private writeRole(buf: Buffer, pos: number, role: RolePlayers): number {
    buf[pos++] = TAG_4_LEN;
    pos = writeVarint32(buf, pos, this.next());
    pos = this.writeStringField(buf, pos, TAG_1_LEN, role.label);
    const players = role.players;
    for (let i = 0; i < players.length; i++) pos = this.writeIdMessage(buf, pos, TAG_2_LEN, players[i]!);
    return pos;
  }

  private writeValue(buf: Buffer, pos: number, v: Value): number {
    // measure pushed the string length (if any) before the value message's size
    const stringBytes = v.type === 'string' ? this.next() : 0;
    buf[pos++] = TAG_4_LEN;
    pos = writeVarint32(buf, pos, this.next());
    switch (v.type) {
      case 'string':
        buf[pos++] = TAG_1_LEN;
        pos = writeVarint32(buf, pos, stringBytes);
        return writeString(buf, pos, v.value, stringBytes);
      case 'boolean':
        buf[pos++] = TAG_VALUE_BOOLEAN;
        buf[pos++] = v.value ? 1 : 0;
        return pos;
      case 'long':
        buf[pos++] = TAG_VALUE_LONG;
        return writeVarint64(buf, pos, this.valueLo, this.valueHi);
      case 'double':
        buf[pos++] = TAG_VALUE_DOUBLE;
        return buf.writeDoubleLE(v.value, pos);
      case 'datetime':
        buf[pos++] = TAG_VALUE_DATETIME;
        return writeVarint64(buf, pos, this.valueLo, this.valueHi);
    }
  }
}

function invalid(item: Item, problem: string): CodecError {
  const what =
    item.kind === 'header' || item.kind === 'checksums'
      ? `the ${item.kind} item`
      : `the ${item.kind} item with id ${quoteId(String(item.id))}${typeof item.label === 'string' ? ` (type '${item.label}')` : ''}`;
  return new CodecError(CodecErrorCode.INVALID_ITEM_TO_WRITE, `Cannot write ${what}: ${problem}.`);
}

/** UTF-8 byte length of a string, or -1 if it is not a string or has an unpaired surrogate. */
function utf8Length(s: string): number {
  if (typeof s !== 'string') return -1;
  const n = s.length;
  let bytes = n;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      bytes += 1;
    } else if (c < 0xd800 || c > 0xdfff) {
      bytes += 2;
    } else if (c <= 0xdbff && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a surrogate pair: 2 code units, 4 bytes
      i++;
    } else {
      return -1;
    }
  }
  return bytes;
}

function writeString(buf: Buffer, pos: number, s: string, bytes: number): number {
  if (bytes === s.length) {
    if (bytes < 64) {
      for (let i = 0; i < bytes; i++) buf[pos + i] = s.charCodeAt(i);
      return pos + bytes;
    }
    return pos + buf.write(s, pos, bytes, 'latin1');
  }
  return pos + buf.write(s, pos, bytes, 'utf8');
}


/** Size of a non-negative safe integer as a varint. */
function varintSize(v: number): number {
  let size = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    size++;
  }
  return size;
}



function writeVarintNumber(buf: Buffer, pos: number, v: number): number {
  while (v >= 0x80) {
    buf[pos++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  buf[pos++] = v;
  return pos;
}

