// The named variables a statement names, as TypeQL 2.x's Statement.variables() (less `$_`): what a match's and a
// rule's checks of their patterns' variables read (query/nested-bounds.ts, schema/rule-shape.ts).
import type { Expression, Pattern, Predicate, Statement, TypeRef, Variable } from './ast.js';

/** Every named variable a statement names, each with its sigil (`$x`, `?v`), the operands of an assignment included. */
export function statementVariables(s: Statement): Set<string> {
  const out = new Set<string>();
  const add = (v: Variable | undefined) => {
    if (v !== undefined && v.name !== '_') out.add(`${v.kind === 'value-var' ? '?' : '$'}${v.name}`);
  };
  const addRef = (t: TypeRef | undefined) => add(t?.kind === 'concept-var' ? t : undefined);
  const addPredicate = (p: Predicate | undefined) => {
    if (p?.kind === 'compare' && (p.operand.kind === 'concept-var' || p.operand.kind === 'value-var')) add(p.operand);
  };
  switch (s.kind) {
    case 'thing-statement':
      add(s.variable);
      for (const rp of s.relation ?? []) {
        addRef(rp.role);
        add(rp.player);
      }
      addPredicate(s.predicate);
      addRef(s.isa?.type);
      for (const h of s.has) {
        if (h.value.kind === 'concept-var' || h.value.kind === 'value-var') add(h.value);
        else addPredicate(h.value);
      }
      break;
    case 'type-statement':
      addRef(s.subject);
      for (const c of s.constraints) {
        if (c.kind === 'sub') addRef(c.type);
        else if (c.kind === 'owns') [c.attribute, c.overridden].forEach(addRef);
        else if (c.kind === 'plays' || c.kind === 'relates') [c.role, c.overridden].forEach(addRef);
        else if (c.kind === 'type') addRef(c.label);
      }
      break;
    case 'value-statement':
      add(s.variable);
      if (s.assignment) expressionVariables(s.assignment, add);
      addPredicate(s.predicate);
      break;
    case 'is-statement':
      add(s.left);
      add(s.right);
      break;
  }
  return out;
}

function expressionVariables(e: Expression, add: (v: Variable) => void): void {
  if (e.kind === 'var') add(e.variable);
  else if (e.kind === 'binary') {
    expressionVariables(e.left, add);
    expressionVariables(e.right, add);
  } else if (e.kind === 'call') for (const a of e.args) expressionVariables(a, add);
}

/**
 * The names that statements anywhere in the patterns (nested conjunctions, disjunction branches and negations
 * included) use both as a concept variable (`$x`) and as a value variable (`?x`), in order of first use as a value
 * variable: the conflict TypeQL 2.x's `validateNamesUnique` refuses.
 */
export function conceptAndValueNames(patterns: readonly Pattern[]): string[] {
  const concepts = new Set<string>();
  const values = new Set<string>();
  const visit = (p: Pattern): void => {
    if (p.kind === 'conjunction' || p.kind === 'negation') p.patterns.forEach(visit);
    else if (p.kind === 'disjunction') p.branches.forEach((branch) => branch.forEach(visit));
    else for (const v of statementVariables(p)) (v.startsWith('?') ? values : concepts).add(v.slice(1));
  };
  patterns.forEach(visit);
  return [...values].filter((name) => concepts.has(name));
}
