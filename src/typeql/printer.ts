// Printing queries and definables as canonical TypeQL: each clause keyword on its own line, the clause's statements
// below it indented by 4 spaces; define/undefine bodies unindented, as TypeDB 2.28 prints a schema.

import type {
  Definable,
  FetchProjection,
  FetchQuery,
  GetQuery,
  Modifiers,
  Query,
  RuleDefinition,
  Statement,
  Variable,
} from './ast.js';
import { isKeyword } from './keywords.js';
import { isLabelHead, isLabelTail } from './lexer.js';
import { quoteString } from './literals.js';
import {
  INDENT,
  printBlock,
  printLabel,
  printPatterns,
  printStatement,
  printTypeStatement,
  printVariable,
} from './printer-patterns.js';

export function printQuery(query: Query): string {
  return printQueryAt(query, '');
}

/** The query's lines; the first carries no indentation, the others start at `indent`. */
function printQueryAt(query: Query, indent: string): string {
  const inner = indent + INDENT;
  const clauses: string[] = [];
  const match = (patterns: Parameters<typeof printPatterns>[0]): void => {
    clauses.push(`match\n${printPatterns(patterns, inner)}`);
  };
  switch (query.kind) {
    case 'define':
    case 'undefine':
      clauses.push(`${query.kind}\n${printDefinableLines(query.definables, indent)}`);
      break;
    case 'insert':
      if (query.match) match(query.match);
      clauses.push(`insert\n${printStatementLines(query.statements, inner)}`);
      clauses.push(...modifierClauses(query.modifiers));
      break;
    case 'delete':
      match(query.match);
      clauses.push(`delete\n${printStatementLines(query.statements, inner)}`);
      clauses.push(...modifierClauses(query.modifiers));
      break;
    case 'update':
      match(query.match);
      clauses.push(`delete\n${printStatementLines(query.deletes, inner)}`);
      clauses.push(`insert\n${printStatementLines(query.inserts, inner)}`);
      clauses.push(...modifierClauses(query.modifiers));
      break;
    case 'get':
      clauses.push(...getClauses(query, inner));
      break;
    case 'get-aggregate':
      clauses.push(...getClauses(query.get, inner), aggregateClause(query.method, query.variable));
      break;
    case 'get-group':
      clauses.push(...getClauses(query.get, inner), `group ${printVariable(query.group)};`);
      break;
    case 'get-group-aggregate':
      clauses.push(
        ...getClauses(query.get, inner),
        `group ${printVariable(query.group)};`,
        aggregateClause(query.method, query.variable),
      );
      break;
    case 'fetch':
      clauses.push(...fetchClauses(query, indent));
      break;
  }
  return clauses.join(`\n${indent}`);
}

function printStatementLines(statements: readonly Statement[], indent: string): string {
  return statements.map((statement) => `${indent}${printStatement(statement, indent)};`).join('\n');
}

function getClauses(query: GetQuery, inner: string): string[] {
  const filter = query.filter.length === 0 ? 'get;' : `get ${query.filter.map(printVariable).join(', ')};`;
  return [`match\n${printPatterns(query.match, inner)}`, filter, ...modifierClauses(query.modifiers)];
}

function aggregateClause(method: string, variable: Variable | undefined): string {
  return variable ? `${method} ${printVariable(variable)};` : `${method};`;
}

function modifierClauses(modifiers: Modifiers): string[] {
  const clauses: string[] = [];
  if (modifiers.sort && modifiers.sort.length > 0) {
    const keys = modifiers.sort.map((key) => (key.order ? `${printVariable(key.variable)} ${key.order}` : printVariable(key.variable)));
    clauses.push(`sort ${keys.join(', ')};`);
  }
  if (modifiers.offset !== undefined) clauses.push(`offset ${modifiers.offset};`);
  if (modifiers.limit !== undefined) clauses.push(`limit ${modifiers.limit};`);
  return clauses;
}

// ---------------------------------------------------------------------------------------------------------------
// Fetch

function fetchClauses(query: FetchQuery, indent: string): string[] {
  const inner = indent + INDENT;
  const projections = query.projections.map((p) => `${inner}${printProjection(p, inner)};`).join('\n');
  return [`match\n${printPatterns(query.match, inner)}`, `fetch\n${projections}`, ...modifierClauses(query.modifiers)];
}

function printProjection(projection: FetchProjection, indent: string): string {
  if (projection.kind === 'subquery') {
    const inner = indent + INDENT;
    return `${printFetchKey(projection.key)}: {\n${inner}${printQueryAt(projection.query, inner)}\n${indent}}`;
  }
  let text = printVariable(projection.variable);
  if (projection.as !== undefined) text += ` as ${printFetchKey(projection.as)}`;
  if (projection.attributes) {
    const attributes = projection.attributes.map((a) =>
      a.as === undefined ? printLabel(a.type) : `${printLabel(a.type)} as ${printFetchKey(a.as)}`,
    );
    text += `: ${attributes.join(', ')}`;
  }
  return text;
}

/** Bare when it reads back as the same label; quoted otherwise (spaces, reserved words, anything else). */
export function printFetchKey(key: string): string {
  return isBareLabel(key) ? key : quoteString(key);
}

function isBareLabel(text: string): boolean {
  if (text.length === 0 || !isLabelHead(text.charCodeAt(0)) || isKeyword(text)) return false;
  for (let i = 1; i < text.length; i++) if (!isLabelTail(text.charCodeAt(i))) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Definables

/** Definables one per line at `indent`, each ending in `;` — the body of a define or undefine query. */
export function printDefinableLines(definables: readonly Definable[], indent = ''): string {
  return definables.map((definable) => `${indent}${printDefinable(definable, indent)};`).join('\n');
}

/** A type statement or a rule, without its closing `;`. */
export function printDefinable(definable: Definable, indent = ''): string {
  return definable.kind === 'rule' ? printRule(definable, indent) : printTypeStatement(definable, indent);
}

/** `rule r: when {\n    …;\n} then {\n    …;\n}` or, without a body, `rule r` (no closing `;`). */
export function printRule(rule: RuleDefinition, indent = ''): string {
  if (rule.when === undefined || rule.then === undefined) return `rule ${rule.label}`;
  const inner = indent + INDENT;
  return (
    `rule ${rule.label}: when ${printBlock(rule.when, indent)} then {\n` +
    `${inner}${printStatement(rule.then, inner)};\n${indent}}`
  );
}
