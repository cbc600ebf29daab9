// Explanations of an explainable (TypeDB 2.x `transaction.query.explain`): one per way its fact was concluded —
// the rule, the answer of the rule's `when` (the condition, itself explainable where it used inferred facts), the
// concepts the rule's `then` concluded (the conclusion: its variables, `_` for an anonymous relation or attribute,
// the relation or attribute type by its label and the roles by their scoped labels), and which `then` variables
// each variable of the explained constraint corresponds to.
import type { ConceptMap, RuleConcept, Concept } from '../concept/concepts.js';
import { describeType } from '../concept/api/describe.js';
import { describeRule } from '../concept/api/index.js';
import type { SchemaReader } from '../schema/api.js';
import { labelText } from '../schema/labels.js';
import type { Thing } from '../concept/things.js';
import { conclusionOf, instantiate, type Derivation } from '../reasoner/index.js';
import { StrataError } from '../common/errors.js';
import { PatternCompiler } from './compiler.js';
import { toConcept } from './answers.js';
import type { Binding, Row } from './bindings.js';
import { answerName, explainablesOf, type ExplainableLedger, type ExplainableRecord, type Explainables } from './explainables.js';

export interface Explanation {
  readonly rule: RuleConcept;
  readonly conclusion: ConceptMap;
  readonly condition: ConceptMap;
  readonly conditionExplainables: Explainables;
  /** Each variable of the explained constraint → the rule's `then` variables bound to the same concept. */
  readonly variableMapping: ReadonlyMap<string, readonly string[]>;
}

/** Name of an anonymous relation or attribute in a conclusion, as TypeDB 2.x sends it. */
const ANONYMOUS = '_';

export function explain(record: ExplainableRecord, schema: SchemaReader, ledger: ExplainableLedger): Explanation[] {
  return record.derivations(record.fact).map((derivation) => explainDerivation(record, derivation, schema, ledger));
}

function explainDerivation(record: ExplainableRecord, derivation: Derivation, schema: SchemaReader, ledger: ExplainableLedger): Explanation {
  const rule = schema.rules().get(derivation.rule);
  if (rule === undefined) {
    throw new StrataError('RSN', 10, `The rule '${derivation.rule}' that concluded this fact no longer exists in the schema of this transaction.`);
  }
  const things = record.things;
  const concept = (b: Binding | undefined): Concept | undefined => (b === undefined ? undefined : toConcept(b, things));
  const conditionThing = (variable: string): Thing | undefined => {
    const b = derivation.condition.get(variable);
    return b?.kind === 'thing' ? b.thing : undefined;
  };
  const conclusion = new Map<string, Concept>();
  const mapping = new Map<string, string[]>();
  const map = (queryVariable: string, thenVariable: string) => {
    const name = answerName(queryVariable);
    const list = mapping.get(name) ?? [];
    if (!list.includes(thenVariable)) list.push(thenVariable);
    mapping.set(name, list);
  };
  const then = conclusionOf(rule, schema);
  const concluded = record.concludable;
  if (then.kind === 'relation') {
    if (concluded.kind !== 'relation') throw mismatch(rule.label);
    const relationVariable = rule.then?.variable?.name ?? ANONYMOUS;
    const relation = record.bindings.get(concluded.relation);
    conclusion.set(relationVariable, concept(relation)!);
    map(concluded.relation, relationVariable);
    // The derivation concluded this relation: its instantiation gives the relation type and each player's role.
    const inferred = instantiate(then, derivation.condition);
    if (inferred?.kind !== 'relation') throw mismatch(rule.label);
    const { relationType } = then;
    conclusion.set(relationType.kind === 'label' ? labelText(inferred.type.label) : relationType.name, describeType(inferred.type));
    then.players.forEach(({ role, player }, i) => {
      const { role: roleType, player: thing } = inferred.players[i]!;
      conclusion.set(player, concept({ kind: 'thing', thing })!);
      conclusion.set(role.kind === 'label' ? labelText(roleType.label) : role.name, describeType(roleType));
      for (const p of concluded.players) {
        const bound = record.bindings.get(p.player);
        if (bound?.kind === 'thing' && Buffer.compare(bound.thing.iid, thing.iid) === 0) map(p.player, player);
      }
    });
  } else {
    if (concluded.kind === 'relation') throw mismatch(rule.label);
    const owner = conditionThing(then.owner);
    if (owner !== undefined) conclusion.set(then.owner, concept({ kind: 'thing', thing: owner })!);
    const attributeVariable = then.attribute.kind === 'variable' ? then.attribute.name : ANONYMOUS;
    const attribute = record.bindings.get(concluded.attribute);
    conclusion.set(attributeVariable, concept(attribute)!);
    if (then.attributeType) conclusion.set(labelText(then.attributeType.label), describeType(then.attributeType));
    if (concluded.kind === 'ownership') map(concluded.owner, then.owner);
    map(concluded.attribute, attributeVariable);
  }

  const condition = new Map<string, Concept>();
  const row: Row = new Map();
  for (const [name, binding] of derivation.condition) {
    row.set(name, binding);
    condition.set(answerName(name), concept(binding)!);
  }
  const conjunction = new PatternCompiler(schema).compile(derivation.when);
  return {
    rule: describeRule(rule),
    conclusion,
    condition,
    conditionExplainables: explainablesOf(conjunction, row, things, record.derivations, ledger),
    variableMapping: mapping,
  };
}

function mismatch(rule: string): StrataError {
  return new StrataError('INT', 7, `The rule '${rule}' concludes a different kind of fact than the one being explained; please report this.`);
}
