// A zero-copy parse of the plain data items that make up nearly all of a .typedb file, for the importer's hot
// path: fields become byte ranges of the record's buffer, and no strings or objects are made. Only the shape
// writers produce is accepted: exactly one entity, relation or attribute, every field known and in its wire
// type, singular fields once, nested messages within their parents, every string valid UTF-8, and a value of
// one of the five kinds Strata stores (a datetime within range). Anything else — every damaged record among it —
// is declined and left to ItemDecoder, so that errors, and the content of unusual records, are exactly the full
// decoder's. What the view accepts, the full decoder decodes to the same item (see item-view.test.ts). Plain
// header and checksums items are read the same way, so that a normal import need not load the decoder.
//
// Data items are parsed by native code (native/src/item_views.c), many records per call (ViewTable), which also
// hashes the IDs they hold (id-hash.ts): in JavaScript, the parse and the hashes were about 8% of a 1M-thing
// import's CPU. The header and checksums items (one each per file) are parsed here.

import { isUtf8 } from 'node:buffer';
import { nativeModule, type NativeModule } from '../../native/index.js';
import type { Checksums, DataItem, HeaderItem } from './model.js';

export type ViewValueKind = 'string' | 'boolean' | 'long' | 'double' | 'datetime';

const EMPTY = Buffer.alloc(0);

/** Field numbers and wire types as one tag byte (all fields here are below 16). */
const tag = (field: number, wireType: number) => (field << 3) | wireType;
const VARINT = 0;
const BYTES = 2;

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

/** A record's row in ViewTable.table (as native/src/item_views.c lays it out). */
const F_KIND = 0;
const F_ID_START = 1;
const F_ID_END = 2;
const F_LABEL_START = 3;
const F_LABEL_END = 4;
const F_OWNED_FROM = 5;
const F_OWNED_COUNT = 6;
const F_ROLE_FROM = 7;
const F_ROLE_COUNT = 8;
const F_PLAYER_FROM = 9;
const F_PLAYER_COUNT = 10;
const F_VALUE_KIND = 11;
const F_STRING_START = 12;
const F_STRING_END = 13;
const F_BOOLEAN = 14;
const F_BITS_HI = 15;
const F_BITS_LO = 16;
const F_HASH_FROM = 17;
const RECORD_FIELDS = 18;
const KINDS: readonly (DataItem['kind'] | undefined)[] = [undefined, 'entity', 'relation', 'attribute'];
const VALUE_KINDS: readonly ViewValueKind[] = ['string', 'boolean', 'long', 'double', 'datetime'];

/**
 * The outputs of parsing many records natively (viewItems): a row per record, pointing into arrays of ID ranges,
 * roles and ID hashes that its records share. The arrays grow when one record does not fit them empty.
 */
export class ViewTable {
  table: Int32Array<ArrayBuffer>;
  doubles: Float64Array<ArrayBuffer>;
  owned = new Int32Array(2 * 4096);
  roles = new Int32Array(4 * 2048);
  players = new Int32Array(2 * 4096);
  hashes = new Uint32Array(4 * 8192);
  /** Entries in use of owned, roles, players and hashes. */
  readonly used = new Int32Array(4);
  buf: Buffer = EMPTY;
  private readonly native: NativeModule = nativeModule();

  constructor(readonly rows: number) {
    this.table = new Int32Array(rows * RECORD_FIELDS);
    this.doubles = new Float64Array(rows);
  }

  /**
   * Parses the records whose item messages are `spans` [start, end) pairs of `buf`, `count` of them (at most
   * `rows`), into rows 0…; returns how many it parsed: all, unless the shared arrays filled up (parse the rest
   * once those rows are read).
   */
  parse(buf: Buffer, spans: Int32Array, count: number): number {
    this.buf = buf;
    for (;;) {
      this.used.fill(0);
      const done = this.native.viewItems(buf, spans, count, this);
      if (done > 0 || count === 0) return done;
      // One record holds more IDs or roles than the arrays: larger ones, and again.
      this.owned = new Int32Array(2 * this.owned.length);
      this.roles = new Int32Array(2 * this.roles.length);
      this.players = new Int32Array(2 * this.players.length);
      this.hashes = new Uint32Array(2 * this.hashes.length);
    }
  }

  /** Whether row `row` holds a plain data item (the others were declined by the parse). */
  isItem(row: number): boolean {
    return this.table[row * RECORD_FIELDS + F_KIND] !== 0;
  }

  /** The string value of the attribute in row `row`. */
  stringOf(row: number): string {
    const at = row * RECORD_FIELDS;
    return this.buf.toString('utf8', this.table[at + F_STRING_START]!, this.table[at + F_STRING_END]!);
  }

  /** The kind of the item in row `row`, which holds one (isItem). */
  kindOf(row: number): DataItem['kind'] {
    return KINDS[this.table[row * RECORD_FIELDS + F_KIND]!]!;
  }

  /** Makes `view` the record of row `row`; false when the record was declined (it is not a plain data item). */
  load(view: ItemView, row: number): boolean {
    const table = this.table;
    const at = row * RECORD_FIELDS;
    const kind = KINDS[table[at + F_KIND]!];
    if (kind === undefined) return false;
    view.kind = kind;
    view.buf = this.buf;
    view.idStart = table[at + F_ID_START]!;
    view.idEnd = table[at + F_ID_END]!;
    view.labelStart = table[at + F_LABEL_START]!;
    view.labelEnd = table[at + F_LABEL_END]!;
    view.owned = this.owned;
    view.ownedFrom = table[at + F_OWNED_FROM]!;
    view.ownedCount = table[at + F_OWNED_COUNT]!;
    view.roles = this.roles;
    view.roleFrom = table[at + F_ROLE_FROM]!;
    view.roleCount = table[at + F_ROLE_COUNT]!;
    view.players = this.players;
    view.playerFrom = table[at + F_PLAYER_FROM]!;
    view.playerCount = table[at + F_PLAYER_COUNT]!;
    view.hashes = this.hashes;
    view.hashFrom = table[at + F_HASH_FROM]!;
    if (kind === 'attribute') {
      view.valueKind = VALUE_KINDS[table[at + F_VALUE_KIND]!]!;
      view.stringStart = table[at + F_STRING_START]!;
      view.stringEnd = table[at + F_STRING_END]!;
      view.boolean = table[at + F_BOOLEAN] === 1;
      view.bitsHi = table[at + F_BITS_HI]! >>> 0;
      view.bitsLo = table[at + F_BITS_LO]! >>> 0;
      view.double = this.doubles[row]!;
    }
    return true;
  }
}

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
  /** Owned attribute IDs: the i-th is owned[2(ownedFrom + i), +1] (start and end). */
  owned = new Int32Array(0);
  ownedFrom = 0;
  ownedCount = 0;
  /**
   * Relations: the i-th role's label is roles[4(roleFrom + i), +1]; its players are players[roles[4(roleFrom + i) + 2]
   * .. roles[4(roleFrom + i) + 3]).
   */
  roles = new Int32Array(0);
  roleFrom = 0;
  roleCount = 0;
  /** Player IDs of all roles: the j-th is players[2j, 2j+1]; this item's are from playerFrom on. */
  players = new Int32Array(0);
  playerFrom = 0;
  playerCount = 0;
  /**
   * The IDs' 128-bit hashes (id-hash.ts), four words each from word 4 * hashFrom: the item's own, then its owned
   * attributes', then its players'.
   */
  hashes = new Uint32Array(0);
  hashFrom = 0;
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
  /** For parse(): a table of one row, made on first use (the importer parses through a ViewTable of its own). */
  private single: ViewTable | undefined;
  private readonly singleSpan = new Int32Array(2);

  /** Parses the item message in `buf[start, end)`; false when the record must go to the full decoder instead. */
  parse(buf: Buffer, start: number, end: number): boolean {
    const table = (this.single ??= new ViewTable(1));
    this.singleSpan[0] = start;
    this.singleSpan[1] = end;
    table.parse(buf, this.singleSpan, 1);
    return table.load(this, 0);
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
