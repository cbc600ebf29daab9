// The typeql layer: TypeQL 2.x text → AST (parser) and AST → canonical text (printer). Pure; no I/O.
// parse(print(ast)) deep-equals ast for every AST the parser produces.
//
// Conventions other layers rely on:
// - String literals keep backslash escapes as written, as TypeQL 2.x does (`"a\"b"` is the 4 characters a\"b);
//   `regex` and `like` strings additionally read `\/` as `/`. The printer picks the quote that needs no escaping.
// - `match …;` without `get` parses as a get with an empty filter, like `get;`.
// - Errors are TypeQLSyntaxError (common/errors.ts) with 1-based line and column, naming the offending token.

export type * from './ast.js';

export { parseDefinables, parsePatterns, parseQueries, parseQuery, parseRuleLabel, parseRuleParts, parseStatement } from './parser.js';

export { conceptAndValueNames, statementVariables } from './statement-variables.js';

export { printDefinable, printDefinableLines, printFetchKey, printQuery, printRule } from './printer.js';
export {
  INDENT,
  printBlock,
  printExpression,
  printLabel,
  printLiteral,
  printPattern,
  printPatterns,
  printPredicate,
  printStatement,
  printThingStatement,
  printTypeConstraint,
  printTypeRef,
  printTypeStatement,
  printVariable,
} from './printer-patterns.js';
