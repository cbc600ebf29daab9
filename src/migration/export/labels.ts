// The labels export items name types by, as the encoded fields the encoder copies per type id: a thing type's
// name, and a role's scoped label (`relation:role`). Built once from the schema; a plain table so that worker
// threads can receive it.

import { labelText } from '../../schema/labels.js';
import type { TypeGraph } from '../../schema/index.js';
import { TAG_1_LEN, TAG_2_LEN } from '../codec/wire.js';
import type { ExportLabels } from './thing-encoder.js';
import { EncodedField } from './record-bytes.js';

/** [type id, thing label, role label] for every type of the schema. */
export type LabelTable = readonly (readonly [number, string, string])[];

export function labelTable(schema: TypeGraph): LabelTable {
  return [...schema.all()].map((type) => [type.id, type.label.name, labelText(type.label)] as const);
}

export class TableLabels implements ExportLabels {
  // By type id (16 bits): an array index is cheaper than a map lookup, once per item and per role.
  private readonly things: (EncodedField | undefined)[] = [];
  private readonly roles: (EncodedField | undefined)[] = [];

  constructor(table: LabelTable) {
    for (const [id, thing, role] of table) {
      this.things[id] = new EncodedField(TAG_2_LEN, thing);
      this.roles[id] = new EncodedField(TAG_1_LEN, role);
    }
  }

  thingField(typeId: number): EncodedField {
    return this.things[typeId] ?? this.unknown(this.things, TAG_2_LEN, typeId);
  }

  roleField(typeId: number): EncodedField {
    return this.roles[typeId] ?? this.unknown(this.roles, TAG_1_LEN, typeId);
  }

  /** A type id the schema lacks (a damaged store): named `#id`, as the export always did. */
  private unknown(fields: (EncodedField | undefined)[], tag: number, typeId: number): EncodedField {
    const field = new EncodedField(tag, `#${typeId}`);
    fields[typeId] = field;
    return field;
  }
}
