// Concept API requests (ConceptManager, Thing, Type, LogicManager, Rule) inside a transaction stream, answered by
// the engine's Concept API (Transaction.concepts()): one engine call per request, so the driver sees the same
// validation, errors and answers as embedded callers.
import type { TransactionReq } from 'typedb-protocol/proto/transaction.js';
import { TransactionRes, TransactionResPart } from 'typedb-protocol/proto/transaction.js';
import {
  ConceptManagerGetAttributeRes,
  ConceptManagerGetAttributeTypeRes,
  ConceptManagerGetEntityRes,
  ConceptManagerGetEntityTypeRes,
  ConceptManagerGetRelationRes,
  ConceptManagerGetRelationTypeRes,
  ConceptManagerGetSchemaExceptionsRes,
  ConceptManagerPutAttributeTypeRes,
  ConceptManagerPutEntityTypeRes,
  ConceptManagerPutRelationTypeRes,
  ConceptManagerRes,
  AttributeGetOwnersResPart,
  Exception,
  RelationAddRolePlayerRes,
  RelationGetPlayersByRoleTypeResPart,
  RelationGetRelatingResPart,
  RelationGetRolePlayersResPart,
  RelationRemoveRolePlayerRes,
  RelationRolePlayer,
  ThingDeleteRes,
  ThingGetHasResPart,
  ThingGetPlayingResPart,
  ThingGetRelationsResPart,
  ThingRes,
  ThingResPart,
  ThingSetHasRes,
  ThingUnsetHasRes,
  type ConceptManagerReq,
  type ThingReq,
} from 'typedb-protocol/proto/concept.js';
import type { RolePlayer } from '../concept/api/index.js';
import type { Transaction } from '../database/api.js';
import type { AttributeConcept, Concept, ThingConcept, TypeConcept, TypeRoot } from '../concept/concepts.js';
import {
  encodeAttribute,
  encodeAttributeType,
  encodeEntityType,
  encodeRelationType,
  encodeEntity,
  encodeRelation,
  encodeRoleType,
  encodeThing,
  estimateConceptSize,
  iidFromBytes,
} from './answer-encoding.js';
import { ThingRead } from '../concept/errors.js';
import { ServerErrors } from './errors.js';
import type { RequestOutcome } from './query-requests.js';
import { runLogicManagerRequest, runRuleRequest } from './logic-requests.js';
import { runTypeRequest } from './type-requests.js';
import {
  attributeTypeLabel,
  iidText,
  ownsAnnotations,
  requestValueType,
  roleTypeLabel,
  streamConcepts,
  thingIid,
  thingTypeLabel,
} from './concept-queries.js';

// ---------------------------------------------------------------------------------------------------- dispatch

export function runConceptRequest(tx: Transaction, req: TransactionReq, prefetchSize: number): RequestOutcome {
  switch (req.req) {
    case 'concept_manager_req':
      return runConceptManagerRequest(tx, req.req_id, req.concept_manager_req);
    case 'thing_req':
      return runThingRequest(tx, req.req_id, req.thing_req, prefetchSize);
    case 'type_req':
      return runTypeRequest(tx, req.req_id, req.type_req, prefetchSize);
    case 'logic_manager_req':
      return runLogicManagerRequest(tx, req.req_id, req.logic_manager_req, prefetchSize);
    case 'rule_req':
      return runRuleRequest(tx, req.req_id, req.rule_req);
    default:
      throw ServerErrors.missingRequest(req.req);
  }
}

// ---------------------------------------------------------------------------------------------------- ConceptManager

/**
 * The type with this label if it is of the wanted kind, else nothing. (Java TypeDB throws when the label names a
 * type of another kind; answering "none" lets a client probe a label's kind, and the driver needs no more.)
 */
function findType(tx: Transaction, root: TypeRoot, label: string): TypeConcept | undefined {
  const type = tx.concepts().types.get(label);
  return type && type.root === root ? type : undefined;
}

/**
 * The thing with this IID, or nothing. A thing of another kind fails the cast, as TypeDB 2.x's ConceptManager fails
 * it (getEntity is `getThing(iid).asEntity()`): [THR03], which closes the transaction.
 */
function findThing(tx: Transaction, iid: Uint8Array, kind: ThingConcept['kind']): ThingConcept | undefined {
  if (iid.length === 0) return undefined;
  const thing = tx.concepts().things.get(iidFromBytes(iid));
  if (thing && thing.kind !== kind) {
    throw ThingRead.thingOfAnotherKind(thing.kind, thing.kind === 'attribute' ? thing.value.type : undefined, kind);
  }
  return thing;
}

function conceptManagerRes(reqId: Uint8Array, res: ConceptManagerRes): RequestOutcome {
  return { kind: 'single', res: new TransactionRes({ req_id: reqId, concept_manager_res: res }) };
}

function runConceptManagerRequest(tx: Transaction, reqId: Uint8Array, req: ConceptManagerReq): RequestOutcome {
  const { types } = tx.concepts();
  switch (req.req) {
    case 'get_entity_type_req': {
      const t = findType(tx, 'entity', req.get_entity_type_req.label);
      const res = t ? new ConceptManagerGetEntityTypeRes({ entity_type: encodeEntityType(t) }) : new ConceptManagerGetEntityTypeRes();
      return conceptManagerRes(reqId, new ConceptManagerRes({ get_entity_type_res: res }));
    }
    case 'get_relation_type_req': {
      const t = findType(tx, 'relation', req.get_relation_type_req.label);
      const res = t ? new ConceptManagerGetRelationTypeRes({ relation_type: encodeRelationType(t) }) : new ConceptManagerGetRelationTypeRes();
      return conceptManagerRes(reqId, new ConceptManagerRes({ get_relation_type_res: res }));
    }
    case 'get_attribute_type_req': {
      const t = findType(tx, 'attribute', req.get_attribute_type_req.label);
      const res = t ? new ConceptManagerGetAttributeTypeRes({ attribute_type: encodeAttributeType(t) }) : new ConceptManagerGetAttributeTypeRes();
      return conceptManagerRes(reqId, new ConceptManagerRes({ get_attribute_type_res: res }));
    }
    case 'put_entity_type_req': {
      const t = types.putEntityType(req.put_entity_type_req.label);
      return conceptManagerRes(reqId, new ConceptManagerRes({ put_entity_type_res: new ConceptManagerPutEntityTypeRes({ entity_type: encodeEntityType(t) }) }));
    }
    case 'put_relation_type_req': {
      const t = types.putRelationType(req.put_relation_type_req.label);
      return conceptManagerRes(reqId, new ConceptManagerRes({ put_relation_type_res: new ConceptManagerPutRelationTypeRes({ relation_type: encodeRelationType(t) }) }));
    }
    case 'put_attribute_type_req': {
      const { label, value_type } = req.put_attribute_type_req;
      // As TypeDB's ConceptService: OBJECT, the root's own value type, is no value type to define an attribute type with.
      const valueType = requestValueType(value_type);
      if (valueType === 'object') throw ServerErrors.badValueType('OBJECT');
      const t = types.putAttributeType(label, valueType);
      return conceptManagerRes(
        reqId,
        new ConceptManagerRes({ put_attribute_type_res: new ConceptManagerPutAttributeTypeRes({ attribute_type: encodeAttributeType(t) }) }),
      );
    }
    case 'get_entity_req': {
      const t = findThing(tx, req.get_entity_req.iid, 'entity');
      const res = t ? new ConceptManagerGetEntityRes({ entity: encodeEntity(t) }) : new ConceptManagerGetEntityRes();
      return conceptManagerRes(reqId, new ConceptManagerRes({ get_entity_res: res }));
    }
    case 'get_relation_req': {
      const t = findThing(tx, req.get_relation_req.iid, 'relation');
      const res = t ? new ConceptManagerGetRelationRes({ relation: encodeRelation(t) }) : new ConceptManagerGetRelationRes();
      return conceptManagerRes(reqId, new ConceptManagerRes({ get_relation_res: res }));
    }
    case 'get_attribute_req': {
      const t = findThing(tx, req.get_attribute_req.iid, 'attribute');
      const res = t ? new ConceptManagerGetAttributeRes({ attribute: encodeAttribute(t as AttributeConcept) }) : new ConceptManagerGetAttributeRes();
      return conceptManagerRes(reqId, new ConceptManagerRes({ get_attribute_res: res }));
    }
    case 'get_schema_exceptions_req': {
      const exceptions = types.schemaExceptions().map((e) => new Exception({ code: e.code, message: e.message }));
      return conceptManagerRes(reqId, new ConceptManagerRes({ get_schema_exceptions_res: new ConceptManagerGetSchemaExceptionsRes({ exceptions }) }));
    }
    default:
      throw ServerErrors.missingRequest(`concept_manager_req.${req.req}`);
  }
}

// ---------------------------------------------------------------------------------------------------- Thing

function thingRes(reqId: Uint8Array, res: ThingRes): RequestOutcome {
  return { kind: 'single', res: new TransactionRes({ req_id: reqId, thing_res: res }) };
}

function thingStream<C, M extends { serialize(): Uint8Array }>(
  reqId: Uint8Array,
  items: Iterable<C>,
  encode: (item: C) => M,
  wrap: (batch: M[]) => ThingResPart,
  prefetchSize: number,
  estimate?: (item: C) => number,
): RequestOutcome {
  return streamConcepts(
    reqId,
    items,
    encode,
    (id, batch) => new TransactionResPart({ req_id: id, thing_res_part: wrap(batch) }),
    prefetchSize,
    estimate,
  );
}

function encodeRolePlayer(rolePlayer: RolePlayer): RelationRolePlayer {
  return new RelationRolePlayer({ role_type: encodeRoleType(rolePlayer.role), player: encodeThing(rolePlayer.player) });
}

function runThingRequest(tx: Transaction, reqId: Uint8Array, req: ThingReq, prefetchSize: number): RequestOutcome {
  const iid = iidText(req.iid);
  const { things } = tx.concepts();
  // As TypeDB's ThingService: a request on a thing not (or no longer) in the transaction fails the same way whatever it asks.
  if (things.isDeleted(iid)) throw ServerErrors.missingConcept('thing', iid);
  const stream = <C extends Concept, M extends { serialize(): Uint8Array }>(items: Iterable<C>, encode: (item: C) => M, wrap: (batch: M[]) => ThingResPart) =>
    thingStream(reqId, items, encode, wrap, prefetchSize);
  switch (req.req) {
    case 'thing_get_has_req': {
      const { attribute_types: types, annotations } = req.thing_get_has_req;
      // As TypeDB's ThingService: attribute types, when given, are the only filter (annotations are then ignored).
      const owned = things.getHas(iid, types.length > 0 ? { attributeTypes: types.map(attributeTypeLabel) } : { annotations: ownsAnnotations(annotations) });
      return stream(owned, encodeAttribute, (attributes) =>
        new ThingResPart({ thing_get_has_res_part: new ThingGetHasResPart({ attributes }) }));
    }
    case 'thing_delete_req':
      things.delete(iid);
      return thingRes(reqId, new ThingRes({ thing_delete_res: new ThingDeleteRes() }));
    case 'thing_set_has_req':
      things.setHas(iid, iidText(req.thing_set_has_req.attribute.iid));
      return thingRes(reqId, new ThingRes({ thing_set_has_res: new ThingSetHasRes() }));
    case 'thing_unset_has_req':
      things.unsetHas(iid, iidText(req.thing_unset_has_req.attribute.iid));
      return thingRes(reqId, new ThingRes({ thing_unset_has_res: new ThingUnsetHasRes() }));
    case 'thing_get_relations_req': {
      const roles = req.thing_get_relations_req.role_types;
      const relations = things.getRelations(iid, roles.length > 0 ? roles.map(roleTypeLabel) : undefined);
      return stream(relations, encodeRelation, (batch) =>
        new ThingResPart({ thing_get_relations_res_part: new ThingGetRelationsResPart({ relations: batch }) }));
    }
    case 'thing_get_playing_req':
      return stream(things.getPlaying(iid), encodeRoleType, (role_types) =>
        new ThingResPart({ thing_get_playing_res_part: new ThingGetPlayingResPart({ role_types }) }));
    case 'relation_get_players_by_role_type_req': {
      const roles = req.relation_get_players_by_role_type_req.role_types;
      const players = things.getPlayers(iid, roles.length > 0 ? roles.map(roleTypeLabel) : undefined);
      return stream(players, encodeThing, (batch) =>
        new ThingResPart({ relation_get_players_by_role_type_res_part: new RelationGetPlayersByRoleTypeResPart({ things: batch }) }));
    }
    case 'relation_get_role_players_req':
      return thingStream(
        reqId,
        things.getRolePlayers(iid),
        encodeRolePlayer,
        (role_players) => new ThingResPart({ relation_get_role_players_res_part: new RelationGetRolePlayersResPart({ role_players }) }),
        prefetchSize,
        (rp) => estimateConceptSize(rp.role) + estimateConceptSize(rp.player),
      );
    case 'relation_get_relating_req':
      return stream(things.getRelating(iid), encodeRoleType, (role_types) =>
        new ThingResPart({ relation_get_relating_res_part: new RelationGetRelatingResPart({ role_types }) }));
    case 'relation_add_role_player_req': {
      const { role_type: role, player } = req.relation_add_role_player_req.role_player;
      things.addPlayer(iid, roleTypeLabel(role), iidText(thingIid(player)));
      return thingRes(reqId, new ThingRes({ relation_add_role_player_res: new RelationAddRolePlayerRes() }));
    }
    case 'relation_remove_role_player_req': {
      const { role_type: role, player } = req.relation_remove_role_player_req.role_player;
      things.removePlayer(iid, roleTypeLabel(role), iidText(thingIid(player)));
      return thingRes(reqId, new ThingRes({ relation_remove_role_player_res: new RelationRemoveRolePlayerRes() }));
    }
    case 'attribute_get_owners_req': {
      const r = req.attribute_get_owners_req;
      const owners = things.getOwners(iid, r.has_thing_type ? thingTypeLabel(r.thing_type) : undefined);
      return stream(owners, encodeThing, (batch) =>
        new ThingResPart({ attribute_get_owners_res_part: new AttributeGetOwnersResPart({ things: batch }) }));
    }
    default:
      throw ServerErrors.missingRequest(`thing_req.${req.req}`);
  }
}
