// A count whose match is a single `isa` of a variable and nothing else (`match $x isa person; get; count;`): its
// answers are exactly the instances of the types the `isa` allows, one key each, so the store counts those keys
// instead of the matcher reading every thing out (~0.6 µs a thing). The count runs over the query's view: a write
// transaction's own inserts and deletes, and a reasoning transaction's inferred things, count as a match finds them.
import type { GetAggregateQuery } from '../typeql/ast.js';
import type { SchemaType } from '../schema/api.js';
import type { ThingReader } from '../concept/things.js';
import type { Conjunction } from './ir.js';
import type { TypeSets } from './inference.js';
import { hasDirectInstances } from './match-scope.js';

/** The count, or undefined when the query is not such a count and must be matched. */
export function isaCount(
  query: GetAggregateQuery,
  conjunction: Conjunction,
  filter: readonly string[],
  sets: TypeSets,
  /** bindings.ts's isSubtype, from the query's cached subtype sets: a walk up the chain per type cost depth × types. */
  isSubtype: (type: SchemaType, ancestor: SchemaType) => boolean,
  things: ThingReader,
): number | undefined {
  if (query.method !== 'count') return undefined;
  // A sort could fail on values it cannot compare; an offset or a limit changes the count.
  const { sort, offset, limit } = query.get.modifiers;
  if ((sort !== undefined && sort.length > 0) || offset !== undefined || limit !== undefined) return undefined;
  if (conjunction.constraints.length !== 1 || conjunction.variables.size !== 1) return undefined;
  const isa = conjunction.constraints[0]!;
  // Projected away, the variable leaves answers that are not one per thing.
  if (isa.kind !== 'isa' || isa.type.kind !== 'fixed' || !filter.includes(isa.thing)) return undefined;
  const label = isa.type.type;
  let count = 0;
  for (const type of sets.get(isa.thing) ?? []) {
    if (!hasDirectInstances(type)) continue;
    // Type inference already narrowed the variable to these types; a type it left that the isa does not allow
    // would need checking per thing.
    if (!(isa.explicit ? type.id === label.id : isSubtype(type, label))) return undefined;
    count += things.countInstances(type);
  }
  return count;
}
