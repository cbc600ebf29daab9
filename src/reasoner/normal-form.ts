// Rule bodies in disjunctive normal form: one conjunction per combination of disjunction branches. Each conjunction
// is then matched on its own, so a new fact can seed a statement that sits inside a disjunction branch. Negations
// are kept whole (their content is complete before the rule runs: rules are evaluated stratum by stratum).
import type { Pattern } from '../typeql/ast.js';

export function disjunctiveNormalForm(patterns: readonly Pattern[]): Pattern[][] {
  let conjunctions: Pattern[][] = [[]];
  for (const pattern of patterns) {
    const alternatives = alternativesOf(pattern);
    if (alternatives.length === 1) {
      for (const c of conjunctions) c.push(...alternatives[0]!);
      continue;
    }
    const next: Pattern[][] = [];
    for (const c of conjunctions) for (const a of alternatives) next.push([...c, ...a]);
    conjunctions = next;
  }
  return conjunctions;
}

function alternativesOf(pattern: Pattern): Pattern[][] {
  switch (pattern.kind) {
    case 'conjunction':
      return disjunctiveNormalForm(pattern.patterns);
    case 'disjunction':
      return pattern.branches.flatMap((branch) => disjunctiveNormalForm(branch));
    default:
      return [[pattern]];
  }
}
