// The type graph in memory: meta types, user types with their declared edges, inheritance, rules. Reads are
// TypeGraphReader's (type-graph-reader.ts); this file holds construction, define/undefine and the commit checks,
// and the primitive mutations, each of which validates as TypeDB's concept layer does before it changes anything.
import type { TypeLabel, TypeRoot } from './labels.js';
import { ROOT_CLASS, labelText } from './labels.js';
import type { StrataError } from '../common/errors.js';
import { JAVA_VALUE_CLASS, type ValueType } from '../common/values.js';
import type { Annotation, Definable, RuleDefinition } from '../typeql/ast.js';
import type { InstanceChecks, SchemaType, SchemaWriter, TypeId } from './api.js';
import { annotationsOf } from './annotations.js';
import { validateGraph } from './commit-validation.js';
import { applyDefine } from './define.js';
import { combinedError, RuleRead, TypeGraphErrors, TypeQL, TypeRead, TypeWrite } from './errors.js';
import { validateSetOwns, validateUnsetOwns } from './owns-validation.js';
import { validateSetPlays, validateUnsetPlays } from './plays-validation.js';
import { validateSetRelates, validateUnsetRelates } from './relates-validation.js';
import { validateRuleStratification } from './rule-stratification.js';
import { validateRule } from './rules.js';
import { decodeStore, encodeStore } from './serialization.js';
import { TypeStore, type TypeRecord } from './store.js';
import { frozenLabel, newDerived, ROLE_ROOT_LABEL, TypeGraphReader } from './type-graph-reader.js';
import { validateSetSupertype } from './supertype-validation.js';
import { applyUndefine } from './undefine.js';
import { JavaRegexError, wholeMatchRegex } from '../common/java-regex.js';

/**
 * Deepest type hierarchy Strata takes, counted in types below the root of a kind (Strata's own limit: TypeDB has
 * none). The schema layer, the planner and the printer walk hierarchies by recursion, and a `sub` chain of ~5 000
 * types overflowed the stack; 1 000 levels define, answer queries and print.
 */
const MAX_HIERARCHY_DEPTH = 1000;

/** The highest type id: type ids are two bytes in storage keys. */
const MAX_TYPE_ID = 0xffff;

/** TypeQL labels: a letter or underscore, then letters, digits, `_` and `-`. */
const LABEL_PATTERN = /^[\p{L}_][\p{L}\p{N}_-]*$/u;

/** Instance checks for a schema without data (fresh databases, tests). */
export const NO_INSTANCES: InstanceChecks = Object.freeze({
  hasInstances: () => false,
  hasOwnerships: () => false,
  hasRolePlayers: () => false,
});

export class TypeGraph extends TypeGraphReader implements SchemaWriter {
  /** A graph holding only the meta types. (`store` is for clone/deserialize.) */
  constructor(store?: TypeStore) {
    super(store ?? new TypeStore());
    if (store === undefined) this.bootstrap();
  }

  private bootstrap(): void {
    const meta = (label: TypeLabel, root: TypeRoot, supertype?: TypeId): TypeId => {
      const id = this.store.allocateId();
      this.store.add({
        id,
        label,
        root,
        isMeta: true,
        abstract: true,
        supertype,
        owns: new Map(),
        plays: new Map(),
        relates: [],
      });
      return id;
    };
    const thing = meta(frozenLabel('thing'), 'thing');
    meta(frozenLabel('entity'), 'entity', thing);
    const relation = meta(frozenLabel('relation'), 'relation', thing);
    meta(frozenLabel('attribute'), 'attribute', thing);
    const role = meta(ROLE_ROOT_LABEL, 'role');
    this.store.get(relation)!.relates.push(role);
    this.store.get(role)!.relation = relation;
  }

  /** A copy whose mutations do not affect this graph (one per schema write transaction). */
  clone(): TypeGraph {
    return new TypeGraph(this.store.clone());
  }

  serialize(): Uint8Array {
    return encodeStore(this.store);
  }

  static deserialize(bytes: Uint8Array): TypeGraph {
    return new TypeGraph(decodeStore(bytes));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // SchemaWriter: define / undefine, atomic (a failed query leaves the graph as it was)

  define(definables: readonly Definable[], checks: InstanceChecks): void {
    this.atomically(() => applyDefine(this, definables, checks));
  }

  undefine(definables: readonly Definable[], checks: InstanceChecks): void {
    this.atomically(() => applyUndefine(this, definables, checks));
  }

  /** Whole-schema checks TypeDB runs at commit; throws every violation found (they need no data). */
  validateForCommit(_checks?: InstanceChecks): void {
    const errors = this.schemaExceptions();
    if (errors.length > 0) throw combinedError(errors);
  }

  /** Every violation the commit-time checks would find now (TypeDB's `getSchemaExceptions`); none when valid. */
  schemaExceptions(): StrataError[] {
    const errors: StrataError[] = validateGraph(this);
    for (const rule of this.store.rules.values()) {
      try {
        validateRule(this, rule);
      } catch (e) {
        errors.push(e as StrataError);
      }
    }
    if (errors.length === 0) {
      const cycle = validateRuleStratification(this);
      if (cycle) errors.push(cycle);
    }
    return errors;
  }

  private atomically(operation: () => void): void {
    const undo = this.checkpoint();
    try {
      operation();
    } catch (e) {
      undo();
      throw e;
    }
  }

  /** What puts the graph back as it is now: a change that fails part-way undoes itself with it (a copy of the records). */
  checkpoint(): () => void {
    const backup = this.store.clone();
    return () => {
      this.store.restore(backup);
      this.derived = newDerived();
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Primitive mutations (define/undefine and the Concept API)

  /** The type with this label, created under the root of its kind if it does not exist (putEntityType & co). */
  putType(label: string, root: 'entity' | 'relation' | 'attribute', valueType?: ValueType): SchemaType {
    const existing = this.store.lookup(label);
    if (existing) {
      if (existing.root !== root) throw TypeRead.typeRootMismatch(label, root, existing.root);
      if (valueType !== undefined && existing.valueType !== undefined && existing.valueType !== valueType) {
        throw TypeWrite.attributeValueTypeModified(valueType, label);
      }
      if (valueType !== undefined && existing.valueType === undefined && !existing.isMeta) {
        existing.valueType = valueType;
        this.touch();
      }
      return this.view(existing.id);
    }
    validateLabel(label);
    const id = this.newId(root);
    this.store.add({
      id,
      label: frozenLabel(label),
      root,
      isMeta: false,
      abstract: false,
      valueType: root === 'attribute' ? valueType : undefined,
      supertype: this.store.lookup(root)!.id,
      owns: new Map(),
      plays: new Map(),
      relates: [],
    });
    this.link(this.store.get(id)!.supertype, id);
    this.touch();
    return this.view(id);
  }

  setSupertype(type: SchemaType, supertype: SchemaType, checks: InstanceChecks = NO_INSTANCES): void {
    const r = this.mutable(type);
    if (r.root === 'role') throw TypeWrite.roleDefinedOutsideOfRelation(labelText(r.label));
    const sup = this.record(supertype);
    if (sup.root !== r.root) throw TypeRead.invalidTypeCasting(labelText(sup.label), ROOT_CLASS[r.root]);
    if (r.supertype === sup.id) return;
    if (r.root === 'attribute') {
      if (!sup.isMeta && sup.valueType !== r.valueType) {
        throw TypeWrite.attributeSupertypeValueType(labelText(r.label), r.valueType, labelText(sup.label), sup.valueType);
      }
      if (!sup.abstract) throw TypeWrite.attributeNewSupertypeNotAbstract(labelText(sup.label));
    }
    const hierarchy = [labelText(r.label)];
    for (let s: TypeRecord | undefined = sup; s && !s.isMeta; s = s.supertype === undefined ? undefined : this.store.get(s.supertype)) {
      if (s.id === r.id) throw TypeWrite.cyclicTypeHierarchy(hierarchy);
      hierarchy.push(labelText(s.label));
    }
    const depth = hierarchy.length + this.subtreeHeight(r.id);
    if (depth > MAX_HIERARCHY_DEPTH) throw TypeWrite.typeHierarchyTooDeep(labelText(r.label), labelText(sup.label), depth, MAX_HIERARCHY_DEPTH);
    validateSetSupertype(this, type, supertype, checks);
    this.unlink(r.supertype, r.id);
    r.supertype = sup.id;
    this.link(sup.id, r.id);
    this.touch();
  }

  /** How many levels of subtypes lie below the type (0 for a type without subtypes). */
  private subtreeHeight(id: TypeId): number {
    const children = this.children();
    let height = 0;
    for (let level = children.get(id) ?? []; level.length > 0; height++) level = level.flatMap((child) => children.get(child) ?? []);
    return height;
  }

  setAbstract(type: SchemaType, checks: InstanceChecks = NO_INSTANCES): void {
    const r = this.record(type);
    if (r.abstract) return;
    if (r.root === 'role') throw TypeWrite.rootTypeMutation();
    if (checks.hasInstances(type)) throw TypeWrite.typeHasInstancesSetAbstract(labelText(r.label));
    r.abstract = true;
    this.touch();
  }

  unsetAbstract(type: SchemaType): void {
    const r = this.mutable(type);
    if (!r.abstract) return;
    if (r.root === 'attribute' && this.children().get(r.id)?.length) {
      throw TypeWrite.attributeUnsetAbstractHasSubtypes(labelText(r.label));
    }
    r.abstract = false;
    this.touch();
  }

  setOwns(
    owner: SchemaType,
    attribute: SchemaType,
    overridden?: SchemaType,
    annotations: readonly Annotation[] = [],
    checks: InstanceChecks = NO_INSTANCES,
  ): void {
    const o = this.thingTypeRecord(owner);
    const a = this.record(attribute);
    if (a.root !== 'attribute') throw TypeRead.invalidTypeCasting(labelText(a.label), ROOT_CLASS.attribute);
    if (a.isMeta) throw TypeWrite.rootAttributeTypeCannotBeOwned();
    if (overridden) {
      const ov = this.record(overridden);
      if (ov.root !== 'attribute') throw TypeRead.invalidTypeCasting(labelText(ov.label), ROOT_CLASS.attribute);
    }
    const set = annotationsOf(annotations);
    validateSetOwns(this, owner, attribute, overridden, set, checks);
    const parentOwns = this.owns(this.view(o.supertype!));
    const recordedOverride = overridden?.id ?? (parentOwns.has(a.id) ? a.id : undefined);
    o.owns.set(a.id, { overridden: recordedOverride, key: set.key, unique: set.unique });
    this.touch();
  }

  unsetOwns(owner: SchemaType, attribute: SchemaType, checks: InstanceChecks = NO_INSTANCES): void {
    const o = this.thingTypeRecord(owner);
    validateUnsetOwns(this, owner, attribute, checks);
    o.owns.delete(attribute.id);
    this.touch();
  }

  setPlays(player: SchemaType, role: SchemaType, overridden?: SchemaType, checks: InstanceChecks = NO_INSTANCES): void {
    const p = this.thingTypeRecord(player);
    const r = this.record(role);
    if (r.root !== 'role') throw TypeRead.invalidTypeCasting(labelText(r.label), ROOT_CLASS.role);
    if (r.isMeta) throw TypeWrite.rootRoleTypeCannotBePlayed();
    if (overridden && this.record(overridden).root !== 'role') {
      throw TypeRead.invalidTypeCasting(labelText(overridden.label), ROOT_CLASS.role);
    }
    validateSetPlays(this, player, role, overridden, checks);
    p.plays.set(r.id, { overridden: overridden?.id });
    this.touch();
  }

  unsetPlays(player: SchemaType, role: SchemaType, checks: InstanceChecks = NO_INSTANCES): void {
    const p = this.thingTypeRecord(player);
    validateUnsetPlays(this, player, role, checks);
    p.plays.delete(role.id);
    this.touch();
  }

  /** Declares (or re-declares) role `roleName` on the relation type, optionally overriding an inherited role. */
  setRelates(
    relation: SchemaType,
    roleName: string,
    overriddenRoleName?: string,
    checks: InstanceChecks = NO_INSTANCES,
  ): SchemaType {
    const rel = this.relationRecord(relation);
    const overridden = validateSetRelates(this, relation, roleName, overriddenRoleName, checks);
    const supertype = overridden?.id ?? this.store.lookup(labelText(ROLE_ROOT_LABEL))!.id;
    const existing = this.store.lookup(`${rel.label.name}:${roleName}`);
    if (existing) {
      this.unlink(existing.supertype, existing.id);
      existing.supertype = supertype;
      this.link(supertype, existing.id);
      this.touch();
      return this.view(existing.id);
    }
    validateLabel(roleName);
    const id = this.newId('role');
    this.store.add({
      id,
      label: frozenLabel(roleName, rel.label.name),
      root: 'role',
      isMeta: false,
      abstract: false,
      supertype,
      owns: new Map(),
      plays: new Map(),
      relates: [],
      relation: rel.id,
    });
    rel.relates.push(id);
    this.link(supertype, id);
    this.touch();
    return this.view(id);
  }

  unsetRelates(relation: SchemaType, roleName: string, checks: InstanceChecks = NO_INSTANCES): void {
    const rel = this.relationRecord(relation);
    const role = this.store.lookup(`${rel.label.name}:${roleName}`);
    if (!role || role.relation !== rel.id) throw TypeRead.roleTypeNotFound(roleName, labelText(rel.label));
    validateUnsetRelates(this, relation, this.view(role.id), checks);
    this.removeRole(role);
    this.touch();
  }

  setValueType(attribute: SchemaType, valueType: ValueType): void {
    const r = this.mutable(attribute);
    if (r.root !== 'attribute') throw TypeWrite.attributeValueTypeDefinedNotOnAttributeType(labelText(r.label));
    if (r.valueType === valueType) return;
    if (r.valueType !== undefined) throw TypeWrite.attributeValueTypeModified(valueType, labelText(r.label));
    const sup = this.store.get(r.supertype!)!;
    if (!sup.isMeta && sup.valueType !== valueType) {
      throw TypeWrite.attributeSupertypeValueType(labelText(r.label), valueType, labelText(sup.label), sup.valueType);
    }
    r.valueType = valueType;
    this.touch();
  }

  setRegex(attribute: SchemaType, regex: string, checks: InstanceChecks = NO_INSTANCES): void {
    const r = this.stringAttributeRecord(attribute);
    try {
      wholeMatchRegex(regex);
    } catch (e) {
      throw TypeQL.invalidRegex(regex, e instanceof JavaRegexError ? e.message : undefined);
    }
    const violation = checks.regexViolation?.(attribute, regex);
    if (violation !== undefined) throw TypeWrite.attributeRegexUnsatisfiesInstances(labelText(r.label), regex, violation);
    r.regex = regex;
    this.touch();
  }

  unsetRegex(attribute: SchemaType): void {
    const r = this.stringAttributeRecord(attribute);
    if (r.regex === undefined) return;
    r.regex = undefined;
    this.touch();
  }

  /** Renames a type; for a role type, `label` is the new role name within its relation. */
  setLabel(type: SchemaType, label: string): void {
    const r = this.mutable(type);
    validateLabel(label);
    const next = r.root === 'role' ? frozenLabel(label, r.label.scope) : frozenLabel(label);
    if (labelText(next) === labelText(r.label)) return;
    if (this.store.lookup(labelText(next))) throw TypeGraphErrors.invalidSchemaWrite(labelText(next));
    this.store.relabel(r, next);
    for (const roleId of r.relates) {
      const role = this.store.get(roleId)!;
      this.store.relabel(role, frozenLabel(role.label.name, label));
    }
    this.touch();
  }

  deleteType(type: SchemaType, checks: InstanceChecks = NO_INSTANCES): void {
    const r = this.mutable(type);
    if (r.root === 'role') {
      this.unsetRelates(this.view(r.relation!), r.label.name, checks);
      return;
    }
    const label = labelText(r.label);
    const rules = this.rulesReferencing(type);
    if (rules.length > 0) throw TypeWrite.typeReferencedInRules(label, rules);
    if (this.children().get(r.id)?.length) throw TypeWrite.typeHasSubtypes(label);
    if (checks.hasInstances(type)) throw TypeWrite.typeHasInstancesDelete(label);
    for (const roleId of r.relates) {
      const role = this.view(roleId);
      const roleRules = this.rulesReferencing(role);
      if (roleRules.length > 0) throw TypeWrite.typeReferencedInRules(labelText(role.label), roleRules);
      if (checks.hasInstances(role)) throw TypeWrite.invalidUndefineRelatesHasInstances(labelText(role.label));
    }
    for (const roleId of [...r.relates]) this.removeRole(this.store.get(roleId)!);
    this.store.remove(r);
    this.unlink(r.supertype, r.id);
    for (const other of this.store.records.values()) {
      other.owns.delete(r.id);
      for (const edge of other.owns.values()) if (edge.overridden === r.id) edge.overridden = undefined;
    }
    this.touch();
  }

  putRule(rule: RuleDefinition): void {
    validateRule(this, rule);
    this.store.rules.set(rule.label, rule);
    this.touch();
  }

  deleteRule(label: string): void {
    if (!this.store.rules.delete(label)) throw RuleRead.ruleNotFound(label);
    this.touch();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Internals

  /** The record of a type that may be changed (meta types are immutable). */
  private mutable(type: SchemaType): TypeRecord {
    const r = this.record(type);
    if (r.isMeta) throw TypeWrite.rootTypeMutation();
    return r;
  }

  private thingTypeRecord(type: SchemaType): TypeRecord {
    const r = this.mutable(type);
    if (r.root === 'role') throw TypeRead.invalidTypeCasting(labelText(r.label), ROOT_CLASS.thing);
    return r;
  }

  private relationRecord(type: SchemaType): TypeRecord {
    const r = this.record(type);
    if (r.root !== 'relation') throw TypeRead.invalidTypeCasting(labelText(r.label), ROOT_CLASS.relation);
    if (r.isMeta) throw TypeWrite.rootTypeMutation();
    return r;
  }

  private stringAttributeRecord(type: SchemaType): TypeRecord {
    const r = this.record(type);
    if (r.root !== 'attribute' || (!r.isMeta && r.valueType !== 'string')) {
      // TypeDB prints the class of the attribute type it casts (AttributeTypeImpl.Long), a label otherwise.
      const from = r.root === 'attribute' ? `AttributeTypeImpl.${JAVA_VALUE_CLASS[r.valueType!]}` : labelText(r.label);
      throw TypeRead.invalidTypeCasting(from, 'AttributeType.String');
    }
    if (r.isMeta) throw TypeWrite.rootTypeMutation();
    return r;
  }

  private newId(kind: string): TypeId {
    if (this.store.nextId > MAX_TYPE_ID) throw TypeWrite.maxSubtypeReached(kind, MAX_TYPE_ID);
    return this.store.allocateId();
  }

  /** Removes a role type and every `plays` edge to it (TypeDB deletes a vertex with its edges). */
  private removeRole(role: TypeRecord): void {
    const rel = this.store.get(role.relation!)!;
    rel.relates.splice(rel.relates.indexOf(role.id), 1);
    this.store.remove(role);
    this.unlink(role.supertype, role.id);
    for (const other of this.store.records.values()) {
      other.plays.delete(role.id);
      for (const edge of other.plays.values()) if (edge.overridden === role.id) edge.overridden = undefined;
    }
  }

  /**
   * Drops what is derived from the records after a mutation; the subtype index only when the hierarchy changed
   * (rebuilding it on every owns/plays edit would make a large define quadratic).
   */
  private touch(): void {
    const children = this.derived.children;
    this.derived = newDerived();
    this.derived.children = children;
  }

  /** Keeps the subtype index (if built) in step with a supertype edge being added or removed. */
  private link(supertype: TypeId | undefined, id: TypeId): void {
    const children = this.derived.children;
    if (!children || supertype === undefined) return;
    let list = children.get(supertype);
    if (!list) children.set(supertype, (list = []));
    let i = list.length;
    while (i > 0 && list[i - 1]! > id) i--;
    list.splice(i, 0, id);
  }

  private unlink(supertype: TypeId | undefined, id: TypeId): void {
    const list = supertype === undefined ? undefined : this.derived.children?.get(supertype);
    const i = list ? list.indexOf(id) : -1;
    if (i >= 0) list!.splice(i, 1);
  }
}

function validateLabel(label: string): void {
  if (!LABEL_PATTERN.test(label)) throw TypeQL.invalidTypeLabel(label);
}
