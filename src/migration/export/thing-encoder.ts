// Encodes the export items of a range of things straight from store entries to .typedb records: the thing's
// IID (base64, as its ID), its label, its ownerships from the HAS keyspace and, for relations, its role players
// from the ROLE keyspace, walked in step with the things (same IID order, so nothing is looked up per thing).
// Items are encoded byte by byte from the keys and value records, without building item objects or strings.
//
// Record layout and field rules are those of codec/encode.ts (export-format.md §5).

import { Keyspace, ThingKind, VALUE_TYPE_CODES } from '../../encoding/index.js';
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

/** Where records go: the encoder writes into `buffer` from `position`, after asking for room. */
export interface RecordSink {
  buffer: Buffer;
  position: number;
  /** Makes room for `bytes` more bytes (flushing, or growing the buffer). */
  reserve(bytes: number): void;
}

/** UTF-8 labels by type id, as export items name types and (scoped) roles. */
export interface ExportLabels {
  thing(typeId: number): Buffer;
  role(typeId: number): Buffer;
}

// Field tags, named for what they tag in these items.
const TAG_ID = TAG_1_LEN; // Thing.id, Role.label, OwnedAttribute.id, Player.id
const TAG_LABEL = TAG_2_LEN; // Thing.label, Role.player
const TAG_OWNED = TAG_3_LEN;
const TAG_ROLE = TAG_4_LEN; // Relation.role
const TAG_VALUE = TAG_4_LEN; // Attribute.value

const BASE64 = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');
const PAD = 0x3d;

export class ThingEncoder {
  readonly counts = { entities: 0, attributes: 0, relations: 0, roles: 0, ownerships: 0 };
  /** HAS or ROLE entries whose owner or relation does not exist (skipped; a consistent store has none). */
  dangling = 0;

  private readonly iid = Buffer.allocUnsafe(2048);
  private iidLength = 0;
  /** The current thing's edges: IIDs packed in `edges`, with start, length, role type and repetitions. */
  private edges = Buffer.allocUnsafe(1 << 16);
  private edgeStarts = new Uint32Array(1024);
  private edgeLengths = new Uint16Array(1024);
  private edgeRoles = new Uint16Array(1024);
  private edgeRepeats = new Uint32Array(1024);
  private edgeCount = 0;
  private edgeBytes = 0;
  private hasValid = false;
  private rolesValid = false;
  /** The halves of the current long or datetime value. */
  private low = 0;
  private high = 0;

  constructor(
    private readonly things: EntryCursor,
    private readonly has: EntryCursor,
    private readonly roles: EntryCursor,
    private readonly labels: ExportLabels,
    private readonly sink: RecordSink,
  ) {}

  /** Starts on the things with THING keys in [start, end) (within one thing kind's keys or across kinds). */
  begin(start: Uint8Array, end: Uint8Array): void {
    this.things.seek(start, end);
    this.has.seek(inKeyspace(Keyspace.Has, start), inKeyspace(Keyspace.Has, end));
    this.roles.seek(inKeyspace(Keyspace.Role, start), inKeyspace(Keyspace.Role, end));
    this.hasValid = this.has.next();
    this.rolesValid = this.roles.next();
  }

  /** Encodes up to `limit` more things of the range begun; false once the range is done. */
  encodeSome(limit: number): boolean {
    for (let n = 0; n < limit; n++) {
      if (!this.things.next()) {
        this.skipOrphanEdges();
        return false;
      }
      const things = this.things;
      const iidLength = things.keyLength - 1;
      copyBytes(things.page, things.keyAt + 1, this.iid, 0, iidLength);
      this.iidLength = iidLength;
      const kind = this.iid[0]!;
      const typeId = (this.iid[1]! << 8) | this.iid[2]!;
      const ownerships = this.collectOwnerships();
      if (kind === ThingKind.Attribute) {
        this.writeAttribute(typeId, ownerships);
      } else if (kind === ThingKind.Entity) {
        this.writeObject(TAG_ITEM_ENTITY, typeId, ownerships, 0);
        this.counts.entities++;
      } else {
        const roleEdges = this.collectRolePlayers();
        this.writeObject(TAG_ITEM_RELATION, typeId, ownerships, roleEdges);
        this.counts.relations++;
      }
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

  /** Moves the HAS cursor past the current thing's ownerships, packing the owned IIDs as edges; returns how many. */
  private collectOwnerships(): number {
    this.edgeCount = 0;
    this.edgeBytes = 0;
    const has = this.has;
    while (this.hasValid) {
      const order = this.compareOwner(has);
      if (order > 0) break;
      if (order < 0) this.dangling++;
      else this.pushEdge(has.page, has.keyAt + 1 + this.iidLength, has.keyLength - 1 - this.iidLength, 0, 1);
      this.hasValid = has.next();
    }
    this.counts.ownerships += this.edgeCount;
    return this.edgeCount;
  }

  /** Likewise for the ROLE cursor: players with their role type and repetitions, after the ownerships. */
  private collectRolePlayers(): number {
    const first = this.edgeCount;
    const roles = this.roles;
    while (this.rolesValid) {
      const order = this.compareOwner(roles);
      if (order > 0) break;
      if (order < 0) {
        this.dangling++;
      } else {
        const page = roles.page;
        const roleAt = roles.keyAt + 1 + this.iidLength;
        const value = roles.value;
        const valueAt = roles.valueAt;
        const repeats = ((value[valueAt]! << 24) | (value[valueAt + 1]! << 16) | (value[valueAt + 2]! << 8) | value[valueAt + 3]!) >>> 0;
        this.pushEdge(page, roleAt + 2, roles.keyLength - 1 - this.iidLength - 2, (page[roleAt]! << 8) | page[roleAt + 1]!, repeats);
        this.counts.roles += repeats;
      }
      this.rolesValid = roles.next();
    }
    return this.edgeCount - first;
  }

  /** Compares the IID after an edge key's keyspace byte with the current thing's (IIDs are prefix-free). */
  private compareOwner(cursor: EntryCursor): number {
    const page = cursor.page;
    const at = cursor.keyAt + 1;
    const iid = this.iid;
    const length = this.iidLength;
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

  private pushEdge(page: Buffer, at: number, length: number, role: number, repeats: number): void {
    const n = this.edgeCount;
    if (n === this.edgeStarts.length) this.growEdges();
    if (this.edgeBytes + length > this.edges.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.edges.length * 2, this.edgeBytes + length));
      this.edges.copy(bigger, 0, 0, this.edgeBytes);
      this.edges = bigger;
    }
    copyBytes(page, at, this.edges, this.edgeBytes, length);
    this.edgeStarts[n] = this.edgeBytes;
    this.edgeLengths[n] = length;
    this.edgeRoles[n] = role;
    this.edgeRepeats[n] = repeats;
    this.edgeBytes += length;
    this.edgeCount = n + 1;
  }

  private growEdges(): void {
    const size = this.edgeStarts.length * 2;
    const grow = <T extends Uint32Array | Uint16Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.edgeStarts = grow(this.edgeStarts, new Uint32Array(size));
    this.edgeLengths = grow(this.edgeLengths, new Uint16Array(size));
    this.edgeRoles = grow(this.edgeRoles, new Uint16Array(size));
    this.edgeRepeats = grow(this.edgeRepeats, new Uint32Array(size));
  }

  /** An entity or relation item: id, label, owned attributes, then roles with their players. */
  private writeObject(tag: number, typeId: number, ownerships: number, rolePlayers: number): void {
    const label = this.labels.thing(typeId);
    let body = idFieldSize(this.iidLength) + stringFieldSize(label.length);
    for (let e = 0; e < ownerships; e++) body += idMessageSize(this.edgeLengths[e]!);
    // Roles: consecutive edges of one role type form one Role message.
    for (let e = ownerships; e < ownerships + rolePlayers; ) {
      const role = this.edgeRoles[e]!;
      let roleBody = stringFieldSize(this.labels.role(role).length);
      for (; e < ownerships + rolePlayers && this.edgeRoles[e] === role; e++) {
        roleBody += idMessageSize(this.edgeLengths[e]!) * this.edgeRepeats[e]!;
      }
      body += 1 + varint32Size(roleBody) + roleBody;
    }
    const buffer = this.reserveItem(body);
    let at = this.writeHead(buffer, tag, body, label, ownerships);
    for (let e = ownerships; e < ownerships + rolePlayers; ) {
      const role = this.edgeRoles[e]!;
      const roleLabel = this.labels.role(role);
      let roleBody = stringFieldSize(roleLabel.length);
      let last = e;
      for (; last < ownerships + rolePlayers && this.edgeRoles[last] === role; last++) {
        roleBody += idMessageSize(this.edgeLengths[last]!) * this.edgeRepeats[last]!;
      }
      buffer[at++] = TAG_ROLE;
      at = writeVarint32(buffer, at, roleBody);
      at = writeStringField(buffer, at, TAG_ID, roleLabel);
      for (; e < last; e++) for (let r = this.edgeRepeats[e]!; r > 0; r--) at = this.writeIdMessage(buffer, at, TAG_LABEL, e);
    }
    this.sink.position = at;
  }

  /** Makes room in the sink for a record whose item body has `body` bytes; returns the sink's buffer. */
  private reserveItem(body: number): Buffer {
    const item = 1 + varint32Size(body) + body;
    this.sink.reserve(varint32Size(item) + item);
    return this.sink.buffer;
  }

  /**
   * Writes, at the sink's position, what every thing record starts with: its length, the item's field tag and
   * body length, then the thing's id, label and owned attributes. Returns where the rest of the body goes.
   */
  private writeHead(buffer: Buffer, tag: number, body: number, label: Buffer, ownerships: number): number {
    let at = writeVarint32(buffer, this.sink.position, 1 + varint32Size(body) + body);
    buffer[at++] = tag;
    at = writeVarint32(buffer, at, body);
    buffer[at++] = TAG_ID;
    at = writeVarint32(buffer, at, base64Length(this.iidLength));
    at = writeBase64(buffer, at, this.iid, 0, this.iidLength);
    at = writeStringField(buffer, at, TAG_LABEL, label);
    for (let e = 0; e < ownerships; e++) at = this.writeIdMessage(buffer, at, TAG_OWNED, e);
    return at;
  }

  /** A `{ string id = 1; }` message holding edge `e`'s IID as base64. */
  private writeIdMessage(buffer: Buffer, at: number, tag: number, e: number): number {
    const length = this.edgeLengths[e]!;
    const id = base64Length(length);
    buffer[at++] = tag;
    at = writeVarint32(buffer, at, 1 + varint32Size(id) + id);
    buffer[at++] = TAG_ID;
    at = writeVarint32(buffer, at, id);
    return writeBase64(buffer, at, this.edges, this.edgeStarts[e]!, length);
  }

  /** An attribute item: id, label, owned attributes, then its value, transcoded from the value record. */
  private writeAttribute(typeId: number, ownerships: number): void {
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
      content = 1 + varint64Size(this.low, this.high);
    } else {
      throw new Error(`Unknown value type code ${valueCode} in the attribute ${this.iid.toString('base64', 0, this.iidLength)}.`);
    }
    const label = this.labels.thing(typeId);
    let body = idFieldSize(this.iidLength) + stringFieldSize(label.length) + 1 + varint32Size(content) + content;
    for (let e = 0; e < ownerships; e++) body += idMessageSize(this.edgeLengths[e]!);
    const buffer = this.reserveItem(body);
    let at = this.writeHead(buffer, TAG_ITEM_ATTRIBUTE, body, label, ownerships);
    buffer[at++] = TAG_VALUE;
    at = writeVarint32(buffer, at, content);
    if (valueCode === VALUE_TYPE_CODES.string) {
      buffer[at++] = TAG_ID;
      at = writeVarint32(buffer, at, payload);
      copyBytes(record, recordAt + 1, buffer, at, payload);
      at += payload;
    } else if (valueCode === VALUE_TYPE_CODES.boolean) {
      buffer[at++] = TAG_VALUE_BOOLEAN;
      buffer[at++] = record[recordAt + 1] === 1 ? 1 : 0;
    } else if (valueCode === VALUE_TYPE_CODES.double) {
      buffer[at++] = TAG_VALUE_DOUBLE;
      // Sortable doubles have the sign bit set for positives and every bit inverted for negatives.
      const positive = (record[recordAt + 1]! & 0x80) !== 0;
      for (let i = 0; i < 8; i++) {
        const byte = record[recordAt + 1 + i]!;
        buffer[at + 7 - i] = positive ? (i === 0 ? byte & 0x7f : byte) : ~byte & 0xff;
      }
      at += 8;
    } else {
      buffer[at++] = valueCode === VALUE_TYPE_CODES.long ? TAG_VALUE_LONG : TAG_VALUE_DATETIME;
      at = writeVarint64(buffer, at, this.low, this.high);
    }
    this.sink.position = at;
    this.counts.attributes++;
  }

  /** Splits a sortable int64 (big-endian, sign bit flipped) into the unsigned halves of its two's complement. */
  private readInt64(bytes: Buffer, at: number): void {
    this.high = (bytes.readUInt32BE(at) ^ 0x8000_0000) >>> 0;
    this.low = bytes.readUInt32BE(at + 4);
  }
}

/** The key `key` would have in another keyspace (THING, HAS and ROLE keys all follow their byte with an IID). */
export function inKeyspace(keyspace: Keyspace, key: Uint8Array): Buffer {
  const moved = Buffer.from(key);
  moved[0] = keyspace;
  return moved;
}

function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

function idFieldSize(iidLength: number): number {
  const id = base64Length(iidLength);
  return 1 + varint32Size(id) + id;
}

function idMessageSize(iidLength: number): number {
  const inner = idFieldSize(iidLength);
  return 1 + varint32Size(inner) + inner;
}

function stringFieldSize(length: number): number {
  return length === 0 ? 0 : 1 + varint32Size(length) + length;
}

function writeStringField(buffer: Buffer, at: number, tag: number, bytes: Buffer): number {
  if (bytes.length === 0) return at;
  buffer[at++] = tag;
  at = writeVarint32(buffer, at, bytes.length);
  if (bytes.length <= 32) {
    for (let i = 0; i < bytes.length; i++) buffer[at + i] = bytes[i]!;
    return at + bytes.length;
  }
  return at + bytes.copy(buffer, at);
}

/** Buffer.copy costs more than a loop for the few bytes of an IID. */
function copyBytes(from: Buffer, at: number, to: Buffer, toAt: number, length: number): void {
  if (length > 64) {
    from.copy(to, toAt, at, at + length);
    return;
  }
  for (let i = 0; i < length; i++) to[toAt + i] = from[at + i]!;
}

/** Standard base64 with padding, as Buffer.toString('base64') writes it. */
function writeBase64(out: Buffer, at: number, bytes: Buffer, from: number, length: number): number {
  const end = from + length;
  let i = from;
  for (; i + 2 < end; i += 3) {
    const triple = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[at++] = BASE64[triple >>> 18]!;
    out[at++] = BASE64[(triple >>> 12) & 63]!;
    out[at++] = BASE64[(triple >>> 6) & 63]!;
    out[at++] = BASE64[triple & 63]!;
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
