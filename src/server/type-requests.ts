// Type API requests (ThingType / EntityType / RelationType / AttributeType / RoleType), answered with small
// TypeQL queries on the request's transaction: reads as `match … get`, writes as define/undefine (schema sessions)
// or insert (data sessions), so the engine applies its usual validation and session/transaction-type checks.
import { TransactionRes, TransactionResPart } from 'typedb-protocol/proto/transaction.js';
import {
  AttributeTypeGetOwnersResPart,
  AttributeTypeGetInstancesResPart,
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
  RelationTypeGetInstancesResPart,
  RelationTypeGetRelatesForRoleLabelRes,
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
  RoleTypeGetSubtypesResPart,
  RoleTypeGetSupertypeRes,
  RoleTypeGetSupertypesResPart,
  RoleTypeRes,
  RoleTypeResPart,
  ThingTypeDeleteRes,
  ThingTypeGetOwnsResPart,
  ThingTypeGetPlaysResPart,
  ThingTypeRes,
  ThingTypeResPart,
  ThingTypeSetAbstractRes,
  ThingTypeSetOwnsRes,
  ThingTypeSetPlaysRes,
  ThingTypeUnsetAbstractRes,
  ThingTypeUnsetOwnsRes,
  ThingTypeUnsetPlaysRes,
  TypeRes,
  TypeResPart,
  type RoleTypeReq,
  type ThingTypeReq,
  type TypeAnnotation,
  type TypeReq,
  type TypeTransitivity,
} from 'typedb-protocol/proto/concept.js';
import type { Transaction } from '../database/api.js';
import type { AttributeConcept, Concept, ThingConcept, TypeConcept } from '../concept/concepts.js';
import { labelText } from '../concept/concepts.js';
import { formatValue, type ValueType } from '../common/values.js';
import { StrataError } from '../common/errors.js';
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
  isRootType,
  valueTypeFromProto,
} from './answer-encoding.js';
import { ServerErrors } from './errors.js';
import type { RequestOutcome } from './query-requests.js';
import {
  attributeTypeLabel,
  checkedLabel,
  execute,
  lazyThings,
  roleTypeLabel,
  streamConcepts,
  thingsOf,
  transitive,
  typesOf,
} from './concept-queries.js';

// ---------------------------------------------------------------------------------------------------- responses

function thingTypeRes(reqId: Uint8Array, res: ThingTypeRes): RequestOutcome {
  return { kind: 'single', res: new TransactionRes({ req_id: reqId, type_res: new TypeRes({ thing_type_res: res }) }) };
}

function thingTypeStream<C extends Concept, M>(
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

function roleTypeStream<C extends Concept, M>(
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

// ---------------------------------------------------------------------------------------------------- type queries

/** The direct supertype, or undefined for root types. */
function supertype(tx: Transaction, label: string): TypeConcept | undefined {
  return typesOf(tx, `match ${label} sub! $s; get $s;`, 's').find((t) => labelText(t.label) !== label);
}

/** The type and all its supertypes up to (and including) its kind's root; never the `thing` root. */
function supertypes(tx: Transaction, label: string): TypeConcept[] {
  return typesOf(tx, `match ${label} sub $s; get $s;`, 's').filter((t) => t.root !== 'thing');
}

/** Transitive: the type and all its subtypes; explicit: only the direct subtypes (Java's semantics). */
function subtypes(tx: Transaction, label: string, transitivity: TypeTransitivity): TypeConcept[] {
  return transitive(transitivity)
    ? typesOf(tx, `match $s sub ${label}; get $s;`, 's')
    : typesOf(tx, `match $s sub! ${label}; get $s;`, 's').filter((t) => labelText(t.label) !== label);
}

/** Instances stream lazily: there can be as many as the database holds. */
function instances(tx: Transaction, label: string, transitivity: TypeTransitivity): Iterable<ThingConcept> {
  return lazyThings(tx, `match $x ${transitive(transitivity) ? 'isa' : 'isa!'} ${label}; get $x;`, 'x');
}

function* filterLazy<T>(items: Iterable<T>, keep: (item: T) => boolean): Generator<T> {
  for (const item of items) if (keep(item)) yield item;
}

function annotationSuffix(annotations: readonly TypeAnnotation[]): string {
  return annotations.map((a) => (a.has_key ? ' @key' : a.has_unique ? ' @unique' : '')).join('');
}

/**
 * Attribute types owned by the type; explicit ownerships are those not inherited from the direct supertype
 * (an approximation: an ownership re-declared on a subtype counts as inherited).
 */
function owns(tx: Transaction, label: string, transitivity: TypeTransitivity, annotations: readonly TypeAnnotation[], valueType?: ValueType): TypeConcept[] {
  const query = (l: string) => typesOf(tx, `match ${l} owns $a${annotationSuffix(annotations)}; get $a;`, 'a');
  let result = query(label);
  if (!transitive(transitivity)) {
    const parent = supertype(tx, label);
    if (parent && !isRootType(parent)) {
      const inherited = new Set(query(labelText(parent.label)).map((t) => labelText(t.label)));
      result = result.filter((t) => !inherited.has(labelText(t.label)));
    }
  }
  return valueType === undefined ? result : result.filter((t) => t.valueType === valueType);
}

function plays(tx: Transaction, label: string, transitivity: TypeTransitivity): TypeConcept[] {
  const query = (l: string) => typesOf(tx, `match ${l} plays $r; get $r;`, 'r');
  let result = query(label);
  if (!transitive(transitivity)) {
    const parent = supertype(tx, label);
    if (parent && !isRootType(parent)) {
      const inherited = new Set(query(labelText(parent.label)).map((t) => labelText(t.label)));
      result = result.filter((t) => !inherited.has(labelText(t.label)));
    }
  }
  return result;
}

function relates(tx: Transaction, label: string, transitivity: TypeTransitivity): TypeConcept[] {
  const roles = typesOf(tx, `match ${label} relates $r; get $r;`, 'r').filter((r) => label === 'relation' || !isRootType(r));
  return transitive(transitivity) ? roles : roles.filter((r) => r.label.scope === label);
}

/** The single thing an insert query created under `$x`. */
function inserted(tx: Transaction, query: string): ThingConcept {
  const result = tx.query(query);
  if (result.kind !== 'insert') throw new StrataError('INT', 10, `An insert produced '${result.kind}' answers.`);
  const thing = result.answers[0]?.get('x');
  if (!thing || thing.kind === 'type' || thing.kind === 'value') throw new StrataError('INT', 10, 'An insert produced no thing.');
  return thing;
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

function runThingTypeRequest(tx: Transaction, reqId: Uint8Array, req: ThingTypeReq, prefetchSize: number): RequestOutcome {
  const label = checkedLabel(req.label);
  const stream = <C extends Concept, M>(concepts: Iterable<C>, encode: (c: C) => M, wrap: (batch: M[]) => ThingTypeResPart) =>
    thingTypeStream(reqId, concepts, encode, wrap, prefetchSize);
  const res = (r: ThingTypeRes) => thingTypeRes(reqId, r);
  switch (req.req) {
    // ---- ThingType
    case 'thing_type_delete_req': {
      const parent = supertype(tx, label);
      if (!parent) throw new StrataError('TYW', 2, `The root type '${label}' cannot be deleted.`);
      execute(tx, `undefine ${label} sub ${labelText(parent.label)};`);
      return res(new ThingTypeRes({ thing_type_delete_res: new ThingTypeDeleteRes() }));
    }
    case 'thing_type_set_abstract_req':
      execute(tx, `define ${label} abstract;`);
      return res(new ThingTypeRes({ thing_type_set_abstract_res: new ThingTypeSetAbstractRes() }));
    case 'thing_type_unset_abstract_req':
      execute(tx, `undefine ${label} abstract;`);
      return res(new ThingTypeRes({ thing_type_unset_abstract_res: new ThingTypeUnsetAbstractRes() }));
    case 'thing_type_get_owns_req': {
      const r = req.thing_type_get_owns_req;
      const valueType = r.has_value_type ? valueTypeFromProto(r.value_type) : undefined;
      const types = owns(tx, label, r.transitivity, r.annotations, valueType);
      return stream(types, encodeAttributeType, (attribute_types) => new ThingTypeResPart({ thing_type_get_owns_res_part: new ThingTypeGetOwnsResPart({ attribute_types }) }));
    }
    case 'thing_type_set_owns_req': {
      const r = req.thing_type_set_owns_req;
      const as = r.has_overridden_type ? ` as ${attributeTypeLabel(r.overridden_type)}` : '';
      execute(tx, `define ${label} owns ${attributeTypeLabel(r.attribute_type)}${as}${annotationSuffix(r.annotations)};`);
      return res(new ThingTypeRes({ thing_type_set_owns_res: new ThingTypeSetOwnsRes() }));
    }
    case 'thing_type_unset_owns_req':
      execute(tx, `undefine ${label} owns ${attributeTypeLabel(req.thing_type_unset_owns_req.attribute_type)};`);
      return res(new ThingTypeRes({ thing_type_unset_owns_res: new ThingTypeUnsetOwnsRes() }));
    case 'thing_type_get_plays_req': {
      const roles = plays(tx, label, req.thing_type_get_plays_req.transitivity);
      return stream(roles, encodeRoleType, (role_types) => new ThingTypeResPart({ thing_type_get_plays_res_part: new ThingTypeGetPlaysResPart({ role_types }) }));
    }
    case 'thing_type_set_plays_req': {
      const r = req.thing_type_set_plays_req;
      const as = r.has_overridden_role_type ? ` as ${checkedLabel(r.overridden_role_type.label)}` : '';
      execute(tx, `define ${label} plays ${roleTypeLabel(r.role_type)}${as};`);
      return res(new ThingTypeRes({ thing_type_set_plays_res: new ThingTypeSetPlaysRes() }));
    }
    case 'thing_type_unset_plays_req':
      execute(tx, `undefine ${label} plays ${roleTypeLabel(req.thing_type_unset_plays_req.role_type)};`);
      return res(new ThingTypeRes({ thing_type_unset_plays_res: new ThingTypeUnsetPlaysRes() }));

    // ---- EntityType
    case 'entity_type_create_req': {
      const entity = inserted(tx, `insert $x isa ${label};`);
      return res(new ThingTypeRes({ entity_type_create_res: new EntityTypeCreateRes({ entity: encodeEntity(entity) }) }));
    }
    case 'entity_type_get_supertype_req': {
      const parent = supertype(tx, label);
      const r = parent && parent.root === 'entity' ? new EntityTypeGetSupertypeRes({ entity_type: encodeEntityType(parent) }) : new EntityTypeGetSupertypeRes();
      return res(new ThingTypeRes({ entity_type_get_supertype_res: r }));
    }
    case 'entity_type_set_supertype_req':
      execute(tx, `define ${label} sub ${checkedLabel(req.entity_type_set_supertype_req.entity_type.label)};`);
      return res(new ThingTypeRes({ entity_type_set_supertype_res: new EntityTypeSetSupertypeRes() }));
    case 'entity_type_get_supertypes_req':
      return stream(supertypes(tx, label), encodeEntityType, (entity_types) =>
        new ThingTypeResPart({ entity_type_get_supertypes_res_part: new EntityTypeGetSupertypesResPart({ entity_types }) }));
    case 'entity_type_get_subtypes_req':
      return stream(subtypes(tx, label, req.entity_type_get_subtypes_req.transitivity), encodeEntityType, (entity_types) =>
        new ThingTypeResPart({ entity_type_get_subtypes_res_part: new EntityTypeGetSubtypesResPart({ entity_types }) }));
    case 'entity_type_get_instances_req': {
      const things = instances(tx, label, req.entity_type_get_instances_req.transitivity);
      return stream(things, encodeEntity, (entities) => new ThingTypeResPart({ entity_type_get_instances_res_part: new EntityTypeGetInstancesResPart({ entities }) }));
    }

    // ---- RelationType
    case 'relation_type_create_req':
      throw ServerErrors.notSupported('RelationType.create (a relation needs role players)');
    case 'relation_type_get_supertype_req': {
      const parent = supertype(tx, label);
      const r = parent && parent.root === 'relation' ? new RelationTypeGetSupertypeRes({ relation_type: encodeRelationType(parent) }) : new RelationTypeGetSupertypeRes();
      return res(new ThingTypeRes({ relation_type_get_supertype_res: r }));
    }
    case 'relation_type_set_supertype_req':
      execute(tx, `define ${label} sub ${checkedLabel(req.relation_type_set_supertype_req.relation_type.label)};`);
      return res(new ThingTypeRes({ relation_type_set_supertype_res: new RelationTypeSetSupertypeRes() }));
    case 'relation_type_get_supertypes_req':
      return stream(supertypes(tx, label), encodeRelationType, (relation_types) =>
        new ThingTypeResPart({ relation_type_get_supertypes_res_part: new RelationTypeGetSupertypesResPart({ relation_types }) }));
    case 'relation_type_get_subtypes_req':
      return stream(subtypes(tx, label, req.relation_type_get_subtypes_req.transitivity), encodeRelationType, (relation_types) =>
        new ThingTypeResPart({ relation_type_get_subtypes_res_part: new RelationTypeGetSubtypesResPart({ relation_types }) }));
    case 'relation_type_get_instances_req': {
      const things = instances(tx, label, req.relation_type_get_instances_req.transitivity);
      return stream(things, encodeRelation, (relations) => new ThingTypeResPart({ relation_type_get_instances_res_part: new RelationTypeGetInstancesResPart({ relations }) }));
    }
    case 'relation_type_get_relates_req':
      return stream(relates(tx, label, req.relation_type_get_relates_req.transitivity), encodeRoleType, (role_types) =>
        new ThingTypeResPart({ relation_type_get_relates_res_part: new RelationTypeGetRelatesResPart({ role_types }) }));
    case 'relation_type_get_relates_for_role_label_req': {
      const name = req.relation_type_get_relates_for_role_label_req.label;
      const role = relates(tx, label, 0 as TypeTransitivity).find((r) => r.label.name === name);
      const r = role ? new RelationTypeGetRelatesForRoleLabelRes({ role_type: encodeRoleType(role) }) : new RelationTypeGetRelatesForRoleLabelRes();
      return res(new ThingTypeRes({ relation_type_get_relates_for_role_label_res: r }));
    }
    case 'relation_type_set_relates_req': {
      const r = req.relation_type_set_relates_req;
      const as = r.has_overridden_label ? ` as ${checkedLabel(r.overridden_label)}` : '';
      execute(tx, `define ${label} relates ${checkedLabel(r.label)}${as};`);
      return res(new ThingTypeRes({ relation_type_set_relates_res: new RelationTypeSetRelatesRes() }));
    }
    case 'relation_type_unset_relates_req':
      execute(tx, `undefine ${label} relates ${checkedLabel(req.relation_type_unset_relates_req.label)};`);
      return res(new ThingTypeRes({ relation_type_unset_relates_res: new RelationTypeUnsetRelatesRes() }));

    // ---- AttributeType
    case 'attribute_type_put_req': {
      const literal = formatValue(decodeValue(req.attribute_type_put_req.value));
      const attribute = inserted(tx, `insert $x ${literal} isa ${label};`) as AttributeConcept;
      return res(new ThingTypeRes({ attribute_type_put_res: new AttributeTypePutRes({ attribute: encodeAttribute(attribute) }) }));
    }
    case 'attribute_type_get_req': {
      const literal = formatValue(decodeValue(req.attribute_type_get_req.value));
      const found = thingsOf(tx, `match $x ${literal} isa! ${label}; get $x;`, 'x')[0] as AttributeConcept | undefined;
      const r = found ? new AttributeTypeGetRes({ attribute: encodeAttribute(found) }) : new AttributeTypeGetRes();
      return res(new ThingTypeRes({ attribute_type_get_res: r }));
    }
    case 'attribute_type_get_supertype_req': {
      const parent = supertype(tx, label);
      const r = parent && parent.root === 'attribute' ? new AttributeTypeGetSupertypeRes({ attribute_type: encodeAttributeType(parent) }) : new AttributeTypeGetSupertypeRes();
      return res(new ThingTypeRes({ attribute_type_get_supertype_res: r }));
    }
    case 'attribute_type_set_supertype_req':
      execute(tx, `define ${label} sub ${checkedLabel(req.attribute_type_set_supertype_req.attribute_type.label)};`);
      return res(new ThingTypeRes({ attribute_type_set_supertype_res: new AttributeTypeSetSupertypeRes() }));
    case 'attribute_type_get_supertypes_req':
      return stream(supertypes(tx, label), encodeAttributeType, (attribute_types) =>
        new ThingTypeResPart({ attribute_type_get_supertypes_res_part: new AttributeTypeGetSupertypesResPart({ attribute_types }) }));
    case 'attribute_type_get_subtypes_req': {
      const r = req.attribute_type_get_subtypes_req;
      const valueType = r.has_value_type ? valueTypeFromProto(r.value_type) : undefined;
      const types = subtypes(tx, label, r.transitivity).filter((t) => valueType === undefined || t.valueType === valueType);
      return stream(types, encodeAttributeType, (attribute_types) =>
        new ThingTypeResPart({ attribute_type_get_subtypes_res_part: new AttributeTypeGetSubtypesResPart({ attribute_types }) }));
    }
    case 'attribute_type_get_instances_req': {
      const r = req.attribute_type_get_instances_req;
      const valueType = r.has_value_type ? valueTypeFromProto(r.value_type) : undefined;
      const things = filterLazy(instances(tx, label, r.transitivity), (t) => valueType === undefined || t.type.valueType === valueType);
      return stream(things as Iterable<AttributeConcept>, encodeAttribute, (attributes) =>
        new ThingTypeResPart({ attribute_type_get_instances_res_part: new AttributeTypeGetInstancesResPart({ attributes }) }));
    }
    case 'attribute_type_set_regex_req': {
      const regex = req.attribute_type_set_regex_req.regex;
      execute(tx, regex === '' ? `undefine ${label} regex "";` : `define ${label} regex ${JSON.stringify(regex)};`);
      return res(new ThingTypeRes({ attribute_type_set_regex_res: new AttributeTypeSetRegexRes() }));
    }
    case 'attribute_type_get_owners_req': {
      const r = req.attribute_type_get_owners_req;
      let owners = typesOf(tx, `match $t owns ${label}${annotationSuffix(r.annotations)}; get $t;`, 't');
      if (!transitive(r.transitivity)) {
        // Explicit owners: drop types that inherit the ownership from an owning supertype.
        const owning = new Set(owners.map((t) => labelText(t.label)));
        owners = owners.filter((t) => {
          const parent = supertype(tx, labelText(t.label));
          return !parent || !owning.has(labelText(parent.label));
        });
      }
      return stream(owners, encodeThingType, (thing_types) =>
        new ThingTypeResPart({ attribute_type_get_owners_res_part: new AttributeTypeGetOwnersResPart({ thing_types }) }));
    }
    case 'thing_type_set_label_req':
    case 'thing_type_get_owns_overridden_req':
    case 'thing_type_get_plays_overridden_req':
    case 'thing_type_get_syntax_req':
    case 'relation_type_get_relates_overridden_req':
    case 'attribute_type_get_regex_req':
      throw ServerErrors.notSupported(`Type API call '${req.req}'`);
    default:
      throw ServerErrors.missingRequest(`thing_type_req.${req.req}`);
  }
}

function runRoleTypeRequest(tx: Transaction, reqId: Uint8Array, req: RoleTypeReq, prefetchSize: number): RequestOutcome {
  const label = `${checkedLabel(req.scope)}:${checkedLabel(req.label)}`;
  const stream = <C extends Concept, M>(concepts: Iterable<C>, encode: (c: C) => M, wrap: (batch: M[]) => RoleTypeResPart) =>
    roleTypeStream(reqId, concepts, encode, wrap, prefetchSize);
  const res = (r: RoleTypeRes) => roleTypeRes(reqId, r);
  switch (req.req) {
    case 'role_type_delete_req':
      execute(tx, `undefine ${checkedLabel(req.scope)} relates ${checkedLabel(req.label)};`);
      return res(new RoleTypeRes({ role_type_delete_res: new RoleTypeDeleteRes() }));
    case 'role_type_get_supertype_req': {
      const parent = supertype(tx, label);
      const r = parent && parent.root === 'role' ? new RoleTypeGetSupertypeRes({ role_type: encodeRoleType(parent) }) : new RoleTypeGetSupertypeRes();
      return res(new RoleTypeRes({ role_type_get_supertype_res: r }));
    }
    case 'role_type_get_supertypes_req':
      return stream(supertypes(tx, label), encodeRoleType, (role_types) =>
        new RoleTypeResPart({ role_type_get_supertypes_res_part: new RoleTypeGetSupertypesResPart({ role_types }) }));
    case 'role_type_get_subtypes_req':
      return stream(subtypes(tx, label, req.role_type_get_subtypes_req.transitivity), encodeRoleType, (role_types) =>
        new RoleTypeResPart({ role_type_get_subtypes_res_part: new RoleTypeGetSubtypesResPart({ role_types }) }));
    case 'role_type_get_player_types_req':
      return stream(typesOf(tx, `match $t plays ${label}; get $t;`, 't'), encodeThingType, (thing_types) =>
        new RoleTypeResPart({ role_type_get_player_types_res_part: new RoleTypeGetPlayerTypesResPart({ thing_types }) }));
    case 'role_type_get_relation_instances_req': {
      const relations = lazyThings(tx, `match $r (${label}: $x); get $r;`, 'r');
      return stream(relations, encodeRelation, (rels) =>
        new RoleTypeResPart({ role_type_get_relation_instances_res_part: new RoleTypeGetRelationInstancesResPart({ relations: rels }) }));
    }
    case 'role_type_get_player_instances_req': {
      const players = lazyThings(tx, `match $r (${label}: $x); get $x;`, 'x');
      return stream(players, encodeThing, (things) =>
        new RoleTypeResPart({ role_type_get_player_instances_res_part: new RoleTypeGetPlayerInstancesResPart({ things }) }));
    }
    case 'role_type_set_label_req':
    case 'role_type_get_relation_types_req':
      throw ServerErrors.notSupported(`Type API call '${req.req}'`);
    default:
      throw ServerErrors.missingRequest(`role_type_req.${req.req}`);
  }
}
