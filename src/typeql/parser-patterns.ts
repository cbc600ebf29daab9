// Parsing patterns and the four kinds of statement: type, thing, value and `is`.

import type {
  Annotation,
  HasConstraint,
  IsStatement,
  Label,
  Pattern,
  Predicate,
  RolePlayer,
  Statement,
  ThingStatement,
  TypeConstraint,
  TypeRef,
  TypeStatement,
  ValueStatement,
} from './ast.js';
import { StrataError } from '../common/errors.js';
import type { TokenCursor } from './cursor.js';
import { isReserved, isTypeConstraintWord, isValueTypeName } from './keywords.js';
import { unescapeRegex } from './literals.js';
import {
  conceptVar,
  isLabelAt,
  isPredicateAt,
  isVariableAt,
  parseConceptVar,
  parseExpression,
  parseLabel,
  parseLabelAny,
  parsePredicate,
  parseTypeRef,
  valueVar,
} from './parser-values.js';

// ---------------------------------------------------------------------------------------------------------------
// Patterns

/** `(pattern ;)+` — stops before the first token that cannot start a pattern (a clause keyword, `}`, the end). */
export function parsePatternList(c: TokenCursor): Pattern[] {
  const patterns: Pattern[] = [];
  do {
    patterns.push(parsePattern(c));
    c.expectSymbol(';');
  } while (isPatternAt(c));
  return patterns;
}

/**
 * Whether a pattern starts here. Unreserved keywords are labels too, so `get`, `sort`, `offset` and `limit` start a
 * pattern only when they are not followed by what makes them a clause or a modifier (`get $x`, `limit 10`).
 */
export function isPatternAt(c: TokenCursor): boolean {
  const token = c.peek();
  switch (token.kind) {
    case 'symbol':
      return token.value === '{' || token.value === '(' || isPredicateAt(c);
    case 'concept-var':
    case 'value-var':
    case 'scoped-label':
    case 'string':
    case 'long':
    case 'double':
    case 'datetime':
      return true;
    case 'word':
      switch (token.value) {
        case 'not':
        case 'like':
        case 'true':
        case 'false':
          return true;
        case 'get':
          return !(isVariableAt(c, 1) || c.isSymbol(';', 1));
        case 'sort':
          return !isVariableAt(c, 1);
        case 'offset':
        case 'limit':
          return !c.isKind('long', 1);
        default:
          return !isReserved(token.value);
      }
    default:
      return false;
  }
}

export function parsePattern(c: TokenCursor): Pattern {
  if (c.isSymbol('{')) {
    const first = parseBlock(c);
    if (!c.isWord('or')) return { kind: 'conjunction', patterns: first };
    const branches = [unwrapBlock(first)];
    while (c.acceptWord('or')) branches.push(unwrapBlock(parseBlock(c)));
    return { kind: 'disjunction', branches };
  }
  if (c.acceptWord('not')) {
    const patterns = parseBlock(c);
    // TypeQL's Negation constructor refuses a lone negation as it parses it; `not { { not { … }; }; }` it takes.
    if (patterns.length === 1 && patterns[0]!.kind === 'negation') {
      throw new StrataError('TQL', 36, 'Invalid query containing redundant nested negations.');
    }
    return { kind: 'negation', patterns: unwrapBlock(patterns) };
  }
  return parseStatement(c);
}

/**
 * A negation or disjunction branch holding nothing but one block is that block, as in TypeQL, whose parser keeps a
 * lone pattern as the pattern itself: `not { { p; q; }; }` is `not { p; q; }` (and prints so).
 */
function unwrapBlock(patterns: Pattern[]): Pattern[] {
  const only = patterns.length === 1 ? patterns[0]! : undefined;
  return only?.kind === 'conjunction' ? [...only.patterns] : patterns;
}

/** `{ patterns }` */
export function parseBlock(c: TokenCursor): Pattern[] {
  c.expectSymbol('{');
  return c.nested(() => {
    if (!isPatternAt(c)) c.fail('a pattern');
    const patterns = parsePatternList(c);
    c.expectSymbol('}');
    return patterns;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Statements

export function parseStatement(c: TokenCursor): Statement {
  const token = c.peek();
  if (token.kind === 'value-var') return parseValueStatement(c);
  if (token.kind === 'concept-var') {
    if (c.isWord('is', 1)) return parseIsStatement(c);
    const after = c.peek(1);
    if (after.kind === 'word' && isTypeConstraintWord(after.value)) {
      return parseTypeConstraints(c, conceptVar(c.next()));
    }
    return parseThingStatement(c);
  }
  if ((token.kind === 'word' || token.kind === 'scoped-label') && !isPredicateAt(c)) {
    if (token.kind === 'word' && !isLabelAt(c)) c.fail('a pattern');
    return parseTypeStatement(c);
  }
  if (c.isSymbol('(') || isPredicateAt(c)) return parseThingStatement(c);
  return c.fail('a pattern');
}

function parseIsStatement(c: TokenCursor): IsStatement {
  const left = parseConceptVar(c);
  c.expectWord('is');
  return { kind: 'is-statement', left, right: parseConceptVar(c) };
}

function parseValueStatement(c: TokenCursor): ValueStatement {
  const variable = valueVar(c.next());
  // `?v = 5` is an assignment, never the deprecated `=` comparison: the grammar lists assignment first.
  if (c.acceptSymbol('=')) return { kind: 'value-statement', variable, assignment: parseExpression(c) };
  if (!isPredicateAt(c)) c.fail(`'=' or a predicate after '?${variable.name}'`);
  return { kind: 'value-statement', variable, predicate: parsePredicate(c) };
}

// ---------------------------------------------------------------------------------------------------------------
// Type statements

/** `label constraint, …` or `$t constraint, …` */
export function parseTypeStatement(c: TokenCursor): TypeStatement {
  return parseTypeConstraints(c, parseTypeRef(c, 'any'));
}

function parseTypeConstraints(c: TokenCursor, subject: TypeRef): TypeStatement {
  const constraints: TypeConstraint[] = [];
  do constraints.push(parseTypeConstraint(c));
  while (c.acceptSymbol(','));
  return { kind: 'type-statement', subject, constraints };
}

function parseTypeConstraint(c: TokenCursor): TypeConstraint {
  const token = c.peek();
  const word = token.kind === 'word' ? token.value : '';
  switch (word) {
    case 'abstract':
      c.next();
      return { kind: 'abstract' };
    case 'sub':
    case 'sub!':
      c.next();
      return { kind: 'sub', explicit: word === 'sub!', type: parseTypeRef(c, 'any') };
    case 'owns': {
      c.next();
      const attribute = parseTypeRef(c, 'unscoped');
      const overridden = c.acceptWord('as') ? parseTypeRef(c, 'unscoped') : undefined;
      const annotations = parseAnnotations(c);
      return overridden ? { kind: 'owns', attribute, overridden, annotations } : { kind: 'owns', attribute, annotations };
    }
    case 'plays': {
      c.next();
      const role = parseTypeRef(c, 'scoped');
      // The grammar's override is an unscoped label (`plays rel:r as base`). A scoped one is accepted too: TypeDB
      // 2.25 to 2.26.5 printed overrides scoped in `database schema` (fixed by TypeDB PR #6988), and schema files
      // exported then must load here.
      return c.acceptWord('as') ? { kind: 'plays', role, overridden: parseTypeRef(c, 'any') } : { kind: 'plays', role };
    }
    case 'relates': {
      c.next();
      const role = parseTypeRef(c, 'unscoped');
      return c.acceptWord('as')
        ? { kind: 'relates', role, overridden: parseTypeRef(c, 'unscoped') }
        : { kind: 'relates', role };
    }
    case 'value': {
      c.next();
      const valueType = c.peek();
      if (valueType.kind !== 'word' || !isValueTypeName(valueType.value)) {
        c.fail('a value type (long, double, string, boolean, datetime)');
      }
      c.next();
      return { kind: 'value', valueType: valueType.value };
    }
    case 'regex':
      c.next();
      return { kind: 'regex', regex: unescapeRegex(c.expectKind('string', 'a quoted regular expression').value) };
    case 'type':
      c.next();
      return { kind: 'type', label: { kind: 'label', label: parseLabelAny(c) } };
    default:
      return c.fail('a type constraint (sub, abstract, owns, plays, relates, value, regex, type)');
  }
}

/** The grammar's `(@key)? (@unique)?`: each at most once, `@key` first. */
function parseAnnotations(c: TokenCursor): Annotation[] {
  const annotations: Annotation[] = [];
  while (c.isKind('annotation')) {
    const token = c.next();
    if (token.value !== 'key' && token.value !== 'unique') {
      c.failAt(token, `unknown annotation '${token.text}': TypeQL 2.x has @key and @unique`);
    }
    if (annotations.includes(token.value)) c.failAt(token, `annotation '${token.text}' is written twice`);
    if (token.value === 'key' && annotations.includes('unique')) c.failAt(token, "'@key' must come before '@unique'");
    annotations.push(token.value);
  }
  return annotations;
}

// ---------------------------------------------------------------------------------------------------------------
// Thing statements

/** Whether a thing statement starts here: a concept variable, a relation tuple or a value. */
export function isThingStatementAt(c: TokenCursor): boolean {
  return c.isKind('concept-var') || c.isSymbol('(') || isPredicateAt(c);
}

/** `(thing-statement ;)+` as in insert, delete and rule conclusions. */
export function parseThingStatementList(c: TokenCursor): ThingStatement[] {
  const statements: ThingStatement[] = [];
  do {
    statements.push(parseThingStatement(c));
    c.expectSymbol(';');
  } while (isThingStatementAt(c));
  return statements;
}

/** `[$x] [(role: $p, …) | predicate] [isa[!] T | iid 0x…] [, has …]*` in the grammar's combinations. */
export function parseThingStatement(c: TokenCursor): ThingStatement {
  const start = c.peek();
  const variable = c.isKind('concept-var') ? conceptVar(c.next()) : undefined;
  let relation: RolePlayer[] | undefined;
  let predicate: Predicate | undefined;
  if (c.isSymbol('(')) relation = parseRelation(c);
  else if (isPredicateAt(c)) predicate = parsePredicate(c);
  else if (!variable) c.fail('a variable, a relation or a value');

  let isa: ThingStatement['isa'];
  let iid: string | undefined;
  const has: HasConstraint[] = [];
  const word = c.peek().kind === 'word' ? c.peek().value : '';
  if (word === 'isa' || word === 'isa!') {
    c.next();
    isa = { type: parseTypeRef(c, 'unscoped'), explicit: word === 'isa!' };
    if (c.acceptSymbol(',')) parseHasList(c, has);
  } else if (word === 'iid' && variable && !relation && !predicate) {
    c.next();
    iid = c.expectKind('iid', 'an iid (0x followed by hex digits)').value;
    if (c.acceptSymbol(',')) parseHasList(c, has);
  } else if (word === 'has') {
    parseHasList(c, has);
  } else if (!relation && !predicate) {
    c.fail(`'isa', 'iid', 'has' or a predicate after ${start.text}`);
  }

  return {
    kind: 'thing-statement',
    ...(variable && { variable }),
    ...(relation && { relation }),
    ...(predicate && { predicate }),
    ...(isa && { isa }),
    ...(iid !== undefined && { iid }),
    has,
  };
}

function parseRelation(c: TokenCursor): RolePlayer[] {
  c.expectSymbol('(');
  const players: RolePlayer[] = [];
  do players.push(parseRolePlayer(c));
  while (c.acceptSymbol(','));
  c.expectSymbol(')');
  return players;
}

/** `role: $p`, `$role: $p` or a bare `$p`; the grammar has no scoped role here (`marriage:wife: $p`). */
function parseRolePlayer(c: TokenCursor): RolePlayer {
  if (c.isKind('concept-var') && !c.isSymbol(':', 1)) return { player: conceptVar(c.next()) };
  const role = parseTypeRef(c, 'unscoped');
  c.expectSymbol(':');
  return { role, player: parseConceptVar(c) };
}

/** `has …` (`, has …`)* */
function parseHasList(c: TokenCursor, into: HasConstraint[]): void {
  do {
    c.expectWord('has');
    into.push(parseHas(c));
  } while (c.acceptSymbol(','));
}

function parseHas(c: TokenCursor): HasConstraint {
  if (c.isKind('concept-var')) return { value: conceptVar(c.next()) };
  const attributeType: Label = parseLabel(c);
  if (c.isKind('concept-var')) return { attributeType, value: conceptVar(c.next()) };
  if (c.isKind('value-var')) return { attributeType, value: valueVar(c.next()) };
  if (!isPredicateAt(c)) c.fail(`a variable, a value or a predicate after 'has ${attributeType.name}'`);
  return { attributeType, value: parsePredicate(c) };
}
