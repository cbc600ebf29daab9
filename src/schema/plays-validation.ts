// Validation of `plays` changes, before they are applied: TypeDB's DeclarationValidation.Plays and
// SubtypeValidation.Plays.
import type { StrataError } from '../common/errors.js';
import { labelText } from './labels.js';
import type { InstanceChecks, SchemaType, TypeId } from './api.js';
import { TypeWrite } from './errors.js';
import type { TypeGraph } from './type-graph.js';

const label = (type: SchemaType) => labelText(type.label);

/** `man plays fathership:father as parent`, as TypeQL prints a plays statement in messages. */
export function playsStatement(player: SchemaType, role: SchemaType, overridden?: SchemaType): string {
  return `${label(player)} plays ${label(role)}${overridden ? ` as ${overridden.label.name}` : ''}`;
}

/** Roles hidden by `plays … as <role>` declarations on the given types. */
export function overriddenPlays(g: TypeGraph, types: Iterable<SchemaType>): Set<TypeId> {
  const hidden = new Set<TypeId>();
  for (const t of types) {
    for (const declared of g.declaredPlays(t).values()) if (declared.overridden) hidden.add(declared.overridden.id);
  }
  return hidden;
}

export function validateSetPlays(
  g: TypeGraph,
  player: SchemaType,
  role: SchemaType,
  overridden: SchemaType | undefined,
  checks: InstanceChecks,
): void {
  const properSupertypes = g.supertypes(player).slice(1);
  if (overriddenPlays(g, properSupertypes).has(role.id)) {
    throw TypeWrite.playsRoleNotAvailableOverridden(label(player), label(role));
  }
  if (!overridden) return;

  if (!g.isSubtypeOf(role, overridden)) {
    throw TypeWrite.overriddenPlayedRoleTypeNotSupertype(label(player), label(role), label(overridden));
  }
  if (!g.plays(player.supertype!).has(overridden.id)) {
    throw TypeWrite.overriddenPlayedRoleNotAvailable(label(player), label(role), label(overridden));
  }
  const notOverridable = overriddenPlays(g, properSupertypes);
  for (const id of g.declaredPlays(player).keys()) notOverridable.add(id);
  if (notOverridable.has(overridden.id)) {
    throw TypeWrite.overriddenPlayedRoleNotAvailable(label(player), label(role), label(overridden));
  }

  const current = g.declaredPlays(player).get(role.id);
  if (current?.overridden?.id === overridden.id) return; // unchanged
  const errors: StrataError[] = [];
  if (checks.hasRolePlayers(player, overridden)) {
    errors.push(TypeWrite.invalidUndefinePlaysHasInstances(label(player), label(overridden)));
  }
  noHiddenPlaysRedeclaration(g, player, new Set([overridden.id]), errors);
  if (errors.length > 0) {
    throw TypeWrite.schemaValidationInvalidDefine(playsStatement(player, role, overridden), errors);
  }
}

export function validateUnsetPlays(g: TypeGraph, player: SchemaType, role: SchemaType, checks: InstanceChecks): void {
  const declared = g.declaredPlays(player).get(role.id);
  if (!declared) {
    if (g.plays(player).has(role.id)) throw TypeWrite.invalidUndefineInheritedPlays(label(player), label(role));
    throw TypeWrite.invalidUndefineNonexistentPlays(label(player), label(role));
  }
  // When a supertype also provides the role, the player and its subtypes keep playing it: no data is affected.
  if (g.plays(player.supertype!).has(role.id)) return;
  const errors: StrataError[] = [];
  noLeakedPlayersBelow(g, player, new Set([role.id]), checks, errors, true);
  if (errors.length > 0) {
    throw TypeWrite.schemaValidationInvalidUndefine(playsStatement(player, role, declared.overridden), errors);
  }
}

/**
 * Instances of `type`'s subtree playing roles no longer played (TypeDB's SubtypeValidation.Plays
 * .validateNoLeakedInstances): each type's own instances are checked; a subtree that declares the role again (or
 * overrides it) is not affected. `removing` marks the type losing the declaration.
 */
function noLeakedPlayersBelow(
  g: TypeGraph,
  type: SchemaType,
  noLongerPlayed: ReadonlySet<TypeId>,
  checks: InstanceChecks,
  errors: StrataError[],
  removing: boolean,
): void {
  const remaining = new Set(noLongerPlayed);
  if (!removing) {
    for (const declared of g.declaredPlays(type).values()) {
      remaining.delete(declared.role.id);
      if (declared.overridden) remaining.delete(declared.overridden.id);
    }
  }
  for (const roleId of remaining) {
    const role = g.byId(roleId)!;
    const played = checks.hasExactRolePlayers ? checks.hasExactRolePlayers(type, role) : checks.hasRolePlayers(type, role);
    if (played) errors.push(TypeWrite.invalidUndefinePlaysHasInstances(label(type), label(role)));
  }
  if (remaining.size === 0 || !checks.hasExactRolePlayers) return;
  for (const sub of g.subtypes(type, { direct: true })) noLeakedPlayersBelow(g, sub, remaining, checks, errors, false);
}

/** Types in `type`'s subtree that declare playing a role that becomes hidden by an override. */
export function noHiddenPlaysRedeclaration(g: TypeGraph, type: SchemaType, toHide: ReadonlySet<TypeId>, errors: StrataError[]): void {
  const remaining = new Set(toHide);
  for (const declared of g.declaredPlays(type).values()) {
    if (toHide.has(declared.role.id)) errors.push(TypeWrite.playsRoleNotAvailableOverridden(label(type), label(declared.role)));
    if (declared.overridden && toHide.has(declared.overridden.id)) remaining.delete(declared.overridden.id);
  }
  if (remaining.size === 0) return;
  for (const sub of g.subtypes(type, { direct: true })) noHiddenPlaysRedeclaration(g, sub, remaining, errors);
}

/** Instances of `type` (or subtypes) playing roles that are no longer playable. */
export function noLeakedPlayers(
  g: TypeGraph,
  type: SchemaType,
  noLongerPlayed: ReadonlySet<TypeId>,
  checks: InstanceChecks,
  errors: StrataError[],
): void {
  const redeclared = new Set<TypeId>();
  for (const declared of g.declaredPlays(type).values()) {
    redeclared.add(declared.role.id);
    if (declared.overridden) redeclared.add(declared.overridden.id);
  }
  for (const roleId of noLongerPlayed) {
    if (redeclared.has(roleId)) continue;
    const role = g.byId(roleId)!;
    if (checks.hasRolePlayers(type, role)) errors.push(TypeWrite.invalidUndefinePlaysHasInstances(label(type), label(role)));
  }
}
