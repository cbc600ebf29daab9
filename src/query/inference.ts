// Type inference: narrows the possible types of every variable of a conjunction from its constraints,
// iterating to a fixpoint. The executor iterates only these types, and an empty set means the pattern can
// never match in this schema (an error in TypeDB).
import type { SchemaReader, SchemaType } from '../schema/api.js';
import type { Conjunction, Constraint, RolePlayerConstraint, TypeOperand } from './ir.js';
import { comparable } from '../common/values.js';

export type TypeSets = Map<string, Set<SchemaType>>;

export class TypeInference {
  private readonly thingTypes: SchemaType[];
  private readonly allTypes: SchemaType[];
  private readonly roleTypes: SchemaType[];

  constructor(private readonly schema: SchemaReader) {
    this.allTypes = [...schema.all()];
    this.thingTypes = this.allTypes.filter((t) => !t.isMeta && (t.root === 'entity' || t.root === 'relation' || t.root === 'attribute'));
    this.roleTypes = this.allTypes.filter((t) => t.root === 'role');
  }

  /** Candidate types for each variable of the conjunction, starting from the outer scope's sets. */
  infer(conjunction: Conjunction, outer?: TypeSets, onEmptied?: (variable: string, by: Constraint) => void): TypeSets {
    const sets: TypeSets = new Map();
    for (const [name, kind] of conjunction.variables) {
      const inherited = outer?.get(name);
      if (inherited) sets.set(name, new Set(inherited));
      else if (kind === 'thing') sets.set(name, new Set(this.thingTypes));
      else if (kind === 'type') sets.set(name, new Set(this.allTypes));
    }
    for (const c of conjunction.constraints) this.collectVariables(c, sets, outer);
    const emptied = new Set<string>();
    for (let round = 0; round < 20; round++) {
      let changed = false;
      for (const c of conjunction.constraints) {
        const narrowed = this.apply(c, sets);
        changed = narrowed || changed;
        if (narrowed && onEmptied) {
          for (const [name, set] of sets) {
            if (set.size === 0 && !emptied.has(name)) {
              emptied.add(name);
              onEmptied(name, c);
            }
          }
        }
      }
      if (!changed) break;
    }
    return sets;
  }

  /** Variables bound only in the outer scope but used here (e.g. inside a negation) start from the outer sets. */
  private collectVariables(c: Constraint, sets: TypeSets, outer?: TypeSets): void {
    if (!outer) return;
    for (const [name, set] of outer) if (!sets.has(name)) sets.set(name, new Set(set));
    void c;
  }

  private restrict(sets: TypeSets, name: string, allowed: (t: SchemaType) => boolean): boolean {
    const set = sets.get(name);
    if (!set) return false;
    let changed = false;
    for (const t of set) {
      if (!allowed(t)) {
        set.delete(t);
        changed = true;
      }
    }
    return changed;
  }

  private operandTypes(sets: TypeSets, operand: TypeOperand): Set<SchemaType> | undefined {
    return operand.kind === 'fixed' ? new Set([operand.type]) : sets.get(operand.name);
  }

  private restrictOperand(sets: TypeSets, operand: TypeOperand | undefined, allowed: (t: SchemaType) => boolean): boolean {
    if (!operand || operand.kind === 'fixed') return false;
    return this.restrict(sets, operand.name, allowed);
  }

  private apply(c: Constraint, sets: TypeSets): boolean {
    const s = this.schema;
    switch (c.kind) {
      case 'isa': {
        const types = this.operandTypes(sets, c.type);
        if (!types) return false;
        let changed = this.restrict(sets, c.thing, (t) =>
          [...types].some((T) => (c.explicit ? t.id === T.id : s.isSubtypeOf(t, T))),
        );
        const things = sets.get(c.thing);
        if (things) {
          changed =
            this.restrictOperand(sets, c.type, (T) =>
              [...things].some((t) => (c.explicit ? t.id === T.id : s.isSubtypeOf(t, T) || T.root === 'thing')),
            ) || changed;
        }
        return changed;
      }
      case 'has': {
        let changed = this.restrict(sets, c.attribute, (t) => t.root === 'attribute');
        const attributes = sets.get(c.attribute)!;
        changed = this.restrict(sets, c.owner, (o) => [...attributes].some((a) => s.owns(o).has(a.id))) || changed;
        const owners = sets.get(c.owner)!;
        changed = this.restrict(sets, c.attribute, (a) => [...owners].some((o) => s.owns(o).has(a.id))) || changed;
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
        const isSub = (a: SchemaType, b: SchemaType) => (c.explicit ? a.supertype?.id === b.id : s.isSubtypeOf(a, b) || (b.root === 'thing' && a.root !== 'role'));
        return (
          this.restrictOperand(sets, c.subtype, (a) => [...supers].some((b) => isSub(a, b))) ||
          this.restrictOperand(sets, c.supertype, (b) => [...subs].some((a) => isSub(a, b)))
        );
      }
      case 'owns': {
        const attrs = this.operandTypes(sets, c.attribute);
        const owners = this.operandTypes(sets, c.owner);
        if (!attrs || !owners) return false;
        return (
          this.restrictOperand(sets, c.owner, (o) => [...attrs].some((a) => s.owns(o).has(a.id))) ||
          this.restrictOperand(sets, c.attribute, (a) => a.root === 'attribute' && [...owners].some((o) => s.owns(o).has(a.id)))
        );
      }
      case 'plays': {
        const roles = this.operandTypes(sets, c.role);
        const players = this.operandTypes(sets, c.player);
        if (!roles || !players) return false;
        return (
          this.restrictOperand(sets, c.player, (p) => [...roles].some((r) => s.plays(p).has(r.id))) ||
          this.restrictOperand(sets, c.role, (r) => r.root === 'role' && [...players].some((p) => s.plays(p).has(r.id)))
        );
      }
      case 'relates': {
        const roles = this.operandTypes(sets, c.role);
        const relations = this.operandTypes(sets, c.relation);
        if (!roles || !relations) return false;
        return (
          this.restrictOperand(sets, c.relation, (rel) => [...roles].some((r) => s.relates(rel).some((x) => x.id === r.id))) ||
          this.restrictOperand(sets, c.role, (r) => r.root === 'role' && [...relations].some((rel) => s.relates(rel).some((x) => x.id === r.id)))
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

  /** Roles a role-player constraint may match, as stored roles (role types and their subroles). */
  private storedRoles(rp: RolePlayerConstraint, sets: TypeSets): SchemaType[] {
    const role = rp.role;
    if (role === undefined) return this.roleTypes;
    if (role.kind === 'named') return role.roles.flatMap((r) => this.schema.subtypes(r));
    if (role.kind === 'fixed') return this.schema.subtypes(role.type);
    const set = sets.get(role.name);
    return set ? [...set].filter((r) => r.root === 'role').flatMap((r) => this.schema.subtypes(r)) : this.roleTypes;
  }

  private applyRelation(relation: string, players: readonly RolePlayerConstraint[], sets: TypeSets): boolean {
    const s = this.schema;
    let changed = this.restrict(sets, relation, (t) => t.root === 'relation');
    for (const rp of players) {
      const roles = new Set(this.storedRoles(rp, sets));
      changed = this.restrict(sets, relation, (rel) => s.relates(rel).some((r) => roles.has(r))) || changed;
      const relations = sets.get(relation)!;
      const related = new Set([...relations].flatMap((rel) => s.relates(rel)));
      const usable = [...roles].filter((r) => related.has(r));
      changed = this.restrict(sets, rp.player, (p) => usable.some((r) => s.plays(p).has(r.id))) || changed;
      if (rp.role?.kind === 'var') {
        const playerTypes = sets.get(rp.player)!;
        const played = [...playerTypes].flatMap((p) => [...s.plays(p).values()].map((x) => x.role)).filter((r) => related.has(r));
        changed = this.restrict(sets, rp.role.name, (r) => played.some((x) => s.isSubtypeOf(x, r))) || changed;
      }
    }
    return changed;
  }
}
