// Subtype checks for writes, remembered per pair of types: an insert or a delete checks each answer's things against
// the types its statements name, and asking the schema each time walked the supertype chain (up to 1 000 types) per
// thing. Made per query, so a schema change in the same transaction is never missed.
import type { SchemaReader, SchemaType, TypeId } from '../schema/api.js';

export class SubtypeMemo {
  /** Per ancestor, per type: whether the type is the ancestor or under it. */
  private readonly known = new Map<TypeId, Map<TypeId, boolean>>();

  constructor(private readonly schema: SchemaReader) {}

  /** schema.isSubtypeOf, walked once per pair of types. */
  isSubtypeOf(type: SchemaType, ancestor: SchemaType): boolean {
    let below = this.known.get(ancestor.id);
    if (below === undefined) this.known.set(ancestor.id, (below = new Map()));
    let is = below.get(type.id);
    if (is === undefined) below.set(type.id, (is = this.schema.isSubtypeOf(type, ancestor)));
    return is;
  }

  /** bindings.ts's isSubtype: as isSubtypeOf, with every type but roles under the root `thing`. */
  isSubtype(type: SchemaType, ancestor: SchemaType): boolean {
    if (ancestor.root === 'thing') return type.root !== 'role';
    return this.isSubtypeOf(type, ancestor);
  }
}
