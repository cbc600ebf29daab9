// Key layouts of the key space. Each keyspace starts with one prefix byte.
//   META      [0x00][name]                              → metadata records (the schema)
//   THING     [0x10][iid]                               → attribute value record, or empty for entities/relations
//   HAS       [0x20][owner iid][attribute iid]          → empty
//   HAS_REV   [0x21][attribute iid][owner iid]          → empty
//   ROLE      [0x30][relation iid][role type u16][player iid]   → repetition count (u32)
//   ROLE_REV  [0x31][player iid][role type u16][relation iid]   → repetition count (u32)
//   LOCK      [0x7f][…]                                 → never written; conflict-detection lock names only
import { iidLength, type IID, type ThingKind, typePrefix } from './iid.js';

export enum Keyspace {
  Meta = 0x00,
  Thing = 0x10,
  Has = 0x20,
  HasReverse = 0x21,
  Role = 0x30,
  RoleReverse = 0x31,
  Lock = 0x7f,
}

function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** The smallest key greater than every key with this prefix (prefix must not be all 0xff). */
export function prefixEnd(prefix: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix);
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i]! < 0xff) {
      out[i]!++;
      return out.subarray(0, i + 1);
    }
  }
  throw new Error('prefixEnd of an all-0xff prefix');
}

export const schemaKey = concat([Keyspace.Meta], new TextEncoder().encode('schema'));

export const thingKey = (iid: IID) => concat([Keyspace.Thing], iid);
export const thingTypePrefix = (kind: ThingKind, typeId: number) => concat([Keyspace.Thing], typePrefix(kind, typeId));

export const hasKey = (owner: IID, attribute: IID) => concat([Keyspace.Has], owner, attribute);
export const hasReverseKey = (attribute: IID, owner: IID) => concat([Keyspace.HasReverse], attribute, owner);
export const hasPrefix = (owner: IID) => concat([Keyspace.Has], owner);
export const hasTypePrefix = (owner: IID, attributeKind: ThingKind, attributeTypeId: number) =>
  concat([Keyspace.Has], owner, typePrefix(attributeKind, attributeTypeId));
export const hasReversePrefix = (attribute: IID) => concat([Keyspace.HasReverse], attribute);
export const hasReverseTypePrefix = (attribute: IID, ownerKind: ThingKind, ownerTypeId: number) =>
  concat([Keyspace.HasReverse], attribute, typePrefix(ownerKind, ownerTypeId));

const u16 = (n: number) => [n >> 8, n & 0xff];

export const roleKey = (relation: IID, roleTypeId: number, player: IID) =>
  concat([Keyspace.Role], relation, u16(roleTypeId), player);
export const roleReverseKey = (player: IID, roleTypeId: number, relation: IID) =>
  concat([Keyspace.RoleReverse], player, u16(roleTypeId), relation);
export const rolePrefix = (relation: IID, roleTypeId?: number) =>
  roleTypeId === undefined ? concat([Keyspace.Role], relation) : concat([Keyspace.Role], relation, u16(roleTypeId));
export const roleReversePrefix = (player: IID, roleTypeId?: number) =>
  roleTypeId === undefined
    ? concat([Keyspace.RoleReverse], player)
    : concat([Keyspace.RoleReverse], player, u16(roleTypeId));

export const lockKey = (...parts: Uint8Array[]) => concat([Keyspace.Lock], ...parts);

/**
 * Bytes start..end of a key as a copy of their own. Keys read from the store are Buffers, and a Buffer's subarray
 * (a view) costs several times a copy of these few bytes: it detaches the key's memory from the JavaScript heap.
 */
export function keyPart(key: Uint8Array, start: number, end = key.length): Uint8Array {
  return sliceBytes.call(key, start, end);
}

const sliceBytes = Uint8Array.prototype.slice;

/** The IID of a THING key. */
export function thingKeyIID(key: Uint8Array): IID {
  return keyPart(key, 1);
}

/** Splits a HAS or HAS_REV key into its two IIDs (first, second). */
export function splitEdgeKey(key: Uint8Array): [IID, IID] {
  const firstLength = iidLength(key, 1);
  return [keyPart(key, 1, 1 + firstLength), keyPart(key, 1 + firstLength)];
}

/** The second IID of a HAS or HAS_REV key: the attribute of HAS, the owner of HAS_REV. */
export function edgeKeyTarget(key: Uint8Array): IID {
  return keyPart(key, 1 + iidLength(key, 1));
}

/** Splits a ROLE or ROLE_REV key into (first iid, role type id, second iid). */
export function splitRoleKey(key: Uint8Array): [IID, number, IID] {
  const firstLength = iidLength(key, 1);
  const roleOffset = 1 + firstLength;
  const roleTypeId = (key[roleOffset]! << 8) | key[roleOffset + 1]!;
  return [keyPart(key, 1, roleOffset), roleTypeId, keyPart(key, roleOffset + 2)];
}

export function encodeCount(count: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, count);
  return out;
}

export function decodeCount(bytes: Uint8Array): number {
  // Read byte by byte: a DataView over stored bytes would first move them off the JavaScript heap.
  if (bytes.length < 4) throw new RangeError('Offset is outside the bounds of the DataView');
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}
