// A rule's shape, as TypeQL's grammar checks it before any schema is consulted (what `when` and `then` may hold,
// the `then`'s variables bound by the `when`, negations bounded and not nested), the labels a rule refers to, and
// the walk over the statements of a `when` that the schema checks share.
import type { ConceptVar, Literal, Pattern, RuleDefinition, Statement, TypeRef } from '../typeql/ast.js';
import { Pattern as PatternErrors, TypeQL } from './errors.js';
import { conceptAndValueNames, printLabel as labelString, printStatement as statement, statementVariables } from '../typeql/index.js';

interface Occurrence {
  readonly statement: Statement;
  readonly negated: boolean;
  /** Inside a negation or a disjunction branch (not part of the trunk). */
  readonly nested: boolean;
  /** The statements of its scope, itself included (those of enclosing scopes apply too). */
  readonly scope: readonly Statement[];
}

export function* occurrences(patterns: readonly Pattern[], negated = false, nested = false, outer: readonly Statement[] = []): Generator<Occurrence> {
  const scope = [...outer, ...scopeStatements(patterns)];
  for (const p of patterns) {
    switch (p.kind) {
      case 'conjunction':
        yield* occurrences(p.patterns, negated, nested, outer);
        break;
      case 'disjunction':
        for (const branch of p.branches) yield* occurrences(branch, negated, true, scope);
        break;
      case 'negation':
        yield* occurrences(p.patterns, true, true, scope);
        break;
      default:
        yield { statement: p, negated, nested, scope };
    }
  }
}

/** The statements of a conjunction, those of nested conjunctions included (not of its negations or disjunctions). */
function scopeStatements(patterns: readonly Pattern[]): Statement[] {
  return patterns.flatMap((p) => (p.kind === 'conjunction' ? scopeStatements(p.patterns) : p.kind === 'disjunction' || p.kind === 'negation' ? [] : [p]));
}

export const isNamed = (v: ConceptVar | undefined): v is ConceptVar => v !== undefined && v.name !== '_';

function patternVariables(patterns: readonly Pattern[]): Set<string> {
  const vars = new Set<string>();
  for (const o of occurrences(patterns)) for (const v of statementVariables(o.statement)) vars.add(v);
  return vars;
}

function containsNegation(patterns: readonly Pattern[]): boolean {
  return patterns.some((p) =>
    p.kind === 'negation' ? true
      : p.kind === 'conjunction' ? containsNegation(p.patterns)
        : p.kind === 'disjunction' ? p.branches.some(containsNegation)
          : false,
  );
}

function hasNestedNegation(patterns: readonly Pattern[]): boolean {
  return patterns.some((p) =>
    p.kind === 'negation' ? containsNegation(p.patterns)
      : p.kind === 'conjunction' ? hasNestedNegation(p.patterns)
        : p.kind === 'disjunction' ? p.branches.some(hasNestedNegation)
          : false,
  );
}

/** Every negation must share a named variable with the patterns around it. */
function checkNegationsBounded(patterns: readonly Pattern[], outer: ReadonlySet<string>): void {
  const here = new Set(outer);
  for (const p of patterns) {
    if (p.kind !== 'negation' && p.kind !== 'disjunction') for (const v of patternVariables([p])) here.add(v);
  }
  for (const p of patterns) {
    if (p.kind === 'negation') {
      const inner = patternVariables(p.patterns);
      if (![...inner].some((v) => here.has(v))) throw PatternErrors.unboundedNegation();
      checkNegationsBounded(p.patterns, here);
    } else if (p.kind === 'disjunction') {
      for (const branch of p.branches) checkNegationsBounded(branch, here);
    } else if (p.kind === 'conjunction') {
      checkNegationsBounded(p.patterns, here);
    }
  }
}

/** TypeQL's checks of a rule's shape (TypeQL Rule.validate): they need no schema. */
export function validateRuleShape(rule: RuleDefinition): void {
  const when = rule.when ?? [];
  if (when.length === 0) throw TypeQL.invalidRuleWhenMissingPatterns(rule.label);
  if (hasNestedNegation(when)) throw TypeQL.invalidRuleWhenNestedNegation(rule.label);
  const then = rule.then;
  if (!then) throw TypeQL.invalidRuleThen(rule.label, '');
  const thenText = statement(then);
  if (then.relation) {
    if (then.has.length > 0 || then.iid !== undefined || then.predicate || !then.isa || then.relation.length === 0) {
      throw TypeQL.invalidRuleThen(rule.label, thenText);
    }
    if (isNamed(then.variable)) throw TypeQL.invalidRuleThenRelationVariable(rule.label, `$${then.variable.name}`);
    if (then.relation.some((rp) => rp.role === undefined)) throw TypeQL.invalidRuleThenRoles(rule.label, thenText);
  } else {
    if (then.isa || then.iid !== undefined || then.predicate || then.has.length !== 1 || !isNamed(then.variable)) {
      throw TypeQL.invalidRuleThen(rule.label, thenText);
    }
    const h = then.has[0]!;
    if (h.attributeType && h.value.kind === 'concept-var') {
      throw TypeQL.invalidRuleThenHas(rule.label, thenText, labelString(h.attributeType), `$${h.value.name}`);
    }
    if (!h.attributeType && h.value.kind !== 'concept-var') throw TypeQL.invalidRuleThen(rule.label, thenText);
    const value = h.value;
    if (value.kind === 'compare' && ((value.op !== undefined && value.op !== '==' && value.op !== '=') || !isLiteral(value.operand))) {
      throw TypeQL.invalidRuleThen(rule.label, thenText);
    }
    if (value.kind === 'contains' || value.kind === 'like') throw TypeQL.invalidRuleThen(rule.label, thenText);
  }
  const trunk = new Set<string>();
  for (const o of occurrences(when)) if (!o.nested) for (const v of statementVariables(o.statement)) trunk.add(v);
  for (const v of statementVariables(then)) if (!trunk.has(v)) throw TypeQL.invalidRuleThenVariables(rule.label);
  // A name used both as $x and ?x: TypeDB's variable registry refuses it as it builds the `when` (in a query, TypeQL
  // refuses it first: query/typeql-checks.ts).
  const [conflict] = conceptAndValueNames(when);
  if (conflict !== undefined) throw PatternErrors.variableNameConflict(conflict);
  checkNegationsBounded(when, new Set());
}

export function isLiteral(operand: unknown): operand is Literal {
  const kind = (operand as { kind: string }).kind;
  return kind !== 'concept-var' && kind !== 'value-var';
}


function addRef(ref: TypeRef | undefined, into: Set<string>): void {
  if (ref && ref.kind === 'label') into.add(labelString(ref.label));
}

/** Type labels a rule refers to, as written (roles in relation tuples are scoped by the tuple's `isa` label). */
export function ruleReferences(rule: RuleDefinition): Set<string> {
  const refs = new Set<string>();
  const statements = [...occurrences(rule.when ?? [])].map((o) => o.statement);
  if (rule.then) statements.push(rule.then);
  for (const s of statements) {
    if (s.kind === 'thing-statement') {
      addRef(s.isa?.type, refs);
      const scope = s.isa?.type.kind === 'label' ? s.isa.type.label.name : undefined;
      for (const rp of s.relation ?? []) {
        if (rp.role?.kind !== 'label') continue;
        const l = rp.role.label;
        refs.add(l.scope !== undefined ? labelString(l) : scope !== undefined ? `${scope}:${l.name}` : l.name);
      }
      for (const h of s.has) if (h.attributeType) refs.add(labelString(h.attributeType));
    } else if (s.kind === 'type-statement') {
      addRef(s.subject, refs);
      for (const c of s.constraints) {
        if (c.kind === 'sub') addRef(c.type, refs);
        else if (c.kind === 'owns') {
          addRef(c.attribute, refs);
          addRef(c.overridden, refs);
        } else if (c.kind === 'plays' || c.kind === 'relates') {
          addRef(c.role, refs);
          addRef(c.overridden, refs);
        } else if (c.kind === 'type') addRef(c.label, refs);
      }
    }
  }
  return refs;
}
