// The schema contract: what the concept and query layers read from the type graph.
import type { TypeLabel, TypeRoot } from './labels.js';
import type { ValueType } from '../common/values.js';
import type { Definable, RuleDefinition } from '../typeql/ast.js';

export type TypeId = number;

/**
 * One type of the graph: a meta type (thing, entity, relation, attribute, relation:role) or a user type.
 * Compare types by `id`: each graph (and each clone of it) hands out its own objects.
 */
export interface SchemaType {
  readonly id: TypeId;
  readonly label: TypeLabel;
  /** `entity`, `relation`, `attribute`, `role`; `thing` only for the `thing` meta type itself. */
  readonly root: TypeRoot;
  readonly isMeta: boolean;
  readonly abstract: boolean;
  readonly valueType?: ValueType;
  readonly regex?: string;
  readonly supertype?: SchemaType;
}

export interface Ownership {
  readonly attribute: SchemaType;
  /** Effective annotations, including inherited ones. */
  readonly key: boolean;
  readonly unique: boolean;
  /** The type that declares this ownership (the type itself, or a supertype it inherits from). */
  readonly declaredBy: SchemaType;
  /** The inherited attribute type this one overrides (`owns A as B`), if any. */
  readonly overridden?: SchemaType;
}

export interface Playing {
  readonly role: SchemaType;
  readonly declaredBy: SchemaType;
  readonly overridden?: SchemaType;
}

/**
 * Checks the schema layer asks of the data when a define or undefine would invalidate existing things.
 * Implemented by the concept layer over the current transaction's view.
 */
export interface InstanceChecks {
  /** Whether the type (not its subtypes) has instances; for a role type: whether any player plays it. */
  hasInstances(type: SchemaType): boolean;
  /** Whether any instance of owner (or a subtype of it) owns an instance of attribute (or a subtype). */
  hasOwnerships(owner: SchemaType, attribute: SchemaType): boolean;
  /** Whether any instance of player (or a subtype) plays role (or a subrole). */
  hasRolePlayers(player: SchemaType, role: SchemaType): boolean;
  /**
   * Optional. Whether any instance of exactly `owner` owns an instance of exactly `attribute` (no subtypes on either
   * side). Without it, the schema layer asks hasOwnerships, which may report ownerships a change does not affect.
   */
  hasExactOwnerships?(owner: SchemaType, attribute: SchemaType): boolean;
  /** Optional. Whether any instance of exactly `player` plays exactly `role`; hasRolePlayers otherwise. */
  hasExactRolePlayers?(player: SchemaType, role: SchemaType): boolean;
  /**
   * Optional. Whether the instances of exactly `owner` satisfy an ownership annotation being made stricter
   * (`define person owns email @key;` over existing data); undefined when they do.
   * `key`: each instance owns exactly one `attribute` and no other instance of `owner` or of a subtype owns the same one;
   * `key-cardinality`: each owns exactly one (uniqueness already holds); `unique`: none of their attributes owned twice
   * among the instances of `owner` and its subtypes.
   * Without it, define does not check existing data against new annotations.
   */
  ownershipViolation?(owner: SchemaType, attribute: SchemaType, requirement: OwnershipRequirement): OwnershipViolation | undefined;
  /**
   * Optional. A value of an instance of `attribute` (or a subtype) that does not fully match `regex`, if any
   * (TYW20 when a regex is defined over existing data). Without it, regexes are not checked against data.
   */
  regexViolation?(attribute: SchemaType, regex: string): string | undefined;
  /**
   * Optional. Whether any instance of exactly `relation` has a player for `role`. Without it, the schema layer
   * assumes so whenever both the relation type and the role have instances.
   */
  hasRelationRolePlayers?(relation: SchemaType, role: SchemaType): boolean;
}

export type OwnershipRequirement = 'key' | 'key-cardinality' | 'unique';
export type OwnershipViolation = 'missing' | 'too-many' | 'not-unique';

export interface SchemaReader {
  get(label: string | TypeLabel): SchemaType | undefined;
  /** Every type, meta types included. */
  all(): Iterable<SchemaType>;
  byId(id: TypeId): SchemaType | undefined;
  /** The type and its supertypes, nearest first, up to the meta type (`thing` excluded). */
  supertypes(type: SchemaType): SchemaType[];
  /** The type and all its transitive subtypes (direct: only one level, type excluded). */
  subtypes(type: SchemaType, options?: { direct?: boolean }): SchemaType[];
  isSubtypeOf(type: SchemaType, ancestor: SchemaType): boolean;
  /** Effective ownerships (declared plus inherited, minus overridden ones), keyed by attribute type id. */
  owns(type: SchemaType): ReadonlyMap<TypeId, Ownership>;
  /** Effective played roles, keyed by role type id. */
  plays(type: SchemaType): ReadonlyMap<TypeId, Playing>;
  /** Effective related roles of a relation type (declared plus inherited not overridden). */
  relates(type: SchemaType): SchemaType[];
  /** Finds the role named `roleName` in the relation type's effective roles (also accepts a scoped label). */
  resolveRole(relation: SchemaType, roleName: string): SchemaType | undefined;
  rules(): ReadonlyMap<string, RuleDefinition>;
}

export interface SchemaWriter extends SchemaReader {
  /** Applies a define query; atomic: on error the schema is unchanged. */
  define(definables: readonly Definable[], checks: InstanceChecks): void;
  /** Applies an undefine query; atomic: on error the schema is unchanged. */
  undefine(definables: readonly Definable[], checks: InstanceChecks): void;
  /**
   * Whole-schema checks TypeDB runs when a schema transaction commits; throws every violation found. They depend
   * on the schema only (data is checked when each change is made); `checks` is accepted for callers that pass it.
   */
  validateForCommit(checks?: InstanceChecks): void;
}
