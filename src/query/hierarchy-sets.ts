// The type hierarchy as sets of type ids, for type inference: the types under any of a set of types, and the types
// above any of them, each found in one walk that visits a type once, however deep the hierarchy (asking
// isSubtypeOf of every candidate pair walks the supertype chain each time: quadratic in the depth, and more).
import type { SchemaType, TypeId } from '../schema/api.js';

export class HierarchySets {
  private readonly children = new Map<TypeId, SchemaType[]>();
  private readonly parents = new Map<TypeId, SchemaType>();
  private readonly subtrees = new Map<TypeId, ReadonlySet<TypeId>>();
  /** Types visited by the walks so far: the work done, which a caller may bound (and tests check). */
  visited = 0;

  /** `types`: every type of the schema; the hierarchy is read from their supertypes once. */
  constructor(types: Iterable<SchemaType>) {
    for (const t of types) {
      const parent = t.supertype;
      if (parent === undefined) continue;
      this.parents.set(t.id, parent);
      let list = this.children.get(parent.id);
      if (list === undefined) this.children.set(parent.id, (list = []));
      list.push(t);
    }
  }

  /** The direct supertype's id, if any. */
  parentId(type: SchemaType): TypeId | undefined {
    return this.parents.get(type.id)?.id;
  }

  /** Ids of one type and all its transitive subtypes, worked out once per type. */
  subtypesOf(type: SchemaType): ReadonlySet<TypeId> {
    let ids = this.subtrees.get(type.id);
    if (ids === undefined) this.subtrees.set(type.id, (ids = this.subtypesOfAll([type])));
    return ids;
  }

  /** Whether `type` is `ancestor` or under it: one lookup, once the ancestor's subtypes are known. */
  isSubtypeOf(type: SchemaType, ancestor: SchemaType): boolean {
    return this.subtypesOf(ancestor).has(type.id);
  }

  /** Ids of the types and all their transitive subtypes (a subtree already walked is not walked again). */
  subtypesOfAll(types: Iterable<SchemaType>): Set<TypeId> {
    const out = new Set<TypeId>();
    const stack: SchemaType[] = [];
    for (const t of types) {
      if (out.has(t.id)) continue;
      out.add(t.id);
      stack.push(t);
      while (stack.length > 0) {
        const next = stack.pop()!;
        this.visited++;
        for (const child of this.children.get(next.id) ?? []) {
          if (out.has(child.id)) continue;
          out.add(child.id);
          stack.push(child);
        }
      }
    }
    return out;
  }

  /** Ids of the types and all their transitive supertypes (a walk up stops at a type already reached). */
  supertypesOfAll(types: Iterable<SchemaType>): Set<TypeId> {
    const out = new Set<TypeId>();
    for (const t of types) {
      for (let at: SchemaType | undefined = t; at !== undefined && !out.has(at.id); at = this.parents.get(at.id)) {
        out.add(at.id);
        this.visited++;
      }
    }
    return out;
  }
}
