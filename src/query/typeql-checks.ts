// TypeQL's own checks of a query's variables, which TypeQL 2.x makes when it parses a query (so TypeDB reports them
// before matching anything): a get's filter, sort, group and aggregate variables, and the sort of a fetch or write.
import type { GetQuery, Modifiers, Variable } from '../typeql/ast.js';
import { StrataError } from '../common/errors.js';

export function sigil(v: Variable): string {
  return v.kind === 'value-var' ? '?' : '$';
}

/** A get's filter and sort variables checked against its match's named variables; returns the effective filter. */
export function checkGetFilter(query: GetQuery, named: ReadonlySet<string>): string[] {
  if (named.size === 0) throw new StrataError('TQL', 9, 'The match query has no named variables to retrieve.');
  const seen = new Set<string>();
  for (const v of query.filter) {
    if (seen.has(v.name)) throw new StrataError('TQL', 15, `The variable '${sigil(v)}${v.name}' occurred more than once in the filter.`);
    seen.add(v.name);
  }
  for (const v of query.filter) if (!named.has(v.name)) throw outOfScope(v);
  const filter = query.filter.length > 0 ? query.filter.map((v) => v.name) : [...named];
  requireInFilter(filter, (query.modifiers.sort ?? []).map((key) => key.variable));
  return filter;
}

/** Group and aggregate variables (undefined: none) must be ones the get returns. */
export function requireInFilter(filter: readonly string[], variables: readonly (Variable | undefined)[]): void {
  for (const v of variables) if (v !== undefined && !filter.includes(v.name)) throw outOfScope(v);
}

/** A fetch or write query sorts by variables its match names (`named`). */
export function checkSortInMatch(modifiers: Modifiers, named: ReadonlySet<string>): void {
  for (const { variable } of modifiers.sort ?? []) {
    if (!named.has(variable.name)) throw new StrataError('TQL', 38, `Sort variable '${sigil(variable)}${variable.name}' is not present in the match clause.`);
  }
}

/** A filter variable the match does not name, or a sort, group or aggregate variable the get does not return. */
export function outOfScope(v: Variable): StrataError {
  return new StrataError('TQL', 16, `The variable '${sigil(v)}${v.name}' is out of scope of the query.`);
}
