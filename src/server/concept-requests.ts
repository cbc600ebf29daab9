// Concept API requests (ConceptManager, Thing, Type, LogicManager, Rule) inside a transaction stream.
// The embedded API offers queries and `ownedAttributes`; most concept calls are answered by running small TypeQL
// queries on the same engine transaction (labels are validated first, so nothing from the client is spliced into
// query text unchecked). Calls that cannot be expressed that way answer with a clear "not supported yet" error —
// never silence, which would leave the driver waiting forever.
import type { TransactionReq } from 'typedb-protocol/proto/transaction.js';
import { TransactionRes, TransactionResPart } from 'typedb-protocol/proto/transaction.js';
import {
  ConceptManagerGetAttributeRes,
  ConceptManagerGetAttributeTypeRes,
  ConceptManagerGetEntityRes,
  ConceptManagerGetEntityTypeRes,
  ConceptManagerGetRelationRes,
  ConceptManagerGetRelationTypeRes,
  ConceptManagerPutAttributeTypeRes,
  ConceptManagerPutEntityTypeRes,
  ConceptManagerPutRelationTypeRes,
  ConceptManagerRes,
  AttributeGetOwnersResPart,
  RelationAddRolePlayerRes,
  RelationGetPlayersByRoleTypeResPart,
  RelationRemoveRolePlayerRes,
  ThingDeleteRes,
  ThingGetHasResPart,
  ThingGetRelationsResPart,
  ThingRes,
  ThingResPart,
  ThingSetHasRes,
  ThingUnsetHasRes,
  type AttributeType as AttributeTypeProto,
  type ConceptManagerReq,
  type ThingReq,
  type TypeAnnotation,
} from 'typedb-protocol/proto/concept.js';
import type { Transaction } from '../database/api.js';
import type { AttributeConcept, Concept, ThingConcept, TypeConcept } from '../concept/concepts.js';
import { labelText } from '../concept/concepts.js';
import { StrataError } from '../common/errors.js';
import {
  encodeAttribute,
  encodeAttributeType,
  encodeEntityType,
  encodeRelationType,
  encodeEntity,
  encodeRelation,
  encodeThing,
  iidFromBytes,
  valueTypeFromProto,
} from './answer-encoding.js';
import { ServerErrors } from './errors.js';
import type { RequestOutcome } from './query-requests.js';
import { runTypeRequest } from './type-requests.js';
import {
  attributeTypeLabel,
  checkedLabel,
  iidText,
  isValidLabel,
  roleTypeLabel,
  lazyThings,
  streamConcepts,
  thingIid,
  thingsOf,
  thingTypeLabel,
  typesOf,
  execute,
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
      throw ServerErrors.notSupported(`The LogicManager API (${req.logic_manager_req.req})`);
    case 'rule_req':
      throw ServerErrors.notSupported(`The Rule API (${req.rule_req.req})`);
    default:
      throw ServerErrors.missingRequest(req.req);
  }
}

// ---------------------------------------------------------------------------------------------------- ConceptManager

/** The type with this exact label under a root (`entity`, `relation`, `attribute`), or undefined. */
function findType(tx: Transaction, root: 'entity' | 'relation' | 'attribute', label: string): TypeConcept | undefined {
  if (!isValidLabel(label)) return undefined;
  return typesOf(tx, `match $t sub ${root}; get $t;`, 't').find((t) => t.label.scope === undefined && t.label.name === label);
}

/** The thing with this IID if it is of the wanted kind. */
function findThing(tx: Transaction, iid: Uint8Array, kind: ThingConcept['kind']): ThingConcept | undefined {
  if (iid.length === 0) return undefined;
  return thingsOf(tx, `match $x iid ${iidFromBytes(iid)}; get $x;`, 'x').find((t) => t.kind === kind);
}

function conceptManagerRes(reqId: Uint8Array, res: ConceptManagerRes): RequestOutcome {
  return { kind: 'single', res: new TransactionRes({ req_id: reqId, concept_manager_res: res }) };
}

function runConceptManagerRequest(tx: Transaction, reqId: Uint8Array, req: ConceptManagerReq): RequestOutcome {
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
      const label = checkedLabel(req.put_entity_type_req.label);
      execute(tx, `define ${label} sub entity;`);
      const t = findType(tx, 'entity', label);
      if (!t) throw new StrataError('INT', 9, `The entity type '${label}' was defined but cannot be read back.`);
      return conceptManagerRes(reqId, new ConceptManagerRes({ put_entity_type_res: new ConceptManagerPutEntityTypeRes({ entity_type: encodeEntityType(t) }) }));
    }
    case 'put_relation_type_req': {
      const label = checkedLabel(req.put_relation_type_req.label);
      execute(tx, `define ${label} sub relation;`);
      const t = findType(tx, 'relation', label);
      if (!t) throw new StrataError('INT', 9, `The relation type '${label}' was defined but cannot be read back.`);
      return conceptManagerRes(reqId, new ConceptManagerRes({ put_relation_type_res: new ConceptManagerPutRelationTypeRes({ relation_type: encodeRelationType(t) }) }));
    }
    case 'put_attribute_type_req': {
      const label = checkedLabel(req.put_attribute_type_req.label);
      const valueType = valueTypeFromProto(req.put_attribute_type_req.value_type);
      if (!valueType) throw new StrataError('TYW', 1, `An attribute type needs a value type; '${label}' was given none.`);
      execute(tx, `define ${label} sub attribute, value ${valueType};`);
      const t = findType(tx, 'attribute', label);
      if (!t) throw new StrataError('INT', 9, `The attribute type '${label}' was defined but cannot be read back.`);
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
    case 'get_schema_exceptions_req':
      throw ServerErrors.notSupported('ConceptManager.getSchemaExceptions (Strata validates the schema at commit)');
    default:
      throw ServerErrors.missingRequest(`concept_manager_req.${req.req}`);
  }
}

// ---------------------------------------------------------------------------------------------------- Thing

function thingRes(reqId: Uint8Array, res: ThingRes): RequestOutcome {
  return { kind: 'single', res: new TransactionRes({ req_id: reqId, thing_res: res }) };
}

function thingStream<C extends Concept, M>(
  reqId: Uint8Array,
  concepts: Iterable<C>,
  encode: (concept: C) => M,
  wrap: (batch: M[]) => ThingResPart,
  prefetchSize: number,
): RequestOutcome {
  return streamConcepts(reqId, concepts, encode, (id, batch) => new TransactionResPart({ req_id: id, thing_res_part: wrap(batch) }), prefetchSize);
}

/** Things from one query per pattern; with several patterns, each thing once (in memory: the union needs it). */
function thingsForPatterns(tx: Transaction, prefix: string, patterns: readonly string[], variable: string): Iterable<ThingConcept> {
  if (patterns.length === 1) return lazyThings(tx, `${prefix} ${patterns[0]} get $${variable};`, variable);
  const union = new Map<string, ThingConcept>();
  for (const pattern of patterns) {
    for (const t of lazyThings(tx, `${prefix} ${pattern} get $${variable};`, variable)) union.set(t.iid, t);
  }
  return union.values();
}

function hasKeyAnnotation(annotations: readonly TypeAnnotation[]): boolean {
  return annotations.some((a) => a.has_key);
}

function hasUniqueAnnotation(annotations: readonly TypeAnnotation[]): boolean {
  return annotations.some((a) => a.has_unique);
}

/** The engine's `ownedAttributes` needs only the IID of the owner; the rest of the concept is not consulted. */
function ownerFromIid(iid: string): ThingConcept {
  return { kind: 'entity', iid, inferred: false, type: { kind: 'type', root: 'entity', label: { name: 'entity' }, abstract: true } };
}

/** Labels of the given attribute types and all their subtypes (getHas(types) includes subtypes' instances). */
function withSubtypes(tx: Transaction, types: readonly AttributeTypeProto[]): Set<string> {
  const labels = new Set<string>();
  for (const t of types) {
    for (const sub of typesOf(tx, `match $t sub ${attributeTypeLabel(t)}; get $t;`, 't')) labels.add(labelText(sub.label));
  }
  return labels;
}

function runThingRequest(tx: Transaction, reqId: Uint8Array, req: ThingReq, prefetchSize: number): RequestOutcome {
  const iid = iidText(req.iid);
  switch (req.req) {
    case 'thing_get_has_req': {
      const { attribute_types: types, annotations } = req.thing_get_has_req;
      if (hasUniqueAnnotation(annotations)) throw ServerErrors.notSupported('Thing.getHas filtered by the @unique annotation');
      let attributes = tx.ownedAttributes(ownerFromIid(iid), { keysOnly: hasKeyAnnotation(annotations) });
      if (types.length > 0) {
        const labels = withSubtypes(tx, types);
        attributes = attributes.filter((a) => labels.has(labelText(a.type.label)));
      }
      return thingStream(reqId, attributes, encodeAttribute, (batch) =>
        new ThingResPart({ thing_get_has_res_part: new ThingGetHasResPart({ attributes: batch }) }), prefetchSize);
    }
    case 'thing_delete_req':
      execute(tx, `match $x iid ${iid}; delete $x isa thing;`);
      return thingRes(reqId, new ThingRes({ thing_delete_res: new ThingDeleteRes() }));
    case 'thing_set_has_req': {
      const attribute = iidText(req.thing_set_has_req.attribute.iid);
      execute(tx, `match $x iid ${iid}; $a iid ${attribute}; insert $x has $a;`);
      return thingRes(reqId, new ThingRes({ thing_set_has_res: new ThingSetHasRes() }));
    }
    case 'thing_unset_has_req': {
      const attribute = iidText(req.thing_unset_has_req.attribute.iid);
      execute(tx, `match $x iid ${iid}, has $a; $a iid ${attribute}; delete $x has $a;`);
      return thingRes(reqId, new ThingRes({ thing_unset_has_res: new ThingUnsetHasRes() }));
    }
    case 'thing_get_relations_req': {
      const roles = req.thing_get_relations_req.role_types;
      const patterns = roles.length === 0 ? [`$r ($x) isa relation;`] : roles.map((r) => `$r (${roleTypeLabel(r)}: $x) isa relation;`);
      const relations = thingsForPatterns(tx, `match $x iid ${iid};`, patterns, 'r');
      return thingStream(reqId, relations, encodeRelation, (batch) =>
        new ThingResPart({ thing_get_relations_res_part: new ThingGetRelationsResPart({ relations: batch }) }), prefetchSize);
    }
    case 'relation_get_players_by_role_type_req': {
      const roles = req.relation_get_players_by_role_type_req.role_types;
      const patterns = roles.length === 0 ? [`$r ($p);`] : roles.map((r) => `$r (${roleTypeLabel(r)}: $p);`);
      const players = thingsForPatterns(tx, `match $r iid ${iid};`, patterns, 'p');
      return thingStream(reqId, players, encodeThing, (batch) =>
        new ThingResPart({ relation_get_players_by_role_type_res_part: new RelationGetPlayersByRoleTypeResPart({ things: batch }) }), prefetchSize);
    }
    case 'relation_add_role_player_req': {
      const { role_type: role, player } = req.relation_add_role_player_req.role_player;
      const playerIid = iidText(thingIid(player));
      execute(tx, `match $r iid ${iid}; $p iid ${playerIid}; insert $r (${checkedLabel(role.label)}: $p);`);
      return thingRes(reqId, new ThingRes({ relation_add_role_player_res: new RelationAddRolePlayerRes() }));
    }
    case 'relation_remove_role_player_req': {
      const { role_type: role, player } = req.relation_remove_role_player_req.role_player;
      const playerIid = iidText(thingIid(player));
      execute(tx, `match $r iid ${iid}; $p iid ${playerIid}; $r (${checkedLabel(role.label)}: $p); delete $r (${checkedLabel(role.label)}: $p);`);
      return thingRes(reqId, new ThingRes({ relation_remove_role_player_res: new RelationRemoveRolePlayerRes() }));
    }
    case 'attribute_get_owners_req': {
      const filter = req.attribute_get_owners_req.has_thing_type ? ` $x isa ${thingTypeLabel(req.attribute_get_owners_req.thing_type)};` : '';
      const owners = lazyThings(tx, `match $a iid ${iid}; $x has $a;${filter} get $x;`, 'x');
      return thingStream(reqId, owners, encodeThing, (batch) =>
        new ThingResPart({ attribute_get_owners_res_part: new AttributeGetOwnersResPart({ things: batch }) }), prefetchSize);
    }
    case 'thing_get_playing_req':
    case 'relation_get_role_players_req':
    case 'relation_get_relating_req':
      throw ServerErrors.notSupported(`Thing API call '${req.req}'`);
    default:
      throw ServerErrors.missingRequest(`thing_req.${req.req}`);
  }
}
