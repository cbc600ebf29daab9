// Which nested constraints of a scope wait for a disjunction beside them. TypeDB 2.x matches each conjunction of a
// match's normal form on its own (a branch of each disjunction with the statements beside them), so a variable a
// branch binds is bound for a negation beside the disjunction, or inside another disjunction's branch, that names it
// without binding it. Strata matches disjunctions as steps of one search instead: such a negation must be checked
// after the disjunction's step, or it would take the variable for its own and answer otherwise than TypeDB, as the
// planner happened to order the steps.
import type { Conjunction, Constraint } from './ir.js';
import { nestedScopeVariables, scopeVariables } from './constraint-variables.js';
import { variablesOf } from './expressions.js';

/** Variables a disjunction's branches bind themselves: their own, and those of disjunctions nested in them. */
function branchBound(d: Extract<Constraint, { kind: 'disjunction' }>, out = new Set<string>()): Set<string> {
  const visit = (c: Conjunction) => {
    for (const v of c.variables.keys()) out.add(v);
    for (const k of c.constraints) if (k.kind === 'disjunction') k.branches.forEach(visit);
  };
  d.branches.forEach(visit);
  return out;
}

/**
 * Variables a nested constraint reads without binding them: a negation's (its body's, however deep), and for a
 * disjunction those its branches' negations read that the branch does not bind.
 */
function readUnbound(c: Constraint): Set<string> {
  const out = new Set<string>();
  const visit = (conjunction: Conjunction, binds: ReadonlySet<string>) => {
    for (const k of conjunction.constraints) {
      if (k.kind === 'negation') for (const v of scopeVariables(k.body)) if (!binds.has(v)) out.add(v);
      if (k.kind === 'disjunction') for (const b of k.branches) visit(b, new Set([...binds, ...b.variables.keys()]));
    }
  };
  if (c.kind === 'negation') return scopeVariables(c.body, out);
  if (c.kind === 'disjunction') for (const b of c.branches) visit(b, new Set(b.variables.keys()));
  return out;
}

/**
 * Per negation or disjunction of a scope, the disjunctions beside it it waits for: those binding a variable it reads
 * without binding, which the scope does not bind either. Disjunctions that wait for each other (a ring) are merged
 * into one before the scope is searched (branch-rings.ts), so in a scope's own conjunction they form no cycle.
 */
export function branchWaits(conjunction: Conjunction): ReadonlyMap<Constraint, readonly Constraint[]> {
  const disjunctions = conjunction.constraints.filter((c): c is Extract<Constraint, { kind: 'disjunction' }> => c.kind === 'disjunction');
  const waits = new Map<Constraint, Constraint[]>();
  if (disjunctions.length === 0) return waits;
  const bound = new Map<Constraint, Set<string>>(disjunctions.map((d) => [d, branchBound(d)]));
  for (const c of conjunction.constraints) {
    if (c.kind !== 'negation' && c.kind !== 'disjunction') continue;
    const reads = [...readUnbound(c)].filter((v) => !conjunction.variables.has(v));
    if (reads.length === 0) continue;
    const those = disjunctions.filter((d) => d !== c && reads.some((v) => bound.get(d)!.has(v)));
    if (those.length > 0) waits.set(c, those);
  }
  return waits;
}

/**
 * Whether an assignment waits for the disjunction while it is pending: one that narrows an operand may keep it to the
 * one value type the expression was typed with (each conjunction of the normal form is typed on its own), filtering
 * out the answers it could not be evaluated for. Not one that reads the assigned value, which needs the assignment first.
 */
export function assignmentWaitsFor(assign: Extract<Constraint, { kind: 'assign' }>, disjunction: Constraint): boolean {
  const variables = nestedScopeVariables(disjunction);
  return !variables.has(assign.variable) && variablesOf(assign.expression).some((v) => variables.has(v));
}

/**
 * Per disjunction of a scope, the constraints that may wait for it (assignments, negations, disjunctions): once it is
 * consumed they are offered again, and only they, so that a scope of n disjunctions does not offer every waiting kind
 * of constraint again after each of them (n² offers).
 */
export function disjunctionWaiters(conjunction: Conjunction): ReadonlyMap<Constraint, readonly Constraint[]> {
  const waiters = new Map<Constraint, Constraint[]>();
  const add = (d: Constraint, c: Constraint) => {
    const those = waiters.get(d);
    if (those === undefined) waiters.set(d, [c]);
    else those.push(c);
  };
  for (const [c, disjunctions] of branchWaits(conjunction)) for (const d of disjunctions) add(d, c);
  const disjunctions = conjunction.constraints.filter((c) => c.kind === 'disjunction');
  if (disjunctions.length === 0) return waiters;
  for (const c of conjunction.constraints) {
    if (c.kind === 'assign') for (const d of disjunctions) if (assignmentWaitsFor(c, d)) add(d, c);
  }
  return waiters;
}
