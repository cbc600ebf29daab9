// The Concept API: TypeDB 2.x's driver-level operations on types, things and rules, over one transaction.
//
// Addressing: types by label (`person`; roles by scoped label `marriage:wife`), things by IID (`0x…`, lower-case hex,
// as in answers). Results are detached descriptions (TypeConcept, ThingConcept from ../concepts.ts), so they stay
// valid after the transaction closes; compare types by label and things by IID.
//
// Rules shared by every method (they are enforced by the transaction that hands the API out):
// - any call that throws closes the transaction, as a failing query does;
// - schema mutations need a schema session and a write transaction, thing writes a write transaction (TypeDB's
//   TXN07/TXN08/TXN12/TXN13 errors otherwise); as in TypeDB, a schema session's write transaction takes thing
//   writes and then fails its commit with TXN13 (instances of a type it created fail at once);
// - schema mutations validate against the schema and the existing data immediately, as TypeDB does; what can only be
//   judged on the final state (redundant declarations, relations without roles, data left invalid by a sequence of
//   changes) is checked when the transaction commits. Thing writes likewise: key cardinality and relations left
//   without players are settled at commit.
// - collections of instances are lazy iterables read from the transaction's view; consume them before the
//   transaction changes or closes.
import type { StrataError } from '../../common/errors.js';
import type { Value, ValueType } from '../../common/values.js';
import type { AttributeConcept, RuleConcept, ThingConcept, TypeConcept } from '../concepts.js';

/** `transitive`: declared plus inherited (or: the type and all its subtypes); `explicit`: declared on the type itself. */
export type Transitivity = 'transitive' | 'explicit';

/** Ownership annotations. */
export type OwnsAnnotation = 'key' | 'unique';

export interface OwnsFilter {
  /** Default `transitive`. */
  readonly transitivity?: Transitivity;
  /** Only ownerships whose effective annotations (inherited ones included) carry all of these. */
  readonly annotations?: readonly OwnsAnnotation[];
  /** Only attribute types of this value type. */
  readonly valueType?: ValueType;
}

export interface OwnersFilter {
  readonly transitivity?: Transitivity;
  readonly annotations?: readonly OwnsAnnotation[];
}

export interface SubtypesFilter {
  readonly transitivity?: Transitivity;
  /** For attribute types: only subtypes of this value type (the root `attribute` is always included). */
  readonly valueType?: ValueType;
}

export interface SetOwnsOptions {
  /** The inherited attribute type this ownership overrides (`owns A as B`). */
  readonly overridden?: string;
  readonly annotations?: readonly OwnsAnnotation[];
}

export interface HasFilter {
  /** Only attributes of these attribute types or their subtypes. */
  readonly attributeTypes?: readonly string[];
  /** Only attributes owned through ownerships carrying all of these annotations (`['key']`: the keys). */
  readonly annotations?: readonly OwnsAnnotation[];
}

export interface RolePlayer {
  readonly role: TypeConcept;
  readonly player: ThingConcept;
}

export interface ConceptApi {
  readonly types: TypeApi;
  readonly things: ThingApi;
  readonly rules: RuleApi;
}

/**
 * Rules: TypeDB's LogicManager and Rule methods. Reads in any transaction; `put`, `delete` and `setLabel` are schema
 * writes, validated as `define` and `undefine` validate them (the whole rule set again at commit).
 */
export interface RuleApi {
  /** The rule with this label, or undefined. */
  get(label: string): RuleConcept | undefined;
  /** Every rule, by label. */
  all(): RuleConcept[];
  /**
   * Defines the rule, replacing one with the same label. `when`: a block (`{ $p isa person; }`; the braces may be
   * left out); `then`: one thing statement (`$p has age 1`). A syntax error gives the line, with a caret under the
   * column, within the part it is in; text after a complete part is refused naming the part.
   */
  put(label: string, when: string, then: string): RuleConcept;
  /** Undefines the rule; `[RUR01]` if there is none with this label. */
  delete(label: string): void;
  /** Renames the rule; `[RUR01]` if there is none with this label, `[SCG02]` if the new label is taken. */
  setLabel(label: string, newLabel: string): RuleConcept;
}

/**
 * Types: TypeDB's ConceptManager type methods and the Type / ThingType / EntityType / RelationType / AttributeType /
 * RoleType methods. Meta types (`thing`, `entity`, `relation`, `attribute`, `relation:role`) can be read but not
 * changed. A label that names no type makes mutations and getters throw `[TYR03]`; the `get…` lookups return
 * undefined instead.
 */
export interface TypeApi {
  // ---- lookup and creation ----

  /** Any type by label (scoped for roles), or undefined. */
  get(label: string): TypeConcept | undefined;
  /** The entity type with this label, or undefined; `[TYR02]` if the label names a type of another kind. */
  getEntityType(label: string): TypeConcept | undefined;
  getRelationType(label: string): TypeConcept | undefined;
  getAttributeType(label: string): TypeConcept | undefined;
  /** Creates the type under its root if it does not exist; returns it. */
  putEntityType(label: string): TypeConcept;
  putRelationType(label: string): TypeConcept;
  putAttributeType(label: string, valueType: ValueType): TypeConcept;
  /**
   * What the schema's commit-time checks would refuse now (TypeDB's `getSchemaExceptions`), one error each; empty
   * when the schema would commit. Concept API mutations are checked when made; these are the checks of the whole.
   */
  schemaExceptions(): StrataError[];

  // ---- every type (thing types and role types) ----

  /** Deletes the type (a role type: from its relation type). Fails if it has subtypes, instances or rule references. */
  delete(label: string): void;
  /** Renames the type; for a role type, `newLabel` is the new role name within its relation type. */
  setLabel(label: string, newLabel: string): void;
  /** The direct supertype; undefined for meta types. */
  getSupertype(label: string): TypeConcept | undefined;
  /** The type and its supertypes, nearest first, up to the root of its kind (`thing` is not listed). */
  getSupertypes(label: string): TypeConcept[];
  /** Transitive (default): the type and all its subtypes; explicit: the direct subtypes only. */
  getSubtypes(label: string, filter?: SubtypesFilter): TypeConcept[];

  // ---- thing types ----

  /**
   * The type's own definition as `database schema` prints it (`person sub entity,\n    owns name @key;`): what it
   * declares, not what it inherits. A meta type gives just its label.
   */
  getSyntax(label: string): string;
  /** Moves the type under another type of the same kind (validated against subtypes and data). */
  setSupertype(label: string, supertypeLabel: string): void;
  setAbstract(label: string): void;
  unsetAbstract(label: string): void;
  /** Owned attribute types. */
  getOwns(label: string, filter?: OwnsFilter): TypeConcept[];
  /** The attribute type the type's own declaration of `attributeLabel` overrides (a redeclaration overrides itself). */
  getOwnsOverridden(label: string, attributeLabel: string): TypeConcept | undefined;
  setOwns(label: string, attributeLabel: string, options?: SetOwnsOptions): void;
  unsetOwns(label: string, attributeLabel: string): void;
  /** Played role types. */
  getPlays(label: string, transitivity?: Transitivity): TypeConcept[];
  getPlaysOverridden(label: string, roleLabel: string): TypeConcept | undefined;
  setPlays(label: string, roleLabel: string, overriddenRoleLabel?: string): void;
  unsetPlays(label: string, roleLabel: string): void;
  /** Instances: of the type and its subtypes (transitive, default) or of exactly the type (explicit). */
  getInstances(label: string, transitivity?: Transitivity): Iterable<ThingConcept>;

  // ---- relation types ----

  /** Related role types: declared and inherited (transitive, default) or declared only (explicit). */
  getRelates(label: string, transitivity?: Transitivity): TypeConcept[];
  /** The role the relation type relates (declared or inherited) under this name (or scoped label), or undefined. */
  getRelatesForRoleLabel(label: string, roleName: string): TypeConcept | undefined;
  /** The inherited role that the relation type's own role `roleName` overrides, or undefined. */
  getRelatesOverridden(label: string, roleName: string): TypeConcept | undefined;
  /** Declares role `roleName`, optionally overriding the inherited role `overriddenRoleName` (`relates a as b`). */
  setRelates(label: string, roleName: string, overriddenRoleName?: string): void;
  unsetRelates(label: string, roleName: string): void;

  // ---- role types (scoped labels) ----

  /** Relation types that relate the role (the declaring one and subtypes that inherit it). */
  getRelationTypes(roleLabel: string): TypeConcept[];
  /** Thing types that can play the role: effective (transitive, default) or declared (explicit). */
  getPlayerTypes(roleLabel: string, transitivity?: Transitivity): TypeConcept[];
  /**
   * Relations with a player in the role (transitive: or in one of its subroles), once per such player (role players
   * are a multiset, as in TypeDB: a relation with two players in the role comes twice).
   */
  getRelationInstances(roleLabel: string, transitivity?: Transitivity): Iterable<ThingConcept>;
  /** Things playing the role (transitive: or one of its subroles), once per relation and repetition they play it in. */
  getPlayerInstances(roleLabel: string, transitivity?: Transitivity): Iterable<ThingConcept>;

  // ---- attribute types ----

  getRegex(label: string): string | undefined;
  /** Sets the regex of a string attribute type; existing instances must match it fully. */
  setRegex(label: string, regex: string): void;
  unsetRegex(label: string): void;
  /** Thing types owning the attribute type. */
  getOwners(label: string, filter?: OwnersFilter): TypeConcept[];
}

/**
 * Things: TypeDB's ConceptManager thing methods and the Thing / Entity / Relation / Attribute methods. An IID that
 * names no thing in this transaction makes reads throw `[THR04]` and writes `[THW02]` (deleted); `get` and
 * `isDeleted` answer instead of throwing.
 */
export interface ThingApi {
  /** The thing with this IID, or undefined (also for a malformed IID). */
  get(iid: string): ThingConcept | undefined;
  /** Whether the IID names no thing in this transaction (deleted, or never created). */
  isDeleted(iid: string): boolean;
  /** A new instance of an entity or relation type. A relation still without players at commit is deleted. */
  create(typeLabel: string): ThingConcept;
  /**
   * The attribute of this type and value, created if needed (attributes are unique per type and value). A long value
   * is accepted for a double attribute type; string values must match the type's regex.
   */
  putAttribute(typeLabel: string, value: Value): AttributeConcept;
  /** The attribute of this type and value, or undefined. */
  getAttribute(typeLabel: string, value: Value): AttributeConcept | undefined;
  /** Deletes the thing with its ownerships and role players. */
  delete(iid: string): void;

  /** Attributes the thing owns. */
  getHas(iid: string, filter?: HasFilter): Iterable<AttributeConcept>;
  setHas(iid: string, attributeIid: string): void;
  unsetHas(iid: string, attributeIid: string): void;
  /**
   * Relations the thing plays in, once per role it plays there (repetitions included); only through these roles
   * (scoped labels) or their subroles if given.
   */
  getRelations(iid: string, roleLabels?: readonly string[]): Iterable<ThingConcept>;
  /** Role types the thing plays, once per relation and repetition it plays each in. */
  getPlaying(iid: string): TypeConcept[];
  /** Attributes only: their owners, each once; only instances of `ownerTypeLabel` or its subtypes if given. */
  getOwners(attributeIid: string, ownerTypeLabel?: string): Iterable<ThingConcept>;

  // ---- relations. A role is a scoped label, or a role name resolved among the relation type's roles ----

  addPlayer(relationIid: string, role: string, playerIid: string): void;
  removePlayer(relationIid: string, role: string, playerIid: string): void;
  /** Players, once per role they play (repetitions included); only in these roles or their subroles if given. */
  getPlayers(relationIid: string, roles?: readonly string[]): Iterable<ThingConcept>;
  /** Every role → player pair of the relation, a repeated role player once per repetition. */
  getRolePlayers(relationIid: string): RolePlayer[];
  /** Role types that have a player in this relation. */
  getRelating(relationIid: string): TypeConcept[];
}
