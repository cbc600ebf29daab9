// The Concept API on rules (RuleApi): reads of the transaction's schema; a new rule goes through `define`, so that
// it is validated exactly as a defined one; deleting and renaming use the type graph's rule primitives (which is
// all `undefine` does for a rule).
import type { RuleDefinition } from '../../typeql/ast.js';
import { parseRuleLabel, parseRuleParts, printBlock, printStatement } from '../../typeql/index.js';
import { RuleRead, ruleDefinitions, TypeGraphErrors } from '../../schema/index.js';
import type { RuleConcept } from '../concepts.js';
import type { RuleApi } from './concept-api.js';
import type { ConceptContext } from './context.js';

export class RuleOperations implements RuleApi {
  constructor(private readonly ctx: ConceptContext) {}

  get(label: string): RuleConcept | undefined {
    const rule = this.ctx.schema().rules().get(label);
    return rule && describeRule(rule);
  }

  all(): RuleConcept[] {
    return ruleDefinitions(this.ctx.schema()).map(describeRule);
  }

  put(label: string, when: string, then: string): RuleConcept {
    const graph = this.ctx.schemaWriter();
    const rule = parseRuleParts(label, when, then);
    graph.define([rule], this.ctx.instanceChecks());
    return describeRule(graph.rules().get(rule.label)!);
  }

  delete(label: string): void {
    this.ctx.schemaWriter().deleteRule(label);
  }

  setLabel(label: string, newLabel: string): RuleConcept {
    const graph = this.ctx.schemaWriter();
    const rule = graph.rules().get(label);
    if (rule === undefined) throw RuleRead.ruleNotFound(label);
    const renamed: RuleDefinition = { ...rule, label: parseRuleLabel(newLabel) };
    if (renamed.label === label) return describeRule(rule);
    if (graph.rules().has(renamed.label)) throw TypeGraphErrors.invalidSchemaWrite(renamed.label);
    graph.putRule(renamed);
    graph.deleteRule(label);
    return describeRule(renamed);
  }
}

/** A rule as the driver shows it (label, `when` block, `then` statement). */
export function describeRule(rule: RuleDefinition): RuleConcept {
  return { label: rule.label, when: printBlock(rule.when ?? []), then: printStatement(rule.then!) };
}
