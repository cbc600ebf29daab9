// Writing things (entities, relations, attributes, ownerships, role players) inside one write transaction, over
// the reads of ThingReader (things.ts); the changes are kept for the checks at commit.
import type { WriteTransaction } from '../storage/api.js';
import type { SchemaReader, SchemaType } from '../schema/api.js';
import { formatValue, type Value } from '../common/values.js';
import { wholeMatchRegex } from '../common/java-regex.js';
import { StrataError } from '../common/errors.js';
import { TypeRead } from '../schema/index.js';
import { INSTANCE_CLASS, ThingWrite } from './errors.js';
import {
  ThingKind,
  type IID,
  attributeIID,
  encodeCount,
  encodeValueRecord,
  hasKey,
  hasPrefix,
  hasReverseKey,
  hasReversePrefix,
  iidKey,
  iidKind,
  iidToHex,
  lockKey,
  objectIID,
  roleKey,
  rolePrefix,
  roleReverseKey,
  roleReversePrefix,
  splitEdgeKey,
  splitRoleKey,
  thingKey,
} from '../encoding/index.js';
import { labelOf, ThingReader, type Attribute, type Thing } from './things.js';

/** The value of keys that carry nothing but themselves. */
const EMPTY = new Uint8Array(0);

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

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
