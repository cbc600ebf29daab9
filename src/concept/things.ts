// Things (entities, relations, attributes) as reads over the key space of one transaction's view; writing them is
// thing-writer.ts's job.
import type { ReadView } from '../storage/api.js';
import type { SchemaReader, SchemaType } from '../schema/api.js';
import type { Value } from '../common/values.js';
import { StrataError } from '../common/errors.js';
import {
  ThingKind,
  type IID,
  attributeIID,
  attributeValueFromIID,
  decodeCount,
  decodeValueRecord,
  hasKey,
  hasPrefix,
  hasReversePrefix,
  hasReverseTypePrefix,
  hasTypePrefix,
  prefixEnd,
  iidTypeId,
  iidLength,
  keyPart,
  roleKey,
  rolePrefix,
  roleReversePrefix,
  edgeKeyTarget,
  splitRoleKey,
  thingKey,
  thingKeyIID,
  thingTypePrefix,
  typePrefix,
} from '../encoding/index.js';
import { labelText } from '../schema/labels.js';

export interface Thing {
  readonly iid: IID;
  readonly type: SchemaType;
}

export interface Attribute extends Thing {
  readonly value: Value;
}

export interface RoleEdge {
  readonly role: SchemaType;
  readonly player: Thing;
  readonly relation: Thing;
  /** How many times the player plays the role in this relation (repeated role players). */
  readonly count: number;
}

/**
 * An edge's item once per repetition. TypeDB keeps one role instance per time a player was added in a role, and its
 * Concept API lists role players, relations and played roles edge by edge (RelationImpl.getPlayers,
 * ThingImpl.getRelations and getPlaying, RoleTypeImpl.getRelationInstances and getPlayerInstances): a repeated role
 * player, or a thing playing two roles in one relation, shows up once for each.
 */
export function* perRepetition<T>(edge: RoleEdge, item: T): Generator<T> {
  for (let i = 0; i < edge.count; i++) yield item;
}


export function kindOfType(type: SchemaType): ThingKind {
  switch (type.root) {
    case 'entity':
      return ThingKind.Entity;
    case 'relation':
      return ThingKind.Relation;
    case 'attribute':
      return ThingKind.Attribute;
    default:
      throw new StrataError('THR', 1, `Type '${type.label.name}' has no instances.`);
  }
}

const NO_THINGS: readonly Thing[] = [];
const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** A type's instances from its THING keys: a plain iterator, since a type scan resumes it once per instance. */
class InstanceIterator implements IterableIterator<Thing> {
  constructor(
    private readonly keys: IterableIterator<Uint8Array>,
    private readonly type: SchemaType,
  ) {}

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<Thing> {
    const step = this.keys.next();
    if (step.done === true) return DONE;
    return { done: false, value: { iid: thingKeyIID(step.value), type: this.type } };
  }

  return(): IteratorResult<Thing> {
    this.keys.return?.();
    return DONE;
  }
}

/** Read access to things in one view (a snapshot or a write transaction). */
export class ThingReader {
  constructor(
    protected readonly view: ReadView,
    protected readonly schema: SchemaReader,
  ) {}

  typeOfIID(iid: IID): SchemaType {
    const type = this.schema.byId(iidTypeId(iid));
    if (!type) throw new StrataError('THR', 2, `The thing ${Buffer.from(iid).toString('hex')} has a type that no longer exists.`);
    return type;
  }

  exists(iid: IID): boolean {
    return this.view.has(thingKey(iid));
  }

  /** Whether the thing was inferred by a rule rather than stored; only readers over inferred facts say yes. */
  isInferred(_iid: IID): boolean {
    return false;
  }

  /** Whether the ownership was inferred by a rule rather than stored (see isInferred). */
  isInferredOwnership(_owner: IID, _attribute: IID): boolean {
    return false;
  }

  /** The thing with this IID, if it exists in this view. */
  get(iid: IID): Thing | undefined {
    if (!this.exists(iid)) return undefined;
    const type = this.schema.byId(iidTypeId(iid));
    return type ? { iid, type } : undefined;
  }

  attributeValue(iid: IID): Value {
    const fromKey = attributeValueFromIID(iid);
    if (fromKey) return fromKey;
    const record = this.view.get(thingKey(iid));
    if (!record) throw new StrataError('THR', 3, 'The attribute does not exist.');
    return decodeValueRecord(record);
  }

  asAttribute(thing: Thing): Attribute {
    return { iid: thing.iid, type: thing.type, value: this.attributeValue(thing.iid) };
  }

  /** Direct instances of exactly this type (callers expand subtypes). */
  instances(type: SchemaType): IterableIterator<Thing> {
    if (type.root === 'thing' || type.root === 'role' || type.isMeta) return NO_THINGS[Symbol.iterator]();
    return new InstanceIterator(this.view.prefixKeys(thingTypePrefix(kindOfType(type), type.id)), type);
  }

  /** Direct instances of exactly this type, counted up to `limit`. */
  countInstances(type: SchemaType, limit = Infinity): number {
    let n = 0;
    if (type.root === 'thing' || type.root === 'role' || type.isMeta) return 0;
    const prefix = thingTypePrefix(kindOfType(type), type.id);
    // Without a limit the store counts the keys itself: reading each out to JavaScript costs far more.
    if (limit === Infinity) return this.view.countPrefixKeys(prefix);
    for (const _ of this.view.prefixKeys(prefix)) if (++n >= limit) break;
    return n;
  }

  /** Ownerships of attributes of exactly this attribute type, counted up to `limit`. */
  countOwnerships(attributeType: SchemaType, limit = Infinity): number {
    let n = 0;
    if (attributeType.root !== 'attribute' || attributeType.isMeta) return 0;
    for (const _ of this.view.prefixKeys(hasReversePrefix(typePrefix(ThingKind.Attribute, attributeType.id)))) if (++n >= limit) break;
    return n;
  }

  /**
   * Role-player edges of players of exactly this type, counted up to `limit`, how many players they are of (a
   * player's edges are adjacent keys), and how many are in each role type (by id).
   */
  countPlayerEdges(playerType: SchemaType, limit = Infinity): { edges: number; players: number; byRole: Map<number, number> } {
    let edges = 0;
    let players = 0;
    const byRole = new Map<number, number>();
    if (playerType.root === 'thing' || playerType.root === 'role' || playerType.isMeta) return { edges, players, byRole };
    let previous: Uint8Array | undefined;
    for (const key of this.view.prefixKeys(roleReversePrefix(typePrefix(kindOfType(playerType), playerType.id)))) {
      const end = 1 + iidLength(key, 1);
      if (previous === undefined || !sameBytes(previous, key, 1, end)) {
        players++;
        previous = keyPart(key, 1, end);
      }
      const role = (key[end]! << 8) | key[end + 1]!;
      byRole.set(role, (byRole.get(role) ?? 0) + 1);
      if (++edges >= limit) break;
    }
    return { edges, players, byRole };
  }

  /** The attribute of this type with this value, if it exists. */
  getAttribute(type: SchemaType, value: Value): Attribute | undefined {
    const iid = attributeIID(type.id, value);
    return this.exists(iid) ? { iid, type, value } : undefined;
  }

  /**
   * Attributes of exactly this type whose values lie between `lower` and `upper` (inclusive; either may be left
   * open), read as one range of keys, in key order (`descending`: backwards): only for value types whose keys sort
   * in value order (long, double, datetime, boolean).
   */
  *attributesBetween(type: SchemaType, lower?: Value, upper?: Value, descending = false): Generator<Thing> {
    const keys = this.view.rangeKeys(...attributeKeyRange(type, lower, upper), { reverse: descending });
    for (const key of keys) yield { iid: thingKeyIID(key), type };
  }

  /** How many attributes attributesBetween would give, counted up to `limit`. */
  countAttributesBetween(type: SchemaType, lower: Value | undefined, upper: Value | undefined, limit: number): number {
    let n = 0;
    for (const _ of this.view.rangeKeys(...attributeKeyRange(type, lower, upper), { limit })) n++;
    return n;
  }

  /**
   * How many things own the attributes attributesBetween would give, counted up to `limit` from the ownership keys
   * alone: keyed by attribute first, the ownerships of a range of values are one range of keys.
   */
  countOwnersBetween(type: SchemaType, lower: Value | undefined, upper: Value | undefined, limit: number): number {
    let n = 0;
    for (const _ of this.view.rangeKeys(...valueKeyRange(type, lower, upper, hasReversePrefix), { limit })) n++;
    return n;
  }

  /** Attributes owned by owner; restricted to one attribute type (exactly) when given. */
  *ownedAttributes(owner: IID, attributeType?: SchemaType): Generator<Attribute> {
    for (const attribute of this.ownedAttributeThings(owner, attributeType)) {
      yield { iid: attribute.iid, type: attribute.type, value: this.attributeValue(attribute.iid) };
    }
  }

  /** ownedAttributes without their values, for callers that may never need them (attributeValue reads one). */
  *ownedAttributeThings(owner: IID, attributeType?: SchemaType): Generator<Thing> {
    const prefix = attributeType
      ? hasTypePrefix(owner, ThingKind.Attribute, attributeType.id)
      : hasPrefix(owner);
    for (const key of this.view.prefixKeys(prefix)) {
      const attribute = edgeKeyTarget(key);
      yield { iid: attribute, type: this.typeOfIID(attribute) };
    }
  }

  /** How many attributes of exactly this type the owner owns, from the ownership keys alone (no value is read). */
  countOwnedAttributes(owner: IID, attributeType: SchemaType): number {
    let n = 0;
    for (const _ of this.view.prefixKeys(hasTypePrefix(owner, ThingKind.Attribute, attributeType.id))) n++;
    return n;
  }

  ownsAttribute(owner: IID, attribute: IID): boolean {
    return this.view.has(hasKey(owner, attribute));
  }

  *owners(attribute: IID): Generator<Thing> {
    for (const key of this.view.prefixKeys(hasReversePrefix(attribute))) {
      const owner = edgeKeyTarget(key);
      yield { iid: owner, type: this.typeOfIID(owner) };
    }
  }

  /**
   * How many things own the attribute, from the ownership keys alone, counted up to `limit`: a planner weighing a
   * value shared by millions of owners needs to know it is many, not to count them all for each query.
   */
  countOwners(attribute: IID, limit: number): number {
    let n = 0;
    for (const _ of this.view.prefixKeys(hasReversePrefix(attribute))) if (++n >= limit) break;
    return n;
  }

  /** Owners of the attribute that are instances of exactly `ownerType`. */
  *ownersOfType(attribute: IID, ownerType: SchemaType): Generator<Thing> {
    if (ownerType.root === 'thing' || ownerType.root === 'role' || ownerType.isMeta) return;
    for (const key of this.view.prefixKeys(hasReverseTypePrefix(attribute, kindOfType(ownerType), ownerType.id))) {
      yield { iid: edgeKeyTarget(key), type: ownerType };
    }
  }

  /** Role players of a relation, optionally of one role type (exactly). */
  *rolePlayers(relation: Thing, role?: SchemaType): Generator<RoleEdge> {
    for (const [key, value] of this.view.prefix(rolePrefix(relation.iid, role?.id))) {
      const [, roleId, player] = splitRoleKey(key);
      yield {
        relation,
        role: role ?? this.roleType(roleId),
        player: { iid: player, type: this.typeOfIID(player) },
        count: decodeCount(value),
      };
    }
  }

  /**
   * A relation's role players if this reader holds them in memory (a reasoning reader's cache; callers only read the
   * list), else undefined: they are then read, as needed, through rolePlayers.
   */
  heldRolePlayers(_relation: Thing): readonly RoleEdge[] | undefined {
    return undefined;
  }

  /**
   * A player's relations in one role type (exactly) if this reader holds them in memory (a reasoning reader's cache;
   * callers only read the list), else undefined: they are then read through relationsOf.
   */
  heldRelationsOf(_player: Thing, _role: SchemaType): readonly RoleEdge[] | undefined {
    return undefined;
  }

  /** Relations a thing plays in, optionally through one role type (exactly). */
  *relationsOf(player: Thing, role?: SchemaType): Generator<RoleEdge> {
    for (const [key, value] of this.view.prefix(roleReversePrefix(player.iid, role?.id))) {
      const [, roleId, relation] = splitRoleKey(key);
      yield {
        player,
        role: role ?? this.roleType(roleId),
        relation: { iid: relation, type: this.typeOfIID(relation) },
        count: decodeCount(value),
      };
    }
  }

  playerCount(relation: IID, role: SchemaType, player: IID): number {
    const value = this.view.get(roleKey(relation, role.id, player));
    return value ? decodeCount(value) : 0;
  }

  hasAnyPlayer(relation: IID): boolean {
    for (const _ of this.view.prefixKeys(rolePrefix(relation), { limit: 1 })) return true;
    return false;
  }

  // Existence checks on edges by type id alone: they never resolve the types of the things at the other end,
  // so they also work for types a schema change is removing.

  /** Whether the relation has a player for this role type (exactly). */
  hasPlayerInRole(relation: IID, role: SchemaType): boolean {
    for (const _ of this.view.prefixKeys(rolePrefix(relation, role.id), { limit: 1 })) return true;
    return false;
  }

  /** Whether the thing plays this role type (exactly) in some relation. */
  playsRole(player: IID, role: SchemaType): boolean {
    for (const _ of this.view.prefixKeys(roleReversePrefix(player, role.id), { limit: 1 })) return true;
    return false;
  }

  /** Whether the owner owns an attribute of this attribute type (exactly). */
  ownsAnyOf(owner: IID, attributeType: SchemaType): boolean {
    for (const _ of this.view.prefixKeys(hasTypePrefix(owner, ThingKind.Attribute, attributeType.id), { limit: 1 })) return true;
    return false;
  }

  private roleType(id: number): SchemaType {
    const role = this.schema.byId(id);
    if (!role) throw new StrataError('THR', 4, `Role type id ${id} no longer exists.`);
    return role;
  }
}

/** The THING keys [start, end) of the attributes of one type with values between two inclusive bounds. */
function attributeKeyRange(type: SchemaType, lower: Value | undefined, upper: Value | undefined): [Uint8Array, Uint8Array] {
  return valueKeyRange(type, lower, upper, thingKey);
}

/**
 * The keys of a keyspace keyed by attribute IID first (`keyOf` puts an IID, or a type's IID prefix, in it) that
 * belong to attributes of `type` with values between `lower` and `upper` (inclusive; either may be left open).
 */
function valueKeyRange(type: SchemaType, lower: Value | undefined, upper: Value | undefined, keyOf: (iid: Uint8Array) => Uint8Array): [Uint8Array, Uint8Array] {
  const prefix = keyOf(typePrefix(ThingKind.Attribute, type.id));
  const start = lower === undefined ? prefix : keyOf(attributeIID(type.id, lower));
  const end = prefixEnd(upper === undefined ? prefix : keyOf(attributeIID(type.id, upper)));
  return [start, end];
}

export function labelOf(type: SchemaType): string {
  return labelText(type.label);
}

/** Whether bytes start..end of `key` are `part`. */
function sameBytes(part: Uint8Array, key: Uint8Array, start: number, end: number): boolean {
  if (part.length !== end - start) return false;
  for (let i = 0; i < part.length; i++) if (part[i] !== key[start + i]) return false;
  return true;
}
