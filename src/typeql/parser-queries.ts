// Parsing queries: define/undefine (types and rules), insert, match-insert, delete, update, get with its aggregate
// and group forms, fetch with its projections and subqueries, and the modifiers (`sort`, `offset`, `limit`).

import type {
  AggregateMethod,
  Definable,
  FetchProjection,
  FetchQuery,
  GetAggregateQuery,
  GetGroupAggregateQuery,
  GetGroupQuery,
  GetQuery,
  Label,
  Modifiers,
  Pattern,
  Query,
  RuleDefinition,
  SortKey,
  Variable,
} from './ast.js';
import { StrataError } from '../common/errors.js';
import type { TokenCursor } from './cursor.js';
import { isAggregateMethod, isKeyword } from './keywords.js';
import { longFromDigits } from './literals.js';
import {
  parseBlock,
  parsePatternList,
  parseThingStatement,
  parseThingStatementList,
  parseTypeStatement,
} from './parser-patterns.js';
import { isLabelAt, isVariableAt, parseLabel, parseVariable } from './parser-values.js';

export function parseQueryAt(c: TokenCursor): Query {
  const token = c.peek();
  if (token.kind === 'word') {
    switch (token.value) {
      case 'define':
        c.next();
        return { kind: 'define', definables: parseDefinableList(c) };
      case 'undefine':
        c.next();
        return { kind: 'undefine', definables: parseDefinableList(c) };
      case 'insert': {
        c.next();
        const statements = parseThingStatementList(c);
        return { kind: 'insert', statements, modifiers: parseModifiers(c) };
      }
      case 'match':
        return parseMatchQuery(c);
    }
  }
  return c.fail('a query (define, undefine, insert or match)');
}

function parseMatchQuery(c: TokenCursor): Query {
  c.expectWord('match');
  const match = parsePatternList(c);
  if (c.acceptWord('insert')) {
    const statements = parseThingStatementList(c);
    return { kind: 'insert', match, statements, modifiers: parseModifiers(c) };
  }
  if (c.acceptWord('delete')) {
    const deletes = parseThingStatementList(c);
    if (c.acceptWord('insert')) {
      const inserts = parseThingStatementList(c);
      return { kind: 'update', match, deletes, inserts, modifiers: parseModifiers(c) };
    }
    return { kind: 'delete', match, statements: deletes, modifiers: parseModifiers(c) };
  }
  if (c.isWord('fetch')) return parseFetchClause(c, match);
  if (c.isWord('get')) {
    const get = parseGetClause(c, match);
    return parseGroupAndAggregate(c, get);
  }
  // `match …;` alone: a get of every named variable (TypeDB 2.x before 2.25 wrote queries this way).
  return { kind: 'get', match, filter: [], modifiers: parseModifiers(c) };
}

/** `get [$a, ?b];` followed by modifiers. */
function parseGetClause(c: TokenCursor, match: Pattern[]): GetQuery {
  c.expectWord('get');
  const filter: Variable[] = [];
  if (!c.isSymbol(';')) {
    do filter.push(parseVariable(c));
    while (c.acceptSymbol(','));
  }
  c.expectSymbol(';');
  return { kind: 'get', match, filter, modifiers: parseModifiers(c) };
}

function parseGroupAndAggregate(
  c: TokenCursor,
  get: GetQuery,
): GetQuery | GetAggregateQuery | GetGroupQuery | GetGroupAggregateQuery {
  if (c.isWord('group') && isVariableAt(c, 1)) {
    c.next();
    const group = parseVariable(c);
    c.expectSymbol(';');
    if (!isAggregateAt(c)) return { kind: 'get-group', get, group };
    const { method, variable } = parseAggregate(c);
    return variable
      ? { kind: 'get-group-aggregate', get, group, method, variable }
      : { kind: 'get-group-aggregate', get, group, method };
  }
  if (isAggregateAt(c)) return aggregateQuery(get, parseAggregate(c));
  return get;
}

/** An aggregate's word after a get (no query starts with one, so a missing `;` after it is reported there). */
function isAggregateAt(c: TokenCursor): boolean {
  const token = c.peek();
  return token.kind === 'word' && isAggregateMethod(token.value);
}

/** `count;` or `sum $x;` */
function parseAggregate(c: TokenCursor): { method: AggregateMethod; variable?: Variable } {
  const method = c.next().value as AggregateMethod;
  const variable = isVariableAt(c) ? parseVariable(c) : undefined;
  // TypeQL's own check, made as it builds the query.
  if (method === 'count' && variable !== undefined) throw new StrataError('TQL', 40, 'Aggregate COUNT does not accept a Variable.');
  c.expectSymbol(';');
  return variable ? { method, variable } : { method };
}

function aggregateQuery(get: GetQuery, aggregate: { method: AggregateMethod; variable?: Variable }): GetAggregateQuery {
  return aggregate.variable
    ? { kind: 'get-aggregate', get, method: aggregate.method, variable: aggregate.variable }
    : { kind: 'get-aggregate', get, method: aggregate.method };
}

// ---------------------------------------------------------------------------------------------------------------
// Modifiers, in their fixed order

export function parseModifiers(c: TokenCursor): Modifiers {
  // Where modifiers may stand, `sort`, `offset` and `limit` can only be modifiers, so as in TypeQL's grammar the
  // keyword commits: what follows it must be its argument, and an error points there (`offset -1`: at the '-').
  let sort: SortKey[] | undefined;
  let offset: number | undefined;
  let limit: number | undefined;
  if (c.acceptWord('sort')) {
    sort = [];
    do {
      const variable = parseVariable(c);
      if (c.isWord('asc') || c.isWord('desc')) sort.push({ variable, order: c.next().value as 'asc' | 'desc' });
      else sort.push({ variable });
    } while (c.acceptSymbol(','));
    c.expectSymbol(';');
  }
  if (c.acceptWord('offset')) offset = parseCount(c, 'the number of answers to skip');
  if (c.acceptWord('limit')) limit = parseCount(c, 'the number of answers to return');
  if (c.isWord('offset') || c.isWord('sort')) {
    c.failAt(c.peek(), `unexpected '${c.peek().value}': the modifiers come in the order sort, offset, limit`);
  }
  return {
    ...(sort && { sort }),
    ...(offset !== undefined && { offset }),
    ...(limit !== undefined && { limit }),
  };
}

/**
 * The grammar's LONG_: unsigned digits, so a sign is refused where it stands, and any long is taken. A count beyond
 * 2^53 - 1 is kept as 2^53 - 1, which no stream of answers reaches either (`limit 9223372036854775807` is a common
 * "no limit").
 */
function parseCount(c: TokenCursor, meaning: string): number {
  const token = c.expectKind('long', `a non-negative integer (${meaning})`);
  const value = longFromDigits(token.value, false);
  if (value === undefined) c.failAt(token, `${token.text} is too large`);
  c.expectSymbol(';');
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Fetch

function parseFetchClause(c: TokenCursor, match: Pattern[]): FetchQuery {
  c.expectWord('fetch');
  const projections: FetchProjection[] = [];
  do {
    projections.push(parseProjection(c));
    c.expectSymbol(';');
  } while (isProjectionAt(c));
  return { kind: 'fetch', match, projections, modifiers: parseModifiers(c) };
}

function isProjectionAt(c: TokenCursor): boolean {
  if (isVariableAt(c)) return true;
  return (c.isKind('string') || isFetchNameAt(c)) && c.isSymbol(':', 1);
}

/** A bare fetch key is the grammar's LABEL_: a label that is no keyword, not even an unreserved one. */
function isFetchNameAt(c: TokenCursor): boolean {
  const token = c.peek();
  return token.kind === 'word' && !isKeyword(token.value);
}

/** `$v [as key] [: attr [as key], …]` or `key: { subquery }` */
function parseProjection(c: TokenCursor): FetchProjection {
  if (isVariableAt(c)) {
    const variable = parseVariable(c);
    const as = c.acceptWord('as') ? parseFetchKey(c) : undefined;
    let attributes: { type: Label; as?: string }[] | undefined;
    if (c.acceptSymbol(':')) {
      attributes = [];
      do {
        const type = parseLabel(c);
        attributes.push(c.acceptWord('as') ? { type, as: parseFetchKey(c) } : { type });
      } while (c.acceptSymbol(','));
    }
    return { kind: 'variable', variable, ...(as !== undefined && { as }), ...(attributes && { attributes }) };
  }
  const key = parseFetchKey(c);
  c.expectSymbol(':');
  c.expectSymbol('{');
  const query = c.nested(() => parseSubquery(c));
  c.expectSymbol('}');
  return { kind: 'subquery', key, query };
}

/** A key in a fetch answer: a label or a quoted string (raw, as TypeQL 2.x keeps it). */
function parseFetchKey(c: TokenCursor): string {
  if (c.isKind('string')) return c.next().value;
  if (isFetchNameAt(c)) return c.next().value;
  return c.fail('a label that is no keyword, or a quoted string');
}

/** `match … fetch …;` or `match … get …; <aggregate>;` */
function parseSubquery(c: TokenCursor): FetchQuery | GetAggregateQuery {
  c.expectWord('match');
  const match = parsePatternList(c);
  if (c.isWord('fetch')) return parseFetchClause(c, match);
  if (!c.isWord('get')) c.fail("'fetch' or 'get' (a fetch subquery is a match-fetch or match-get-aggregate query)");
  const get = parseGetClause(c, match);
  if (!isAggregateAt(c)) c.fail('an aggregate (count, sum, max, min, mean, median, std) ending the subquery');
  return aggregateQuery(get, parseAggregate(c));
}

// ---------------------------------------------------------------------------------------------------------------
// Definables

export function parseDefinableList(c: TokenCursor): Definable[] {
  const definables: Definable[] = [];
  do {
    definables.push(parseDefinable(c));
    c.expectSymbol(';');
  } while (isDefinableAt(c));
  return definables;
}

function isDefinableAt(c: TokenCursor): boolean {
  return c.isKind('concept-var') || c.isKind('scoped-label') || isLabelAt(c);
}

function parseDefinable(c: TokenCursor): Definable {
  // `rule` is also a valid type label: it starts a rule only when a label and then `:` or `;` follow.
  if (c.isWord('rule') && isLabelAt(c, 1) && (c.isSymbol(':', 2) || c.isSymbol(';', 2))) return parseRule(c);
  if (!isDefinableAt(c)) c.fail('a type or a rule');
  return parseTypeStatement(c);
}

/** `rule label: when { … } then { … };` or, to undefine, `rule label;` */
export function parseRule(c: TokenCursor): RuleDefinition {
  c.expectWord('rule');
  const label = parseLabel(c).name;
  if (!c.acceptSymbol(':')) return { kind: 'rule', label };
  c.expectWord('when');
  const when = parseBlock(c);
  c.expectWord('then');
  c.expectSymbol('{');
  const then = parseThingStatement(c);
  c.expectSymbol(';');
  c.expectSymbol('}');
  return { kind: 'rule', label, when, then };
}
