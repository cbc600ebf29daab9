// Rules and explanations → typedb-protocol messages (proto/logic.proto), as typedb-driver@2.29.7 reads them.
import { Explanation as ExplanationProto, ExplanationVarList, Rule } from 'typedb-protocol/proto/logic.js';
import type { RuleConcept } from '../concept/concepts.js';
import type { Explanation } from '../database/api.js';
import { encodeConceptMap, estimateConceptMapSize } from './answer-encoding.js';

export function encodeRule(rule: RuleConcept): Rule {
  return new Rule({ label: rule.label, when: rule.when, then: rule.then });
}

/** The conclusion's explainables are empty, as TypeDB 2.x sends them; the condition's can be explained in turn. */
export function encodeExplanation(explanation: Explanation): ExplanationProto {
  return new ExplanationProto({
    rule: encodeRule(explanation.rule),
    var_mapping: new Map([...explanation.variableMapping].map(([name, vars]) => [name, new ExplanationVarList({ vars: [...vars] })] as const)),
    condition: encodeConceptMap(explanation.condition, explanation.conditionExplainables),
    conclusion: encodeConceptMap(explanation.conclusion),
  });
}

export function estimateExplanationSize(explanation: Explanation): number {
  const rule = explanation.rule;
  return 3 * (rule.label.length + rule.when.length + rule.then.length) + estimateConceptMapSize(explanation.condition) + estimateConceptMapSize(explanation.conclusion) + 64;
}
