// The labels export items name types by, as the encoded fields the native encoder copies per type id: a thing
// type's name, and a role's scoped label (`relation:role`). Built once from the schema; a plain table so that
// worker threads can receive it, packed into the layout the encoder reads (src/native/export-encoder.ts).

import { labelText } from '../../schema/labels.js';
import type { TypeGraph } from '../../schema/index.js';
import { TAG_1_LEN, TAG_2_LEN, varint32Size, writeVarint32 } from '../codec/wire.js';

/** [type id, thing label, role label] for every type of the schema. */
export type LabelTable = readonly (readonly [number, string, string])[];

export function labelTable(schema: TypeGraph): LabelTable {
  return [...schema.all()].map((type) => [type.id, type.label.name, labelText(type.label)] as const);
}

const NOT_KNOWN = 0xffff_ffff;

export class LabelFields {
  /** The packed table: u32 count, then per type id the offset and length of its thing and role fields, then those. */
  bytes: Buffer;
  // By type id (16 bits).
  private readonly things: (Buffer | undefined)[] = [];
  private readonly roles: (Buffer | undefined)[] = [];

  constructor(table: LabelTable) {
    for (const [id, thing, role] of table) {
      this.things[id] = encodedField(TAG_2_LEN, thing);
      this.roles[id] = encodedField(TAG_1_LEN, role);
    }
    this.bytes = this.pack();
  }

  /** Names a type id the schema lacks (a damaged store) `#id`, as the export always did; returns the new table. */
  addUnknown(typeId: number): Buffer {
    this.things[typeId] ??= encodedField(TAG_2_LEN, `#${typeId}`);
    this.roles[typeId] ??= encodedField(TAG_1_LEN, `#${typeId}`);
    this.bytes = this.pack();
    return this.bytes;
  }

  private pack(): Buffer {
    const count = Math.max(this.things.length, this.roles.length);
    let size = 4 + 16 * count;
    for (let id = 0; id < count; id++) size += (this.things[id]?.length ?? 0) + (this.roles[id]?.length ?? 0);
    const bytes = Buffer.alloc(size);
    bytes.writeUInt32LE(count, 0);
    let at = 4 + 16 * count;
    for (let id = 0; id < count; id++) {
      for (const [slot, field] of [this.things[id], this.roles[id]].entries()) {
        const entry = 4 + 16 * id + 8 * slot;
        bytes.writeUInt32LE(field === undefined ? NOT_KNOWN : at, entry);
        bytes.writeUInt32LE(field?.length ?? 0, entry + 4);
        if (field !== undefined) at += field.copy(bytes, at);
      }
    }
    return bytes;
  }
}

/** A string field as the encoder copies it: tag, length and bytes; nothing for an empty string (proto3). */
function encodedField(tag: number, text: string): Buffer {
  const utf8 = Buffer.from(text, 'utf8');
  if (utf8.length === 0) return Buffer.alloc(0);
  const field = Buffer.alloc(1 + varint32Size(utf8.length) + utf8.length);
  field[0] = tag;
  utf8.copy(field, writeVarint32(field, 1, utf8.length));
  return field;
}
