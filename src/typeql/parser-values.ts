// Parsing the small pieces every statement is built from: variables, labels and type references, literals,
// predicates and arithmetic expressions.

import type {
  ArithmeticOp,
  Comparator,
  ConceptVar,
  Expression,
  Label,
  Literal,
  Predicate,
  TypeRef,
  ValueVar,
  Variable,
} from './ast.js';
import type { TokenCursor } from './cursor.js';
import { isFunctionName, isReserved } from './keywords.js';
import type { Token } from './lexer.js';
import { datetimeBeyondRange, datetimeFromText, longFromDigits, unescapeRegex } from './literals.js';

// ---------------------------------------------------------------------------------------------------------------
// Variables

export function conceptVar(token: Token): ConceptVar {
  return { kind: 'concept-var', name: token.value };
}

export function valueVar(token: Token): ValueVar {
  return { kind: 'value-var', name: token.value };
}

export function isVariableAt(c: TokenCursor, ahead = 0): boolean {
  return c.isKind('concept-var', ahead) || c.isKind('value-var', ahead);
}

/** `$x` or `?v`. */
export function parseVariable(c: TokenCursor): Variable {
  const token = c.peek();
  if (token.kind === 'concept-var') return conceptVar(c.next());
  if (token.kind === 'value-var') return valueVar(c.next());
  return c.fail('a variable');
}

export function parseConceptVar(c: TokenCursor): ConceptVar {
  return conceptVar(c.expectKind('concept-var', 'a concept variable'));
}

// ---------------------------------------------------------------------------------------------------------------
// Labels and type references

/** Whether the token can be an unscoped label: an identifier, a native type or an unreserved keyword. */
export function isLabelAt(c: TokenCursor, ahead = 0): boolean {
  const token = c.peek(ahead);
  return token.kind === 'word' && !isReserved(token.value);
}

/** An unscoped label. */
export function parseLabel(c: TokenCursor): Label {
  if (!isLabelAt(c)) c.fail('a label');
  return { name: c.next().value };
}

/** A scoped (`marriage:wife`) or, when allowed, unscoped label. */
export function parseLabelAny(c: TokenCursor): Label {
  if (c.isKind('scoped-label')) return scopedLabel(c.next());
  return parseLabel(c);
}

function scopedLabel(token: Token): Label {
  const colon = token.value.indexOf(':');
  return { scope: token.value.slice(0, colon), name: token.value.slice(colon + 1) };
}

export type LabelForm = 'unscoped' | 'scoped' | 'any';

/** A type written as a label of the given form, or as a concept variable. */
export function parseTypeRef(c: TokenCursor, form: LabelForm): TypeRef {
  const token = c.peek();
  if (token.kind === 'concept-var') return conceptVar(c.next());
  if (token.kind === 'scoped-label' && form !== 'unscoped') return { kind: 'label', label: scopedLabel(c.next()) };
  if (form !== 'scoped' && isLabelAt(c)) return { kind: 'label', label: { name: c.next().value } };
  const expected = { unscoped: 'a type label or variable', scoped: 'a scoped label (relation:role) or variable', any: 'a type label or variable' }[form];
  return c.fail(expected);
}

// ---------------------------------------------------------------------------------------------------------------
// Literals

function isSignedNumberAt(c: TokenCursor): boolean {
  return (c.isSymbol('-') || c.isSymbol('+')) && (c.isKind('long', 1) || c.isKind('double', 1));
}

export function isLiteralAt(c: TokenCursor): boolean {
  const token = c.peek();
  switch (token.kind) {
    case 'string':
    case 'long':
    case 'double':
    case 'datetime':
      return true;
    case 'word':
      return token.value === 'true' || token.value === 'false';
    case 'symbol':
      return isSignedNumberAt(c);
    default:
      return false;
  }
}

export function parseLiteral(c: TokenCursor): Literal {
  const token = c.peek();
  switch (token.kind) {
    case 'string':
      c.next();
      return { kind: 'string', value: token.value };
    case 'long':
    case 'double':
      return parseNumber(c, false);
    case 'datetime': {
      c.next();
      const value = datetimeFromText(token.value);
      if (value === undefined && datetimeBeyondRange(token.value)) {
        c.failAt(token, `the date-time ${token.text} is beyond the range Strata stores datetimes in (-271821-04-20 to +275760-09-13), though TypeDB takes it`);
      }
      if (value === undefined) c.failAt(token, `invalid date-time ${token.text}`);
      return { kind: 'datetime', value };
    }
    case 'word':
      if (token.value === 'true' || token.value === 'false') {
        c.next();
        return { kind: 'boolean', value: token.value === 'true' };
      }
      break;
    case 'symbol':
      if (isSignedNumberAt(c)) {
        c.next();
        return parseNumber(c, token.value === '-');
      }
      break;
  }
  return c.fail('a value');
}

function parseNumber(c: TokenCursor, negative: boolean): Literal {
  const token = c.next();
  if (token.kind === 'double') {
    const magnitude = Number(token.value);
    // Beyond ±1.8e308 a double is Infinity, which no TypeQL literal writes: the query could not be printed back.
    if (!Number.isFinite(magnitude)) c.failAt(token, `the double ${negative ? '-' : ''}${describeNumber(token.text)} is too large for a 64-bit double (at most about 1.8e308)`);
    return { kind: 'double', value: negative ? -magnitude : magnitude };
  }
  const value = longFromDigits(token.value, negative);
  if (value === undefined) c.failAt(token, `the long ${negative ? '-' : ''}${describeNumber(token.text)} does not fit in 64 bits`);
  return { kind: 'long', value };
}

/** A number as an error names it: a long one by its first digits and its length. */
function describeNumber(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 20)}… (${text.length} characters)`;
}

// ---------------------------------------------------------------------------------------------------------------
// Predicates

const COMPARATORS: ReadonlySet<string> = new Set(['==', '!=', '>', '>=', '<', '<=', '=']);

/** Whether a predicate starts here: a literal, a comparator, `like "…"` or `contains "…"`. */
export function isPredicateAt(c: TokenCursor): boolean {
  const token = c.peek();
  if (token.kind === 'symbol' && COMPARATORS.has(token.value)) return true;
  if (token.kind === 'word' && (token.value === 'like' || token.value === 'contains')) return c.isKind('string', 1);
  return isLiteralAt(c);
}

export function parsePredicate(c: TokenCursor): Predicate {
  const token = c.peek();
  if (token.kind === 'symbol' && COMPARATORS.has(token.value)) {
    c.next();
    // `=` (kept for backwards compatibility), `==` and a bare value are one equality, as in TypeQL: against a variable
    // it is `==`, against a value it is the bare value — the form TypeQL prints back.
    const written = token.value as Comparator;
    const op = written === '=' ? '==' : written;
    if (c.isKind('concept-var')) return { kind: 'compare', op, operand: conceptVar(c.next()) };
    if (c.isKind('value-var')) return { kind: 'compare', op, operand: valueVar(c.next()) };
    if (!isLiteralAt(c)) c.fail(`a value or variable after '${written}'`);
    const operand = parseLiteral(c);
    return op === '==' ? { kind: 'compare', operand } : { kind: 'compare', op, operand };
  }
  if (token.kind === 'word' && (token.value === 'like' || token.value === 'contains')) {
    c.next();
    const text = c.expectKind('string', `a quoted string after '${token.value}'`).value;
    return token.value === 'like' ? { kind: 'like', operand: unescapeRegex(text) } : { kind: 'contains', operand: text };
  }
  if (!isLiteralAt(c)) c.fail('a value or a predicate');
  return { kind: 'compare', operand: parseLiteral(c) };
}

// ---------------------------------------------------------------------------------------------------------------
// Expressions: `^` (right-associative) binds tighter than `* / %`, which bind tighter than `+ -`.

const PRECEDENCE: Readonly<Record<string, number>> = { '+': 1, '-': 1, '*': 2, '/': 2, '%': 2, '^': 3 };

export function parseExpression(c: TokenCursor): Expression {
  return parseOperation(c, 1).expression;
}

/** An expression and how many operators and calls deep its tree is: the printer and the engine recurse that deep. */
interface Parsed {
  readonly expression: Expression;
  readonly depth: number;
}

function parseOperation(c: TokenCursor, minPrecedence: number): Parsed {
  let left = parseOperand(c);
  for (;;) {
    const token = c.peek();
    const precedence = token.kind === 'symbol' ? PRECEDENCE[token.value] : undefined;
    if (precedence === undefined || precedence < minPrecedence) return left;
    c.next();
    const op = token.value as ArithmeticOp;
    const right = c.nested(() => parseOperation(c, op === '^' ? precedence : precedence + 1));
    // A long chain (`1 + 1 + …`) builds its tree in this loop, not by recursion: its depth is counted here.
    const depth = Math.max(left.depth, right.depth) + 1;
    c.limitDepth(depth, token);
    left = { expression: { kind: 'binary', op, left: left.expression, right: right.expression }, depth };
  }
}

function parseOperand(c: TokenCursor): Parsed {
  const token = c.peek();
  if (token.kind === 'concept-var') return { expression: { kind: 'var', variable: conceptVar(c.next()) }, depth: 0 };
  if (token.kind === 'value-var') return { expression: { kind: 'var', variable: valueVar(c.next()) }, depth: 0 };
  if (c.acceptSymbol('(')) {
    const inner = c.nested(() => parseOperation(c, 1));
    c.expectSymbol(')');
    return { expression: { ...inner.expression, parens: (inner.expression.parens ?? 0) + 1 }, depth: inner.depth };
  }
  if (token.kind === 'word' && isFunctionName(token.value) && c.isSymbol('(', 1)) {
    c.next();
    c.next();
    const args: Expression[] = [];
    let depth = 1;
    if (!c.isSymbol(')')) {
      do {
        const arg = c.nested(() => parseOperation(c, 1));
        args.push(arg.expression);
        depth = Math.max(depth, arg.depth + 1);
      } while (c.acceptSymbol(','));
    }
    c.expectSymbol(')');
    return { expression: { kind: 'call', fn: token.value, args }, depth };
  }
  if (isLiteralAt(c)) return { expression: { kind: 'literal', value: parseLiteral(c) }, depth: 0 };
  return c.fail('a variable, a value, a function call or (');
}
