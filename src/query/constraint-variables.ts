// Which variables a constraint of a compiled conjunction needs bound before it can be checked, and the other facts
// about a conjunction's variables the matcher's planning uses.
import type { Conjunction, Constraint, TypeOperand } from './ir.js';
import { variablesOf as expressionVariables } from './expressions.js';

/**
 * The variables `c` reads. `inScope` says whether a variable belongs to the conjunction being matched: a negation
 * waits only for those of its variables (disjunction branches inside it included) that the enclosing scope binds.
 */
export function constraintVariables(c: Constraint, inScope: (variable: string) => boolean): string[] {
  const op = (o: TypeOperand | undefined) => (o?.kind === 'var' ? [o.name] : []);
  switch (c.kind) {
    case 'isa':
      return [c.thing, ...op(c.type)];
    case 'has':
      return [c.owner, c.attribute];
    case 'relation':
      return [c.relation, ...c.players.flatMap((p) => [p.player, ...(p.role?.kind === 'var' ? [p.role.name] : [])])];
    case 'iid':
      return [c.variable];
    case 'compare':
      return [c.left, ...(c.right.kind === 'var' ? [c.right.name] : [])];
    case 'substring':
      return [c.variable];
    case 'is':
      return [c.left, c.right];
    case 'assign':
      return [c.variable, ...expressionVariables(c.expression)];
    case 'label':
      return [c.variable];
    case 'sub':
      return [...op(c.subtype), ...op(c.supertype)];
    case 'owns':
      return [...op(c.owner), ...op(c.attribute), ...op(c.overridden)];
    case 'plays':
      return [...op(c.player), ...op(c.role), ...op(c.overridden)];
    case 'relates':
      return [...op(c.relation), ...op(c.role), ...op(c.overridden)];
    case 'value-type':
    case 'regex':
    case 'abstract':
      return op(c.type);
    case 'negation':
      // Variables of disjunction branches inside the negation count too: `not { {$x …} or {$t …}; }` waits for both.
      return [...scopeVariables(c.body)].filter(inScope);
    case 'disjunction':
      return [];
  }
}

/** Variables of a disjunction's branches or a negation's body, and of what is nested in them. */
export function nestedScopeVariables(c: Constraint): Set<string> {
  const out = new Set<string>();
  if (c.kind === 'negation') scopeVariables(c.body, out);
  else if (c.kind === 'disjunction') for (const b of c.branches) scopeVariables(b, out);
  return out;
}

/** Variables of a conjunction and of the disjunction branches and negations nested in it. */
export function scopeVariables(c: Conjunction, out = new Set<string>()): Set<string> {
  for (const v of c.variables.keys()) out.add(v);
  for (const k of c.constraints) {
    if (k.kind === 'negation') scopeVariables(k.body, out);
    else if (k.kind === 'disjunction') for (const b of k.branches) scopeVariables(b, out);
  }
  return out;
}
