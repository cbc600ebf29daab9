// `define`: TypeQL definables → type graph mutations, in TypeDB 2.x's order (query/Definer.java). A type is
// defined after the types it depends on (its supertype, the attribute types it owns, the relation types whose
// roles it plays), so the order of statements in the query does not matter. Defining is idempotent.
import { ROOT_CLASS, labelText } from './labels.js';
import type { Definable, Label, RuleDefinition, TypeStatement } from '../typeql/ast.js';
import type { InstanceChecks, SchemaType } from './api.js';
import { TypeQL, TypeRead, TypeWrite } from './errors.js';
import { printLabel as labelString } from '../typeql/index.js';
import type { TypeGraph } from './type-graph.js';
import { mergeTypeStatements, type TypeVariable } from './type-variables.js';

export function applyDefine(g: TypeGraph, definables: readonly Definable[], checks: InstanceChecks): void {
  const statements: TypeStatement[] = [];
  const rules: RuleDefinition[] = [];
  for (const d of definables) {
    if (d.kind === 'rule') rules.push(d);
    else statements.push(d);
  }
  const variables = mergeTypeStatements(statements);
  checkHierarchyNotCyclic(variables);
  const definer = new Definer(g, variables, checks);
  for (const v of variables.values()) definer.define(v);
  for (const rule of rules) {
    if (!rule.when || rule.when.length === 0) throw TypeQL.invalidRuleWhenMissingPatterns(rule.label);
    if (!rule.then) throw TypeQL.invalidRuleThen(rule.label, '');
    g.putRule(rule);
  }
}

/**
 * A `sub` cycle among the query's own statements (cycles through existing types are caught by setSupertype). Each
 * walk stops at a label an earlier walk already followed to its end without a cycle, so that a long chain of `sub`s
 * (`t1 sub t0; t2 sub t1; …`) is checked in linear time, not one walk of the whole chain per type.
 */
function checkHierarchyNotCyclic(variables: ReadonlyMap<string, TypeVariable>): void {
  const acyclic = new Set<string>();
  for (const start of variables.values()) {
    const hierarchy = [labelString(start.label)];
    const seen = new Set(hierarchy);
    let v: TypeVariable | undefined = start;
    while (v?.sub) {
      const next = labelString(v.sub.type);
      if (acyclic.has(next)) break;
      if (seen.has(next)) throw TypeWrite.cyclicTypeHierarchy(hierarchy);
      hierarchy.push(next);
      seen.add(next);
      v = variables.get(next);
    }
    for (const label of hierarchy) acyclic.add(label);
  }
}

class Definer {
  private readonly defined = new Map<string, SchemaType>();

  constructor(
    private readonly g: TypeGraph,
    private readonly variables: ReadonlyMap<string, TypeVariable>,
    private readonly checks: InstanceChecks,
  ) {}

  /** Defines one merged statement; returns the type it defines (undefined for a bare role label). */
  define(v: TypeVariable): SchemaType | undefined {
    const key = labelString(v.label);
    if (v.label.scope !== undefined) {
      if (v.constrained) throw TypeWrite.roleDefinedOutsideOfRelation(key);
      return undefined;
    }
    const done = this.defined.get(key);
    if (done) return done;

    let type = this.g.get(v.label.name);
    if (type?.root === 'role') type = undefined;
    if (v.sub) type = this.defineSub(type, v);
    else if (v.valueType !== undefined) throw TypeWrite.attributeValueTypeModified(v.valueType, key);
    else if (!type) throw TypeRead.typeNotFound(key);
    if (v.valueType !== undefined && type.root !== 'attribute') {
      throw TypeWrite.attributeValueTypeDefinedNotOnAttributeType(key);
    }
    this.defined.set(key, type);

    if (v.abstract) this.g.setAbstract(type, this.checks);
    if (v.regex !== undefined) this.g.setRegex(type, v.regex, this.checks);
    for (const relates of v.relates) {
      this.g.setRelates(type, relates.role.name, relates.overridden?.name, this.checks);
    }
    for (const owns of v.owns) {
      const attribute = this.attributeType(owns.attribute);
      const overridden = owns.overridden && this.attributeType(owns.overridden);
      this.g.setOwns(type, attribute, overridden, owns.annotations, this.checks);
    }
    for (const plays of v.plays) {
      const role = this.roleType(plays.role);
      let overridden: SchemaType | undefined;
      if (plays.overridden) {
        const { name, scope } = plays.overridden;
        overridden = this.g.supertypes(role).find((r) => !r.isMeta && r.label.name === name && (scope === undefined || r.label.scope === scope));
        if (!overridden) {
          throw TypeWrite.overriddenPlayedRoleTypeNotSupertype(key, labelText(role.label), labelString(plays.overridden));
        }
      }
      this.g.setPlays(type, role, overridden, this.checks);
    }
    return type;
  }

  /** A type the statements refer to: defined first if the query has a statement for it. */
  private reference(label: Label): SchemaType {
    const v = this.variables.get(labelString(label));
    const type = v ? this.define(v) : this.g.get(labelString(label));
    if (!type) throw TypeRead.typeNotFound(labelString(label));
    return type;
  }

  private defineSub(existing: SchemaType | undefined, v: TypeVariable): SchemaType {
    const label = v.label.name;
    const supertype = this.reference(v.sub!.type);
    const root = supertype.root;
    if (root !== 'entity' && root !== 'relation' && root !== 'attribute') {
      throw TypeWrite.invalidDefineSub(label, labelText(supertype.label));
    }
    if (existing && existing.root !== root) throw TypeRead.invalidTypeCasting(label, ROOT_CLASS[root]);
    let type: SchemaType;
    if (root === 'attribute' && existing && v.valueType === undefined) {
      // A new supertype for an existing attribute type: its value type must be the supertype's ([TYW14], below).
      type = existing;
    } else if (root === 'attribute') {
      const valueType = v.valueType ?? (supertype.isMeta ? undefined : supertype.valueType);
      if (valueType === undefined) throw TypeWrite.attributeValueTypeMissing(label);
      type = this.g.putType(label, 'attribute', valueType);
    } else {
      type = existing ?? this.g.putType(label, root);
    }
    this.g.setSupertype(type, supertype, this.checks);
    return type;
  }

  private attributeType(label: Label): SchemaType {
    const type = this.reference(label);
    if (type.root !== 'attribute') throw TypeRead.invalidTypeCasting(labelText(type.label), 'AttributeType');
    return type;
  }

  /** `plays rel:role`: the role as declared by `rel` (an inherited role must be named by its own relation). */
  private roleType(label: Label): SchemaType {
    const scoped = labelString(label);
    if (label.scope === undefined) throw TypeRead.typeNotFound(scoped);
    const relation = this.reference({ name: label.scope });
    if (relation.root !== 'relation') throw TypeRead.roleTypeScopeIsNotRelationType(scoped, label.scope);
    const role = this.g.resolveRole(relation, label.name);
    if (!role) throw TypeRead.typeNotFound(scoped);
    if (labelText(role.label) !== scoped) throw TypeWrite.illegalRoleTypeAlias(scoped, labelText(role.label));
    return role;
  }
}

