// A zero-copy parse of the plain data items that make up nearly all of a .typedb file, for the importer's hot
// path: fields become byte ranges of the record's buffer, and no strings or objects are made. Only the shape
// writers produce is accepted: exactly one entity, relation or attribute, every field known and in its wire
// type, singular fields once, nested messages within their parents, every string valid UTF-8, and a value of
// one of the five kinds Strata stores (a datetime within range). Anything else — every damaged record among it —
// is declined and left to ItemDecoder, so that errors, and the content of unusual records, are exactly the full
// decoder's. What the view accepts, the full decoder decodes to the same item (see item-view.test.ts). Plain
// header and checksums items are read the same way, so that a normal import need not load the decoder.

import { isUtf8 } from 'node:buffer';
import type { Checksums, DataItem, HeaderItem } from './model.js';

export type ViewValueKind = 'string' | 'boolean' | 'long' | 'double' | 'datetime';

/** JS Date's range, as the full decoder checks it: ±8.64e15 ms around the epoch. */
const MAX_DATETIME_MS = 8.64e15;

const EMPTY = Buffer.alloc(0);

/** Field numbers and wire types as one tag byte (all fields here are below 16). */
const tag = (field: number, wireType: number) => (field << 3) | wireType;
const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;

/** Field numbers of `data.Item` (item kinds), of things, of roles and of values (see schema.ts). */
const ITEM_ATTRIBUTE = tag(1, BYTES);
const ITEM_ENTITY = tag(2, BYTES);
const ITEM_RELATION = tag(3, BYTES);
const THING_ID = tag(1, BYTES);
const THING_LABEL = tag(2, BYTES);
const THING_OWNED = tag(3, BYTES);
const ATTRIBUTE_VALUE = tag(4, BYTES);
const RELATION_ROLE = tag(4, BYTES);
const ROLE_LABEL = tag(1, BYTES);
const ROLE_PLAYER = tag(2, BYTES);
/** OwnedAttribute and Player: `string id = 1`. */
const REFERENCE_ID = tag(1, BYTES);
const VALUE_STRING = tag(1, BYTES);
const VALUE_BOOLEAN = tag(2, VARINT);
const VALUE_LONG = tag(3, VARINT);
const VALUE_DOUBLE = tag(4, FIXED64);
const VALUE_DATETIME = tag(5, VARINT);
/** `data.Item` field 15 (header), and the header's two strings (`typedb_version`, `original_database`). */
const ITEM_HEADER = tag(15, BYTES);
const HEADER_VERSION = tag(1, BYTES);
const HEADER_DATABASE = tag(2, BYTES);
/** `data.Item` field 16 (checksums), length-delimited: a tag of two bytes. */
const ITEM_CHECKSUMS = [0x82, 0x01];
/** The checksums counters are fields 1–5, in the order of the Checksums model. */
const COUNTERS = ['entities', 'attributes', 'relations', 'roles', 'ownerships'] as const;

/** Thrown inside the parse to decline the record; caught at its top. */
const DECLINE = Symbol('decline');

/**
 * One data item as ranges of `buf`. Reused for every record: read it before parsing the next. IDs, labels and
 * string values are ranges [start, end) of UTF-8 bytes.
 */
export class ItemView {
  kind: DataItem['kind'] = 'entity';
  buf: Buffer = EMPTY;
  idStart = 0;
  idEnd = 0;
  labelStart = 0;
  labelEnd = 0;
  /** Owned attribute IDs: the i-th is owned[2i, 2i+1] (start and end). */
  owned = new Int32Array(32);
  ownedCount = 0;
  /** Relations: the i-th role's label is roles[4i, 4i+1]; its players are players[roles[4i+2] .. roles[4i+3]). */
  roles = new Int32Array(32);
  roleCount = 0;
  /** Player IDs of all roles: the j-th is players[2j, 2j+1]. */
  players = new Int32Array(64);
  playerCount = 0;
  /** Attributes: the value. A string's bytes are [stringStart, stringEnd). */
  valueKind: ViewValueKind = 'string';
  stringStart = 0;
  stringEnd = 0;
  boolean = false;
  // The three numbers below start as -0, which V8 keeps as a double where it keeps 0 as a small integer: their
  // fields then hold doubles from the start. Started as 0, they changed representation at the first fraction or
  // word of 2^30 or more, and that discarded every compiled function that reads the view (the parse path).
  double = -0;
  /** A long's or datetime's 64 bits (two's complement), high and low words. */
  bitsHi = -0;
  bitsLo = -0;

  /** The datetime in ms (valid when valueKind is 'datetime': the parse checked that it is exact and in range). */
  get datetime(): number {
    return (this.bitsHi | 0) * 4294967296 + (this.bitsLo >>> 0);
  }

  private pos = 0;
  /** Length of the last string read. */
  private lastLength = 0;

  /** Parses the item message in `buf[start, end)`; false when the record must go to the full decoder instead. */
  parse(buf: Buffer, start: number, end: number): boolean {
    this.buf = buf;
    this.pos = start;
    this.ownedCount = 0;
    this.roleCount = 0;
    this.playerCount = 0;
    try {
      if (end - start < 2) return false;
      const kindTag = buf[this.pos++]!;
      const messageEnd = this.length(end);
      if (messageEnd !== end) return false;
      if (kindTag === ITEM_ENTITY) this.thing('entity', end);
      else if (kindTag === ITEM_RELATION) this.thing('relation', end);
      else if (kindTag === ITEM_ATTRIBUTE) this.thing('attribute', end);
      else return false;
      return true;
    } catch (e) {
      if (e === DECLINE) return false;
      throw e;
    }
  }

  /**
   * The header item in buf[start, end), read without the full decoder (whose first use loads protobufjs, tens of
   * milliseconds at the start of every import), or undefined to leave it to the decoder: anything unusual, such as
   * a field given twice or bytes that are not UTF-8.
   */
  header(buf: Buffer, start: number, end: number): HeaderItem | undefined {
    if (end - start < 2 || buf[start] !== ITEM_HEADER) return undefined;
    this.buf = buf;
    this.pos = start + 1;
    try {
      if (this.length(end) !== end) return undefined;
      const texts = ['', ''];
      let seen = 0;
      while (this.pos < end) {
        const field = buf[this.pos++]!;
        const which = field === HEADER_VERSION ? 0 : field === HEADER_DATABASE ? 1 : -1;
        if (which < 0 || (seen & (1 << which)) !== 0) return undefined;
        seen |= 1 << which;
        const stop = this.string(end);
        texts[which] = buf.toString('utf8', stop - this.lastLength, stop);
      }
      return { kind: 'header', typedbVersion: texts[0]!, originalDatabase: texts[1]! };
    } catch (e) {
      if (e === DECLINE) return undefined;
      throw e;
    }
  }

  /**
   * The counts of a plain checksums item in `buf[start, end)`: every counter at most once, none negative or
   * beyond 2^53 − 1. Undefined for anything else, which the full decoder reads or rejects. (So that a thread
   * reading the end of a file need not load the full decoder.)
   */
  checksums(buf: Buffer, start: number, end: number): Checksums | undefined {
    this.buf = buf;
    this.pos = start + ITEM_CHECKSUMS.length;
    if (end - start < 3 || buf[start] !== ITEM_CHECKSUMS[0] || buf[start + 1] !== ITEM_CHECKSUMS[1]) return undefined;
    try {
      if (this.length(end) !== end) return undefined;
      const counts = { entities: 0, attributes: 0, relations: 0, roles: 0, ownerships: 0 };
      let seen = 0;
      while (this.pos < end) {
        const field = buf[this.pos++]!;
        const number = field >>> 3;
        if ((field & 7) !== VARINT || number < 1 || number > COUNTERS.length || (seen & (1 << number)) !== 0) return undefined;
        seen |= 1 << number;
        this.varint64(end);
        // Read as an int64, as the full decoder does: a count must be 0 … 2^53 − 1.
        if (this.bitsHi >= 0x200000) return undefined;
        counts[COUNTERS[number - 1]!] = this.bitsHi * 4294967296 + this.bitsLo;
      }
      return counts;
    } catch (e) {
      if (e === DECLINE) return undefined;
      throw e;
    }
  }

  private thing(kind: DataItem['kind'], end: number): void {
    this.kind = kind;
    let id = false;
    let label = false;
    let value = false;
    const buf = this.buf;
    while (this.pos < end) {
      const field = buf[this.pos++]!;
      if (field === THING_ID && !id) {
        id = true;
        this.idEnd = this.string(end);
        this.idStart = this.idEnd - this.lastLength;
      } else if (field === THING_LABEL && !label) {
        label = true;
        this.labelEnd = this.string(end);
        this.labelStart = this.labelEnd - this.lastLength;
      } else if (field === THING_OWNED) {
        this.reference(end, 'owned');
      } else if (field === RELATION_ROLE && kind === 'relation') {
        this.role(end);
      } else if (field === ATTRIBUTE_VALUE && kind === 'attribute' && !value) {
        value = true;
        this.value(end);
      } else {
        throw DECLINE;
      }
    }
    if (!id || !label || (kind === 'attribute' && !value)) throw DECLINE;
  }

  /** An OwnedAttribute or a Player message: exactly one ID. */
  private reference(end: number, into: 'owned' | 'players'): void {
    const messageEnd = this.length(end);
    if (this.buf[this.pos++] !== REFERENCE_ID) throw DECLINE;
    const idEnd = this.string(messageEnd);
    if (idEnd !== messageEnd) throw DECLINE;
    if (into === 'owned') {
      const at = 2 * this.ownedCount++;
      if (at + 2 > this.owned.length) this.owned = grow(this.owned);
      this.owned[at] = idEnd - this.lastLength;
      this.owned[at + 1] = idEnd;
    } else {
      const at = 2 * this.playerCount++;
      if (at + 2 > this.players.length) this.players = grow(this.players);
      this.players[at] = idEnd - this.lastLength;
      this.players[at + 1] = idEnd;
    }
  }

  private role(end: number): void {
    const messageEnd = this.length(end);
    const at = 4 * this.roleCount++;
    if (at + 4 > this.roles.length) this.roles = grow(this.roles);
    const roles = this.roles;
    roles[at + 2] = this.playerCount;
    let label = false;
    while (this.pos < messageEnd) {
      const field = this.buf[this.pos++]!;
      if (field === ROLE_LABEL && !label) {
        label = true;
        roles[at + 1] = this.string(messageEnd);
        roles[at] = roles[at + 1]! - this.lastLength;
      } else if (field === ROLE_PLAYER) {
        this.reference(messageEnd, 'players');
      } else {
        throw DECLINE;
      }
    }
    if (!label) throw DECLINE;
    roles[at + 3] = this.playerCount;
  }

  private value(end: number): void {
    const messageEnd = this.length(end);
    if (this.pos === messageEnd) throw DECLINE;
    const buf = this.buf;
    const field = buf[this.pos++]!;
    switch (field) {
      case VALUE_STRING:
        this.valueKind = 'string';
        this.stringEnd = this.string(messageEnd);
        this.stringStart = this.stringEnd - this.lastLength;
        break;
      case VALUE_BOOLEAN: {
        // The full decoder reads any varint as a boolean; a canonical one is a single 0 or 1.
        const b = this.pos < messageEnd ? buf[this.pos++]! : 2;
        if (b > 1) throw DECLINE;
        this.valueKind = 'boolean';
        this.boolean = b === 1;
        break;
      }
      case VALUE_LONG:
        this.valueKind = 'long';
        this.varint64(messageEnd);
        break;
      case VALUE_DATETIME: {
        this.valueKind = 'datetime';
        this.varint64(messageEnd);
        // Exact as a double only within ±2^53; the range check keeps well inside that.
        const hi = this.bitsHi | 0;
        if (hi < -0x200000 || hi >= 0x200000 || Math.abs(this.datetime) > MAX_DATETIME_MS) throw DECLINE;
        break;
      }
      case VALUE_DOUBLE:
        if (this.pos + 8 > messageEnd) throw DECLINE;
        this.valueKind = 'double';
        this.double = buf.readDoubleLE(this.pos);
        this.pos += 8;
        break;
      default:
        throw DECLINE;
    }
    if (this.pos !== messageEnd) throw DECLINE;
  }

  /** A length-delimited UTF-8 string within `end`; returns its end (its length is in lastLength). */
  private string(end: number): number {
    const length = this.lastLength = this.length(end) - this.pos;
    const start = this.pos;
    const stop = start + length;
    const buf = this.buf;
    let bits = 0;
    for (let i = start; i < stop; i++) bits |= buf[i]!;
    if (bits >= 0x80 && !isUtf8(buf.subarray(start, stop))) throw DECLINE;
    this.pos = stop;
    return stop;
  }

  /** Reads a length prefix (at most 4 bytes) and returns where its field ends, which must be within `end`. */
  private length(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    let length = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= end || shift === 28) throw DECLINE;
      const b = buf[pos++]!;
      length |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    this.pos = pos;
    const fieldEnd = pos + length;
    if (fieldEnd > end) throw DECLINE;
    return fieldEnd;
  }

  /** A varint of up to 10 bytes as 64 bits, as the full decoder reads it (bits past the 64th are dropped). */
  private varint64(end: number): void {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let b = 0x80;
    for (let shift = 0; shift < 28 && b >= 0x80; shift += 7) {
      if (pos >= end) throw DECLINE;
      b = buf[pos++]!;
      lo |= (b & 0x7f) << shift;
    }
    if (b >= 0x80) {
      if (pos >= end) throw DECLINE;
      b = buf[pos++]!;
      lo |= (b & 0x7f) << 28;
      hi = (b & 0x7f) >> 4;
      for (let shift = 3; b >= 0x80; shift += 7) {
        if (shift > 31 || pos >= end) throw DECLINE;
        b = buf[pos++]!;
        hi |= (b & 0x7f) << shift;
      }
    }
    this.pos = pos;
    this.bitsHi = hi >>> 0;
    this.bitsLo = lo >>> 0;
  }
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}
