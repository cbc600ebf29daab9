// `undefine`: TypeQL definables → removals, in TypeDB 2.x's order (query/Undefiner.java): rules first, then
// types, subtypes before their supertypes; per type: plays, owns, relates, regex, abstract, and last `sub`,
// which deletes the type. Annotations and overrides cannot be undefined on their own.
import { labelText } from './labels.js';
import type { Definable, Label, RuleDefinition, TypeStatement } from '../typeql/ast.js';
import type { InstanceChecks, SchemaType } from './api.js';
import { RuleWrite, TypeRead, TypeWrite } from './errors.js';
import { printLabel as labelString } from '../typeql/index.js';
import type { TypeGraph } from './type-graph.js';
import { mergeTypeStatements, type TypeVariable } from './type-variables.js';

export function applyUndefine(g: TypeGraph, definables: readonly Definable[], checks: InstanceChecks): void {
  const statements: TypeStatement[] = [];
  const rules: RuleDefinition[] = [];
  for (const d of definables) {
    if (d.kind === 'rule') rules.push(d);
    else statements.push(d);
  }
  for (const rule of rules) {
    if (rule.when !== undefined || rule.then !== undefined) throw RuleWrite.invalidUndefineRuleBody(rule.label);
    g.deleteRule(rule.label);
  }
  const undefiner = new Undefiner(g, checks);
  for (const v of subtypesFirst(mergeTypeStatements(statements))) undefiner.undefine(v);
}

/** The query's statements, each type before the supertypes it names (stable otherwise). */
function subtypesFirst(variables: ReadonlyMap<string, TypeVariable>): TypeVariable[] {
  const depth = new Map<TypeVariable, number>();
  const depthOf = (v: TypeVariable, seen: Set<TypeVariable>): number => {
    const known = depth.get(v);
    if (known !== undefined) return known;
    const sup = v.sub && variables.get(labelString(v.sub.type));
    const d = sup && !seen.has(sup) ? 1 + depthOf(sup, new Set([...seen, v])) : 0;
    depth.set(v, d);
    return d;
  };
  const list = [...variables.values()];
  for (const v of list) depthOf(v, new Set([v]));
  return list.map((v, i) => ({ v, i })).sort((a, b) => depth.get(b.v)! - depth.get(a.v)! || a.i - b.i).map((x) => x.v);
}

class Undefiner {
  /** Labels removed by this query: later references to them are not errors. */
  private readonly removed = new Set<string>();

  constructor(
    private readonly g: TypeGraph,
    private readonly checks: InstanceChecks,
  ) {}

  undefine(v: TypeVariable): void {
    const key = labelString(v.label);
    if (v.label.scope !== undefined) {
      if (v.constrained) throw TypeWrite.roleDefinedOutsideOfRelation(key);
      return;
    }
    if (this.removed.has(key)) return;
    const type = this.g.get(key);
    if (!type || type.root === 'role') throw TypeRead.typeNotFound(key);

    for (const plays of v.plays) {
      const role = this.role(plays.role);
      if (plays.overridden) throw TypeWrite.invalidUndefinePlaysOverride(plays.overridden.name, labelString(plays.role));
      if (role) this.g.unsetPlays(type, role, this.checks);
    }
    for (const owns of v.owns) {
      const attribute = this.g.get(labelString(owns.attribute));
      if (!attribute && !this.removed.has(labelString(owns.attribute))) throw TypeRead.typeNotFound(labelString(owns.attribute));
      if (owns.overridden) {
        throw TypeWrite.invalidUndefineOwnsOverride(labelString(owns.overridden), labelString(owns.attribute));
      }
      if (owns.annotations.length > 0) {
        throw TypeWrite.invalidUndefineAnnotations(
          `owns ${labelString(owns.attribute)}${owns.annotations.map((a) => ` @${a}`).join('')}`,
        );
      }
      if (attribute) this.g.unsetOwns(type, attribute, this.checks);
    }
    for (const relates of v.relates) {
      if (relates.overridden) throw TypeWrite.invalidUndefineRelatesOverride(relates.overridden.name, relates.role.name);
      this.g.unsetRelates(type, relates.role.name, this.checks);
      this.removed.add(`${key}:${relates.role.name}`);
    }
    // TypeDB removes the regex only when the query names the one that is set; unsetRegex rejects non-strings.
    if (v.regex !== undefined && (type.regex === v.regex || type.root !== 'attribute' || type.valueType !== 'string')) {
      this.g.unsetRegex(type);
    }
    if (v.abstract) this.g.unsetAbstract(type);

    if (v.sub) {
      const supertype = this.g.get(labelString(v.sub.type));
      if (!supertype) throw TypeRead.typeNotFound(labelString(v.sub.type));
      if (!this.g.isSubtypeOf(type, supertype)) throw TypeWrite.invalidUndefineSub(key, labelText(supertype.label));
      const roles = this.g.declaredRelates(type).map((r) => labelText(r.label));
      this.g.deleteType(type, this.checks);
      this.removed.add(key);
      for (const role of roles) this.removed.add(role);
    } else if (v.valueType !== undefined) {
      throw TypeWrite.attributeValueTypeUndefined(v.valueType, key);
    }
  }

  /** The role named by `plays rel:role`, or undefined when this query already removed it. */
  private role(label: Label): SchemaType | undefined {
    const scoped = labelString(label);
    if (label.scope === undefined) throw TypeRead.typeNotFound(scoped);
    const relation = this.g.get(label.scope);
    if (!relation) {
      if (this.removed.has(label.scope) || this.removed.has(scoped)) return undefined;
      throw TypeRead.typeNotFound(label.scope);
    }
    if (relation.root !== 'relation') throw TypeRead.roleTypeScopeIsNotRelationType(scoped, label.scope);
    const role = this.g.resolveRole(relation, label.name);
    if (!role) {
      if (this.removed.has(scoped)) return undefined;
      throw TypeRead.typeNotFound(scoped);
    }
    if (labelText(role.label) !== scoped) throw TypeWrite.illegalRoleTypeAlias(scoped, labelText(role.label));
    return role;
  }
}
