// Entry points of the TypeQL parser: each parses a whole string and insists that nothing is left over.

import type { Definable, Pattern, Query, Statement } from './ast.js';
import { TokenCursor } from './cursor.js';
import { parseDefinableList, parseQueryAt } from './parser-queries.js';
import { parsePatternList, parseStatement as parseStatementAt } from './parser-patterns.js';

/** Exactly one query; a second query, or anything else after the first, is a syntax error. */
export function parseQuery(text: string): Query {
  const c = new TokenCursor(text);
  const query = parseQueryAt(c);
  if (!c.atEnd()) c.fail('the end of the query');
  return query;
}

/** Any number of queries one after the other, as a script holds them (an empty script gives none). */
export function parseQueries(text: string): Query[] {
  const c = new TokenCursor(text);
  const queries: Query[] = [];
  while (!c.atEnd()) queries.push(parseQueryAt(c));
  return queries;
}

/** The body of a define or undefine query without the keyword: `person sub entity; rule r: …;` */
export function parseDefinables(text: string): Definable[] {
  const c = new TokenCursor(text);
  const definables = parseDefinableList(c);
  if (!c.atEnd()) c.fail('the end of the definitions');
  return definables;
}

/** Patterns as they appear after `match`: `$x isa person; not { $x has name "a"; };` */
export function parsePatterns(text: string): Pattern[] {
  const c = new TokenCursor(text);
  const patterns = parsePatternList(c);
  if (!c.atEnd()) c.fail('the end of the patterns');
  return patterns;
}

/** One statement, without its `;`. */
export function parseStatement(text: string): Statement {
  const c = new TokenCursor(text);
  const statement = parseStatementAt(c);
  if (!c.atEnd()) c.fail('the end of the statement');
  return statement;
}
