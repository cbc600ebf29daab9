// Compiles match patterns (AST) into constraints over variables, resolving labels against the schema.
import type {
  ConceptVar,
  HasConstraint,
  Pattern,
  Predicate,
  ThingStatement,
  TypeConstraint,
  TypeRef,
  TypeStatement,
  ValueStatement,
} from '../typeql/ast.js';
import { printPatterns } from '../typeql/index.js';
import type { SchemaReader, SchemaType } from '../schema/api.js';
import { StrataError } from '../common/errors.js';
import { PatternErrors, TypeRead } from '../schema/index.js';
import { iidFromHex } from '../encoding/index.js';
import { labelOf } from '../concept/things.js';
import { INTERNAL_PREFIX, type Conjunction, type Constraint, type Operand, type RolePlayerConstraint, type StringTest, type TypeOperand, type VariableKind } from './ir.js';
import { javaContains } from './java-contains.js';
import { literalToValue } from './literals.js';
import { wholeMatchRegex } from '../common/java-regex.js';

export class PatternCompiler {
  private anonymous = 0;

  constructor(private readonly schema: SchemaReader) {}

  compile(patterns: readonly Pattern[]): Conjunction {
    const conjunction: Conjunction = { constraints: [], variables: new Map() };
    for (const pattern of patterns) this.addPattern(conjunction, pattern);
    return conjunction;
  }

  private fresh(): string {
    return `${INTERNAL_PREFIX}${++this.anonymous}`;
  }

  private declare(conjunction: Conjunction, name: string, kind: VariableKind): void {
    const existing = conjunction.variables.get(name);
    if (existing !== undefined && existing !== kind) {
      if (existing === 'value' || kind === 'value') {
        throw PatternErrors.variableNameConflict(name);
      }
      throw PatternErrors.variableContradiction(`$${name}`);
    }
    conjunction.variables.set(name, kind);
  }

  private conceptVar(conjunction: Conjunction, v: ConceptVar | undefined, kind: 'thing' | 'type'): string {
    const name = v === undefined || v.name === '_' ? this.fresh() : v.name;
    this.declare(conjunction, name, kind);
    return name;
  }

  /** A variable whose kind (thing or type) comes from its other uses; `thing` if it has none. */
  private softVar(conjunction: Conjunction, name: string): string {
    if (!conjunction.variables.has(name)) conjunction.variables.set(name, 'thing');
    return name;
  }

  private addPattern(conjunction: Conjunction, pattern: Pattern): void {
    switch (pattern.kind) {
      case 'conjunction':
        for (const p of pattern.patterns) this.addPattern(conjunction, p);
        return;
      case 'negation':
        conjunction.constraints.push({ kind: 'negation', body: this.compile(pattern.patterns) });
        return;
      case 'disjunction':
        conjunction.constraints.push({ kind: 'disjunction', branches: pattern.branches.map((b) => this.compile(b)) });
        return;
      case 'thing-statement':
        this.addThing(conjunction, pattern);
        return;
      case 'type-statement':
        this.addType(conjunction, pattern);
        return;
      case 'value-statement':
        this.addValue(conjunction, pattern);
        return;
      case 'is-statement': {
        const left = this.softVar(conjunction, pattern.left.name);
        const right = this.softVar(conjunction, pattern.right.name);
        conjunction.constraints.push({ kind: 'is', left, right });
        return;
      }
    }
  }

  resolveType(label: { scope?: string; name: string }): SchemaType {
    const type = this.schema.get(label);
    if (!type) {
      const text = label.scope === undefined ? label.name : `${label.scope}:${label.name}`;
      throw new StrataError('TYR', 3, `The type '${text}' does not exist.`);
    }
    return type;
  }

  private typeOperand(conjunction: Conjunction, ref: TypeRef): TypeOperand {
    if (ref.kind === 'label') return { kind: 'fixed', type: this.resolveType(ref.label) };
    return { kind: 'var', name: this.conceptVar(conjunction, ref, 'type') };
  }

  private addThing(conjunction: Conjunction, s: ThingStatement): void {
    if (s.variable === undefined && !s.relation) {
      throw new StrataError('QRY', 51, `The statement '${printPatterns([s])}' has no variable: name it (for example '$a ${printPatterns([s]).trim().replace(/;$/, '')}').`);
    }
    const subject = this.conceptVar(conjunction, s.variable, 'thing');
    const out = conjunction.constraints;
    if (s.iid !== undefined) {
      out.push({ kind: 'iid', variable: subject, iid: iidFromHex(s.iid) ?? new Uint8Array(0) });
    }
    if (s.isa) {
      const type = this.typeOperand(conjunction, s.isa.type);
      if (type.kind === 'fixed' && (type.type.root === 'role' || type.type.root === 'thing' && !type.type.isMeta)) {
        throw new StrataError('TYR', 4, `'${labelOf(type.type)}' is a role type; things cannot be instances of it.`);
      }
      if (type.kind === 'fixed' && s.relation && type.type.root !== 'relation' && type.type.root !== 'thing') {
        throw new StrataError('QRY', 14, `The type '${labelOf(type.type)}' is not a relation type, but is used as one in '${printPatterns([s])}'.`);
      }
      out.push({ kind: 'isa', thing: subject, type, explicit: s.isa.explicit });
    }
    if (s.relation) {
      const relationType = s.isa?.type.kind === 'label' ? this.resolveType(s.isa.type.label) : undefined;
      const players: RolePlayerConstraint[] = s.relation.map((rp) => ({
        role: rp.role === undefined ? undefined : this.roleOperand(conjunction, rp.role, relationType),
        player: this.conceptVar(conjunction, rp.player, 'thing'),
      }));
      out.push({ kind: 'relation', relation: subject, players });
    }
    if (s.predicate) this.addPredicate(conjunction, subject, s.predicate);
    for (const has of s.has) this.addHas(conjunction, subject, has);
  }

  private roleOperand(conjunction: Conjunction, ref: TypeRef, relationType: SchemaType | undefined): RolePlayerConstraint['role'] {
    if (ref.kind === 'concept-var') return { kind: 'var', name: this.conceptVar(conjunction, ref, 'type') };
    const { scope, name } = ref.label;
    if (scope !== undefined) {
      const role = this.schema.get(ref.label);
      if (!role || role.root !== 'role') throw roleNotFound(this.schema, name, scope);
      return { kind: 'named', name: `${scope}:${name}`, roles: [role] };
    }
    let roles: SchemaType[];
    if (relationType && relationType.root === 'relation' && !relationType.isMeta) {
      // The role may be declared by the relation type, inherited from a supertype (even if overridden there),
      // or declared by a subtype.
      const related = new Set([...this.schema.supertypes(relationType), ...this.schema.subtypes(relationType)].map((t) => labelOf(t)));
      roles = [...this.schema.all()].filter((t) => t.root === 'role' && t.label.name === name && related.has(t.label.scope ?? ''));
      if (roles.length === 0) throw roleNotFound(this.schema, name, labelOf(relationType));
    } else {
      roles = [...this.schema.all()].filter((t) => t.root === 'role' && t.label.name === name);
      if (roles.length === 0) throw roleNotFound(this.schema, name, relationType ? labelOf(relationType) : 'relation');
    }
    return { kind: 'named', name, roles };
  }

  private addHas(conjunction: Conjunction, owner: string, has: HasConstraint): void {
    const out = conjunction.constraints;
    let attribute: string;
    if (has.value.kind === 'concept-var') {
      attribute = this.conceptVar(conjunction, has.value, 'thing');
    } else {
      attribute = this.fresh();
      this.declare(conjunction, attribute, 'thing');
    }
    out.push({ kind: 'has', owner, attribute });
    if (has.attributeType) {
      const type = this.resolveType(has.attributeType);
      if (type.root !== 'attribute') {
        throw new StrataError('QRY', 15, `The type '${labelOf(type)}' is not an attribute type, so it cannot be owned with 'has'.`);
      }
      out.push({ kind: 'isa', thing: attribute, type: { kind: 'fixed', type }, explicit: false });
    }
    if (has.value.kind === 'value-var') {
      this.declare(conjunction, has.value.name, 'value');
      out.push({
        kind: 'assign',
        variable: has.value.name,
        expression: { kind: 'var', variable: { kind: 'concept-var', name: attribute } },
        text: `has ?${has.value.name}`,
        owned: true,
      });
    } else if (has.value.kind === 'compare' || has.value.kind === 'contains' || has.value.kind === 'like') {
      this.addPredicate(conjunction, attribute, has.value);
    }
  }

  private addPredicate(conjunction: Conjunction, subject: string, predicate: Predicate): void {
    if (predicate.kind !== 'compare') {
      let regex: StringTest;
      try {
        regex = predicate.kind === 'like' ? wholeMatchRegex(predicate.operand) : javaContains(predicate.operand);
      } catch (e) {
        throw new StrataError('QRY', 50, `The regular expression '${predicate.operand}' is invalid: ${(e as Error).message}.`);
      }
      conjunction.constraints.push({ kind: 'substring', variable: subject, op: predicate.kind, pattern: predicate.operand, regex });
      return;
    }
    const operand = predicate.operand;
    let right: Operand;
    if (operand.kind === 'concept-var') right = { kind: 'var', name: this.conceptVar(conjunction, operand, 'thing') };
    else if (operand.kind === 'value-var') {
      this.declare(conjunction, operand.name, 'value');
      right = { kind: 'var', name: operand.name };
    } else right = { kind: 'value', value: literalToValue(operand) };
    conjunction.constraints.push({ kind: 'compare', left: subject, op: predicate.op ?? '==', right });
  }

  private addValue(conjunction: Conjunction, s: ValueStatement): void {
    this.declare(conjunction, s.variable.name, 'value');
    if (s.assignment) {
      const text = `?${s.variable.name} = …`;
      this.declareExpressionVariables(conjunction, s.assignment);
      conjunction.constraints.push({ kind: 'assign', variable: s.variable.name, expression: s.assignment, text });
    }
    if (s.predicate) this.addPredicate(conjunction, s.variable.name, s.predicate);
  }

  private declareExpressionVariables(conjunction: Conjunction, e: import('../typeql/ast.js').Expression): void {
    if (e.kind === 'var') {
      if (e.variable.kind === 'value-var') this.declare(conjunction, e.variable.name, 'value');
      else this.declare(conjunction, e.variable.name, 'thing');
    } else if (e.kind === 'binary') {
      this.declareExpressionVariables(conjunction, e.left);
      this.declareExpressionVariables(conjunction, e.right);
    } else if (e.kind === 'call') for (const a of e.args) this.declareExpressionVariables(conjunction, a);
  }

  private addType(conjunction: Conjunction, s: TypeStatement): void {
    const subject = this.typeOperand(conjunction, s.subject);
    for (const c of s.constraints) conjunction.constraints.push(this.typeConstraint(conjunction, subject, c));
  }

  private typeConstraint(conjunction: Conjunction, subject: TypeOperand, c: TypeConstraint): Constraint {
    switch (c.kind) {
      case 'sub':
        return { kind: 'sub', subtype: subject, supertype: this.typeOperand(conjunction, c.type), explicit: c.explicit };
      case 'abstract':
        return { kind: 'abstract', type: subject };
      case 'owns':
        return {
          kind: 'owns',
          owner: subject,
          attribute: this.typeOperand(conjunction, c.attribute),
          annotations: c.annotations,
          overridden: c.overridden && this.typeOperand(conjunction, c.overridden),
        };
      case 'plays':
        return {
          kind: 'plays',
          player: subject,
          role: this.typeOperand(conjunction, c.role),
          overridden: c.overridden && this.typeOperand(conjunction, c.overridden),
        };
      case 'relates': {
        const role = this.relatesRole(conjunction, subject, c.role);
        const overridden = c.overridden && this.overriddenRole(conjunction, subject, c.overridden);
        return { kind: 'relates', relation: subject, role, overridden };
      }
      case 'value':
        return { kind: 'value-type', type: subject, valueType: c.valueType };
      case 'regex':
        return { kind: 'regex', type: subject, regex: c.regex };
      case 'type': {
        const label = this.typeOperand(conjunction, c.label);
        if (label.kind === 'var') return { kind: 'sub', subtype: subject, supertype: label, explicit: false };
        if (subject.kind === 'var') return { kind: 'label', variable: subject.name, type: label.type };
        return { kind: 'sub', subtype: subject, supertype: label, explicit: false };
      }
    }
  }

  /**
   * `relates group as member`: the overridden role is one the subject relation type no longer relates, so an
   * unscoped name is looked up among its supertypes' roles, as TypeDB resolves a role label through the relation
   * type's supertypes (`match group-membership relates $x as member;`).
   */
  private overriddenRole(conjunction: Conjunction, subject: TypeOperand, ref: TypeRef): TypeOperand {
    if (ref.kind === 'concept-var' || ref.label.scope !== undefined || subject.kind !== 'fixed') return this.relatesRole(conjunction, subject, ref);
    for (const supertype of this.schema.supertypes(subject.type)) {
      const role = this.schema.get(`${labelOf(supertype)}:${ref.label.name}`);
      if (role?.root === 'role') return { kind: 'fixed', type: role };
    }
    throw roleNotFound(this.schema, ref.label.name, labelOf(subject.type));
  }

  /** `relates friend` names a role of the subject relation type (or of its supertypes when scoped by them). */
  private relatesRole(conjunction: Conjunction, subject: TypeOperand, ref: TypeRef): TypeOperand {
    if (ref.kind === 'concept-var' || ref.label.scope !== undefined) return this.typeOperand(conjunction, ref);
    if (subject.kind === 'fixed') {
      const role = this.schema.resolveRole(subject.type, ref.label.name);
      if (!role) throw roleNotFound(this.schema, ref.label.name, labelOf(subject.type));
      return { kind: 'fixed', type: role };
    }
    const roles = [...this.schema.all()].filter((t) => t.root === 'role' && t.label.name === ref.label.name);
    if (roles.length === 0) throw roleNotFound(this.schema, ref.label.name, 'relation');
    if (roles.length === 1) return { kind: 'fixed', type: roles[0]! };
    const name = this.fresh();
    this.declare(conjunction, name, 'type');
    conjunction.constraints.push({ kind: 'disjunction', branches: roles.map((r) => ({ constraints: [{ kind: 'label', variable: name, type: r }], variables: new Map() })) });
    return { kind: 'var', name };
  }
}

/**
 * A role label that names no role, as TypeDB's type resolver reports it: the role's name looked up in its scope (the
 * relation type the statement names, else the root `relation`), [TYR04]; a scope that is no type at all, [TYR03].
 */
function roleNotFound(schema: SchemaReader, name: string, scope: string): StrataError {
  if (!schema.get({ name: scope })) return TypeRead.typeNotFound(scope);
  return TypeRead.roleTypeNotFound(name, scope);
}

/**
 * A negation must share a named variable with its enclosing scopes, or it could never be evaluated. `enclosing` says
 * whether a variable is declared outside: a chain of lookups rather than a set per negation, which copied every
 * enclosing variable once per negation (quadratic in a match of thousands of negations).
 */
export function validateNegations(conjunction: Conjunction, enclosing: (variable: string) => boolean = () => false): void {
  const visible = (v: string) => conjunction.variables.has(v) || enclosing(v);
  for (const c of conjunction.constraints) {
    if (c.kind === 'negation') {
      if (![...allVariables(c.body)].some((v) => !v.startsWith('#') && visible(v))) {
        throw new StrataError('QRY', 5, 'A negation must use at least one variable that is bound outside it.');
      }
      validateNegations(c.body, visible);
    } else if (c.kind === 'disjunction') {
      for (const b of c.branches) validateNegations(b, visible);
    }
  }
}

/** Every variable of a conjunction, including those in its nested disjunctions and negations. */
function allVariables(c: Conjunction, out = new Set<string>()): Set<string> {
  for (const v of c.variables.keys()) out.add(v);
  for (const k of c.constraints) {
    if (k.kind === 'negation') allVariables(k.body, out);
    if (k.kind === 'disjunction') for (const b of k.branches) allVariables(b, out);
  }
  return out;
}
