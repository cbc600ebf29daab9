// Printing patterns, statements, predicates, expressions and literals as canonical TypeQL.
//
// Layout is TypeQL 2.28's: a statement's further constraints go on their own lines, 4 spaces deeper than the
// statement; blocks (`{ … }`) put each pattern on its own line. Every function here takes the indentation of the line
// its output starts on and returns text whose first line carries no indentation (the caller has placed it), so that
// newlines inside string literals are never touched by re-indentation.

import type {
  Expression,
  HasConstraint,
  Label,
  Literal,
  Pattern,
  Predicate,
  RolePlayer,
  Statement,
  ThingStatement,
  TypeConstraint,
  TypeRef,
  TypeStatement,
  Variable,
} from './ast.js';
import { escapeRegex, formatDatetimeLiteral, formatDouble, formatLong, quoteString } from './literals.js';

export const INDENT = '    ';

export function printLabel(label: Label): string {
  return label.scope === undefined ? label.name : `${label.scope}:${label.name}`;
}

export function printVariable(variable: Variable): string {
  return (variable.kind === 'concept-var' ? '$' : '?') + variable.name;
}

export function printTypeRef(type: TypeRef): string {
  return type.kind === 'label' ? printLabel(type.label) : printVariable(type);
}

export function printLiteral(literal: Literal): string {
  switch (literal.kind) {
    case 'long':
      return formatLong(literal.value);
    case 'double':
      return formatDouble(literal.value);
    case 'string':
      return quoteString(literal.value);
    case 'boolean':
      return String(literal.value);
    case 'datetime':
      return formatDatetimeLiteral(literal.value);
  }
}

export function printPredicate(predicate: Predicate): string {
  switch (predicate.kind) {
    case 'compare': {
      // As TypeQL prints a predicate: `=`, `==` and a bare value are all its EQ, which prints as the bare value, or
      // as `== $v` / `== ?v` when it compares with a variable.
      const operand = predicate.operand;
      const isVariable = operand.kind === 'concept-var' || operand.kind === 'value-var';
      const text = isVariable ? printVariable(operand) : printLiteral(operand);
      const op = predicate.op === '=' ? '==' : predicate.op;
      if (op === undefined || op === '==') return isVariable ? `== ${text}` : text;
      return `${op} ${text}`;
    }
    case 'contains':
      return `contains ${quoteString(predicate.operand)}`;
    case 'like':
      return `like ${quoteString(escapeRegex(predicate.operand))}`;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Expressions: the parentheses written (TypeQL's Parenthesis prints as `( inner )`), plus a pair where precedence or
// associativity needs one and none was written.

const PRECEDENCE: Readonly<Record<string, number>> = { '+': 1, '-': 1, '*': 2, '/': 2, '%': 2, '^': 3 };
const ATOMIC = 4;

function precedenceOf(expression: Expression): number {
  return expression.kind === 'binary' && !expression.parens ? PRECEDENCE[expression.op]! : ATOMIC;
}

function parenthesised(text: string, pairs: number): string {
  for (let i = 0; i < pairs; i++) text = `( ${text} )`;
  return text;
}

export function printExpression(expression: Expression): string {
  return parenthesised(printBareExpression(expression), expression.parens ?? 0);
}

function printBareExpression(expression: Expression): string {
  switch (expression.kind) {
    case 'literal':
      return printLiteral(expression.value);
    case 'var':
      return printVariable(expression.variable);
    case 'call':
      return `${expression.fn}(${expression.args.map(printExpression).join(', ')})`;
    case 'binary': {
      const own = PRECEDENCE[expression.op]!;
      const rightAssociative = expression.op === '^';
      const left = precedenceOf(expression.left);
      const right = precedenceOf(expression.right);
      const leftNeedsParens = rightAssociative ? left <= own : left < own;
      const rightNeedsParens = rightAssociative ? right < own : right <= own;
      const l = printExpression(expression.left);
      const r = printExpression(expression.right);
      return `${parenthesised(l, leftNeedsParens ? 1 : 0)} ${expression.op} ${parenthesised(r, rightNeedsParens ? 1 : 0)}`;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Statements

export function printStatement(statement: Statement, indent = ''): string {
  switch (statement.kind) {
    case 'type-statement':
      return printTypeStatement(statement, indent);
    case 'thing-statement':
      return printThingStatement(statement, indent);
    case 'value-statement':
      return statement.assignment !== undefined
        ? `${printVariable(statement.variable)} = ${printExpression(statement.assignment)}`
        : `${printVariable(statement.variable)} ${statement.predicate ? printPredicate(statement.predicate) : ''}`.trimEnd();
    case 'is-statement':
      return `${printVariable(statement.left)} is ${printVariable(statement.right)}`;
  }
}

/** `person sub entity,\n    owns name @key` — the first constraint on the subject's line, the rest below it. */
export function printTypeStatement(statement: TypeStatement, indent = ''): string {
  const constraints = statement.constraints.map(printTypeConstraint).join(`,\n${indent}${INDENT}`);
  return `${printTypeRef(statement.subject)} ${constraints}`;
}

export function printTypeConstraint(constraint: TypeConstraint): string {
  switch (constraint.kind) {
    case 'abstract':
      return 'abstract';
    case 'sub':
      return `${constraint.explicit ? 'sub!' : 'sub'} ${printTypeRef(constraint.type)}`;
    case 'owns': {
      let text = `owns ${printTypeRef(constraint.attribute)}`;
      if (constraint.overridden) text += ` as ${printTypeRef(constraint.overridden)}`;
      for (const annotation of constraint.annotations) text += ` @${annotation}`;
      return text;
    }
    case 'plays':
    case 'relates': {
      const text = `${constraint.kind} ${printTypeRef(constraint.role)}`;
      return constraint.overridden ? `${text} as ${printTypeRef(constraint.overridden)}` : text;
    }
    case 'value':
      return `value ${constraint.valueType}`;
    case 'regex':
      return `regex ${quoteString(escapeRegex(constraint.regex))}`;
    case 'type':
      return `type ${printTypeRef(constraint.label)}`;
  }
}

/** `$x isa person,\n    has name "a"` — `isa`/`iid` and each `has` after the first on lines of their own. */
export function printThingStatement(statement: ThingStatement, indent = ''): string {
  const head: string[] = [];
  if (statement.variable) head.push(printVariable(statement.variable));
  if (statement.relation) head.push(printRelation(statement.relation));
  if (statement.predicate) head.push(printPredicate(statement.predicate));
  const constraints: string[] = [];
  if (statement.isa) constraints.push(`${statement.isa.explicit ? 'isa!' : 'isa'} ${printTypeRef(statement.isa.type)}`);
  if (statement.iid !== undefined) constraints.push(`iid ${statement.iid}`);
  for (const has of statement.has) constraints.push(printHas(has));
  if (constraints.length > 0) head.push(constraints.join(`,\n${indent}${INDENT}`));
  return head.join(' ');
}

function printRelation(players: readonly RolePlayer[]): string {
  const printed = players.map((p) => (p.role ? `${printTypeRef(p.role)}: ${printVariable(p.player)}` : printVariable(p.player)));
  return `(${printed.join(', ')})`;
}

function printHas(has: HasConstraint): string {
  const value = has.value;
  const text = value.kind === 'concept-var' || value.kind === 'value-var' ? printVariable(value) : printPredicate(value);
  return has.attributeType ? `has ${printLabel(has.attributeType)} ${text}` : `has ${text}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Patterns

export function printPattern(pattern: Pattern, indent = ''): string {
  switch (pattern.kind) {
    case 'conjunction':
      return printBlock(pattern.patterns, indent);
    case 'disjunction':
      return pattern.branches.map((branch) => printBlock(unwrapped(branch), indent)).join(' or ');
    case 'negation':
      return `not ${printNegationBody(pattern.patterns, indent)}`;
    default:
      return printStatement(pattern, indent);
  }
}

/** Each pattern on its own line, every line (the first included) indented by `indent`, each ending in `;`. */
export function printPatterns(patterns: readonly Pattern[], indent = ''): string {
  return patterns.map((pattern) => `${indent}${printPattern(pattern, indent)};`).join('\n');
}

/**
 * A block holding only a block prints as that inner block: TypeQL's parser keeps a lone pattern of a negation or of a
 * disjunction branch as the pattern itself, so `not { { p; q; }; }` reads back as `not { p; q; }` and prints so.
 */
function unwrapped(patterns: readonly Pattern[]): readonly Pattern[] {
  const only = patterns.length === 1 ? patterns[0]! : undefined;
  return only?.kind === 'conjunction' ? only.patterns : patterns;
}

/** As TypeQL 2.28 prints it: `not { p; }` when the negation is one single-line statement, a block otherwise. */
function printNegationBody(body: readonly Pattern[], indent: string): string {
  const patterns = unwrapped(body);
  const only = patterns.length === 1 ? patterns[0]! : undefined;
  if (only && only.kind !== 'conjunction' && only.kind !== 'disjunction' && only.kind !== 'negation') {
    const text = printStatement(only, indent);
    if (!text.includes('\n')) return `{ ${text}; }`;
  }
  return printBlock(patterns, indent);
}

/** `{\n    p;\n    q;\n}` with the closing brace at `indent`. */
export function printBlock(patterns: readonly Pattern[], indent = ''): string {
  return `{\n${printPatterns(patterns, indent + INDENT)}\n${indent}}`;
}
