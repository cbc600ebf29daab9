// The types a match can read: every type a thing variable may take, in every scope of the match. The reasoner
// uses them to pick the rules a query needs, and to order rules by what their bodies read.
import type { TypeId } from '../schema/api.js';
import type { TypeInference, TypeSets } from './inference.js';
import type { Conjunction } from './ir.js';

/** Calls `read` with each type a thing variable may take, saying whether it is read inside a negation. */
export function visitTypesRead(
  inference: TypeInference,
  conjunction: Conjunction,
  sets: TypeSets,
  read: (type: TypeId, negated: boolean) => void,
  negated = false,
): void {
  for (const [name, kind] of conjunction.variables) {
    if (kind === 'thing') for (const t of sets.get(name) ?? []) read(t.id, negated);
  }
  for (const c of conjunction.constraints) {
    if (c.kind === 'negation') visitTypesRead(inference, c.body, inference.infer(c.body, sets), read, true);
    else if (c.kind === 'disjunction') {
      for (const branch of c.branches) visitTypesRead(inference, branch, inference.infer(branch, sets), read, negated);
    }
  }
}
