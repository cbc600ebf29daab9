// Encodes the export items of a range of things straight from store entries to .typedb records: the thing's
// IID (base64, as its ID), its label, its ownerships from the HAS keyspace and, for relations, its role players
// from the ROLE keyspace, walked in step with the things (same IID order, so nothing is looked up per thing).
//
// One pass per item: each field is written as its entry is met, straight from the cursor's page, and the length
// prefixes (of the record, the item and each Role message) are filled in once the item is done. They are first
// given one byte each, the common case; a longer length moves what follows it up (a few bytes, for items of 128
// bytes or more). Each kind of thing has a loop of its own, so that V8 compiles each for the items it really
// sees instead of recompiling one loop each time the export moves on to the next kind.
//
// Record layout and field rules are those of codec/encode.ts (export-format.md §5).

import { Keyspace, OBJECT_IID_LENGTH, ThingKind, VALUE_TYPE_CODES } from '../../encoding/index.js';
import type { EntryCursor } from '../../storage/lmdb-file/index.js';
import {
  TAG_1_LEN,
  TAG_2_LEN,
  TAG_3_LEN,
  TAG_4_LEN,
  TAG_ITEM_ATTRIBUTE,
  TAG_ITEM_ENTITY,
  TAG_ITEM_RELATION,
  TAG_VALUE_BOOLEAN,
  TAG_VALUE_DATETIME,
  TAG_VALUE_DOUBLE,
  TAG_VALUE_LONG,
  varint32Size,
  varint64Size,
  writeVarint32,
  writeVarint64,
} from '../codec/wire.js';
import { EncodedField, base64Length, copyBytes, copyField, viewOf, writeBase64, writeObjectBase64 } from './record-bytes.js';

/**
 * Where records go: the encoder writes into `buffer` after `position`, the end of the records it has finished.
 * Between ranges (before begin()) the sink may change both.
 */
export interface RecordSink {
  readonly buffer: Buffer;
  /** The end of the finished records; the encoder moves it forward after each record. */
  position: number;
  /**
   * Makes room for `bytes` more bytes after the `pending` bytes of an unfinished record at `position` (flushing
   * the finished records, or growing the buffer). Returns how far back the pending bytes moved.
   */
  reserve(pending: number, bytes: number): number;
}

/** The label fields of export items by type id, as encoded bytes (tag, length and UTF-8 label). */
export interface ExportLabels {
  /** A thing's `label` field (Thing.label). */
  thingField(typeId: number): EncodedField;
  /** A Role message's `label` field (the scoped role label). */
  roleField(typeId: number): EncodedField;
}

// Field tags, named for what they tag in these items.
const TAG_ID = TAG_1_LEN; // Thing.id, OwnedAttribute.id, Player.id
const TAG_PLAYER = TAG_2_LEN; // Relation.Role.player
const TAG_OWNED = TAG_3_LEN;
const TAG_ROLE = TAG_4_LEN; // Relation.role
const TAG_VALUE = TAG_4_LEN; // Attribute.value

/** A length prefix longer than one byte moves what follows: room kept for that beyond every reservation. */
const SLACK = 16;

export class ThingEncoder {
  readonly counts = { entities: 0, attributes: 0, relations: 0, roles: 0, ownerships: 0 };
  /** HAS or ROLE entries whose owner or relation does not exist (skipped; a consistent store has none). */
  dangling = 0;

  private readonly iid = Buffer.alloc(2048);
  private readonly iidView = viewOf(this.iid);
  private iidLength = 0;
  private hasValid = false;
  private rolesValid = false;
  /** The kind of the things of the range begun, and what is left of the range after them. */
  private kind = 0;
  private readonly rest: (readonly [Uint8Array, Uint8Array])[] = [];
  /** The sink's buffer (and a view of it) and where the next byte goes; the item being written starts at position. */
  private out: Buffer;
  private view: DataView;
  private at = 0;
  /** Where the length byte of the open Role message is, or -1. */
  private roleLength = -1;
  /**
   * The low and high halves of the current long or datetime value: in an array, since a field of this class that
   * once held a number above 2^31 would change the class's layout and throw its compiled code away.
   */
  private readonly int64 = new Uint32Array(2);

  constructor(
    private readonly things: EntryCursor,
    private readonly has: EntryCursor,
    private readonly roles: EntryCursor,
    private readonly labels: ExportLabels,
    private readonly sink: RecordSink,
  ) {
    this.out = sink.buffer;
    this.view = viewOf(this.out);
  }

  /** Starts on the things with THING keys in [start, end) (within one thing kind's keys or across kinds). */
  begin(start: Uint8Array, end: Uint8Array): void {
    // Between ranges the sink may have written out or handed over its records and buffer (piece-sink.ts, at the
    // end of a piece): go on from where it is now.
    this.at = this.sink.position;
    if (this.sink.buffer !== this.out) {
      this.out = this.sink.buffer;
      this.view = viewOf(this.out);
    }
    // One kind at a time: the range is cut where the kinds change.
    this.rest.length = 0;
    for (const kind of [ThingKind.Entity, ThingKind.Relation, ThingKind.Attribute]) {
      const from = maxKey(start, Uint8Array.of(Keyspace.Thing, kind));
      const to = minKey(end, Uint8Array.of(Keyspace.Thing, kind + 1));
      if (Buffer.compare(from, to) < 0) this.rest.push([from, to]);
    }
    this.rest.sort(([a], [b]) => Buffer.compare(b, a)); // popped in key order
    this.refuseUnknownKinds(start, end);
    this.beginKind();
  }

  /**
   * A THING key outside the three kinds' ranges exists only in a damaged store: it fails the export rather than
   * being left out of it unnoticed (the file's checksums would agree with what was left out).
   */
  private refuseUnknownKinds(start: Uint8Array, end: Uint8Array): void {
    const gaps = [
      [Uint8Array.of(Keyspace.Thing), Uint8Array.of(Keyspace.Thing, ThingKind.Entity)],
      [Uint8Array.of(Keyspace.Thing, ThingKind.Attribute + 1), Uint8Array.of(Keyspace.Thing + 1)],
    ];
    for (const [gapStart, gapEnd] of gaps) {
      const from = maxKey(start, gapStart!);
      const to = minKey(end, gapEnd!);
      if (Buffer.compare(from, to) >= 0) continue;
      this.things.seek(from, to);
      if (!this.things.next()) continue;
      const key = this.things.page.toString('hex', this.things.keyAt, this.things.keyAt + this.things.keyLength);
      throw new Error(
        `The store holds a thing of unknown kind ${this.things.page[this.things.keyAt + 1]} (key ${key}): it is damaged. ` +
          'Export from a backup or from the database it was copied from.',
      );
    }
  }

  /** Encodes up to `limit` more things of the range begun; false once the range is done. */
  encodeSome(limit: number): boolean {
    for (;;) {
      const more =
        this.kind === ThingKind.Attribute
          ? this.encodeAttributes(limit)
          : this.kind === ThingKind.Entity
            ? this.encodeEntities(limit)
            : this.kind === ThingKind.Relation
              ? this.encodeRelations(limit)
              : false;
      if (more) return true;
      this.skipOrphanEdges();
      if (this.rest.length === 0) return false;
      this.beginKind();
    }
  }

  private beginKind(): void {
    const range = this.rest.pop();
    const [start, end] = range ?? [Uint8Array.of(Keyspace.Thing), Uint8Array.of(Keyspace.Thing)];
    this.kind = range === undefined ? 0 : start[1]!;
    this.things.seek(start, end);
    this.has.seek(inKeyspace(Keyspace.Has, start), inKeyspace(Keyspace.Has, end));
    this.roles.seek(inKeyspace(Keyspace.Role, start), inKeyspace(Keyspace.Role, end));
    this.hasValid = this.has.next();
    this.rolesValid = this.roles.next();
  }

  private encodeEntities(limit: number): boolean {
    for (let n = 0; n < limit; n++) {
      if (!this.things.next()) return false;
      this.writeHead();
      this.writeOwnerships();
      this.finishItem(TAG_ITEM_ENTITY);
      this.counts.entities++;
    }
    return true;
  }

  private encodeRelations(limit: number): boolean {
    for (let n = 0; n < limit; n++) {
      if (!this.things.next()) return false;
      this.writeHead();
      this.writeOwnerships();
      this.writeRolePlayers();
      this.finishItem(TAG_ITEM_RELATION);
      this.counts.relations++;
    }
    return true;
  }

  private encodeAttributes(limit: number): boolean {
    for (let n = 0; n < limit; n++) {
      if (!this.things.next()) return false;
      this.writeHead();
      this.writeOwnerships();
      this.writeValue();
      this.finishItem(TAG_ITEM_ATTRIBUTE);
      this.counts.attributes++;
    }
    return true;
  }

  /** Edges after the last thing of the range have no owner in it. */
  private skipOrphanEdges(): void {
    while (this.hasValid) {
      this.dangling++;
      this.hasValid = this.has.next();
    }
    while (this.rolesValid) {
      this.dangling++;
      this.rolesValid = this.roles.next();
    }
  }

  /**
   * Starts the current thing's item: keeps its IID (the other cursors are compared with it) and writes its id and
   * label after three bytes left for the record's length, the item's tag and the body's length.
   */
  private writeHead(): void {
    const things = this.things;
    const length = things.keyLength - 1;
    const iid = this.iid;
    copyBytes(things.pageView, things.keyAt + 1, this.iidView, 0, length);
    this.iidLength = length;
    const label = this.labels.thingField((iid[1]! << 8) | iid[2]!);
    const id = base64Length(length);
    this.room(3 + 1 + varint32Size(id) + id + label.bytes.length);
    const out = this.out;
    let at = this.at + 3;
    out[at++] = TAG_ID;
    at = writeVarint32(out, at, id);
    if (length === OBJECT_IID_LENGTH) {
      writeObjectBase64(this.view, at, iid, 0);
      at += id;
    } else {
      at = writeBase64(this.view, out, at, iid, 0, length);
    }
    this.at = copyField(label, out, this.view, at);
  }

  /** Writes an `attribute` field for each HAS entry of the current thing, moving the HAS cursor past them. */
  private writeOwnerships(): void {
    const has = this.has;
    const skip = 1 + this.iidLength;
    let count = 0;
    while (this.hasValid) {
      const order = this.compareOwner(has);
      if (order > 0) break;
      if (order < 0) this.dangling++;
      else {
        this.writeIdMessage(TAG_OWNED, has.page, has.keyAt + skip, has.keyLength - skip);
        count++;
      }
      this.hasValid = has.next();
    }
    this.counts.ownerships += count;
  }

  /**
   * Writes the current relation's `role` fields from its ROLE entries, moving the ROLE cursor past them: one Role
   * message per run of entries with the same role type, each player as often as the entry's count says.
   */
  private writeRolePlayers(): void {
    const roles = this.roles;
    const skip = 1 + this.iidLength;
    let role = -1;
    while (this.rolesValid) {
      const order = this.compareOwner(roles);
      if (order > 0) break;
      if (order < 0) {
        this.dangling++;
      } else {
        const page = roles.page;
        const roleAt = roles.keyAt + skip;
        const type = (page[roleAt]! << 8) | page[roleAt + 1]!;
        if (type !== role) {
          if (role >= 0) this.closeRole();
          this.openRole(type);
          role = type;
        }
        const value = roles.value;
        const valueAt = roles.valueAt;
        const repeats = ((value[valueAt]! << 24) | (value[valueAt + 1]! << 16) | (value[valueAt + 2]! << 8) | value[valueAt + 3]!) >>> 0;
        const playerLength = roles.keyLength - skip - 2;
        for (let r = 0; r < repeats; r++) this.writeIdMessage(TAG_PLAYER, page, roleAt + 2, playerLength);
        this.counts.roles += repeats;
      }
      this.rolesValid = roles.next();
    }
    if (role >= 0) this.closeRole();
  }

  private openRole(type: number): void {
    const label = this.labels.roleField(type);
    this.room(2 + label.bytes.length);
    const out = this.out;
    out[this.at] = TAG_ROLE;
    this.roleLength = this.at + 1;
    this.at = copyField(label, out, this.view, this.at + 2);
  }

  /** Fills in the open Role message's length. */
  private closeRole(): void {
    const start = this.roleLength + 1;
    const length = this.at - start;
    const extra = varint32Size(length) - 1;
    if (extra > 0) {
      this.out.copyWithin(start + extra, start, this.at);
      this.at += extra;
    }
    writeVarint32(this.out, this.roleLength, length);
    this.roleLength = -1;
  }

  /** A `{ string id = 1; }` message (field `tag`) holding the IID at page[from, from + length) as base64. */
  private writeIdMessage(tag: number, page: Buffer, from: number, length: number): void {
    if (length === OBJECT_IID_LENGTH) {
      // An entity's or relation's IID, the usual role player: the same 20 bytes of framing and base64 each time.
      this.room(OBJECT_ID_MESSAGE_BYTES);
      const view = this.view;
      const at = this.at;
      view.setUint32(at, (tag << 24) | OBJECT_ID_MESSAGE_HEAD);
      writeObjectBase64(view, at + 4, page, from);
      this.at = at + OBJECT_ID_MESSAGE_BYTES;
      return;
    }
    const id = base64Length(length);
    const inner = 1 + varint32Size(id) + id;
    this.room(1 + varint32Size(inner) + inner);
    const out = this.out;
    let at = this.at;
    out[at++] = tag;
    at = writeVarint32(out, at, inner);
    out[at++] = TAG_ID;
    at = writeVarint32(out, at, id);
    this.at = writeBase64(this.view, out, at, page, from, length);
  }

  /** An attribute's `value` field, transcoded from its value record. */
  private writeValue(): void {
    const things = this.things;
    const record = things.value;
    const recordAt = things.valueAt;
    const valueCode = record[recordAt]!;
    const payload = things.valueLength - 1;
    let content: number;
    if (valueCode === VALUE_TYPE_CODES.string) {
      content = 1 + varint32Size(payload) + payload;
    } else if (valueCode === VALUE_TYPE_CODES.boolean) {
      content = 2;
    } else if (valueCode === VALUE_TYPE_CODES.double) {
      content = 9;
    } else if (valueCode === VALUE_TYPE_CODES.long || valueCode === VALUE_TYPE_CODES.datetime) {
      this.readInt64(record, recordAt + 1);
      content = 1 + varint64Size(this.int64[0]!, this.int64[1]!);
    } else {
      throw new Error(`Unknown value type code ${valueCode} in the attribute ${this.iid.toString('base64', 0, this.iidLength)}.`);
    }
    this.room(1 + varint32Size(content) + content);
    const out = this.out;
    let at = this.at;
    out[at++] = TAG_VALUE;
    at = writeVarint32(out, at, content);
    if (valueCode === VALUE_TYPE_CODES.string) {
      out[at++] = TAG_ID;
      at = writeVarint32(out, at, payload);
      if (payload > 64) record.copy(out, at, recordAt + 1, recordAt + 1 + payload);
      else for (let i = 0; i < payload; i++) out[at + i] = record[recordAt + 1 + i]!;
      at += payload;
    } else if (valueCode === VALUE_TYPE_CODES.boolean) {
      out[at++] = TAG_VALUE_BOOLEAN;
      out[at++] = record[recordAt + 1] === 1 ? 1 : 0;
    } else if (valueCode === VALUE_TYPE_CODES.double) {
      out[at++] = TAG_VALUE_DOUBLE;
      // Sortable doubles have the sign bit set for positives and every bit inverted for negatives.
      const positive = (record[recordAt + 1]! & 0x80) !== 0;
      for (let i = 0; i < 8; i++) {
        const byte = record[recordAt + 1 + i]!;
        out[at + 7 - i] = positive ? (i === 0 ? byte & 0x7f : byte) : ~byte & 0xff;
      }
      at += 8;
    } else {
      out[at++] = valueCode === VALUE_TYPE_CODES.long ? TAG_VALUE_LONG : TAG_VALUE_DATETIME;
      at = writeVarint64(out, at, this.int64[0]!, this.int64[1]!);
    }
    this.at = at;
  }

  /** Fills in the record's and the item's lengths in front of the body (moving the body up if they need more than a byte each). */
  private finishItem(tag: number): void {
    const start = this.sink.position;
    const body = this.at - start - 3;
    const item = 1 + varint32Size(body) + body;
    const head = varint32Size(item) + 1 + varint32Size(body);
    const out = this.out;
    if (head > 3) {
      out.copyWithin(start + head, start + 3, this.at);
      this.at += head - 3;
    }
    let at = writeVarint32(out, start, item);
    out[at++] = tag;
    writeVarint32(out, at, body);
    this.sink.position = this.at;
  }

  /** Makes sure `bytes` more fit in the buffer (and a longer length prefix or two). */
  private room(bytes: number): void {
    if (this.at + bytes + SLACK <= this.out.length) return;
    const sink = this.sink;
    const moved = sink.reserve(this.at - sink.position, bytes + SLACK);
    this.at -= moved;
    if (this.roleLength >= 0) this.roleLength -= moved;
    if (sink.buffer !== this.out) {
      this.out = sink.buffer;
      this.view = viewOf(this.out);
    }
  }

  /** Compares the IID after an edge key's keyspace byte with the current thing's (IIDs are prefix-free). */
  private compareOwner(cursor: EntryCursor): number {
    const at = cursor.keyAt + 1;
    const length = this.iidLength;
    if (length >= 4 && cursor.keyLength - 1 >= length) {
      // Four bytes at a time, read big-endian so that numeric order is byte order; the last four may overlap.
      const view = cursor.pageView;
      const iid = this.iidView;
      for (let i = 0; i + 4 < length; i += 4) {
        const a = view.getUint32(at + i);
        const b = iid.getUint32(i);
        if (a !== b) return a < b ? -1 : 1;
      }
      const a = view.getUint32(at + length - 4);
      const b = iid.getUint32(length - 4);
      return a === b ? 0 : a < b ? -1 : 1;
    }
    const page = cursor.page;
    const iid = this.iid;
    if (cursor.keyLength - 1 < length) {
      for (let i = 0; i < cursor.keyLength - 1; i++) if (page[at + i] !== iid[i]) return page[at + i]! - iid[i]!;
      return -1;
    }
    for (let i = 0; i < length; i++) {
      const difference = page[at + i]! - iid[i]!;
      if (difference !== 0) return difference;
    }
    return 0;
  }

  /** Splits a sortable int64 (big-endian, sign bit flipped) into the unsigned halves of its two's complement. */
  private readInt64(bytes: Buffer, at: number): void {
    this.int64[1] = bytes.readUInt32BE(at) ^ 0x8000_0000;
    this.int64[0] = bytes.readUInt32BE(at + 4);
  }
}

/** The key `key` would have in another keyspace (THING, HAS and ROLE keys all follow their byte with an IID). */
export function inKeyspace(keyspace: Keyspace, key: Uint8Array): Buffer {
  const moved = Buffer.from(key);
  moved[0] = keyspace;
  return moved;
}

function maxKey(a: Uint8Array, b: Uint8Array): Uint8Array {
  return Buffer.compare(a, b) >= 0 ? a : b;
}

function minKey(a: Uint8Array, b: Uint8Array): Uint8Array {
  return Buffer.compare(a, b) <= 0 ? a : b;
}

/** An object IID's `{ string id = 1; }` message: its length (18), then the id field's tag and length (16). */
const OBJECT_ID_MESSAGE_BYTES = 20;
const OBJECT_ID_MESSAGE_HEAD = (18 << 16) | (TAG_ID << 8) | 16;
