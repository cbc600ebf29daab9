// Entry points of the TypeQL parser: each parses a whole string and insists that nothing is left over.

import type { Definable, Pattern, Query, RuleDefinition, Statement } from './ast.js';
import { TokenCursor } from './cursor.js';
import { parseDefinableList, parseQueryAt } from './parser-queries.js';
import { parseBlock, parsePatternList, parseStatement as parseStatementAt, parseThingStatement } from './parser-patterns.js';
import { parseLabel } from './parser-values.js';

/** Exactly one query; a second query, or anything else after the first, is a syntax error. */
export function parseQuery(text: string): Query {
  const c = new TokenCursor(text);
  const query = parseQueryAt(c);
  if (!c.atEnd()) c.fail('the end of the query');
  return query;
}

/**
 * Queries one after the other, as a script holds them. Blank text gives none; any other text must hold at least
 * one, as in TypeQL's `query+ EOF`, so text of nothing but comments is a syntax error there too.
 */
export function parseQueries(text: string): Query[] {
  if (text.trim().length === 0) return [];
  // Without trailing whitespace, as TypeQL parses it: an error at the end points after the last text, not below it.
  const c = new TokenCursor(text.trimEnd());
  const queries: Query[] = [];
  do queries.push(parseQueryAt(c));
  while (!c.atEnd());
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

/**
 * A rule from the three parts the driver's `LogicManager.putRule` sends: its label, its `when` (a block
 * `{ $x isa person; }`, or the same patterns without the braces) and its `then` (one thing statement, `$x has
 * age 1`, with or without its `;`). Each part must hold exactly that, so that no part can smuggle in more.
 */
export function parseRuleParts(label: string, when: string, then: string): RuleDefinition {
  const name = parseRuleLabel(label);
  const whenCursor = new TokenCursor(when);
  const patterns = whenCursor.isSymbol('{') ? parseBlock(whenCursor) : parsePatternList(whenCursor);
  if (!whenCursor.atEnd()) whenCursor.fail("the end of the rule's when");
  const thenCursor = new TokenCursor(then);
  const statement = parseThingStatement(thenCursor);
  thenCursor.acceptSymbol(';');
  if (!thenCursor.atEnd()) thenCursor.fail("the end of the rule's then");
  return { kind: 'rule', label: name, when: patterns, then: statement };
}

/** A rule's label alone (a plain label: no scope, no keyword). */
export function parseRuleLabel(text: string): string {
  const c = new TokenCursor(text);
  const name = parseLabel(c).name;
  if (!c.atEnd()) c.fail('the end of the rule label');
  return name;
}
