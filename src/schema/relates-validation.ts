// Validation of `relates` changes, before they are applied: TypeDB's DeclarationValidation.Relates and
// SubtypeValidation.Relates (role names unique in a relation hierarchy, no broken overrides, no orphaned players).
import type { StrataError } from '../common/errors.js';
import { labelText } from './labels.js';
import type { InstanceChecks, SchemaType, TypeId } from './api.js';
import { TypeWrite } from './errors.js';
import type { TypeGraph } from './type-graph.js';

const label = (type: SchemaType) => labelText(type.label);

/** `marriage relates wife as spouse`, as TypeQL prints a relates statement in messages. */
export function relatesStatement(relation: SchemaType, roleName: string, overriddenName?: string): string {
  return `${label(relation)} relates ${roleName}${overriddenName === undefined ? '' : ` as ${overriddenName}`}`;
}

/** Validates `relation relates roleName [as overriddenName]`; returns the inherited role being overridden. */
export function validateSetRelates(
  g: TypeGraph,
  relation: SchemaType,
  roleName: string,
  overriddenName: string | undefined,
  checks: InstanceChecks,
): SchemaType | undefined {
  const existing = g.declaredRelates(relation).find((role) => role.label.name === roleName);
  const inheritedRoles = inheritedRelates(g, relation);
  if (!existing) {
    if (inheritedRoles.some((role) => role.label.name === roleName)) {
      throw TypeWrite.relationRelatesRoleFromSupertype(roleName, label(relation));
    }
    const errors: StrataError[] = [];
    for (const sub of g.subtypes(relation).slice(1)) roleNamesUnique(g, sub, new Set([roleName]), errors, false);
    if (errors.length > 0) throw TypeWrite.schemaValidationInvalidDefine(relatesStatement(relation, roleName), errors);
  }
  if (overriddenName === undefined) return undefined;

  const inherited = inheritedRoles.find((role) => role.label.name === overriddenName);
  const declaredHere =
    overriddenName === roleName || g.declaredRelates(relation).some((role) => role.label.name === overriddenName);
  if (declaredHere || !inherited) throw TypeWrite.relationRelatesRoleNotAvailable(roleName, overriddenName);
  if (existing && existing.supertype?.id === inherited.id) return inherited; // unchanged

  const errors: StrataError[] = [];
  const noLonger = new Set([inherited.id]);
  for (const sub of g.subtypes(relation, { direct: true })) noBrokenOverrides(g, sub, noLonger, errors);
  noLeakedRolePlayers(g, relation, noLonger, checks, errors);
  if (errors.length > 0) {
    throw TypeWrite.schemaValidationInvalidDefine(relatesStatement(relation, roleName, overriddenName), errors);
  }
  return inherited;
}

export function validateUnsetRelates(g: TypeGraph, relation: SchemaType, role: SchemaType, checks: InstanceChecks): void {
  const rules = g.rulesReferencing(role);
  if (rules.length > 0) throw TypeWrite.typeReferencedInRules(label(role), rules);
  const errors: StrataError[] = [];
  const noLonger = new Set([role.id]);
  for (const sub of g.subtypes(relation, { direct: true })) noBrokenOverrides(g, sub, noLonger, errors);
  noLeakedRolePlayers(g, relation, noLonger, checks, errors);
  if (errors.length > 0) throw TypeWrite.schemaValidationInvalidUndefine(relatesStatement(relation, role.label.name), errors);
  if (checks.hasInstances(role)) throw TypeWrite.invalidUndefineRelatesHasInstances(label(role));
}

/** The roles a relation type inherits from its supertype. */
export function inheritedRelates(g: TypeGraph, relation: SchemaType): SchemaType[] {
  const sup = relation.supertype;
  return !sup || sup.isMeta ? [] : g.relates(sup);
}

/** Role names declared in `relation`'s subtree must not clash with the names in `names`. */
export function roleNamesUnique(
  g: TypeGraph,
  relation: SchemaType,
  names: ReadonlySet<string>,
  errors: StrataError[],
  recurse = true,
): void {
  for (const role of g.declaredRelates(relation)) {
    if (names.has(role.label.name)) errors.push(TypeWrite.relationRelatesRoleFromSupertype(role.label.name, label(relation)));
  }
  if (recurse) for (const sub of g.subtypes(relation, { direct: true })) roleNamesUnique(g, sub, names, errors);
}

/** Declared roles in `relation`'s subtree that override a role which would no longer be inherited. */
export function noBrokenOverrides(g: TypeGraph, relation: SchemaType, noLonger: ReadonlySet<TypeId>, errors: StrataError[]): void {
  const remaining = new Set(noLonger);
  for (const role of g.declaredRelates(relation)) {
    const overridden = g.overriddenRole(role);
    if (overridden && noLonger.has(overridden.id)) {
      errors.push(TypeWrite.overriddenRelatedRoleTypeNotInherited(label(relation), label(role), label(overridden)));
      remaining.delete(overridden.id);
    }
  }
  if (remaining.size === 0) return;
  for (const sub of g.subtypes(relation, { direct: true })) noBrokenOverrides(g, sub, remaining, errors);
}

/** Relations of `relation`'s subtree with players in roles they would no longer relate. */
export function noLeakedRolePlayers(
  g: TypeGraph,
  relation: SchemaType,
  noLonger: ReadonlySet<TypeId>,
  checks: InstanceChecks,
  errors: StrataError[],
): void {
  const remaining = new Set(noLonger);
  for (const role of g.declaredRelates(relation)) {
    const overridden = g.overriddenRole(role);
    if (overridden) remaining.delete(overridden.id);
  }
  for (const roleId of remaining) {
    const role = g.byId(roleId)!;
    const played = checks.hasRelationRolePlayers
      ? checks.hasRelationRolePlayers(relation, role)
      : checks.hasInstances(relation) && checks.hasInstances(role);
    if (played) errors.push(TypeWrite.invalidUndefineRelatesHasInstances(label(role)));
  }
  if (remaining.size === 0) return;
  for (const sub of g.subtypes(relation, { direct: true })) noLeakedRolePlayers(g, sub, remaining, checks, errors);
}
