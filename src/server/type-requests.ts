// Type API requests (ThingType / EntityType / RelationType / AttributeType / RoleType): each one is one call of
// the engine's Concept API (Transaction.concepts().types, or .things for create/put/get), which applies the same
// validation, session/transaction-type checks and error texts as for embedded callers.
import { TransactionRes, TransactionResPart } from 'typedb-protocol/proto/transaction.js';
import {
  AttributeTypeGetOwnersResPart,
  AttributeTypeGetInstancesResPart,
  AttributeTypeGetRegexRes,
  AttributeTypeGetRes,
  AttributeTypeGetSubtypesResPart,
  AttributeTypeGetSupertypeRes,
  AttributeTypeGetSupertypesResPart,
  AttributeTypePutRes,
  AttributeTypeSetRegexRes,
  AttributeTypeSetSupertypeRes,
  EntityTypeCreateRes,
  EntityTypeGetInstancesResPart,
  EntityTypeGetSubtypesResPart,
  EntityTypeGetSupertypeRes,
  EntityTypeGetSupertypesResPart,
  EntityTypeSetSupertypeRes,
  RelationTypeCreateRes,
  RelationTypeGetInstancesResPart,
  RelationTypeGetRelatesForRoleLabelRes,
  RelationTypeGetRelatesOverriddenRes,
  RelationTypeGetRelatesResPart,
  RelationTypeGetSubtypesResPart,
  RelationTypeGetSupertypeRes,
  RelationTypeGetSupertypesResPart,
  RelationTypeSetRelatesRes,
  RelationTypeSetSupertypeRes,
  RelationTypeUnsetRelatesRes,
  RoleTypeDeleteRes,
  RoleTypeGetPlayerInstancesResPart,
  RoleTypeGetPlayerTypesResPart,
  RoleTypeGetRelationInstancesResPart,
  RoleTypeGetRelationTypesResPart,
  RoleTypeGetSubtypesResPart,
  RoleTypeGetSupertypeRes,
  RoleTypeGetSupertypesResPart,
  RoleTypeRes,
  RoleTypeResPart,
  RoleTypeSetLabelRes,
  ThingTypeDeleteRes,
  ThingTypeGetOwnsOverriddenRes,
  ThingTypeGetOwnsResPart,
  ThingTypeGetPlaysOverriddenRes,
  ThingTypeGetPlaysResPart,
  ThingTypeRes,
  ThingTypeResPart,
  ThingTypeSetAbstractRes,
  ThingTypeSetLabelRes,
  ThingTypeSetOwnsRes,
  ThingTypeGetSyntaxRes,
  ThingTypeSetPlaysRes,
  ThingTypeUnsetAbstractRes,
  ThingTypeUnsetOwnsRes,
  ThingTypeUnsetPlaysRes,
  TypeRes,
  TypeResPart,
  type RoleTypeReq,
  type ThingTypeReq,
  type TypeReq,
} from 'typedb-protocol/proto/concept.js';
import type { Transaction } from '../database/api.js';
import { JAVA_VALUE_CLASS, type Value, type ValueType } from '../common/values.js';
import { TypeRead } from '../schema/index.js';
import type { AttributeConcept, Concept, ThingConcept, TypeConcept, TypeRoot } from '../concept/concepts.js';
import {
  decodeValue,
  encodeAttribute,
  encodeAttributeType,
  encodeEntity,
  encodeEntityType,
  encodeRelation,
  encodeRelationType,
  encodeRoleType,
  encodeThing,
  encodeThingType,
} from './answer-encoding.js';
import { ServerErrors } from './errors.js';
import type { RequestOutcome } from './query-requests.js';
import { attributeTypeLabel, ownsAnnotations, requestValueType, roleTypeLabel, streamConcepts, transitivity } from './concept-queries.js';

// ---------------------------------------------------------------------------------------------------- responses

function thingTypeRes(reqId: Uint8Array, res: ThingTypeRes): RequestOutcome {
  return { kind: 'single', res: new TransactionRes({ req_id: reqId, type_res: new TypeRes({ thing_type_res: res }) }) };
}

function thingTypeStream<C extends Concept, M extends { serialize(): Uint8Array }>(
  reqId: Uint8Array,
  concepts: Iterable<C>,
  encode: (concept: C) => M,
  wrap: (batch: M[]) => ThingTypeResPart,
  prefetchSize: number,
): RequestOutcome {
  return streamConcepts(
    reqId,
    concepts,
    encode,
    (id, batch) => new TransactionResPart({ req_id: id, type_res_part: new TypeResPart({ thing_type_res_part: wrap(batch) }) }),
    prefetchSize,
  );
}

function roleTypeRes(reqId: Uint8Array, res: RoleTypeRes): RequestOutcome {
  return { kind: 'single', res: new TransactionRes({ req_id: reqId, type_res: new TypeRes({ role_type_res: res }) }) };
}

function roleTypeStream<C extends Concept, M extends { serialize(): Uint8Array }>(
  reqId: Uint8Array,
  concepts: Iterable<C>,
  encode: (concept: C) => M,
  wrap: (batch: M[]) => RoleTypeResPart,
  prefetchSize: number,
): RequestOutcome {
  return streamConcepts(
    reqId,
    concepts,
    encode,
    (id, batch) => new TransactionResPart({ req_id: id, type_res_part: new TypeResPart({ role_type_res_part: wrap(batch) }) }),
    prefetchSize,
  );
}

/** The supertype when it is of the kind the request is about (never `thing` for an entity type, say). */
function supertypeOfKind(tx: Transaction, label: string, root: TypeRoot): TypeConcept | undefined {
  const parent = tx.concepts().types.getSupertype(label);
  return parent && parent.root === root ? parent : undefined;
}

function* filterLazy<T>(items: Iterable<T>, keep: (item: T) => boolean): Generator<T> {
  for (const item of items) if (keep(item)) yield item;
}

// ---------------------------------------------------------------------------------------------------- dispatch

export function runTypeRequest(tx: Transaction, reqId: Uint8Array, req: TypeReq, prefetchSize: number): RequestOutcome {
  switch (req.req) {
    case 'thing_type_req':
      return runThingTypeRequest(tx, reqId, req.thing_type_req, prefetchSize);
    case 'role_type_req':
      return runRoleTypeRequest(tx, reqId, req.role_type_req, prefetchSize);
    default:
      throw ServerErrors.missingRequest(`type_req.${req.req}`);
  }
}

/**
 * TypeDB's TypeService casts an attribute type to a value type before a put, a get, `getSubtypes(valueType)` and
 * `getRegex` (`asLong().put(…)`, `asString().getRegex()`): one of another value type fails with TYR01. The root
 * `attribute` casts to every value type.
 */
function castAttributeType(type: TypeConcept, to: ValueType): void {
  const actual = type.valueType;
  // TypeDB names the cast type's class (AttributeTypeImpl.Long) and the interface it casts to (AttributeType.String).
  if (actual !== undefined && actual !== to) {
    throw TypeRead.invalidTypeCasting(`AttributeTypeImpl.${JAVA_VALUE_CLASS[actual]}`, `AttributeType.${JAVA_VALUE_CLASS[to]}`);
  }
}

/** The value of an attribute put or get: a long for a double attribute type fails too, which the engine's own API would accept. */
function valueForType(type: TypeConcept, proto: Parameters<typeof decodeValue>[0]): Value {
  const value = decodeValue(proto);
  castAttributeType(type, value.type);
  return value;
}

function runThingTypeRequest(tx: Transaction, reqId: Uint8Array, req: ThingTypeReq, prefetchSize: number): RequestOutcome {
  const label = req.label;
  const { types, things } = tx.concepts();
  // As TypeDB's TypeService: a request on a type not (or no longer) in the transaction fails the same way whatever it asks.
  const type = types.get(label);
  if (!type) throw ServerErrors.missingConcept('type', label);
  const stream = <C extends Concept, M extends { serialize(): Uint8Array }>(concepts: Iterable<C>, encode: (c: C) => M, wrap: (batch: M[]) => ThingTypeResPart) =>
    thingTypeStream(reqId, concepts, encode, wrap, prefetchSize);
  const res = (r: ThingTypeRes) => thingTypeRes(reqId, r);
  switch (req.req) {
    // ---- ThingType
    case 'thing_type_delete_req':
      types.delete(label);
      return res(new ThingTypeRes({ thing_type_delete_res: new ThingTypeDeleteRes() }));
    case 'thing_type_set_label_req':
      types.setLabel(label, req.thing_type_set_label_req.label);
      return res(new ThingTypeRes({ thing_type_set_label_res: new ThingTypeSetLabelRes() }));
    case 'thing_type_set_abstract_req':
      types.setAbstract(label);
      return res(new ThingTypeRes({ thing_type_set_abstract_res: new ThingTypeSetAbstractRes() }));
    case 'thing_type_unset_abstract_req':
      types.unsetAbstract(label);
      return res(new ThingTypeRes({ thing_type_unset_abstract_res: new ThingTypeUnsetAbstractRes() }));
    case 'thing_type_get_owns_req': {
      const r = req.thing_type_get_owns_req;
      const valueType = r.has_value_type ? requestValueType(r.value_type) : undefined;
      // TypeDB keeps the ownerships whose attribute type has the value type asked for: none has OBJECT.
      const owned = valueType === 'object' ? [] : types.getOwns(label, {
        transitivity: transitivity(r.transitivity),
        annotations: ownsAnnotations(r.annotations),
        ...(valueType !== undefined ? { valueType } : {}),
      });
      return stream(owned, encodeAttributeType, (attribute_types) =>
        new ThingTypeResPart({ thing_type_get_owns_res_part: new ThingTypeGetOwnsResPart({ attribute_types }) }));
    }
    case 'thing_type_get_owns_overridden_req': {
      const overridden = types.getOwnsOverridden(label, attributeTypeLabel(req.thing_type_get_owns_overridden_req.attribute_type));
      const r = overridden
        ? new ThingTypeGetOwnsOverriddenRes({ attribute_type: encodeAttributeType(overridden) })
        : new ThingTypeGetOwnsOverriddenRes();
      return res(new ThingTypeRes({ thing_type_get_owns_overridden_res: r }));
    }
    case 'thing_type_set_owns_req': {
      const r = req.thing_type_set_owns_req;
      types.setOwns(label, attributeTypeLabel(r.attribute_type), {
        ...(r.has_overridden_type ? { overridden: attributeTypeLabel(r.overridden_type) } : {}),
        annotations: ownsAnnotations(r.annotations),
      });
      return res(new ThingTypeRes({ thing_type_set_owns_res: new ThingTypeSetOwnsRes() }));
    }
    case 'thing_type_unset_owns_req':
      types.unsetOwns(label, attributeTypeLabel(req.thing_type_unset_owns_req.attribute_type));
      return res(new ThingTypeRes({ thing_type_unset_owns_res: new ThingTypeUnsetOwnsRes() }));
    case 'thing_type_get_plays_req': {
      const roles = types.getPlays(label, transitivity(req.thing_type_get_plays_req.transitivity));
      return stream(roles, encodeRoleType, (role_types) =>
        new ThingTypeResPart({ thing_type_get_plays_res_part: new ThingTypeGetPlaysResPart({ role_types }) }));
    }
    case 'thing_type_get_plays_overridden_req': {
      const overridden = types.getPlaysOverridden(label, roleTypeLabel(req.thing_type_get_plays_overridden_req.role_type));
      const r = overridden ? new ThingTypeGetPlaysOverriddenRes({ role_type: encodeRoleType(overridden) }) : new ThingTypeGetPlaysOverriddenRes();
      return res(new ThingTypeRes({ thing_type_get_plays_overridden_res: r }));
    }
    case 'thing_type_set_plays_req': {
      const r = req.thing_type_set_plays_req;
      types.setPlays(label, roleTypeLabel(r.role_type), r.has_overridden_role_type ? roleTypeLabel(r.overridden_role_type) : undefined);
      return res(new ThingTypeRes({ thing_type_set_plays_res: new ThingTypeSetPlaysRes() }));
    }
    case 'thing_type_unset_plays_req':
      types.unsetPlays(label, roleTypeLabel(req.thing_type_unset_plays_req.role_type));
      return res(new ThingTypeRes({ thing_type_unset_plays_res: new ThingTypeUnsetPlaysRes() }));

    // ---- EntityType
    case 'entity_type_create_req':
      return res(new ThingTypeRes({ entity_type_create_res: new EntityTypeCreateRes({ entity: encodeEntity(things.create(label)) }) }));
    case 'entity_type_get_supertype_req': {
      const parent = supertypeOfKind(tx, label, 'entity');
      const r = parent ? new EntityTypeGetSupertypeRes({ entity_type: encodeEntityType(parent) }) : new EntityTypeGetSupertypeRes();
      return res(new ThingTypeRes({ entity_type_get_supertype_res: r }));
    }
    case 'entity_type_set_supertype_req':
      types.setSupertype(label, req.entity_type_set_supertype_req.entity_type.label);
      return res(new ThingTypeRes({ entity_type_set_supertype_res: new EntityTypeSetSupertypeRes() }));
    case 'entity_type_get_supertypes_req':
      return stream(types.getSupertypes(label), encodeEntityType, (entity_types) =>
        new ThingTypeResPart({ entity_type_get_supertypes_res_part: new EntityTypeGetSupertypesResPart({ entity_types }) }));
    case 'entity_type_get_subtypes_req': {
      const subtypes = types.getSubtypes(label, { transitivity: transitivity(req.entity_type_get_subtypes_req.transitivity) });
      return stream(subtypes, encodeEntityType, (entity_types) =>
        new ThingTypeResPart({ entity_type_get_subtypes_res_part: new EntityTypeGetSubtypesResPart({ entity_types }) }));
    }
    case 'entity_type_get_instances_req': {
      const instances = types.getInstances(label, transitivity(req.entity_type_get_instances_req.transitivity));
      return stream(instances, encodeEntity, (entities) =>
        new ThingTypeResPart({ entity_type_get_instances_res_part: new EntityTypeGetInstancesResPart({ entities }) }));
    }

    // ---- RelationType
    case 'relation_type_create_req':
      return res(new ThingTypeRes({ relation_type_create_res: new RelationTypeCreateRes({ relation: encodeRelation(things.create(label)) }) }));
    case 'relation_type_get_supertype_req': {
      const parent = supertypeOfKind(tx, label, 'relation');
      const r = parent ? new RelationTypeGetSupertypeRes({ relation_type: encodeRelationType(parent) }) : new RelationTypeGetSupertypeRes();
      return res(new ThingTypeRes({ relation_type_get_supertype_res: r }));
    }
    case 'relation_type_set_supertype_req':
      types.setSupertype(label, req.relation_type_set_supertype_req.relation_type.label);
      return res(new ThingTypeRes({ relation_type_set_supertype_res: new RelationTypeSetSupertypeRes() }));
    case 'relation_type_get_supertypes_req':
      return stream(types.getSupertypes(label), encodeRelationType, (relation_types) =>
        new ThingTypeResPart({ relation_type_get_supertypes_res_part: new RelationTypeGetSupertypesResPart({ relation_types }) }));
    case 'relation_type_get_subtypes_req': {
      const subtypes = types.getSubtypes(label, { transitivity: transitivity(req.relation_type_get_subtypes_req.transitivity) });
      return stream(subtypes, encodeRelationType, (relation_types) =>
        new ThingTypeResPart({ relation_type_get_subtypes_res_part: new RelationTypeGetSubtypesResPart({ relation_types }) }));
    }
    case 'relation_type_get_instances_req': {
      const instances = types.getInstances(label, transitivity(req.relation_type_get_instances_req.transitivity));
      return stream(instances, encodeRelation, (relations) =>
        new ThingTypeResPart({ relation_type_get_instances_res_part: new RelationTypeGetInstancesResPart({ relations }) }));
    }
    case 'relation_type_get_relates_req': {
      const roles = types.getRelates(label, transitivity(req.relation_type_get_relates_req.transitivity));
      return stream(roles, encodeRoleType, (role_types) =>
        new ThingTypeResPart({ relation_type_get_relates_res_part: new RelationTypeGetRelatesResPart({ role_types }) }));
    }
    case 'relation_type_get_relates_for_role_label_req': {
      const role = types.getRelatesForRoleLabel(label, req.relation_type_get_relates_for_role_label_req.label);
      const r = role ? new RelationTypeGetRelatesForRoleLabelRes({ role_type: encodeRoleType(role) }) : new RelationTypeGetRelatesForRoleLabelRes();
      return res(new ThingTypeRes({ relation_type_get_relates_for_role_label_res: r }));
    }
    case 'relation_type_get_relates_overridden_req': {
      const role = types.getRelatesOverridden(label, req.relation_type_get_relates_overridden_req.label);
      const r = role ? new RelationTypeGetRelatesOverriddenRes({ role_type: encodeRoleType(role) }) : new RelationTypeGetRelatesOverriddenRes();
      return res(new ThingTypeRes({ relation_type_get_relates_overridden_res: r }));
    }
    case 'relation_type_set_relates_req': {
      const r = req.relation_type_set_relates_req;
      types.setRelates(label, r.label, r.has_overridden_label ? r.overridden_label : undefined);
      return res(new ThingTypeRes({ relation_type_set_relates_res: new RelationTypeSetRelatesRes() }));
    }
    case 'relation_type_unset_relates_req':
      types.unsetRelates(label, req.relation_type_unset_relates_req.label);
      return res(new ThingTypeRes({ relation_type_unset_relates_res: new RelationTypeUnsetRelatesRes() }));

    // ---- AttributeType
    case 'attribute_type_put_req': {
      const attribute = things.putAttribute(label, valueForType(type, req.attribute_type_put_req.value));
      return res(new ThingTypeRes({ attribute_type_put_res: new AttributeTypePutRes({ attribute: encodeAttribute(attribute) }) }));
    }
    case 'attribute_type_get_req': {
      const found = things.getAttribute(label, valueForType(type, req.attribute_type_get_req.value));
      const r = found ? new AttributeTypeGetRes({ attribute: encodeAttribute(found) }) : new AttributeTypeGetRes();
      return res(new ThingTypeRes({ attribute_type_get_res: r }));
    }
    case 'attribute_type_get_supertype_req': {
      const parent = supertypeOfKind(tx, label, 'attribute');
      const r = parent ? new AttributeTypeGetSupertypeRes({ attribute_type: encodeAttributeType(parent) }) : new AttributeTypeGetSupertypeRes();
      return res(new ThingTypeRes({ attribute_type_get_supertype_res: r }));
    }
    case 'attribute_type_set_supertype_req':
      types.setSupertype(label, req.attribute_type_set_supertype_req.attribute_type.label);
      return res(new ThingTypeRes({ attribute_type_set_supertype_res: new AttributeTypeSetSupertypeRes() }));
    case 'attribute_type_get_supertypes_req':
      return stream(types.getSupertypes(label), encodeAttributeType, (attribute_types) =>
        new ThingTypeResPart({ attribute_type_get_supertypes_res_part: new AttributeTypeGetSupertypesResPart({ attribute_types }) }));
    case 'attribute_type_get_subtypes_req': {
      const r = req.attribute_type_get_subtypes_req;
      const valueType = r.has_value_type ? requestValueType(r.value_type) : 'object';
      if (valueType !== 'object') castAttributeType(type, valueType);
      const subtypes = types.getSubtypes(label, { transitivity: transitivity(r.transitivity), ...(valueType !== 'object' ? { valueType } : {}) });
      return stream(subtypes, encodeAttributeType, (attribute_types) =>
        new ThingTypeResPart({ attribute_type_get_subtypes_res_part: new AttributeTypeGetSubtypesResPart({ attribute_types }) }));
    }
    case 'attribute_type_get_instances_req': {
      const r = req.attribute_type_get_instances_req;
      const valueType = r.has_value_type ? requestValueType(r.value_type) : 'object';
      const instances = filterLazy(types.getInstances(label, transitivity(r.transitivity)), (t: ThingConcept) =>
        valueType === 'object' || t.type.valueType === valueType);
      return stream(instances as Iterable<AttributeConcept>, encodeAttribute, (attributes) =>
        new ThingTypeResPart({ attribute_type_get_instances_res_part: new AttributeTypeGetInstancesResPart({ attributes }) }));
    }
    case 'attribute_type_get_regex_req':
      castAttributeType(type, 'string');
      // TypeDB answers an empty regex for an attribute type without one
      return res(new ThingTypeRes({ attribute_type_get_regex_res: new AttributeTypeGetRegexRes({ regex: types.getRegex(label) ?? '' }) }));
    case 'attribute_type_set_regex_req': {
      // the driver's unsetRegex() sends an empty regex
      const regex = req.attribute_type_set_regex_req.regex;
      if (regex === '') types.unsetRegex(label);
      else types.setRegex(label, regex);
      return res(new ThingTypeRes({ attribute_type_set_regex_res: new AttributeTypeSetRegexRes() }));
    }
    case 'attribute_type_get_owners_req': {
      const r = req.attribute_type_get_owners_req;
      const owners = types.getOwners(label, { transitivity: transitivity(r.transitivity), annotations: ownsAnnotations(r.annotations) });
      return stream(owners, encodeThingType, (thing_types) =>
        new ThingTypeResPart({ attribute_type_get_owners_res_part: new AttributeTypeGetOwnersResPart({ thing_types }) }));
    }
    case 'thing_type_get_syntax_req':
      return res(new ThingTypeRes({ thing_type_get_syntax_res: new ThingTypeGetSyntaxRes({ syntax: types.getSyntax(label) }) }));
    default:
      throw ServerErrors.missingRequest(`thing_type_req.${req.req}`);
  }
}

function runRoleTypeRequest(tx: Transaction, reqId: Uint8Array, req: RoleTypeReq, prefetchSize: number): RequestOutcome {
  const label = `${req.scope}:${req.label}`;
  const { types } = tx.concepts();
  if (!types.get(label)) throw ServerErrors.missingConcept('type', label);
  const stream = <C extends Concept, M extends { serialize(): Uint8Array }>(concepts: Iterable<C>, encode: (c: C) => M, wrap: (batch: M[]) => RoleTypeResPart) =>
    roleTypeStream(reqId, concepts, encode, wrap, prefetchSize);
  const res = (r: RoleTypeRes) => roleTypeRes(reqId, r);
  switch (req.req) {
    case 'role_type_delete_req':
      types.delete(label);
      return res(new RoleTypeRes({ role_type_delete_res: new RoleTypeDeleteRes() }));
    case 'role_type_set_label_req':
      types.setLabel(label, req.role_type_set_label_req.label);
      return res(new RoleTypeRes({ role_type_set_label_res: new RoleTypeSetLabelRes() }));
    case 'role_type_get_supertype_req': {
      const parent = supertypeOfKind(tx, label, 'role');
      const r = parent ? new RoleTypeGetSupertypeRes({ role_type: encodeRoleType(parent) }) : new RoleTypeGetSupertypeRes();
      return res(new RoleTypeRes({ role_type_get_supertype_res: r }));
    }
    case 'role_type_get_supertypes_req':
      return stream(types.getSupertypes(label), encodeRoleType, (role_types) =>
        new RoleTypeResPart({ role_type_get_supertypes_res_part: new RoleTypeGetSupertypesResPart({ role_types }) }));
    case 'role_type_get_subtypes_req': {
      // TypeDB's TypeService answers with all the role's subtypes and itself, whatever transitivity the client sent.
      const subtypes = types.getSubtypes(label);
      return stream(subtypes, encodeRoleType, (role_types) =>
        new RoleTypeResPart({ role_type_get_subtypes_res_part: new RoleTypeGetSubtypesResPart({ role_types }) }));
    }
    case 'role_type_get_relation_types_req':
      return stream(types.getRelationTypes(label), encodeRelationType, (relation_types) =>
        new RoleTypeResPart({ role_type_get_relation_types_res_part: new RoleTypeGetRelationTypesResPart({ relation_types }) }));
    case 'role_type_get_player_types_req': {
      const players = types.getPlayerTypes(label, transitivity(req.role_type_get_player_types_req.transitivity));
      return stream(players, encodeThingType, (thing_types) =>
        new RoleTypeResPart({ role_type_get_player_types_res_part: new RoleTypeGetPlayerTypesResPart({ thing_types }) }));
    }
    case 'role_type_get_relation_instances_req': {
      const relations = types.getRelationInstances(label, transitivity(req.role_type_get_relation_instances_req.transitivity));
      return stream(relations, encodeRelation, (rels) =>
        new RoleTypeResPart({ role_type_get_relation_instances_res_part: new RoleTypeGetRelationInstancesResPart({ relations: rels }) }));
    }
    case 'role_type_get_player_instances_req': {
      const players = types.getPlayerInstances(label, transitivity(req.role_type_get_player_instances_req.transitivity));
      return stream(players, encodeThing, (things) =>
        new RoleTypeResPart({ role_type_get_player_instances_res_part: new RoleTypeGetPlayerInstancesResPart({ things }) }));
    }
    default:
      throw ServerErrors.missingRequest(`role_type_req.${req.req}`);
  }
}
