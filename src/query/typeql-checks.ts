// TypeQL's own checks of a query's variables, which TypeQL 2.x makes when it parses a query (so TypeDB reports them
// before matching anything): a get's filter, sort, group and aggregate variables, and the sort of a fetch or write.
import type { GetQuery, Modifiers, Pattern, Statement, Variable } from '../typeql/ast.js';
import { conceptAndValueNames, printPatterns } from '../typeql/index.js';
import { StrataError } from '../common/errors.js';
import { writeClauseVariableNames } from './write-variables.js';

export function sigil(v: Variable): string {
  return v.kind === 'value-var' ? '?' : '$';
}

/**
 * No name is both a concept and a value variable anywhere in a query's match and write clauses: TypeQL's
 * `validateNamesUnique`, made as it builds a get, fetch, insert, delete or update query, [TQL06] naming them (in
 * the words the 2.x behaviour suite expects, expression.feature's 'Value variables and concept variables may not
 * share name').
 */
export function checkNamesUnique(patterns: readonly Pattern[]): void {
  const names = conceptAndValueNames(patterns);
  if (names.length === 0) return;
  throw new StrataError('TQL', 6, `The variable(s) named '${names.join(',')}' cannot be used for both a concept variable and a value variable.`);
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

/**
 * A match-insert's insert must name some variable its match names (`named`, each with its sigil), or it would insert
 * the same things once per answer, unrelated to them: TypeQL's [TQL18], which lists both as Java lists.
 */
export function checkInsertInScope(statements: readonly Statement[], named: ReadonlyMap<string, '$' | '?'>): void {
  if (writeClauseVariableNames(statements).some((name) => named.has(name))) return;
  // Each statement on one line, as TypeQL prints a variable.
  const inserted = statements.map((s) => printPatterns([s]).trim().replace(/\s*\n\s*/g, ' ').replace(/;$/, '')).join(', ');
  const matched = [...named].map(([name, sigil]) => `${sigil}${name}`).join(', ');
  throw new StrataError('TQL', 18, `None of the variables in 'insert' ('[${inserted}]') is within scope of 'match' ('[${matched}]')`);
}
