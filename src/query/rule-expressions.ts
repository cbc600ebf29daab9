// The expressions of a rule's `when`, typed at define as TypeDB does when it builds the rule (Rule.whenPattern:
// type inference, then ExpressionResolver over each conjunction of the `when`'s normal form): a rule whose expression
// no answer could evaluate is refused with the [EXP] error a query with that `when` would fail with. Registered with
// the schema layer, which has no type inference of its own.
import type { RuleDefinition } from '../typeql/ast.js';
import { registerWhenExpressionCheck, type TypeGraph } from '../schema/index.js';
import type { Conjunction } from './ir.js';
import { PatternCompiler } from './compiler.js';
import { TypeInference } from './inference.js';
import { resolveExpressionTypes } from './expression-types.js';

export function checkWhenExpressions(schema: TypeGraph, rule: RuleDefinition): void {
  let when: Conjunction;
  try {
    when = new PatternCompiler(schema).compile(rule.when ?? []);
  } catch {
    // A `when` the query compiler refuses is the rule checks' to report (or fails when the rule runs), not this one's.
    return;
  }
  const inference = new TypeInference(schema);
  resolveExpressionTypes(when, inference.infer(when), inference);
}

registerWhenExpressionCheck(checkWhenExpressions);
