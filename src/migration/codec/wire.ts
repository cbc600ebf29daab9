// Protobuf wire primitives shared by the codec's encoder and the export's store-to-record encoder: the tag
// bytes of the item messages' fields (export-format.md §3.4) and varints.

// Tag bytes (field number << 3 | wire type).
export const TAG_ITEM_ATTRIBUTE = 0x0a;
export const TAG_ITEM_ENTITY = 0x12;
export const TAG_ITEM_RELATION = 0x1a;
export const TAG_ITEM_HEADER = 0x7a;
export const TAG_ITEM_CHECKSUMS = [0x82, 0x01] as const;
export const TAG_1_LEN = 0x0a; // id, role label, typedb_version, ValueObject.string
export const TAG_2_LEN = 0x12; // label, player, original_database
export const TAG_3_LEN = 0x1a; // attribute (OwnedAttribute)
export const TAG_4_LEN = 0x22; // Attribute.value, Relation.role
export const TAG_VALUE_BOOLEAN = 0x10;
export const TAG_VALUE_LONG = 0x18;
export const TAG_VALUE_DOUBLE = 0x21;
export const TAG_VALUE_DATETIME = 0x28;

export function varint32Size(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x20_0000 ? 3 : v < 0x1000_0000 ? 4 : 5;
}

export function varint64Size(lo: number, hi: number): number {
  if (hi === 0) return varint32Size(lo);
  let size = 5;
  for (hi >>>= 3; hi !== 0; hi >>>= 7) size++;
  return size;
}

export function writeVarint32(buf: Buffer, pos: number, v: number): number {
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

export function writeVarint64(buf: Buffer, pos: number, lo: number, hi: number): number {
  while (hi !== 0 || lo >= 0x80) {
    buf[pos++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  buf[pos++] = lo;
  return pos;
}
