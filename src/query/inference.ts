// Type inference: narrows the possible types of every variable of a conjunction from its constraints,
// iterating to a fixpoint. The executor iterates only these types, and an empty set means the pattern can
// never match in this schema (an error in TypeDB).
import type { Deadline } from '../common/deadline.js';
import type { SchemaReader, SchemaType, TypeId } from '../schema/api.js';
import type { Conjunction, Constraint, RolePlayerConstraint, TypeOperand } from './ir.js';
import { comparable } from '../common/values.js';
import { HierarchySets } from './hierarchy-sets.js';
import { TypeSets } from './type-sets.js';
import { constraintVariables } from './constraint-variables.js';

export { TypeSets } from './type-sets.js';

/** Work (types examined) between two readings of the deadline's clock: a few milliseconds' worth. */
const WORK_PER_DEADLINE_CHECK = 1 << 16;

/**
 * Each constraint narrows its variables by sets of type ids worked out once per application (the subtypes of its
 * types, the supertypes of its things, the attribute types its owners own…), so that a round costs in the order
 * of (variables + constraints) × types, however deep the hierarchy.
 */
export class TypeInference {
  private readonly thingTypes: SchemaType[];
  private readonly allTypes: SchemaType[];
  private readonly roleTypes: SchemaType[];
  private readonly roleIds: ReadonlySet<TypeId>;
  /** The hierarchy as id sets, kept while the inference lives (one query): the matcher's subtype checks read it too. */
  readonly hierarchy: HierarchySets;
  /** Candidate types examined so far (with the types the hierarchy walks visited, the work this inference did). */
  private examined = 0;
  private checkedAt = 0;
  /** Whether a restriction of the constraint being applied left a variable without types. */
  private emptiedOne = false;

  constructor(
    private readonly schema: SchemaReader,
    /** Stops an inference still running past it (the transaction's timeout), as it stops a long match. */
    private readonly deadline?: Deadline,
  ) {
    this.allTypes = [...schema.all()];
    this.thingTypes = this.allTypes.filter((t) => !t.isMeta && (t.root === 'entity' || t.root === 'relation' || t.root === 'attribute'));
    this.roleTypes = this.allTypes.filter((t) => t.root === 'role');
    this.roleIds = new Set(this.roleTypes.map((t) => t.id));
    this.hierarchy = new HierarchySets(this.allTypes);
  }

  /** The work done by this instance's inferences so far: candidate types examined plus types walked. */
  get work(): number {
    return this.examined + this.hierarchy.visited;
  }

  /**
   * Candidate types for each variable of the conjunction, starting from the outer scope's sets. A nested body copies
   * the outer sets of only the variables it declares or its constraints name, and reads the others through `outer`.
   */
  infer(conjunction: Conjunction, outer?: TypeSets, onEmptied?: (variable: string, by: Constraint) => void): TypeSets {
    const sets = new TypeSets(outer);
    for (const [name, kind] of conjunction.variables) {
      const inherited = outer?.get(name);
      const start = inherited ?? (kind === 'thing' ? this.thingTypes : kind === 'type' ? this.allTypes : undefined);
      if (start === undefined) continue;
      // Copying a set is work as narrowing it is: a body copying every enclosing set was the cost of nesting.
      const set = new Set(start);
      this.examined += set.size;
      sets.declare(name, set);
    }
    if (outer) this.copyNamedEnclosing(conjunction, sets);
    const emptied = new Set<string>();
    // A set may start empty (inherited so): the first constraint that narrows anything reports it, as any other.
    let unreported = onEmptied !== undefined && this.anyEmpty(sets);
    for (let round = 0; round < 20; round++) {
      let changed = false;
      for (const c of conjunction.constraints) {
        this.emptiedOne = false;
        const narrowed = this.apply(c, sets);
        changed = narrowed || changed;
        if (this.work - this.checkedAt >= WORK_PER_DEADLINE_CHECK) {
          this.checkedAt = this.work;
          this.deadline?.check();
        }
        // Looking for the variables emptied only when one was: a scan of every set per constraint is quadratic.
        if (narrowed && onEmptied && (this.emptiedOne || unreported)) {
          unreported = false;
          for (const [name, set] of sets.visible()) {
            if (set.size === 0 && !emptied.has(name)) {
              emptied.add(name);
              onEmptied(name, c);
            }
          }
        }
      }
      this.deadline?.check();
      if (!changed) break;
    }
    return sets;
  }

  /** Variables bound only in the outer scope but named here (a generated role disjunction's label) are narrowed here. */
  private copyNamedEnclosing(conjunction: Conjunction, sets: TypeSets): void {
    const local = () => true;
    for (const c of conjunction.constraints) {
      if (c.kind === 'negation' || c.kind === 'disjunction') continue;
      for (const name of constraintVariables(c, local)) this.examined += sets.copyEnclosing(name);
    }
  }

  private anyEmpty(sets: TypeSets): boolean {
    for (const [, set] of sets.visible()) if (set.size === 0) return true;
    return false;
  }

  private restrict(sets: TypeSets, name: string, allowed: (t: SchemaType) => boolean): boolean {
    const set = sets.writable(name);
    if (!set) return false;
    this.examined += set.size;
    let changed = false;
    for (const t of set) {
      if (!allowed(t)) {
        set.delete(t);
        changed = true;
      }
    }
    if (changed && set.size === 0) this.emptiedOne = true;
    return changed;
  }

  private operandTypes(sets: TypeSets, operand: TypeOperand): Set<SchemaType> | undefined {
    return operand.kind === 'fixed' ? new Set([operand.type]) : sets.get(operand.name);
  }

  private restrictOperand(sets: TypeSets, operand: TypeOperand | undefined, allowed: (t: SchemaType) => boolean): boolean {
    if (!operand || operand.kind === 'fixed') return false;
    return this.restrict(sets, operand.name, allowed);
  }

  /** Ids of the operand's types and their subtypes: a fixed type's worked out once. */
  private subtypeIds(operand: TypeOperand, types: Set<SchemaType>): ReadonlySet<TypeId> {
    return operand.kind === 'fixed' ? this.hierarchy.subtypesOf(operand.type) : this.hierarchy.subtypesOfAll(types);
  }

  private idsOf(types: Iterable<SchemaType>): Set<TypeId> {
    const ids = new Set<TypeId>();
    for (const t of types) ids.add(t.id);
    this.examined += ids.size;
    return ids;
  }

  /** Whether any key of `edges` (a type's owns or plays) is among `ids`, walking the smaller of the two. */
  private anyOf(edges: ReadonlyMap<TypeId, unknown>, ids: ReadonlySet<TypeId>): boolean {
    if (edges.size <= ids.size) {
      this.examined += edges.size;
      for (const id of edges.keys()) if (ids.has(id)) return true;
      return false;
    }
    this.examined += ids.size;
    for (const id of ids) if (edges.has(id)) return true;
    return false;
  }

  /** Ids of the attribute types (`owns`) or roles (`plays`) any of the types has. */
  private unionOf(types: Iterable<SchemaType>, edges: (t: SchemaType) => ReadonlyMap<TypeId, unknown>): Set<TypeId> {
    const ids = new Set<TypeId>();
    for (const t of types) {
      const of = edges(t);
      this.examined += of.size;
      for (const id of of.keys()) ids.add(id);
    }
    return ids;
  }

  /** Ids of the roles any of the relation types relates. */
  private relatedIds(relations: Iterable<SchemaType>): Set<TypeId> {
    const ids = new Set<TypeId>();
    for (const rel of relations) {
      const roles = this.schema.relates(rel);
      this.examined += roles.length;
      for (const r of roles) ids.add(r.id);
    }
    return ids;
  }

  private relatesAny(relation: SchemaType, roles: ReadonlySet<TypeId>): boolean {
    const related = this.schema.relates(relation);
    this.examined += related.length;
    return related.some((r) => roles.has(r.id));
  }

  private hasNonRole(types: Iterable<SchemaType>): boolean {
    for (const t of types) if (t.root !== 'role') return true;
    return false;
  }

  private hasThingRoot(types: Iterable<SchemaType>): boolean {
    for (const t of types) if (t.root === 'thing') return true;
    return false;
  }

  private apply(c: Constraint, sets: TypeSets): boolean {
    const s = this.schema;
    switch (c.kind) {
      case 'isa': {
        const types = this.operandTypes(sets, c.type);
        if (!types) return false;
        const allowed = c.explicit ? this.idsOf(types) : this.subtypeIds(c.type, types);
        let changed = this.restrict(sets, c.thing, (t) => allowed.has(t.id));
        const things = sets.get(c.thing);
        if (things && c.type.kind === 'var') {
          // A type of the thing, or one of their supertypes; `thing` takes any thing, if there is one.
          const above = c.explicit ? this.idsOf(things) : this.hierarchy.supertypesOfAll(things);
          const anyThing = !c.explicit && things.size > 0;
          changed = this.restrictOperand(sets, c.type, (T) => above.has(T.id) || (anyThing && T.root === 'thing')) || changed;
        }
        return changed;
      }
      case 'has': {
        let changed = this.restrict(sets, c.attribute, (t) => t.root === 'attribute');
        const attributes = this.idsOf(sets.get(c.attribute)!);
        changed = this.restrict(sets, c.owner, (o) => this.anyOf(s.owns(o), attributes)) || changed;
        const owned = this.unionOf(sets.get(c.owner)!, (o) => s.owns(o));
        changed = this.restrict(sets, c.attribute, (a) => owned.has(a.id)) || changed;
        return changed;
      }
      case 'relation':
        return this.applyRelation(c.relation, c.players, sets);
      case 'compare': {
        if (c.right.kind === 'value') {
          const valueType = c.right.value.type;
          return this.restrict(sets, c.left, (t) => t.root === 'attribute' && t.valueType !== undefined && comparable(t.valueType, valueType));
        }
        let changed = this.restrict(sets, c.left, (t) => t.root === 'attribute');
        if (c.right.kind === 'var') changed = this.restrict(sets, c.right.name, (t) => t.root === 'attribute') || changed;
        return changed;
      }
      case 'substring':
        return this.restrict(sets, c.variable, (t) => t.root === 'attribute' && t.valueType === 'string');
      case 'assign':
        return false;
      case 'is': {
        const left = sets.get(c.left);
        const right = sets.get(c.right);
        if (!left || !right) return false;
        return this.restrict(sets, c.left, (t) => right.has(t)) || this.restrict(sets, c.right, (t) => left.has(t));
      }
      case 'label':
        return this.restrict(sets, c.variable, (t) => t.id === c.type.id);
      case 'sub': {
        const supers = this.operandTypes(sets, c.supertype);
        const subs = this.operandTypes(sets, c.subtype);
        if (!supers || !subs) return false;
        // As the second restriction runs only when the first changed nothing, what it reads is worked out then.
        if (c.explicit) {
          const parents = this.idsOf(supers);
          return (
            this.restrictOperand(sets, c.subtype, (a) => {
              const parent = this.hierarchy.parentId(a);
              return parent !== undefined && parents.has(parent);
            }) || this.restrictOperand(sets, c.supertype, this.parentOfAny(subs))
          );
        }
        // `$t sub thing` holds for every type but roles (the meta types included).
        const below = this.subtypeIds(c.supertype, supers);
        const underThing = this.hasThingRoot(supers);
        return (
          this.restrictOperand(sets, c.subtype, (a) => below.has(a.id) || (underThing && a.root !== 'role')) ||
          this.restrictOperand(sets, c.supertype, this.aboveAny(subs))
        );
      }
      case 'owns': {
        const attrs = this.operandTypes(sets, c.attribute);
        const owners = this.operandTypes(sets, c.owner);
        if (!attrs || !owners) return false;
        const attrIds = this.idsOf(attrs);
        return (
          this.restrictOperand(sets, c.owner, (o) => this.anyOf(s.owns(o), attrIds)) ||
          this.restrictOperand(sets, c.attribute, this.inUnion(owners, (o) => s.owns(o), (a) => a.root === 'attribute'))
        );
      }
      case 'plays': {
        const roles = this.operandTypes(sets, c.role);
        const players = this.operandTypes(sets, c.player);
        if (!roles || !players) return false;
        const roleIds = this.idsOf(roles);
        return (
          this.restrictOperand(sets, c.player, (p) => this.anyOf(s.plays(p), roleIds)) ||
          this.restrictOperand(sets, c.role, this.inUnion(players, (p) => s.plays(p), (r) => r.root === 'role'))
        );
      }
      case 'relates': {
        const roles = this.operandTypes(sets, c.role);
        const relations = this.operandTypes(sets, c.relation);
        if (!roles || !relations) return false;
        const roleIds = this.idsOf(roles);
        return (
          this.restrictOperand(sets, c.relation, (rel) => this.relatesAny(rel, roleIds)) ||
          this.restrictOperand(sets, c.role, this.relatedBy(relations))
        );
      }
      case 'value-type':
        return this.restrictOperand(sets, c.type, (t) => t.valueType === c.valueType);
      case 'regex':
        return this.restrictOperand(sets, c.type, (t) => t.regex === c.regex);
      case 'abstract':
        return this.restrictOperand(sets, c.type, (t) => t.abstract);
      case 'iid':
      case 'negation':
      case 'disjunction':
        return false;
    }
  }

  // The predicates below read their sets when first called, not when made: a restriction that runs after another
  // (`a || b`) sees the sets as the first left them, as a predicate reading the live set would.

  /** Whether a type is the direct supertype of one of `subs` (`sub!`). */
  private parentOfAny(subs: Set<SchemaType>): (b: SchemaType) => boolean {
    let parents: Set<TypeId> | undefined;
    return (b) => {
      if (parents === undefined) {
        parents = new Set();
        for (const a of subs) {
          const parent = this.hierarchy.parentId(a);
          if (parent !== undefined) parents.add(parent);
        }
        this.examined += subs.size;
      }
      return parents.has(b.id);
    };
  }

  /** Whether a type is one of `subs` or a supertype of one; `thing` is above any type but a role. */
  private aboveAny(subs: Set<SchemaType>): (b: SchemaType) => boolean {
    let above: Set<TypeId> | undefined;
    let nonRole = false;
    return (b) => {
      if (above === undefined) {
        above = this.hierarchy.supertypesOfAll(subs);
        nonRole = this.hasNonRole(subs);
      }
      return above.has(b.id) || (nonRole && b.root === 'thing');
    };
  }

  /** Whether a type passes `kind` and is among the edges (owns or plays) of any of `types`. */
  private inUnion(
    types: Set<SchemaType>,
    edges: (t: SchemaType) => ReadonlyMap<TypeId, unknown>,
    kind: (t: SchemaType) => boolean,
  ): (t: SchemaType) => boolean {
    let ids: Set<TypeId> | undefined;
    return (t) => kind(t) && (ids ??= this.unionOf(types, edges)).has(t.id);
  }

  /** Whether a type is a role that any of `relations` relates. */
  private relatedBy(relations: Set<SchemaType>): (r: SchemaType) => boolean {
    let ids: Set<TypeId> | undefined;
    return (r) => r.root === 'role' && (ids ??= this.relatedIds(relations)).has(r.id);
  }

  /** Ids of the roles a role-player constraint may match, as stored roles (role types and their subroles). */
  private storedRoles(rp: RolePlayerConstraint, sets: TypeSets): ReadonlySet<TypeId> {
    const role = rp.role;
    if (role === undefined) return this.roleIds;
    if (role.kind === 'named') return role.roles.length === 1 ? this.hierarchy.subtypesOf(role.roles[0]!) : this.hierarchy.subtypesOfAll(role.roles);
    if (role.kind === 'fixed') return this.hierarchy.subtypesOf(role.type);
    const set = sets.get(role.name);
    if (!set) return this.roleIds;
    const roles: SchemaType[] = [];
    for (const r of set) if (r.root === 'role') roles.push(r);
    return this.hierarchy.subtypesOfAll(roles);
  }

  private applyRelation(relation: string, players: readonly RolePlayerConstraint[], sets: TypeSets): boolean {
    const s = this.schema;
    let changed = this.restrict(sets, relation, (t) => t.root === 'relation');
    for (const rp of players) {
      const roles = this.storedRoles(rp, sets);
      changed = this.restrict(sets, relation, (rel) => this.relatesAny(rel, roles)) || changed;
      const related = this.relatedIds(sets.get(relation)!);
      const usable = new Set<TypeId>();
      for (const r of related) if (roles.has(r)) usable.add(r);
      changed = this.restrict(sets, rp.player, (p) => this.anyOf(s.plays(p), usable)) || changed;
      if (rp.role?.kind === 'var') {
        // The role variable takes the roles the players play here, and their supertypes.
        const played: SchemaType[] = [];
        for (const p of sets.get(rp.player)!) {
          const plays = s.plays(p);
          this.examined += plays.size;
          for (const { role } of plays.values()) if (related.has(role.id)) played.push(role);
        }
        const above = this.hierarchy.supertypesOfAll(played);
        changed = this.restrict(sets, rp.role.name, (r) => above.has(r.id)) || changed;
      }
    }
    return changed;
  }
}
