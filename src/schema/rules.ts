// Rule validation against the current schema (the rule's shape is checked first, in rule-shape.ts).
//
// TypeDB validates a rule with full type inference of its `when`. This is a simplified inference over the
// trunk of the `when` (its top-level statements): `isa`, `has` and role players narrow each variable's possible
// types; a variable left with no possible type makes the `when` incoherent, and the conclusion must be insertable
// for every concrete type a variable may take.
import { labelText } from './labels.js';
import type { StrataError } from '../common/errors.js';
import type { ValueType } from '../common/values.js';
import type { ConceptVar, HasConstraint, Label, Literal, Predicate, RuleDefinition, Statement, ThingStatement, TypeRef } from '../typeql/ast.js';
import type { SchemaType, TypeId } from './api.js';
import { RuleWrite, TypeRead, TypeWrite } from './errors.js';
import { printBlock as block, printLabel as labelString, printLiteral as literal, printStatement as statement } from '../typeql/index.js';
import { isLiteral, isNamed, occurrences, validateRuleShape } from './rule-shape.js';
import type { TypeGraph } from './type-graph.js';
import { assignableValueType, valueVariableTypes } from './rule-value-types.js';

/** Possible types of each variable; a missing entry means unconstrained. */
type VariableTypes = Map<string, Set<TypeId>>;

/**
 * Whether a rule's conclusion can be inserted for every combination of types its `when` allows, judged as TypeDB
 * does (Rule.validateInsertable): by full type inference of each branch of the `when`'s disjunctive normal form.
 * The query layer has that inference and registers the check (query/rule-conclusions.ts); it returns the RUW03
 * error, undefined when insertable, or 'unknown' when it cannot tell (the checks here then decide).
 */
export type ConclusionCheck = (g: TypeGraph, rule: RuleDefinition) => StrataError | undefined | 'unknown';

let conclusionCheck: ConclusionCheck | undefined;

export function registerConclusionCheck(check: ConclusionCheck): void {
  conclusionCheck = check;
}

/**
 * Types the expressions of a rule's `when` as a query's are typed before matching, throwing TypeDB's [EXP] error for
 * one no answer could evaluate: TypeDB resolves them when it builds the rule, so at define (and at each schema
 * commit). The query layer has the type inference and registers it (query/rule-expressions.ts).
 */
export type WhenExpressionCheck = (g: TypeGraph, rule: RuleDefinition) => void;

let whenExpressionCheck: WhenExpressionCheck | undefined;

export function registerWhenExpressionCheck(check: WhenExpressionCheck): void {
  whenExpressionCheck = check;
}

export class RuleChecker {
  readonly types: VariableTypes = new Map();
  private readonly whenText: string;

  constructor(
    private readonly g: TypeGraph,
    private readonly rule: RuleDefinition,
  ) {
    this.whenText = block(rule.when ?? []);
  }

  validate(): void {
    this.inferWhenTypes();
    // Before the conclusion's checks, as TypeDB resolves the `when`'s expressions when it builds the rule.
    whenExpressionCheck?.(this.g, this.rule);
    const then = this.rule.then!;
    this.checkLabels(then, true);
    this.checkConclusion(then);
  }

  /** The types the `when`'s trunk allows each variable (in `types`); throws when it allows a variable none. */
  inferWhenTypes(): void {
    const when = this.rule.when ?? [];
    for (const o of occurrences(when)) this.checkLabels(o.statement, false);
    for (const o of occurrences(when)) if (!o.nested) this.narrow(o.statement);
    for (const set of this.types.values()) {
      if (set.size === 0) throw RuleWrite.ruleWhenIncoherent(this.rule.label, this.whenText);
    }
  }

  private type(label: Label): SchemaType {
    const t = this.g.get(labelString(label));
    if (!t) throw TypeRead.typeNotFound(labelString(label));
    return t;
  }

  /** A scoped role label used outside a relation tuple must name the role where it is declared. */
  private scopedRole(label: Label): SchemaType {
    const direct = this.g.get(labelString(label));
    if (direct) return direct;
    const relation = this.g.get(label.scope!);
    if (!relation) throw TypeRead.typeNotFound(label.scope!);
    if (relation.root !== 'relation') throw TypeRead.roleTypeScopeIsNotRelationType(labelString(label), label.scope!);
    const inherited = this.g.resolveRole(relation, label.name);
    if (inherited) throw TypeWrite.illegalRoleTypeAlias(labelString(label), labelText(inherited.label));
    throw TypeRead.typeNotFound(labelString(label));
  }

  private roleExists(label: Label, relation: SchemaType | undefined, inThen: boolean): SchemaType[] {
    const incoherent = () =>
      inThen
        ? RuleWrite.ruleThenIncoherent(this.rule.label, block([this.rule.then!]))
        : RuleWrite.ruleWhenIncoherent(this.rule.label, this.whenText);
    if (label.scope !== undefined) {
      const role = this.g.get(labelString(label)) ?? (this.g.get(label.scope) && this.g.resolveRole(this.g.get(label.scope)!, label.name));
      if (!role) throw TypeRead.typeNotFound(labelString(label));
      if (relation && !this.g.relates(relation).some((r) => r.id === role.id)) throw incoherent();
      return [role];
    }
    if (relation) {
      const role = this.g.resolveRole(relation, label.name);
      if (role) return [role];
      // A `when` may name a role a supertype declares and the relation type overrides, or one a subtype declares, as
      // a match may (TypeDB resolves a role label through the relation type's hierarchy); a conclusion may not.
      const around = inThen ? [] : this.rolesAround(relation, label.name);
      if (around.length > 0) return around;
      if (![...this.g.all()].some((t) => t.root === 'role' && t.label.name === label.name)) throw TypeRead.typeNotFound(label.name);
      throw incoherent();
    }
    const roles = [...this.g.all()].filter((t) => t.root === 'role' && !t.isMeta && t.label.name === label.name);
    if (roles.length === 0) throw TypeRead.typeNotFound(label.name);
    return roles;
  }

  /** Roles named `name` that the relation type's supertypes or subtypes declare. */
  private rolesAround(relation: SchemaType, name: string): SchemaType[] {
    const related = new Set([...this.g.supertypes(relation), ...this.g.subtypes(relation)].map((t) => labelText(t.label)));
    return [...this.g.all()].filter((t) => t.root === 'role' && t.label.name === name && related.has(t.label.scope ?? ''));
  }

  private checkLabels(s: Statement, inThen: boolean): void {
    if (s.kind === 'thing-statement') {
      let relation: SchemaType | undefined;
      if (s.isa?.type.kind === 'label') {
        const t = this.type(s.isa.type.label);
        if (t.root === 'relation') relation = t;
      }
      for (const rp of s.relation ?? []) if (rp.role?.kind === 'label') this.roleExists(rp.role.label, relation, inThen);
      for (const h of s.has) if (h.attributeType) this.type(h.attributeType);
    } else if (s.kind === 'type-statement') {
      const refs: TypeRef[] = [s.subject];
      for (const c of s.constraints) {
        if (c.kind === 'sub') refs.push(c.type);
        else if (c.kind === 'owns') refs.push(c.attribute);
        else if (c.kind === 'plays' || c.kind === 'relates') refs.push(c.role);
        else if (c.kind === 'type') refs.push(c.label);
      }
      for (const ref of refs) {
        if (ref.kind !== 'label') continue;
        if (ref.label.scope !== undefined) this.scopedRole(ref.label);
        else this.type(ref.label);
      }
    }
  }

  private restrict(variable: string, allowed: Iterable<TypeId>): void {
    const next = new Set(allowed);
    const current = this.types.get(variable);
    this.types.set(variable, current ? new Set([...current].filter((id) => next.has(id))) : next);
  }

  private subtypeIds(type: SchemaType): TypeId[] {
    return this.g.subtypes(type).map((t) => t.id);
  }

  /** Types owning the attribute type or one of its subtypes. */
  private ownersOfAny(attribute: SchemaType): Set<TypeId> {
    const owners = new Set<TypeId>();
    for (const a of this.g.subtypes(attribute)) for (const o of this.g.ownersOf(a)) owners.add(o.id);
    return owners;
  }

  private narrow(s: Statement): void {
    if (s.kind !== 'thing-statement' || !isNamed(s.variable)) {
      if (s.kind === 'thing-statement') this.narrowPlayers(s, undefined);
      return;
    }
    const v = `$${s.variable.name}`;
    let relation: SchemaType | undefined;
    if (s.isa?.type.kind === 'label') {
      const t = this.type(s.isa.type.label);
      this.restrict(v, s.isa.explicit ? [t.id] : this.subtypeIds(t));
      if (t.root === 'relation') relation = t;
    }
    if (s.predicate) this.restrict(v, this.attributesComparableWith(s.predicate));
    for (const h of s.has) this.narrowHas(v, h);
    if (s.relation) {
      this.restrict(v, this.subtypeIds(this.g.get('relation')!));
      this.narrowPlayers(s, relation, v);
    }
  }

  /** Attribute types whose values a predicate can compare with: numbers with numbers, strings with strings… */
  private attributesComparableWith(predicate: Predicate): TypeId[] {
    const attributes = this.g.subtypes(this.g.get('attribute')!);
    const literalKind = predicate.kind === 'compare' ? (isLiteral(predicate.operand) ? predicate.operand.kind : undefined) : 'string';
    if (literalKind === undefined) return attributes.map((a) => a.id);
    const numeric = (kind: string | undefined) => kind === 'long' || kind === 'double';
    return attributes.filter((a) => a.valueType === literalKind || (numeric(a.valueType) && numeric(literalKind))).map((a) => a.id);
  }

  private narrowHas(owner: string, h: HasConstraint): void {
    if (!h.attributeType) return;
    const attribute = this.type(h.attributeType);
    if (attribute.root !== 'attribute') throw RuleWrite.ruleWhenIncoherent(this.rule.label, this.whenText);
    this.restrict(owner, this.ownersOfAny(attribute));
    // `has age "old"`: no attribute of the type can hold a value that compares with the literal.
    if (h.value.kind !== 'concept-var' && h.value.kind !== 'value-var') {
      const comparable = new Set(this.attributesComparableWith(h.value));
      if (!this.g.subtypes(attribute).some((a) => comparable.has(a.id))) throw RuleWrite.ruleWhenIncoherent(this.rule.label, this.whenText);
    }
    if (h.value.kind === 'concept-var' && h.value.name !== '_') this.restrict(`$${h.value.name}`, this.subtypeIds(attribute));
  }

  private narrowPlayers(s: ThingStatement, relation: SchemaType | undefined, relationVar?: string): void {
    if (!relation && s.isa?.type.kind === 'label') {
      const t = this.type(s.isa.type.label);
      if (t.root === 'relation') relation = t;
    }
    for (const rp of s.relation ?? []) {
      if (rp.role?.kind !== 'label') continue;
      const roles = this.roleExists(rp.role.label, relation, false).flatMap((r) => this.g.subtypes(r));
      const players = new Set<TypeId>();
      const relations = new Set<TypeId>();
      for (const role of roles) {
        for (const p of this.g.playersOf(role)) players.add(p.id);
        for (const t of this.g.all()) if (t.root === 'relation' && this.g.relates(t).some((r) => r.id === role.id)) relations.add(t.id);
      }
      if (isNamed(rp.player)) this.restrict(`$${rp.player.name}`, players);
      if (relationVar) this.restrict(relationVar, relations);
    }
  }

  /**
   * The types a type variable of the conclusion takes, from the `when`'s `$t type T;` (that type) or `$t sub T;` (T and
   * its subtypes); undefined when no such statement binds it.
   */
  typeVariableTypes(name: string): SchemaType[] | undefined {
    let types: SchemaType[] | undefined;
    for (const o of occurrences(this.rule.when ?? [])) {
      const s = o.statement;
      if (o.nested || s.kind !== 'type-statement' || s.subject.kind !== 'concept-var' || s.subject.name !== name) continue;
      for (const c of s.constraints) {
        const ref = c.kind === 'type' ? c.label : c.kind === 'sub' ? c.type : undefined;
        if (ref?.kind !== 'label') continue;
        const type = ref.label.scope !== undefined ? this.scopedRole(ref.label) : this.type(ref.label);
        const found = c.kind === 'type' ? [type] : this.g.subtypes(type);
        types = types === undefined ? found : types.filter((t) => found.some((f) => f.id === t.id));
      }
    }
    return types;
  }

  /** A value variable concluded into an attribute type must hold only values of types it can hold ([RUW09]). */
  private checkValueVariable(name: string, attribute: SchemaType): void {
    const statements = [...occurrences(this.rule.when ?? [])].filter((o) => !o.nested).map((o) => o.statement);
    const conceptTypes = (v: { name: string }) => {
      const types = this.concrete(`$${v.name}`);
      if (types === undefined || types.some((t) => t.valueType === undefined)) return undefined;
      return new Set(types.map((t) => t.valueType!));
    };
    for (const valueType of valueVariableTypes(name, statements, conceptTypes) ?? []) {
      if (!assignableValueType(valueType, attribute.valueType)) throw RuleWrite.ruleThenInvalidValueAssignment(this.rule.label, `?${name}`, attribute.valueType);
    }
  }

  /** Concrete types a variable may take (undefined when the `when` does not constrain it). */
  private concrete(variable: string): SchemaType[] | undefined {
    const set = this.types.get(variable);
    if (!set) return undefined;
    return [...set].map((id) => this.g.byId(id)!).filter((t) => !t.abstract);
  }

  private checkConclusion(then: ThingStatement): void {
    const thenText = block([then]);
    /** A type the `when`'s trunk allows the variable that cannot take part in the conclusion. */
    let trunkViolation: { variable: string; type: SchemaType } | undefined;
    const note = (variable: string, types: readonly SchemaType[], fits: (t: SchemaType) => boolean) => {
      const type = types.find((t) => !fits(t));
      if (type && !trunkViolation) trunkViolation = { variable, type };
    };
    /** Why the conclusion's relation type variable fails, judged on the trunk (when the full inference cannot tell). */
    let typeVariableError: StrataError | undefined;
    if (then.relation) {
      const typeRef = then.isa!.type;
      if (typeRef.kind === 'label') {
        const relation = this.type(typeRef.label);
        if (relation.root !== 'relation' || !this.playersFit(then, relation)) throw RuleWrite.ruleThenIncoherent(this.rule.label, thenText);
        if (relation.abstract) throw RuleWrite.ruleThenInsertsAbstractTypes(this.rule.label, thenText, [labelText(relation.label)]);
        this.playersFit(then, relation, note);
      } else {
        typeVariableError = this.relationVariableError(then, typeRef.name, note);
      }
        } else {
      const owner = `$${then.variable!.name}`;
      const h = then.has[0]!;
      let attributes: SchemaType[];
      if (h.attributeType) {
        const attribute = this.type(h.attributeType);
        if (attribute.root !== 'attribute' || attribute.isMeta) throw RuleWrite.ruleThenIncoherent(this.rule.label, thenText);
        if (attribute.abstract) throw RuleWrite.ruleThenInsertsAbstractTypes(this.rule.label, thenText, [labelText(attribute.label)]);
        if (h.value.kind === 'compare' && isLiteral(h.value.operand) && !assignable(h.value.operand, attribute.valueType)) {
          throw RuleWrite.ruleThenInvalidValueAssignment(this.rule.label, literal(h.value.operand), attribute.valueType);
        }
        if (h.value.kind === 'value-var') this.checkValueVariable(h.value.name, attribute);
        attributes = [attribute];
      } else {
        attributes = this.concrete(`$${(h.value as ConceptVar).name}`) ?? [];
        const nonAttribute = attributes.find((a) => a.root !== 'attribute');
        if (nonAttribute) throw RuleWrite.ruleThenIncoherent(this.rule.label, thenText);
      }
      for (const a of attributes) note(owner, this.concrete(owner) ?? [], (t) => this.g.owns(t).has(a.id));
    }
    // What the conclusion may insert: the full inference's verdict when it has one, else the trunk's types.
    const verdict = conclusionCheck === undefined ? 'unknown' : conclusionCheck(this.g, this.rule);
    if (verdict !== 'unknown') {
      if (verdict !== undefined) throw verdict;
    } else if (typeVariableError) {
      throw typeVariableError;
    } else if (trunkViolation) {
      throw RuleWrite.ruleConclusionIllegalInsert(this.rule.label, `{${trunkViolation.variable}=${labelText(trunkViolation.type.label)}}`);
    }
  }

  /**
   * Whether the conclusion's role players fit a relation of the type: each named role is one of its roles, and the
   * roles a role variable is bound to are too; `note` hears of each player's possible types and the roles it takes.
   */
  private playersFit(then: ThingStatement, relation: SchemaType, note?: (variable: string, types: readonly SchemaType[], fits: (t: SchemaType) => boolean) => void): boolean {
    for (const rp of then.relation!) {
      let roles: SchemaType[];
      if (rp.role?.kind === 'label') {
        const role = this.namedRole(rp.role.label, relation);
        if (role === undefined) {
          this.roleExists(rp.role.label, relation, true); // throws: an unknown role ([TYR03]), or one the relation lacks
          return false;
        }
        roles = [role];
      } else if (rp.role?.kind === 'concept-var') {
        const bound = this.typeVariableTypes(rp.role.name)?.filter((r) => !r.isMeta);
        if (bound === undefined) continue; // bound elsewhere in the `when`: roles outside the relation conclude nothing
        if (bound.some((role) => !this.g.relates(relation).some((r) => r.id === role.id))) return false;
        roles = bound;
      } else continue;
      const v = `$${rp.player.name}`;
      if (note) for (const role of roles) note(v, this.concrete(v) ?? [], (t) => this.g.plays(t).has(role.id));
    }
    return true;
  }

  /**
   * A relation type variable `isa $t` (TypeDB's Rule.Conclusion.Relation): of the types the `when` binds it to, those
   * the players fit must be concrete, and every one of them must fit; the error, if any.
   */
  private relationVariableError(then: ThingStatement, name: string, note: (variable: string, types: readonly SchemaType[], fits: (t: SchemaType) => boolean) => void): StrataError | undefined {
    const thenText = block([then]);
    // Not bound by a `type` or `sub` statement: `$r isa $t` binds it to supertypes too, the abstract `relation` among them.
    const types = this.typeVariableTypes(name) ?? this.g.subtypes(this.g.get('relation')!);
    const fitting = types.filter((t) => t.root === 'relation' && !t.isMeta && this.roleLabelsFit(then, t));
    if (fitting.length === 0) return RuleWrite.ruleThenIncoherent(this.rule.label, thenText);
    if (fitting.some((t) => t.abstract)) return RuleWrite.ruleThenInsertsAbstractTypes(this.rule.label, thenText, fitting.map((t) => labelText(t.label)));
    const unfit = types.find((t) => !fitting.includes(t));
    if (unfit) return RuleWrite.ruleConclusionIllegalInsert(this.rule.label, `{$${name}=${labelText(unfit.label)}}`);
    for (const relation of fitting) if (!this.playersFit(then, relation, note)) return RuleWrite.ruleThenIncoherent(this.rule.label, thenText);
    return undefined;
  }

  /** Whether every role the conclusion names is one of the relation type's roles. */
  private roleLabelsFit(then: ThingStatement, relation: SchemaType): boolean {
    return then.relation!.every((rp) => rp.role?.kind !== 'label' || this.namedRole(rp.role.label, relation) !== undefined);
  }

  /** The role a role label names in relations of the type (as roleExists finds it), if it is one of its roles. */
  private namedRole(label: Label, relation: SchemaType): SchemaType | undefined {
    if (label.scope === undefined) return this.g.resolveRole(relation, label.name);
    const scope = this.g.get(label.scope);
    const role = this.g.get(labelString(label)) ?? (scope && this.g.resolveRole(scope, label.name));
    return role && this.g.relates(relation).some((r) => r.id === role.id) ? role : undefined;
  }

}

/** Whether a literal can be stored in an attribute of the value type (a long may become a double). */
function assignable(value: Literal, valueType: ValueType | undefined): boolean {
  if (valueType === undefined) return false;
  return value.kind === valueType || (value.kind === 'long' && valueType === 'double');
}

/** Full validation of a rule against the schema: its shape, its labels, its `when` and its conclusion. */
export function validateRule(g: TypeGraph, rule: RuleDefinition): void {
  validateRuleShape(rule);
  new RuleChecker(g, rule).validate();
}
