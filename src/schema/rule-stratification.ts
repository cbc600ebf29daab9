// Rule stratification: a cycle of rule dependencies that goes through a negation makes inference contradictory
// (RUW02). Rule A depends on rule B when a statement of A's `when` can match what B concludes: a relation or
// attribute of the concluded type or of a subtype of the type the statement asks for.
import type { StrataError } from '../common/errors.js';
import { labelText } from './labels.js';
import type { ConceptVar, HasConstraint, Literal, RuleDefinition, Statement, ThingStatement } from '../typeql/ast.js';
import { printLabel as labelString } from '../typeql/index.js';
import type { SchemaType } from './api.js';
import { RuleWrite } from './errors.js';
import { occurrences } from './rule-shape.js';
import { RuleChecker } from './rules.js';
import type { TypeGraph } from './type-graph.js';
import { stronglyConnectedComponents } from '../common/graph.js';

interface Dependency {
  readonly on: string;
  readonly negated: boolean;
}

/** The types a rule's conclusion may produce. */
function conclusionTypes(g: TypeGraph, rule: RuleDefinition, checker: RuleChecker): SchemaType[] {
  const then = rule.then!;
  if (then.relation) {
    const typeRef = then.isa!.type;
    if (typeRef.kind === 'concept-var') {
      // `isa $t`: what the `when` binds $t to, else (bound by `isa`) any relation type.
      const types = checker.typeVariableTypes(typeRef.name) ?? g.subtypes(g.get('relation')!);
      return types.filter((t) => t.root === 'relation');
    }
    const t = g.get(labelString(typeRef.label));
    return t ? [t] : [];
  }
  const h = then.has[0]!;
  if (h.attributeType) {
    const t = g.get(labelString(h.attributeType));
    return t ? [t] : [];
  }
  const set = checker.types.get(`$${(h.value as ConceptVar).name}`);
  return set ? [...set].map((id) => g.byId(id)!) : [...g.all()].filter((t) => t.root === 'attribute' && !t.isMeta);
}

/** The value a `has T <value>` conclusion gives, if it gives a literal one. */
function concludedValue(rule: RuleDefinition): Literal | undefined {
  const h = rule.then?.relation ? undefined : rule.then?.has[0];
  if (h?.value.kind !== 'compare' || (h.value.op !== undefined && h.value.op !== '==' && h.value.op !== '=')) return undefined;
  const operand = h.value.operand;
  return operand.kind === 'concept-var' || operand.kind === 'value-var' ? undefined : operand;
}

/** Whether a `has` of the statement can match an attribute with the concluded value (unknown values can). */
function valueCanMatch(h: Pick<HasConstraint, 'value'>, value: Literal | undefined): boolean {
  if (value === undefined || h.value.kind !== 'compare') return true;
  const operand = h.value.operand;
  if (operand.kind === 'concept-var' || operand.kind === 'value-var') return true;
  const numeric = (l: Literal) => l.kind === 'long' || l.kind === 'double';
  if (operand.kind !== value.kind && !(numeric(operand) && numeric(value))) return false;
  const a = value.value;
  const b = operand.value;
  switch (h.value.op ?? '==') {
    case '=':
    case '==':
      return a == b;
    case '!=':
      return a != b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
  }
}

/**
 * Whether a `when` statement can match something the given conclusion type produces. An ownership whose value
 * the statement's predicate rules out (`has retailer 'Ocado'` against a concluded `has retailer 'Tesco'`) cannot.
 */
function triggers(g: TypeGraph, s: Statement, scope: readonly Statement[], concluded: SchemaType, value?: Literal): boolean {
  if (s.kind !== 'thing-statement') return false;
  // An attribute statement whose value the concluded one cannot be (`$n "Ocado" isa name` against "Tesco") does not.
  const valueFits = concluded.root !== 'attribute' || s.predicate === undefined || valueCanMatch({ value: s.predicate }, value);
  if (s.isa?.type.kind === 'label' && valueFits) {
    const t = g.get(labelString(s.isa.type.label));
    if (t && (s.isa.explicit ? t.id === concluded.id : g.isSubtypeOf(concluded, t)) && relatesRolesOf(g, s, concluded)) return true;
  } else if (s.relation && concluded.root === 'relation' && relatesRolesOf(g, s, concluded)) {
    return true;
  }
  for (const h of s.has) {
    if (concluded.root !== 'attribute') continue;
    // `has $n` with `$n == "Ocado";` or `$n "Ocado" isa name;` in its scope is `has name "Ocado"`, spelt apart.
    const spelt = h.value.kind === 'concept-var' ? attributeStatements(scope, h.value.name) : [];
    if (!valueCanMatch(h, value) || spelt.some((t) => t.predicate !== undefined && !valueCanMatch({ value: t.predicate }, value))) continue;
    const labels = [h.attributeType, ...spelt.map((t) => (t.isa?.type.kind === 'label' ? t.isa.type.label : undefined))].filter((l) => l !== undefined);
    if (labels.every((label) => {
      const a = g.get(labelString(label));
      return a !== undefined && g.isSubtypeOf(concluded, a);
    })) return true;
  }
  return false;
}

/**
 * Whether the concluded type relates every role a relation statement names: the role itself, or one that overrides
 * it (`bestie as friend` plays in `(friend: $x)`). Statements without role players, or with role variables, ask nothing.
 */
function relatesRolesOf(g: TypeGraph, s: ThingStatement, concluded: SchemaType): boolean {
  if (!s.relation || concluded.root !== 'relation') return true;
  const roles = g.relates(concluded);
  return s.relation.every((rp) => {
    if (rp.role?.kind !== 'label') return true;
    const l = rp.role.label;
    return roles.some((r) => g.supertypes(r).some((t) => (l.scope === undefined ? t.label.name === l.name : labelText(t.label) === labelString(l))));
  });
}

/** The statements of the scope about the attribute variable `$name` (its value, its type). */
function attributeStatements(scope: readonly Statement[], name: string): ThingStatement[] {
  return scope.filter((t): t is ThingStatement => t.kind === 'thing-statement' && t.variable?.name === name);
}

/** A cycle of rule dependencies that goes through a negation makes inference contradictory (RUW02). */
export function validateRuleStratification(g: TypeGraph): StrataError | undefined {
  const rules = [...g.rules().values()];
  const checkers = new Map<string, RuleChecker>();
  for (const rule of rules) {
    // Only the `when`'s types: the rules were validated before this runs.
    const checker = new RuleChecker(g, rule);
    checker.inferWhenTypes();
    checkers.set(rule.label, checker);
  }
  const edges = new Map<string, Dependency[]>();
  for (const rule of rules) {
    const deps: Dependency[] = [];
    for (const o of occurrences(rule.when ?? [])) {
      for (const other of rules) {
        const concluded = conclusionTypes(g, other, checkers.get(other.label)!);
        const value = concludedValue(other);
        if (concluded.some((c) => triggers(g, o.statement, o.scope, c, value))) deps.push({ on: other.label, negated: o.negated });
      }
    }
    edges.set(rule.label, deps);
  }
  for (const component of stronglyConnectedComponents(rules.map((r) => r.label), (r) => (edges.get(r) ?? []).map((d) => d.on))) {
    const members = new Set(component);
    const negative = component.some((r) => edges.get(r)!.some((d) => d.negated && members.has(d.on)));
    if (negative) return RuleWrite.contradictoryRuleCycle([...component].sort());
  }
  return undefined;
}

