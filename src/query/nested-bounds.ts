// TypeQL 2.x's check, made when it builds a match clause (so before anything is matched), that every disjunction
// branch and negation shares a named variable with the scope around it: else it could only be evaluated apart from
// the rest of the match. The scope of a match is its own statements' variables (not those only a nested pattern
// names); inside a nested conjunction it grows by that conjunction's own.
import type { Pattern, Statement } from '../typeql/ast.js';
import { printBlock, printPattern, printStatement, statementVariables } from '../typeql/index.js';
import { StrataError } from '../common/errors.js';

/**
 * A match's nested patterns each bounded by the match's own named variables, recursively: TypeQL's
 * `nestedPatternsAreBounded`, [TQL11] naming the first that is not. A rule's `when` is not checked here: TypeQL
 * leaves it to TypeDB, which reports an unbounded negation with its own error.
 */
export function checkNestedPatternsBounded(patterns: readonly Pattern[]): void {
  checkStatementsNamed(patterns);
  const own = ownVariables(patterns);
  const bounds = (v: string) => own.has(v);
  for (const p of patterns) if (isNested(p)) checkBounded(p, bounds);
}

/**
 * Every statement, however deeply nested, names a variable: TypeQL's `eachPatternStatementHasNamedVariable`, checked
 * before the bounds, [TQL10] naming the first that does not (`$_ isa person`).
 */
function checkStatementsNamed(patterns: readonly Pattern[]): void {
  for (const p of patterns) {
    if (p.kind === 'disjunction') p.branches.forEach(checkStatementsNamed);
    else if (p.kind === 'negation' || p.kind === 'conjunction') checkStatementsNamed(p.patterns);
    else if (statementVariables(p).size === 0) {
      throw new StrataError('TQL', 10, `The pattern '${printStatement(p)}' has no named variable.`);
    }
  }
}

/**
 * Whether a variable is bound around a pattern: a chain of lookups, not a set per scope, which would copy every
 * enclosing variable once per nested conjunction (quadratic in a match of thousands of negations).
 */
type Bounds = (variable: string) => boolean;

/** A pattern as TypeQL's parser builds it checked against `bounds`: a lone pattern of a block stands for the block. */
function checkBounded(p: Pattern, bounds: Bounds): void {
  switch (p.kind) {
    case 'disjunction':
      for (const branch of p.branches) checkBlockBounded(branch, bounds);
      return;
    case 'negation':
      checkBlockBounded(p.patterns, bounds);
      return;
    case 'conjunction':
      checkConjunctionBounded(p.patterns, bounds);
      return;
    default:
      if (![...statementVariables(p)].some(bounds)) throw unbounded(printStatement(p));
  }
}

function checkBlockBounded(patterns: readonly Pattern[], bounds: Bounds): void {
  if (patterns.length === 1) checkBounded(patterns[0]!, bounds);
  else checkConjunctionBounded(patterns, bounds);
}

/** A conjunction names a bound variable in its own statements; its nested patterns are bounded by both. */
function checkConjunctionBounded(patterns: readonly Pattern[], bounds: Bounds): void {
  const own = ownVariables(patterns);
  if (![...own].some(bounds)) throw unbounded(printConjunction(patterns));
  const union = (v: string) => own.has(v) || bounds(v);
  for (const p of patterns) if (isNested(p)) checkBounded(p, union);
}

/** As TypeQL prints a conjunction in this message: `{ p; }` when it is one single-line pattern, else its lines joined by spaces (indentation kept). */
function printConjunction(patterns: readonly Pattern[]): string {
  const only = patterns.length === 1 ? printPattern(patterns[0]!) : undefined;
  if (only !== undefined && !only.includes('\n')) return `{ ${only}; }`;
  return printBlock(patterns).replace(/\n/g, ' ');
}

function isNested(p: Pattern): p is Exclude<Pattern, Statement> {
  return p.kind === 'disjunction' || p.kind === 'negation' || p.kind === 'conjunction';
}

function unbounded(printed: string): StrataError {
  return new StrataError('TQL', 11, `The match query contains a nested pattern is not bounded: '${printed}'.`);
}

/** The named variables (`$x`, `?v`) of a conjunction's statements and of its nested conjunctions', not of its branches or negations. */
function ownVariables(patterns: readonly Pattern[], into = new Set<string>()): Set<string> {
  for (const p of patterns) {
    if (p.kind === 'conjunction') ownVariables(p.patterns, into);
    else if (!isNested(p)) for (const v of statementVariables(p)) into.add(v);
  }
  return into;
}
