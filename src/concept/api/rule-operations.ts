// The Concept API on rules (RuleApi): reads of the transaction's schema; writes as `define` and `undefine` make
// them, through the type graph, so that a rule put through the API is validated exactly as a defined one.
import type { RuleDefinition } from '../../typeql/ast.js';
import { parseRuleLabel, parseRuleParts, printBlock, printStatement } from '../../typeql/index.js';
import { RuleRead, TypeGraphErrors } from '../../schema/index.js';
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
    return [...this.ctx.schema().rules().values()].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)).map(describeRule);
  }

  put(label: string, when: string, then: string): RuleConcept {
    const graph = this.ctx.schemaWriter();
    const rule = parseRuleParts(label, when, then);
    graph.define([rule], this.ctx.instanceChecks());
    return describeRule(graph.rules().get(rule.label)!);
  }

  delete(label: string): void {
    this.ctx.schemaWriter().undefine([{ kind: 'rule', label }], this.ctx.instanceChecks());
  }

  setLabel(label: string, newLabel: string): RuleConcept {
    const graph = this.ctx.schemaWriter();
    const rule = graph.rules().get(label);
    if (rule === undefined) throw RuleRead.ruleNotFound(label);
    const renamed: RuleDefinition = { ...rule, label: parseRuleLabel(newLabel) };
    if (renamed.label === label) return describeRule(rule);
    if (graph.rules().has(renamed.label)) throw TypeGraphErrors.invalidSchemaWrite(renamed.label);
    // Defined under the new label before the old one goes: if either step fails, the transaction closes.
    graph.define([renamed], this.ctx.instanceChecks());
    graph.undefine([{ kind: 'rule', label }], this.ctx.instanceChecks());
    return describeRule(renamed);
  }
}

function describeRule(rule: RuleDefinition): RuleConcept {
  return { label: rule.label, when: printBlock(rule.when ?? []), then: printStatement(rule.then!) };
}
