// TypeDB 2.x's thing error texts (common/exception/ErrorMessage.java: ThingRead, ThingWrite), one constructor per
// message, so that the concept API, queries and commit validation raise the same error for the same failure.
import { StrataError } from '../common/errors.js';
import { JAVA_VALUE_CLASS, type ValueType } from '../common/values.js';

export type InstanceKind = 'entity' | 'relation' | 'attribute';

/** TypeDB's interface name of an instance of each root, as its errors print it (the `to` of a cast: `asRelation()`). */
export const INSTANCE_CLASS: Readonly<Record<string, string>> = { entity: 'Entity', relation: 'Relation', attribute: 'Attribute' };

/**
 * The class TypeDB's concept layer gives an instance (ThingImpl.of: EntityImpl, RelationImpl, AttributeImpl.Long …),
 * the `from` of its casting errors, which print the runtime class.
 */
export function thingImplClass(kind: InstanceKind, valueType: ValueType | undefined): string {
  if (kind === 'attribute') return `AttributeImpl.${JAVA_VALUE_CLASS[valueType!]}`;
  return kind === 'entity' ? 'EntityImpl' : 'RelationImpl';
}

export const ThingRead = {
  invalidThingCasting: (from: string, to: string) =>
    new StrataError('THR', 3, `Invalid concept conversion from '${from}' to '${to}'.`),
  /** A thing cast to another kind (`thing.asEntity()` on a relation), as TypeDB's concept layer fails it. */
  thingOfAnotherKind: (kind: InstanceKind, valueType: ValueType | undefined, to: InstanceKind) =>
    ThingRead.invalidThingCasting(thingImplClass(kind, valueType), INSTANCE_CLASS[to]!),
  thingNotFound: (iid: string) => new StrataError('THR', 4, `The thing with IID '${iid}' is not found.`),
};

export const ThingWrite = {
  /** `kind` is TypeDB's class name of the instance: `Entity`, `Relation` or `Attribute`. */
  illegalAbstractWrite: (kind: string, type: string) =>
    new StrataError('THW', 1, `Attempted an illegal write of a new '${kind}' of abstract type '${type}'.`),
  thingHasBeenDeleted: (iid: string, type: string) =>
    new StrataError('THW', 2, `Instance '${iid}' of type '${type}' has been deleted and cannot be modified any further.`),
  thingCannotOwnAttribute: (attribute: string, owner: string) =>
    new StrataError('THW', 3, `Attribute of type '${attribute}' is not defined to be owned by type '${owner}'.`),
  thingKeyOver: (attribute: string, owner: string) =>
    new StrataError('THW', 4, `Attempted to assign a key of type '${attribute}' onto a(n) '${owner}' that already has one.`),
  thingKeyTaken: (value: string, attribute: string, owner: string) =>
    new StrataError('THW', 5, `Attempted to assign a key '${value}' of type '${attribute}' that had been taken by another '${owner}'.`),
  /** `attributes` is printed as TypeDB prints a list of labels, without quotes. */
  thingKeyMissing: (owner: string, attributes: readonly string[]) =>
    new StrataError('THW', 6, `Attempted to commit a(n) '${owner}' that is missing key(s) of type(s): [${attributes.join(', ')}]`),
  thingUniqueTaken: (value: string, attribute: string, owner: string) =>
    new StrataError('THW', 7, `Attempted to assign a unique attribute '${value}' of type '${attribute}' that had been taken by another '${owner}'.`),
  thingRoleUnplayed: (player: string, role: string) =>
    new StrataError('THW', 8, `The thing type '${player}' does not play the role type '${role}'.`),
  relationRoleUnrelated: (relation: string, role: string) =>
    new StrataError('THW', 9, `Relation type '${relation}' does not relate role type '${role}'.`),
  attributeValueUnsatisfiesRegex: (attribute: string, value: string, regex: string) =>
    new StrataError('THW', 11, `Attempted to put an instance of '${attribute}' with value '${value}' that does not satisfy the regular expression '${regex}'.`),
  invalidDeleteHas: (owner: string, attribute: string) =>
    new StrataError('THW', 20, `Invalid attempt to delete attribute ownership. The thing '${owner}' does not have attribute '${attribute}'.`),
  /** TypeDB fills the message with the player's type and the role (RelationImpl.removePlayer), not with IIDs. */
  rolePlayerNotPresent: (playerType: string, role: string) =>
    new StrataError('THW', 33, `Could not delete roleplayer '${playerType}' as relation '${role}' does not relate it.`),
  /** The commit-time form of THING_KEY_OVER: the owner was given a second key in this transaction. */
  thingKeyTooMany: (owner: string, attribute: string, count: number) =>
    new StrataError('THW', 4, `Attempted to commit a(n) '${owner}' that has ${count} keys of type '${attribute}'; an instance owns exactly one key of each key type.`),
};
