// Steps that bind a type variable from a bound one along the schema's edges: with `$t` bound, `$t sub $s` binds
// `$s` to its supertypes (with `$s` bound, `$t` to its subtypes), `$t owns $a` binds `$a` to the attribute types `$t`
// owns, `$t plays $r` to the roles it plays, `$rel relates $r` to the roles it relates. Scanning every type the
// other variable may take and checking each pair made `match $t sub! $s;` over 12 000 types take 29 s.
// Each type bound satisfies the constraint, which the step consumes, unless it has annotations or an override to check.
import type { SchemaReader, SchemaType, TypeId } from '../schema/api.js';
import type { Constraint, TypeOperand } from './ir.js';
import { supertypesWithRoot, type Row } from './bindings.js';
import { CHEAP } from './plan-costs.js';
import type { Scope } from './match-scope.js';
import type { StepGenerator } from './step-plans.js';
import { typeOf } from './row-reads.js';

/** A step binding one type variable of `c` from the other, bound one; undefined when `c` offers none at `row`. */
export function typeEdgeStep(schema: SchemaReader, c: Constraint, row: Row, scope: Scope): StepGenerator | undefined {
  switch (c.kind) {
    case 'sub':
      if (boundVar(c.subtype, row) && unboundVar(c.supertype, row)) {
        return step(c.supertype.name, scope, c, (r) => {
          const sub = typeOf(c.subtype, r);
          if (!c.explicit) return supertypesWithRoot(schema, sub);
          const parent = sub.supertype;
          return parent === undefined ? [] : [parent];
        });
      }
      if (boundVar(c.supertype, row) && unboundVar(c.subtype, row)) {
        // Under `thing` (not explicitly) is every type but the roles: a scan of the variable's types is no worse.
        if (!c.explicit && typeOf(c.supertype, row).root === 'thing') return undefined;
        return step(c.subtype.name, scope, c, (r) => {
          const sup = typeOf(c.supertype, r);
          return c.explicit ? schema.subtypes(sup, { direct: true }) : schema.subtypes(sup);
        });
      }
      return undefined;
    case 'owns': {
      // With annotations or an override to check, the constraint stays pending (one check per answer).
      const exact = c.annotations.length === 0 && c.overridden === undefined;
      return edgeStep(c, c.owner, c.attribute, row, scope, exact ? c : undefined, (owner) => [...schema.owns(owner).values()].map((o) => o.attribute));
    }
    case 'plays':
      return edgeStep(c, c.player, c.role, row, scope, c.overridden ? undefined : c, (player) => [...schema.plays(player).values()].map((p) => p.role));
    case 'relates':
      return edgeStep(c, c.relation, c.role, row, scope, c.overridden ? undefined : c, (relation) => schema.relates(relation));
    default:
      return undefined;
  }
}

function boundVar(o: TypeOperand, row: Row): boolean {
  return o.kind === 'var' && row.has(o.name);
}

function unboundVar(o: TypeOperand, row: Row): o is Extract<TypeOperand, { kind: 'var' }> {
  return o.kind === 'var' && !row.has(o.name);
}

/**
 * Binds `to` from a bound `from` along `edges`, or `from` from a bound `to` by the edges reversed: those of the
 * types inference allows `from`, indexed once per scope.
 */
function edgeStep(
  c: Constraint,
  from: TypeOperand,
  to: TypeOperand,
  row: Row,
  scope: Scope,
  consumes: Constraint | undefined,
  edges: (type: SchemaType) => readonly SchemaType[],
): StepGenerator | undefined {
  if (boundVar(from, row) && unboundVar(to, row)) return step(to.name, scope, consumes, (r) => edges(typeOf(from, r)));
  if (!boundVar(to, row) || !unboundVar(from, row)) return undefined;
  const candidates = scope.sets.get(from.name);
  if (candidates === undefined) return undefined;
  return step(from.name, scope, consumes, (r) => {
    let reversed = scope.reversedEdges.get(c);
    if (reversed === undefined) scope.reversedEdges.set(c, (reversed = reverse(candidates, edges)));
    return reversed.get(typeOf(to, r).id) ?? [];
  });
}

/** The sources of each target type along `edges`, over the source types given. */
function reverse(sources: Iterable<SchemaType>, edges: (type: SchemaType) => readonly SchemaType[]): Map<TypeId, SchemaType[]> {
  const reversed = new Map<TypeId, SchemaType[]>();
  for (const type of sources) {
    for (const target of edges(type)) {
      let list = reversed.get(target.id);
      if (list === undefined) reversed.set(target.id, (list = []));
      list.push(type);
    }
  }
  return reversed;
}

/** Binds `name` to each of the types `edges` gives at the row that inference allows it. */
function step(name: string, scope: Scope, consumes: Constraint | undefined, edges: (row: Row) => readonly SchemaType[]): StepGenerator {
  const allowed = scope.sets.get(name);
  return {
    cost: CHEAP,
    consumes,
    run: function* (r: Row) {
      for (const type of edges(r)) {
        if (allowed !== undefined && !allowed.has(type)) continue;
        r.set(name, { kind: 'type', type });
        yield r;
      }
      r.delete(name);
    },
  };
}
