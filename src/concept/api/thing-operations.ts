// The Concept API on things (ThingApi): IID-addressed reads over the transaction's view, writes through the
// ThingWriter (which enforces ownership, playing, key and regex rules as TypeDB does).
import type { Value } from '../../common/values.js';
import { TypeRead, type SchemaType } from '../../schema/index.js';
import { iidFromHex, iidTypeId, type IID } from '../../encoding/index.js';
import type { AttributeConcept, ThingConcept, TypeConcept } from '../concepts.js';
import { ThingRead, ThingWrite, type InstanceKind } from '../errors.js';
import { labelOf, perRepetition, type Attribute, type Thing } from '../things.js';
import type { HasFilter, RolePlayer, ThingApi } from './concept-api.js';
import type { ConceptContext } from './context.js';
import { describeAttribute, describeThing, describeType } from './describe.js';

export class ThingOperations implements ThingApi {
  constructor(private readonly ctx: ConceptContext) {}

  get(iid: string): ThingConcept | undefined {
    const bytes = iidFromHex(iid);
    const thing = bytes && this.ctx.things().get(bytes);
    return thing && describeThing(thing, this.ctx.things());
  }

  isDeleted(iid: string): boolean {
    const bytes = iidFromHex(iid);
    return !bytes || !this.ctx.things().exists(bytes);
  }

  create(typeLabel: string): ThingConcept {
    const writer = this.ctx.dataWriter();
    const type = this.type(typeLabel);
    this.ctx.assertTypeCommitted(type);
    let thing: Thing;
    if (type.root === 'entity') thing = writer.createEntity(type);
    else if (type.root === 'relation') thing = writer.createRelation(type);
    else throw TypeRead.invalidTypeCasting(labelOf(type), 'EntityType or RelationType');
    return describeThing(thing, writer);
  }

  putAttribute(typeLabel: string, value: Value): AttributeConcept {
    const writer = this.ctx.dataWriter();
    const type = this.attributeType(typeLabel);
    this.ctx.assertTypeCommitted(type);
    return describeAttribute(writer.putAttribute(type, coerce(type, value)), writer);
  }

  getAttribute(typeLabel: string, value: Value): AttributeConcept | undefined {
    const things = this.ctx.things();
    const type = this.attributeType(typeLabel);
    const coerced = coerce(type, value);
    if (type.valueType !== coerced.type) throw TypeRead.valueTypeMismatch(labelOf(type), coerced.type, type.valueType);
    const attribute = things.getAttribute(type, coerced);
    return attribute && describeAttribute(attribute, things);
  }

  delete(iid: string): void {
    const writer = this.ctx.dataWriter();
    writer.delete(this.writable(iid));
  }

  // ---- ownership ----

  getHas(iid: string, filter: HasFilter = {}): Iterable<AttributeConcept> {
    const things = this.ctx.things();
    const g = this.ctx.schema();
    const owner = this.readable(iid);
    const annotations = filter.annotations ?? [];
    const ownerships = g.owns(owner.type);
    const selected = (attribute: Attribute) => {
      const ownership = ownerships.get(attribute.type.id);
      return annotations.every((a) => (a === 'key' ? ownership?.key : ownership?.unique));
    };
    // One scan of the owner's attributes, or one per requested attribute type (with its subtypes).
    let types: (SchemaType | undefined)[] = [undefined];
    if (filter.attributeTypes !== undefined) {
      const byId = new Map<number, SchemaType>();
      for (const label of filter.attributeTypes) {
        for (const t of g.subtypes(this.attributeType(label))) if (!t.isMeta) byId.set(t.id, t);
      }
      types = [...byId.values()];
    }
    return (function* () {
      for (const type of types) {
        for (const a of things.ownedAttributes(owner.iid, type)) if (selected(a)) yield describeAttribute(a, things);
      }
    })();
  }

  setHas(iid: string, attributeIid: string): void {
    const writer = this.ctx.dataWriter();
    const owner = this.writable(iid);
    const attribute = this.writable(attributeIid);
    if (attribute.type.root !== 'attribute') throw castFailure(attribute, 'attribute');
    writer.setHas(owner, writer.asAttribute(attribute));
  }

  unsetHas(iid: string, attributeIid: string): void {
    const writer = this.ctx.dataWriter();
    const owner = this.writable(iid);
    const attribute = this.writable(attributeIid);
    if (!writer.unsetHas(owner, attribute)) throw ThingWrite.invalidDeleteHas(iid, attributeIid);
  }

  getOwners(attributeIid: string, ownerTypeLabel?: string): Iterable<ThingConcept> {
    const things = this.ctx.things();
    const g = this.ctx.schema();
    const attribute = this.readable(attributeIid);
    if (attribute.type.root !== 'attribute') throw castFailure(attribute, 'attribute');
    const ownerType = ownerTypeLabel === undefined ? undefined : this.type(ownerTypeLabel);
    return (function* () {
      for (const owner of things.owners(attribute.iid)) {
        if (!ownerType || g.isSubtypeOf(owner.type, ownerType)) yield describeThing(owner, things);
      }
    })();
  }

  // ---- role playing ----

  getRelations(iid: string, roleLabels?: readonly string[]): Iterable<ThingConcept> {
    const things = this.ctx.things();
    const player = this.readable(iid);
    const roles = roleLabels === undefined ? [undefined] : this.withSubroles(roleLabels.map((l) => this.roleType(l)));
    return (function* () {
      for (const role of roles) {
        for (const edge of things.relationsOf(player, role)) yield* perRepetition(edge, describeThing(edge.relation, things));
      }
    })();
  }

  getPlaying(iid: string): TypeConcept[] {
    const things = this.ctx.things();
    return [...things.relationsOf(this.readable(iid))].flatMap((edge) => [...perRepetition(edge, describeType(edge.role))]);
  }

  addPlayer(relationIid: string, role: string, playerIid: string): void {
    const writer = this.ctx.dataWriter();
    const relation = this.relation(this.writable(relationIid));
    const player = this.writable(playerIid);
    writer.addPlayer(relation, this.roleOf(relation, role), player);
  }

  removePlayer(relationIid: string, role: string, playerIid: string): void {
    const writer = this.ctx.dataWriter();
    const relation = this.relation(this.writable(relationIid));
    const player = this.writable(playerIid);
    const roleType = this.roleOf(relation, role);
    if (!writer.removePlayer(relation, roleType, player)) throw ThingWrite.rolePlayerNotPresent(labelOf(player.type), labelOf(roleType));
  }

  getPlayers(relationIid: string, roles?: readonly string[]): Iterable<ThingConcept> {
    const things = this.ctx.things();
    const relation = this.relation(this.readable(relationIid));
    const roleTypes = roles === undefined ? [undefined] : this.withSubroles(roles.map((r) => this.roleOf(relation, r)));
    return (function* () {
      for (const role of roleTypes) {
        for (const edge of things.rolePlayers(relation, role)) yield* perRepetition(edge, describeThing(edge.player, things));
      }
    })();
  }

  getRolePlayers(relationIid: string): RolePlayer[] {
    const things = this.ctx.things();
    const relation = this.relation(this.readable(relationIid));
    return [...things.rolePlayers(relation)].flatMap((edge) => [
      ...perRepetition(edge, { role: describeType(edge.role), player: describeThing(edge.player, things) }),
    ]);
  }

  getRelating(relationIid: string): TypeConcept[] {
    const things = this.ctx.things();
    const roles = new Map<number, SchemaType>();
    for (const edge of things.rolePlayers(this.relation(this.readable(relationIid)))) roles.set(edge.role.id, edge.role);
    return [...roles.values()].map(describeType);
  }

  // ---- resolution ----

  private type(label: string): SchemaType {
    const type = this.ctx.schema().get(label);
    if (!type) throw TypeRead.typeNotFound(label);
    return type;
  }

  private attributeType(label: string): SchemaType {
    const type = this.type(label);
    if (type.root !== 'attribute') throw TypeRead.invalidTypeCasting(labelOf(type), 'AttributeType');
    return type;
  }

  private roleType(label: string): SchemaType {
    const type = this.type(label);
    if (type.root !== 'role') throw TypeRead.invalidTypeCasting(labelOf(type), 'RoleType');
    return type;
  }

  /** A role given by scoped label, or by name among the roles the relation's type relates (declared or inherited). */
  private roleOf(relation: Thing, role: string): SchemaType {
    if (role.includes(':')) return this.roleType(role);
    const resolved = this.ctx.schema().resolveRole(relation.type, role);
    if (!resolved) throw TypeRead.roleTypeNotFound(role, labelOf(relation.type));
    return resolved;
  }

  private withSubroles(roles: readonly SchemaType[]): SchemaType[] {
    const g = this.ctx.schema();
    const all = new Map<number, SchemaType>();
    for (const role of roles) for (const sub of g.subtypes(role)) all.set(sub.id, sub);
    return [...all.values()];
  }

  private relation(thing: Thing): Thing {
    if (thing.type.root !== 'relation') throw castFailure(thing, 'relation');
    return thing;
  }

  /** A thing that must exist for a read. */
  private readable(iid: string): Thing {
    const bytes = iidFromHex(iid);
    const thing = bytes && this.ctx.things().get(bytes);
    if (!thing) throw ThingRead.thingNotFound(iid);
    return thing;
  }

  /** A thing that must exist for a write: a deleted one is reported as such. */
  private writable(iid: string): Thing {
    const bytes = iidFromHex(iid);
    if (!bytes) throw ThingRead.thingNotFound(iid);
    const thing = this.ctx.things().get(bytes);
    if (!thing) throw ThingWrite.thingHasBeenDeleted(iid, this.typeLabelOf(bytes));
    return thing;
  }

  private typeLabelOf(iid: IID): string {
    const type = this.ctx.schema().byId(iidTypeId(iid));
    return type ? labelOf(type) : 'unknown';
  }
}

/** A long given for a double attribute type is that double (TypeDB converts it the same way). */
function coerce(type: SchemaType, value: Value): Value {
  if (type.valueType === 'double' && value.type === 'long') return { type: 'double', value: Number(value.value) };
  return value;
}

/** TypeDB's failure to cast `thing` to another kind (ThingService's `asAttribute()`, `asRelation()`). */
function castFailure(thing: Thing, to: InstanceKind): Error {
  return ThingRead.thingOfAnotherKind(thing.type.root as InstanceKind, thing.type.valueType, to);
}
