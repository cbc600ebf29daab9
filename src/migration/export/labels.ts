// The labels export items name types by, as UTF-8 bytes per type id: a thing type's name, and a role's scoped
// label (`relation:role`). Built once from the schema; a plain table so that worker threads can receive it.

import { labelText } from '../../schema/labels.js';
import type { TypeGraph } from '../../schema/index.js';
import type { ExportLabels } from './thing-encoder.js';

/** [type id, thing label, role label] for every type of the schema. */
export type LabelTable = readonly (readonly [number, string, string])[];

export function labelTable(schema: TypeGraph): LabelTable {
  return [...schema.all()].map((type) => [type.id, type.label.name, labelText(type.label)] as const);
}

export class TableLabels implements ExportLabels {
  private readonly things = new Map<number, Buffer>();
  private readonly roles = new Map<number, Buffer>();

  constructor(table: LabelTable) {
    for (const [id, thing, role] of table) {
      this.things.set(id, Buffer.from(thing, 'utf8'));
      this.roles.set(id, Buffer.from(role, 'utf8'));
    }
  }

  thing(typeId: number): Buffer {
    return this.things.get(typeId) ?? this.unknown(this.things, typeId);
  }

  role(typeId: number): Buffer {
    return this.roles.get(typeId) ?? this.unknown(this.roles, typeId);
  }

  /** A type id the schema lacks (a damaged store): named `#id`, as the export always did. */
  private unknown(labels: Map<number, Buffer>, typeId: number): Buffer {
    const label = Buffer.from(`#${typeId}`, 'utf8');
    labels.set(typeId, label);
    return label;
  }
}
