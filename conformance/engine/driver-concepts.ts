// The harness Concept API (types by label, things by IID) over typedb-driver@2.29.7's object API: each call finds
// the driver's type or thing object and calls the driver method the upstream Node harness would call, so every
// request travels through the driver and the server's protocol handling.
//
// Things: the driver objects of every thing the scenario has seen (in answers or concept-API results) are kept by
// IID, so a call on a thing sends its request straight away and the server judges whether the thing still exists,
// as the embedded API does; an IID never seen is looked up with a match by IID (which tells its kind), one seen
// before with ConceptManager.getEntity/getRelation/getAttribute.
// Types are looked up again on every call (they can be renamed, deleted or redefined under the same label).
import {
  Concept as DriverConceptNS,
  ThingType as DriverThingTypeNS,
  type AttributeType as DriverAttributeType,
  type Relation as DriverRelation,
  type RoleType as DriverRoleType,
  type Thing as DriverThing,
  type ThingType as DriverThingType,
  type Type as DriverType,
  type TypeDBTransaction,
} from 'typedb-driver';
import type { ThingApi, Transitivity, OwnsAnnotation } from '../../src/concept/api/index.js';
import type { AttributeConcept, ThingConcept, TypeConcept } from '../../src/concept/concepts.js';
import type { Value } from '../../src/common/values.js';
import { driverValueType, toThingConcept, toTypeConcept, type DriverThingLike, type DriverTypeLike } from './driver-answers.js';
import type { Async, HarnessConceptApi, HarnessTypeApi } from './harness-engine.js';

/** Driver thing objects by IID, for one connection (IIDs are never reused for another thing). */
export class ThingRegistry {
  private readonly things = new Map<string, DriverThing>();

  readonly remember = (thing: DriverThing): void => {
    this.things.set(thing.iid, thing);
  };

  get(iid: string): DriverThing | undefined {
    return this.things.get(iid);
  }
}

function transitivity(t: Transitivity | undefined): DriverConceptNS.Transitivity {
  return t === 'explicit' ? DriverConceptNS.Transitivity.EXPLICIT : DriverConceptNS.Transitivity.TRANSITIVE;
}

function annotations(list: readonly OwnsAnnotation[] | undefined): DriverThingTypeNS.Annotation[] {
  return (list ?? []).map((a) => (a === 'key' ? DriverThingTypeNS.Annotation.KEY : DriverThingTypeNS.Annotation.UNIQUE));
}

function types(list: readonly DriverTypeLike[]): TypeConcept[] {
  return list.map(toTypeConcept);
}

function optionalType(type: DriverTypeLike | null | undefined): TypeConcept | undefined {
  return type ? toTypeConcept(type) : undefined;
}

export class DriverConceptApi implements HarnessConceptApi {
  readonly types: HarnessTypeApi;
  readonly things: Async<ThingApi>;

  constructor(
    private readonly tx: TypeDBTransaction,
    private readonly registry: ThingRegistry,
  ) {
    this.types = this.typeApi();
    this.things = this.thingApi();
  }

  // ---- lookups

  /** Any type by label: `thing`, a scoped role label, or an entity, relation or attribute type. */
  private async findType(label: string): Promise<DriverType | undefined> {
    const { concepts } = this.tx;
    const colon = label.indexOf(':');
    if (colon >= 0) {
      const relation = await concepts.getRelationType(label.slice(0, colon));
      const role = await relation?.getRelatesForRoleLabel(this.tx, label.slice(colon + 1));
      return (role as DriverType | null | undefined) ?? undefined;
    }
    if (label === 'thing') return concepts.getRootThingType();
    const [entity, relation, attribute] = await Promise.all([
      concepts.getEntityType(label),
      concepts.getRelationType(label),
      concepts.getAttributeType(label),
    ]);
    return entity ?? relation ?? attribute ?? undefined;
  }

  private async type(label: string): Promise<DriverType> {
    const type = await this.findType(label);
    if (!type) throw new Error(`there is no type '${label}' (looked up through the driver)`);
    return type;
  }

  private async thingType(label: string): Promise<DriverThingType> {
    const type = await this.type(label);
    if (!type.isThingType()) throw new Error(`'${label}' is not a thing type`);
    return type.asThingType();
  }

  private async attributeType(label: string): Promise<DriverAttributeType> {
    const type = await this.type(label);
    if (!type.isAttributeType()) throw new Error(`'${label}' is not an attribute type`);
    return type.asAttributeType();
  }

  private async roleType(label: string): Promise<DriverRoleType> {
    const type = await this.type(label);
    if (!type.isRoleType()) throw new Error(`'${label}' is not a role type`);
    return type.asRoleType();
  }

  /** A role given as a scoped label, or as a name among the roles the relation's type relates. */
  private async roleOf(relation: DriverRelation, role: string): Promise<DriverRoleType> {
    if (role.includes(':')) return this.roleType(role);
    const found = await relation.type.getRelatesForRoleLabel(this.tx, role);
    if (!found) throw new Error(`relation type '${relation.type.label.name}' relates no role '${role}'`);
    return found;
  }

  /** The thing with this IID in the transaction, or undefined. */
  private async findThing(iid: string): Promise<DriverThing | undefined> {
    const { concepts } = this.tx;
    const known = this.registry.get(iid);
    let found: DriverThing | null;
    if (known) {
      const fresh = known.isEntity() ? concepts.getEntity(iid) : known.isRelation() ? concepts.getRelation(iid) : concepts.getAttribute(iid);
      found = (await fresh) as DriverThing | null;
    } else {
      // Of a kind not known yet: ConceptManager.getEntity & co. fail on a thing of another kind (as TypeDB's do),
      // so a match by IID finds it, and its kind with it.
      const answers = await this.tx.query.get(`match $x iid ${iid}; get $x;`).collect();
      found = answers.length > 0 ? answers[0]!.get('x').asThing() : null;
    }
    if (found) this.registry.remember(found);
    return found ?? undefined;
  }

  /** The driver object to call a thing method on: the one seen before, or the one found now. */
  async thing(iid: string): Promise<DriverThing> {
    const thing = this.registry.get(iid) ?? (await this.findThing(iid));
    if (!thing) throw new Error(`there is no thing with IID ${iid} (looked up through the driver)`);
    return thing;
  }

  private async relation(iid: string): Promise<DriverRelation> {
    const thing = await this.thing(iid);
    if (!thing.isRelation()) throw new Error(`${iid} is not a relation`);
    return thing.asRelation();
  }

  private thingConcepts(things: readonly DriverThingLike[]): ThingConcept[] {
    return things.map((t) => toThingConcept(t, this.registry.remember));
  }

  private attributeConcept(attribute: DriverThing): AttributeConcept {
    return toThingConcept(attribute, this.registry.remember) as AttributeConcept;
  }

  // ---- types

  private typeApi(): HarnessTypeApi {
    const tx = this.tx;
    const { concepts } = tx;
    return {
      get: async (label) => optionalType(await this.findType(label)),
      getEntityType: async (label) => optionalType(await concepts.getEntityType(label)),
      getRelationType: async (label) => optionalType(await concepts.getRelationType(label)),
      getAttributeType: async (label) => optionalType(await concepts.getAttributeType(label)),
      putEntityType: async (label) => toTypeConcept(await concepts.putEntityType(label)),
      putRelationType: async (label) => toTypeConcept(await concepts.putRelationType(label)),
      putAttributeType: async (label, valueType) => toTypeConcept(await concepts.putAttributeType(label, driverValueType(valueType))),

      delete: async (label) => (await this.type(label)).delete(tx),
      setLabel: async (label, newLabel) => (await this.type(label)).setLabel(tx, newLabel),
      getSupertype: async (label) => optionalType(await (await this.type(label)).getSupertype(tx)),
      getSupertypes: async (label) => types(await (await this.type(label)).getSupertypes(tx).collect()),
      getSubtypes: async (label, filter) => {
        const type = await this.type(label);
        const t = transitivity(filter?.transitivity);
        if (filter?.valueType !== undefined && type.isAttributeType()) {
          return types(await type.asAttributeType().getSubtypes(tx, driverValueType(filter.valueType), t).collect());
        }
        return types(await type.getSubtypes(tx, t).collect());
      },

      setSupertype: async (label, supertypeLabel) => {
        const [type, supertype] = await Promise.all([this.type(label), this.type(supertypeLabel)]);
        if (type.isEntityType()) return type.asEntityType().setSupertype(tx, supertype.asEntityType());
        if (type.isRelationType()) return type.asRelationType().setSupertype(tx, supertype.asRelationType());
        if (type.isAttributeType()) return type.asAttributeType().setSupertype(tx, supertype.asAttributeType());
        throw new Error(`cannot set the supertype of '${label}' through the driver`);
      },
      getSyntax: async (label) => (await this.thingType(label)).getSyntax(tx),
      setAbstract: async (label) => (await this.thingType(label)).setAbstract(tx),
      unsetAbstract: async (label) => (await this.thingType(label)).unsetAbstract(tx),
      getOwns: async (label, filter) => {
        const type = await this.thingType(label);
        const a = annotations(filter?.annotations);
        const t = transitivity(filter?.transitivity);
        const owned =
          filter?.valueType === undefined ? type.getOwns(tx, a, t) : type.getOwns(tx, driverValueType(filter.valueType), a, t);
        return types(await owned.collect());
      },
      getOwnsOverridden: async (label, attributeLabel) => {
        const [type, attribute] = await Promise.all([this.thingType(label), this.attributeType(attributeLabel)]);
        return optionalType(await type.getOwnsOverridden(tx, attribute));
      },
      setOwns: async (label, attributeLabel, options) => {
        const [type, attribute, overridden] = await Promise.all([
          this.thingType(label),
          this.attributeType(attributeLabel),
          options?.overridden === undefined ? undefined : this.attributeType(options.overridden),
        ]);
        const a = annotations(options?.annotations);
        return overridden ? type.setOwns(tx, attribute, overridden, a) : type.setOwns(tx, attribute, a);
      },
      unsetOwns: async (label, attributeLabel) => {
        const [type, attribute] = await Promise.all([this.thingType(label), this.attributeType(attributeLabel)]);
        return type.unsetOwns(tx, attribute);
      },
      getPlays: async (label, t) => types(await (await this.thingType(label)).getPlays(tx, transitivity(t)).collect()),
      getPlaysOverridden: async (label, roleLabel) => {
        const [type, role] = await Promise.all([this.thingType(label), this.roleType(roleLabel)]);
        return optionalType(await type.getPlaysOverridden(tx, role));
      },
      setPlays: async (label, roleLabel, overriddenLabel) => {
        const [type, role, overridden] = await Promise.all([
          this.thingType(label),
          this.roleType(roleLabel),
          overriddenLabel === undefined ? undefined : this.roleType(overriddenLabel),
        ]);
        return overridden ? type.setPlays(tx, role, overridden) : type.setPlays(tx, role);
      },
      unsetPlays: async (label, roleLabel) => {
        const [type, role] = await Promise.all([this.thingType(label), this.roleType(roleLabel)]);
        return type.unsetPlays(tx, role);
      },
      getInstances: async (label, t) => this.thingConcepts(await (await this.thingType(label)).getInstances(tx, transitivity(t)).collect()),

      getRelates: async (label, t) => types(await (await this.type(label)).asRelationType().getRelates(tx, transitivity(t)).collect()),
      getRelatesForRoleLabel: async (label, roleName) =>
        optionalType(await (await this.type(label)).asRelationType().getRelatesForRoleLabel(tx, roleName)),
      getRelatesOverridden: async (label, roleName) =>
        optionalType(await (await this.type(label)).asRelationType().getRelatesOverridden(tx, roleName)),
      setRelates: async (label, roleName, overriddenRoleName) =>
        (await this.type(label)).asRelationType().setRelates(tx, roleName, overriddenRoleName),
      unsetRelates: async (label, roleName) => (await this.type(label)).asRelationType().unsetRelates(tx, roleName),

      getRelationTypes: async (roleLabel) => types(await (await this.roleType(roleLabel)).getRelationTypes(tx).collect()),
      getPlayerTypes: async (roleLabel, t) => types(await (await this.roleType(roleLabel)).getPlayerTypes(tx, transitivity(t)).collect()),
      getRelationInstances: async (roleLabel, t) =>
        this.thingConcepts(await (await this.roleType(roleLabel)).getRelationInstances(tx, transitivity(t)).collect()),
      getPlayerInstances: async (roleLabel, t) =>
        this.thingConcepts(await (await this.roleType(roleLabel)).getPlayerInstances(tx, transitivity(t)).collect()),

      // TypeDB answers an empty regex for an attribute type without one
      getRegex: async (label) => (await (await this.attributeType(label)).getRegex(tx)) || undefined,
      setRegex: async (label, regex) => (await this.attributeType(label)).setRegex(tx, regex),
      unsetRegex: async (label) => (await this.attributeType(label)).unsetRegex(tx),
      getOwners: async (label, filter) =>
        types(await (await this.attributeType(label)).getOwners(tx, annotations(filter?.annotations), transitivity(filter?.transitivity)).collect()),
    };
  }

  // ---- things

  private async put(label: string, value: Value): Promise<DriverThing> {
    const type = await this.attributeType(label);
    switch (value.type) {
      case 'long':
        return type.putLong(this.tx, Number(value.value));
      case 'double':
        return type.putDouble(this.tx, value.value);
      case 'string':
        return type.putString(this.tx, value.value);
      case 'boolean':
        return type.putBoolean(this.tx, value.value);
      case 'datetime':
        return type.putDateTime(this.tx, new Date(value.value));
    }
  }

  private async getAttribute(label: string, value: Value): Promise<DriverThing | null> {
    const type = await this.attributeType(label);
    switch (value.type) {
      case 'long':
        return type.getLong(this.tx, Number(value.value));
      case 'double':
        return type.getDouble(this.tx, value.value);
      case 'string':
        return type.getString(this.tx, value.value);
      case 'boolean':
        return type.getBoolean(this.tx, value.value);
      case 'datetime':
        return type.getDateTime(this.tx, new Date(value.value));
    }
  }

  private thingApi(): Async<ThingApi> {
    const tx = this.tx;
    return {
      get: async (iid) => {
        const thing = await this.findThing(iid);
        return thing ? toThingConcept(thing) : undefined;
      },
      isDeleted: async (iid) => {
        const known = this.registry.get(iid);
        return known ? known.isDeleted(tx) : (await this.findThing(iid)) === undefined;
      },
      create: async (label) => {
        const type = await this.type(label);
        if (type.isEntityType()) return toThingConcept(await type.asEntityType().create(tx), this.registry.remember);
        if (type.isRelationType()) return toThingConcept(await type.asRelationType().create(tx), this.registry.remember);
        throw new Error(`'${label}' is neither an entity nor a relation type`);
      },
      putAttribute: async (label, value) => this.attributeConcept(await this.put(label, value)),
      getAttribute: async (label, value) => {
        const attribute = await this.getAttribute(label, value);
        return attribute ? this.attributeConcept(attribute) : undefined;
      },
      delete: async (iid) => (await this.thing(iid)).delete(tx),

      getHas: async (iid, filter) => {
        const [thing, attributeTypes] = await Promise.all([
          this.thing(iid),
          Promise.all((filter?.attributeTypes ?? []).map((label) => this.attributeType(label))),
        ]);
        const owned = await thing.getHas(tx, attributeTypes, annotations(filter?.annotations)).collect();
        return owned.map((a) => this.attributeConcept(a));
      },
      setHas: async (iid, attributeIid) => {
        const [thing, attribute] = await Promise.all([this.thing(iid), this.thing(attributeIid)]);
        return thing.setHas(tx, attribute.asAttribute());
      },
      unsetHas: async (iid, attributeIid) => {
        const [thing, attribute] = await Promise.all([this.thing(iid), this.thing(attributeIid)]);
        return thing.unsetHas(tx, attribute.asAttribute());
      },
      getRelations: async (iid, roleLabels) => {
        const [thing, roles] = await Promise.all([this.thing(iid), Promise.all((roleLabels ?? []).map((r) => this.roleType(r)))]);
        return this.thingConcepts(await thing.getRelations(tx, roles).collect());
      },
      getPlaying: async (iid) => types(await (await this.thing(iid)).getPlaying(tx).collect()),
      getOwners: async (attributeIid, ownerTypeLabel) => {
        const [attribute, ownerType] = await Promise.all([
          this.thing(attributeIid),
          ownerTypeLabel === undefined ? undefined : this.thingType(ownerTypeLabel),
        ]);
        return this.thingConcepts(await attribute.asAttribute().getOwners(tx, ownerType).collect());
      },

      addPlayer: async (relationIid, role, playerIid) => {
        const [relation, player] = await Promise.all([this.relation(relationIid), this.thing(playerIid)]);
        return relation.addRolePlayer(tx, await this.roleOf(relation, role), player);
      },
      removePlayer: async (relationIid, role, playerIid) => {
        const [relation, player] = await Promise.all([this.relation(relationIid), this.thing(playerIid)]);
        return relation.removeRolePlayer(tx, await this.roleOf(relation, role), player);
      },
      getPlayers: async (relationIid, roles) => {
        const relation = await this.relation(relationIid);
        const roleTypes = await Promise.all((roles ?? []).map((r) => this.roleOf(relation, r)));
        return this.thingConcepts(await relation.getPlayersByRoleType(tx, roleTypes).collect());
      },
      getRolePlayers: async (relationIid) => {
        const players = await (await this.relation(relationIid)).getRolePlayers(tx);
        return [...players].flatMap(([role, things]) =>
          things.map((player) => ({ role: toTypeConcept(role), player: toThingConcept(player, this.registry.remember) })),
        );
      },
      getRelating: async (relationIid) => types(await (await this.relation(relationIid)).getRelating(tx).collect()),
    };
  }
}
