// A nested body (a negation, a disjunction branch) searched over the enclosing row itself rather than a copy: a copy
// per check and row made a match of n negations or disjunctions n² in the row's size. Its steps bind only the body's
// own variables, and those found unbound are unbound again when the search ends, however it ends (a negation stops
// at its first answer and the enclosing search reuses the row).
import type { Pending } from '../common/steps.js';
import type { Row } from './bindings.js';
import type { Scope } from './match-scope.js';

/**
 * The answers of `search` over `row` (the live row, as every step's), which is left as it was found. A search run to
 * its end has unbound what its steps bound, and a binding left then is a bug: it fails loudly rather than answer
 * wrongly. One stopped early may leave its steps' bindings (they unbind after their last answer): the body's own
 * variables are unbound here, and an enclosing one a step bound (a role label's) by the enclosing search's end.
 */
export function* searchInPlace(body: Scope, row: Row, search: (row: Row) => Iterable<Row | Pending>, what: string): Generator<Row | Pending> {
  const size = row.size;
  const unbound = body.variables.filter((v) => !row.has(v));
  try {
    yield* search(row);
  } finally {
    for (const v of unbound) row.delete(v);
  }
  if (row.size !== size) throw new Error(`Internal error: ${what}'s search left ${row.size - size} binding(s) in the row.`);
}
