// Things (entities, relations, attributes) as operations over the key space of one transaction's view.
import type { ReadView, WriteTransaction } from '../storage/api.js';
import type { SchemaReader, SchemaType } from '../schema/api.js';
import { formatValue, type Value } from '../common/values.js';
import { wholeMatchRegex } from '../common/java-regex.js';
import { StrataError } from '../common/errors.js';
import { TypeRead } from '../schema/index.js';
import { ThingWrite } from './errors.js';
import {
  ThingKind,
  type IID,
  iidKey,
  iidToHex,
  attributeIID,
  attributeValueFromIID,
  decodeCount,
  decodeValueRecord,
  encodeCount,
  encodeValueRecord,
  hasKey,
  hasPrefix,
  hasReverseKey,
  hasReversePrefix,
  hasReverseTypePrefix,
  hasTypePrefix,
  iidKind,
  prefixEnd,
  iidTypeId,
  lockKey,
  objectIID,
  roleKey,
  rolePrefix,
  roleReverseKey,
  roleReversePrefix,
  edgeKeyTarget,
  splitEdgeKey,
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

const EMPTY = new Uint8Array(0);

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

/** Allocates entity and relation sequence numbers; shared by all transactions of one database. */
export interface SequenceAllocator {
  next(kind: ThingKind.Entity | ThingKind.Relation, typeId: number): number;
}

/** What a write transaction changed, for commit-time validation. */
export interface ThingChanges {
  /** Things whose ownerships changed or that were created (key cardinality is checked on them). */
  readonly owners: Map<string, Thing>;
  /** Relations whose players were removed (deleted at commit if no player is left). */
  readonly relations: Map<string, Thing>;
  /** Things deleted in this transaction. */
  readonly deleted: Set<string>;
  /** Relations that lost a player and kept another in this transaction's view (see requireAnyPlayer). */
  readonly keptAfterLosingPlayers: Map<string, Thing>;
}

/** Read and write access to things inside a write transaction. */
export class ThingWriter extends ThingReader {
  readonly changes: ThingChanges = { owners: new Map(), relations: new Map(), deleted: new Set(), keptAfterLosingPlayers: new Map() };

  constructor(
    private readonly tx: WriteTransaction,
    schema: SchemaReader,
    private readonly sequences: SequenceAllocator,
  ) {
    super(tx, schema);
  }

  createEntity(type: SchemaType): Thing {
    return this.createObject(type, ThingKind.Entity);
  }

  createRelation(type: SchemaType): Thing {
    return this.createObject(type, ThingKind.Relation);
  }

  private createObject(type: SchemaType, kind: ThingKind.Entity | ThingKind.Relation): Thing {
    this.assertInstantiable(type);
    const iid = objectIID(kind, type.id, this.sequences.next(kind, type.id));
    this.tx.put(thingKey(iid), EMPTY);
    const thing = { iid, type };
    this.changes.owners.set(iidKey(iid), thing);
    if (kind === ThingKind.Relation) this.changes.relations.set(iidKey(iid), thing);
    return thing;
  }

  /** The attribute of this type and value, created if it does not exist (attributes are unique by value). */
  putAttribute(type: SchemaType, value: Value): Attribute {
    this.assertInstantiable(type);
    if (type.valueType !== value.type) throw TypeRead.valueTypeMismatch(labelOf(type), value.type, type.valueType);
    if (type.regex !== undefined && value.type === 'string' && !wholeMatchRegex(type.regex).test(value.value)) {
      throw ThingWrite.attributeValueUnsatisfiesRegex(labelOf(type), value.value, type.regex);
    }
    const iid = attributeIID(type.id, value);
    const key = thingKey(iid);
    const record = encodeValueRecord(value);
    const stored = this.tx.get(key);
    // An existing attribute is only marked as used by this transaction (a concurrent delete of it then conflicts).
    if (stored !== undefined && sameBytes(stored, record)) this.tx.touch(key);
    else this.tx.put(key, record);
    this.changes.owners.set(iidKey(iid), { iid, type });
    return { iid, type, value };
  }

  private assertInstantiable(type: SchemaType): void {
    if (type.root === 'role' || type.root === 'thing') {
      throw new StrataError('THW', 13, `The type '${labelOf(type)}' cannot be used for creating an instance as it is not a thing type.`);
    }
    // Root types are abstract.
    if (type.isMeta || type.abstract) throw ThingWrite.illegalAbstractWrite(INSTANCE_CLASS[type.root], labelOf(type));
  }

  /** Marks a thing as modified, so that a concurrent delete of it makes one of the two commits fail. */
  private touch(thing: Thing): void {
    const key = thingKey(thing.iid);
    if (!this.tx.has(key)) throw ThingWrite.thingHasBeenDeleted(iidToHex(thing.iid), labelOf(thing.type));
    this.tx.touch(key);
  }

  /**
   * Marks the thing at the other end of a removed edge as modified, as TypeDB does, so that a concurrent delete of
   * it is a modify/delete conflict ([TXN09]/[TXN10]) rather than a clash of two deletes.
   */
  private touchOtherEnd(iid: IID): void {
    const key = thingKey(iid);
    if (this.tx.has(key)) this.tx.touch(key);
  }

  setHas(owner: Thing, attribute: Attribute): void {
    const ownership = this.schema.owns(owner.type).get(attribute.type.id);
    if (!ownership) {
      throw ThingWrite.thingCannotOwnAttribute(labelOf(attribute.type), labelOf(owner.type));
    }
    this.touch(owner);
    this.touch(attribute);
    if (this.tx.has(hasKey(owner.iid, attribute.iid))) return;
    if (ownership.key) {
      for (const _ of this.ownedAttributes(owner.iid, attribute.type)) {
        throw ThingWrite.thingKeyOver(labelOf(attribute.type), labelOf(owner.type));
      }
    }
    if (ownership.key || ownership.unique) {
      // Unique among the owners of one type: an owner of a subtype or supertype may hold the same value (TypeDB's
      // behaviour suite, insert.feature: "instances of an inherited key attribute don't have to be unique among
      // instances of a type and its subtypes").
      for (const other of this.owners(attribute.iid)) {
        if (other.type.id === owner.type.id) {
          const value = attribute.value.type === 'string' ? attribute.value.value : formatValue(attribute.value);
          throw ownership.key
            ? ThingWrite.thingKeyTaken(value, labelOf(attribute.type), labelOf(owner.type))
            : ThingWrite.thingUniqueTaken(value, labelOf(attribute.type), labelOf(owner.type));
        }
      }
      // Two concurrent transactions giving the same unique value to two owners of one type: one must fail.
      this.tx.lock(lockKey(Uint8Array.of(owner.type.id >> 8, owner.type.id & 0xff), attribute.iid));
    }
    this.tx.put(hasKey(owner.iid, attribute.iid), EMPTY);
    this.tx.put(hasReverseKey(attribute.iid, owner.iid), EMPTY);
    this.changes.owners.set(iidKey(owner.iid), owner);
  }

  unsetHas(owner: Thing, attribute: Thing): boolean {
    if (!this.tx.has(hasKey(owner.iid, attribute.iid))) return false;
    this.touch(owner);
    this.touchOtherEnd(attribute.iid);
    this.tx.delete(hasKey(owner.iid, attribute.iid));
    this.tx.delete(hasReverseKey(attribute.iid, owner.iid));
    this.changes.owners.set(iidKey(owner.iid), owner);
    return true;
  }

  addPlayer(relation: Thing, role: SchemaType, player: Thing): void {
    if (!this.schema.relates(relation.type).some((r) => r.id === role.id)) {
      throw ThingWrite.relationRoleUnrelated(labelOf(relation.type), labelOf(role));
    }
    if (!this.schema.plays(player.type).has(role.id)) {
      throw ThingWrite.thingRoleUnplayed(labelOf(player.type), labelOf(role));
    }
    this.touch(relation);
    this.touch(player);
    const count = this.playerCount(relation.iid, role, player.iid) + 1;
    this.tx.put(roleKey(relation.iid, role.id, player.iid), encodeCount(count));
    this.tx.put(roleReverseKey(player.iid, role.id, relation.iid), encodeCount(count));
  }

  /**
   * Removes one repetition of a role player; returns false if it was not playing. A relation left without players is
   * deleted at once, as in TypeDB (RelationImpl.deleteIfNoPlayer).
   */
  removePlayer(relation: Thing, role: SchemaType, player: Thing): boolean {
    const count = this.playerCount(relation.iid, role, player.iid);
    if (count === 0) return false;
    this.touch(relation);
    this.touchOtherEnd(player.iid);
    if (count === 1) {
      this.tx.delete(roleKey(relation.iid, role.id, player.iid));
      this.tx.delete(roleReverseKey(player.iid, role.id, relation.iid));
      if (this.deleteIfNoPlayer(relation)) return true;
    } else {
      this.tx.put(roleKey(relation.iid, role.id, player.iid), encodeCount(count - 1));
      this.tx.put(roleReverseKey(player.iid, role.id, relation.iid), encodeCount(count - 1));
    }
    this.changes.relations.set(iidKey(relation.iid), relation);
    return true;
  }

  /**
   * Deletes a thing with all its ownerships and role-player edges, in both directions; the relations it was the last
   * player of go with it, as in TypeDB (ThingImpl.delete).
   */
  delete(thing: Thing): void {
    if (!this.exists(thing.iid)) return;
    for (const key of [...this.tx.prefixKeys(hasPrefix(thing.iid))]) {
      const [, attribute] = splitEdgeKey(key);
      this.tx.delete(key);
      this.tx.delete(hasReverseKey(attribute, thing.iid));
      this.touchOtherEnd(attribute);
    }
    for (const key of [...this.tx.prefixKeys(hasReversePrefix(thing.iid))]) {
      const [, owner] = splitEdgeKey(key);
      this.tx.delete(key);
      this.tx.delete(hasKey(owner, thing.iid));
      this.touchOtherEnd(owner);
      this.changes.owners.set(iidKey(owner), { iid: owner, type: this.typeOfIID(owner) });
    }
    const played: Thing[] = [];
    for (const key of [...this.tx.prefixKeys(roleReversePrefix(thing.iid))]) {
      const [, roleId, relation] = splitRoleKey(key);
      this.tx.delete(key);
      this.tx.delete(roleKey(relation, roleId, thing.iid));
      this.touchOtherEnd(relation);
      const playedIn = { iid: relation, type: this.typeOfIID(relation) };
      this.changes.relations.set(iidKey(relation), playedIn);
      played.push(playedIn);
    }
    if (iidKind(thing.iid) === ThingKind.Relation) {
      for (const key of [...this.tx.prefixKeys(rolePrefix(thing.iid))]) {
        const [, roleId, player] = splitRoleKey(key);
        this.tx.delete(key);
        this.tx.delete(roleReverseKey(player, roleId, thing.iid));
        this.touchOtherEnd(player);
      }
    }
    this.tx.delete(thingKey(thing.iid));
    const k = iidKey(thing.iid);
    this.changes.deleted.add(k);
    this.changes.owners.delete(k);
    this.changes.relations.delete(k);
    for (const relation of played) {
      if (this.exists(relation.iid)) this.deleteIfNoPlayer(relation);
    }
  }

  /**
   * Deletes a relation that has just lost a player if no player is left (true), as in TypeDB. If one is left, the
   * relation is remembered: at commit it must still have a player (requireAnyPlayer).
   */
  private deleteIfNoPlayer(relation: Thing): boolean {
    if (!this.hasAnyPlayer(relation.iid)) {
      this.delete(relation);
      return true;
    }
    this.changes.keptAfterLosingPlayers.set(iidKey(relation.iid), relation);
    return false;
  }

  /**
   * Makes the commit fail ([TXN11]) if the relation has no player left once the commits made since this transaction's
   * snapshot are counted: a concurrent transaction that removed the players this one kept (each seeing the other's
   * still there) would otherwise leave it without any. Removals that leave a player commit together, as in TypeDB.
   */
  requireAnyPlayer(relation: IID): void {
    this.tx.requireAnyWithPrefix(rolePrefix(relation));
  }
}

/** TypeDB's class name of an instance of each root, as its errors print it. */
export const INSTANCE_CLASS: Readonly<Record<string, string>> = { entity: 'Entity', relation: 'Relation', attribute: 'Attribute' };

/** The THING keys [start, end) of the attributes of one type with values between two inclusive bounds. */
function attributeKeyRange(type: SchemaType, lower: Value | undefined, upper: Value | undefined): [Uint8Array, Uint8Array] {
  const prefix = thingTypePrefix(ThingKind.Attribute, type.id);
  const start = lower === undefined ? prefix : thingKey(attributeIID(type.id, lower));
  const end = prefixEnd(upper === undefined ? prefix : thingKey(attributeIID(type.id, upper)));
  return [start, end];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function labelOf(type: SchemaType): string {
  return labelText(type.label);
}
