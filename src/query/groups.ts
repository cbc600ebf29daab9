// `group $x` over a get's answers: answers by the concept they bind to the group variable, in a stable order of the
// groups (by value for attributes and values), not in the order the plan found them. Work in steps
// (common/steps.ts): grouping a million answers must not hold the event loop either.
import type { Variable } from '../typeql/ast.js';
import type { ThingReader } from '../concept/things.js';
import { comparable, compareValues } from '../common/values.js';
import { forEachStep, type Pending, type Steps } from '../common/steps.js';
import { sortSteps } from '../common/sort-steps.js';
import { bindingKey, valueOf, type Binding, type Row } from './bindings.js';
import { outOfScope } from './typeql-checks.js';

export interface RowGroup {
  readonly owner: Binding;
  readonly rows: Row[];
}

/** The rows (copies: each is kept) by their binding of `group`, the groups in order. */
export function* groupSteps(rows: Iterable<Row | Pending>, group: Variable, things: ThingReader): Steps<RowGroup[]> {
  const groups = new Map<string, RowGroup>();
  yield* forEachStep(rows, (row) => {
    const owner = row.get(group.name);
    if (!owner) throw outOfScope(group); // checked before matching: only a bug gets here
    const key = bindingKey(owner, things);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { owner, rows: [] }));
    g.rows.push(row);
  });
  const owners = [...groups.values()].map((g) => ({ g, value: valueOf(g.owner, things), key: bindingKey(g.owner, things) }));
  const sorted = yield* sortSteps(owners, (a, b) => {
    if (a.value && b.value && comparable(a.value.type, b.value.type)) return compareValues(a.value, b.value);
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
  return sorted.map((o) => o.g);
}

/** Each row of the group made into `T`, in steps. */
export function* mapSteps<T>(rows: readonly Row[], f: (row: Row) => T): Steps<T[]> {
  const out: T[] = [];
  yield* forEachStep(rows, (row) => out.push(f(row)));
  return out;
}
