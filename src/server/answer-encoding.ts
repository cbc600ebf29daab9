// Engine answers → typedb-protocol 2.28.4 messages, exactly as typedb-driver@2.29.7 reads them.
// The driver reads the expected oneof case without checking, so every encoder here sets exactly one case.
import {
  Attribute,
  AttributeType,
  Concept as ConceptProto,
  Entity,
  EntityType,
  Relation,
  RelationType,
  RoleType,
  Thing as ThingProto,
  ThingType as ThingTypeProto,
  ThingTypeRoot,
  Value as ValueProto,
  ValueType as ValueTypeProto,
} from 'typedb-protocol/proto/concept.js';
import {
  ConceptMap as ConceptMapProto,
  ConceptMapGroup,
  Explainable as ExplainableProto,
  Explainables as ExplainablesProto,
  ExplainablesOwned,
  ReadableConceptTree,
  ReadableConceptTreeNode,
  ReadableConceptTreeNodeList,
  ReadableConceptTreeNodeMap,
  ReadableConceptTreeNodeReadableConcept,
  ValueGroup,
} from 'typedb-protocol/proto/answer.js';
import type { AttributeConcept, Concept, ConceptMap, ThingConcept, TypeConcept } from '../concept/concepts.js';
import { parseDatetime, type Value, type ValueType } from '../common/values.js';
import { StrataError } from '../common/errors.js';
import { ExactLongValue } from './exact-long-value.js';
import type { Explainable, Explainables, JSONValue } from '../database/api.js';

// ---------------------------------------------------------------------------------------------------- IIDs

/** `0x…` hex (the engine's IID text) → the raw bytes the driver treats as opaque. */
export function iidToBytes(iid: string): Uint8Array {
  const hex = iid.startsWith('0x') ? iid.slice(2) : iid;
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new StrataError('INT', 2, `The engine produced a malformed IID '${iid}'.`);
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export function iidFromBytes(bytes: Uint8Array): string {
  return '0x' + Buffer.from(bytes).toString('hex');
}

// ---------------------------------------------------------------------------------------------------- values

const VALUE_TYPE_TO_PROTO: Record<ValueType, ValueTypeProto> = {
  boolean: ValueTypeProto.BOOLEAN,
  long: ValueTypeProto.LONG,
  double: ValueTypeProto.DOUBLE,
  string: ValueTypeProto.STRING,
  datetime: ValueTypeProto.DATETIME,
};

export function valueTypeToProto(type: ValueType | undefined): ValueTypeProto {
  return type === undefined ? ValueTypeProto.OBJECT : VALUE_TYPE_TO_PROTO[type];
}

export function valueTypeFromProto(type: ValueTypeProto): ValueType | undefined {
  for (const [name, proto] of Object.entries(VALUE_TYPE_TO_PROTO)) if (proto === type) return name as ValueType;
  return undefined;
}

export function encodeValue(v: Value): ValueProto {
  switch (v.type) {
    case 'string':
      return new ValueProto({ string: v.value });
    case 'boolean':
      return new ValueProto({ boolean: v.value });
    // Written exactly (exact-long-value.ts); the Node.js driver itself reads longs as numbers (lossy above 2^53).
    case 'long':
      return new ExactLongValue(v.value);
    case 'double':
      return new ValueProto({ double: v.value });
    case 'datetime':
      return new ValueProto({ date_time: v.value });
  }
}

export function decodeValue(proto: ValueProto): Value {
  if (proto.has_string) return { type: 'string', value: proto.string };
  if (proto.has_boolean) return { type: 'boolean', value: proto.boolean };
  // A number, or a bigint where the process reads longs exactly (common/exact-longs.ts).
  if (proto.has_long) return { type: 'long', value: BigInt(proto.long) };
  if (proto.has_double) return { type: 'double', value: proto.double };
  if (proto.has_date_time) return { type: 'datetime', value: proto.date_time };
  throw new StrataError('SRV', 31, 'A value sent by the client carries no value.');
}

// ---------------------------------------------------------------------------------------------------- types

export function isRootType(t: TypeConcept): boolean {
  if (t.root === 'role') return t.label.scope === 'relation' && t.label.name === 'role';
  return t.label.scope === undefined && t.label.name === t.root;
}

export function encodeEntityType(t: TypeConcept): EntityType {
  return new EntityType({ label: t.label.name, is_root: isRootType(t), is_abstract: t.abstract });
}

export function encodeRelationType(t: TypeConcept): RelationType {
  return new RelationType({ label: t.label.name, is_root: isRootType(t), is_abstract: t.abstract });
}

export function encodeAttributeType(t: TypeConcept): AttributeType {
  return new AttributeType({
    label: t.label.name,
    value_type: valueTypeToProto(t.valueType),
    is_root: isRootType(t),
    is_abstract: t.abstract,
  });
}

export function encodeRoleType(t: TypeConcept): RoleType {
  return new RoleType({ label: t.label.name, scope: t.label.scope ?? '', is_root: isRootType(t), is_abstract: t.abstract });
}

/** One type as the oneof field that Concept, ThingType and ReadableConcept share (same names in all three). */
export type EncodedType =
  | { entity_type: EntityType }
  | { relation_type: RelationType }
  | { attribute_type: AttributeType }
  | { role_type: RoleType }
  | { thing_type_root: ThingTypeRoot };

export function encodeTypeCase(t: TypeConcept): EncodedType {
  switch (t.root) {
    case 'entity':
      return { entity_type: encodeEntityType(t) };
    case 'relation':
      return { relation_type: encodeRelationType(t) };
    case 'attribute':
      return { attribute_type: encodeAttributeType(t) };
    case 'role':
      return { role_type: encodeRoleType(t) };
    case 'thing':
      return { thing_type_root: new ThingTypeRoot() };
  }
}

export function encodeThingType(t: TypeConcept): ThingTypeProto {
  const encoded = encodeTypeCase(t);
  if ('role_type' in encoded) throw new StrataError('INT', 3, `A role type cannot be sent as a thing type.`);
  return new ThingTypeProto(encoded);
}

// ---------------------------------------------------------------------------------------------------- things

export type EncodedThing = { entity: Entity } | { relation: Relation } | { attribute: Attribute };

export function encodeAttribute(a: AttributeConcept): Attribute {
  return new Attribute({
    iid: iidToBytes(a.iid),
    attribute_type: encodeAttributeType(a.type),
    value: encodeValue(a.value),
    inferred: a.inferred,
  });
}

export function encodeEntity(t: ThingConcept): Entity {
  return new Entity({ iid: iidToBytes(t.iid), entity_type: encodeEntityType(t.type), inferred: t.inferred });
}

export function encodeRelation(t: ThingConcept): Relation {
  return new Relation({ iid: iidToBytes(t.iid), relation_type: encodeRelationType(t.type), inferred: t.inferred });
}

export function encodeThingCase(t: ThingConcept): EncodedThing {
  switch (t.kind) {
    case 'entity':
      return { entity: encodeEntity(t) };
    case 'relation':
      return { relation: encodeRelation(t) };
    case 'attribute':
      return { attribute: encodeAttribute(t as AttributeConcept) };
  }
}

export function encodeThing(t: ThingConcept): ThingProto {
  return new ThingProto(encodeThingCase(t));
}

// ---------------------------------------------------------------------------------------------------- answers

export function encodeConcept(c: Concept): ConceptProto {
  switch (c.kind) {
    case 'type':
      return new ConceptProto(encodeTypeCase(c));
    case 'value':
      return new ConceptProto({ value: encodeValue(c.value) });
    default:
      return new ConceptProto(encodeThingCase(c));
  }
}

export function encodeConceptMap(answer: ConceptMap, explainables?: Explainables): ConceptMapProto {
  const map = new Map<string, ConceptProto>();
  for (const [name, concept] of answer) map.set(name, encodeConcept(concept));
  // Java always sends an (empty) Explainables; the driver tolerates its absence but we match the reference.
  return new ConceptMapProto({ map, explainables: explainables === undefined ? new ExplainablesProto() : encodeExplainables(explainables) });
}

function encodeExplainables(explainables: Explainables): ExplainablesProto {
  const one = (e: Explainable) => new ExplainableProto({ conjunction: e.conjunction, id: e.id });
  const each = (m: ReadonlyMap<string, Explainable>) => new Map([...m].map(([name, e]) => [name, one(e)] as const));
  return new ExplainablesProto({
    relations: each(explainables.relations),
    attributes: each(explainables.attributes),
    ownerships: new Map([...explainables.ownerships].map(([owner, owned]) => [owner, new ExplainablesOwned({ owned: each(owned) })] as const)),
  });
}

export function encodeConceptMapGroup(owner: Concept, answers: readonly ConceptMap[]): ConceptMapGroup {
  return new ConceptMapGroup({ owner: encodeConcept(owner), concept_maps: answers.map((answer) => encodeConceptMap(answer)) });
}

export function encodeValueGroup(owner: Concept, value: Value | undefined): ValueGroup {
  return value === undefined
    ? new ValueGroup({ owner: encodeConcept(owner) })
    : new ValueGroup({ owner: encodeConcept(owner), value: encodeValue(value) });
}

// ---------------------------------------------------------------------------------------------------- fetch

// The engine produces fetch answers already in the driver's JSON shape; the wire carries them as a
// ReadableConceptTree, so leaves (types, attributes, values) are recognised by their exact key sets.

type JSONObject = { [key: string]: JSONValue };

const TYPE_ROOTS = new Set(['entity', 'relation', 'attribute', 'relation:role', 'thing']);

function isObject(v: JSONValue): v is JSONObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPrimitive(v: JSONValue): v is string | number | bigint | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
}

function hasExactKeys(o: JSONObject, required: readonly string[], optional: readonly string[] = []): boolean {
  const keys = Object.keys(o);
  return required.every((k) => k in o) && keys.every((k) => required.includes(k) || optional.includes(k));
}

function isTypeObject(o: JSONValue): o is JSONObject {
  return (
    isObject(o) &&
    hasExactKeys(o, ['label', 'root'], ['value_type']) &&
    typeof o.label === 'string' &&
    typeof o.root === 'string' &&
    TYPE_ROOTS.has(o.root) &&
    (o.value_type === undefined || typeof o.value_type === 'string')
  );
}

function typeFromJSON(o: JSONObject): TypeConcept {
  const label = o.label as string;
  const rootText = o.root as string;
  if (rootText === 'relation:role') {
    const colon = label.indexOf(':');
    const label2 = colon < 0 ? { name: label } : { scope: label.slice(0, colon), name: label.slice(colon + 1) };
    return { kind: 'type', root: 'role', label: label2, abstract: false };
  }
  const valueType = typeof o.value_type === 'string' && o.value_type !== 'object' ? (o.value_type as ValueType) : undefined;
  return {
    kind: 'type',
    root: rootText as TypeConcept['root'],
    label: { name: label },
    abstract: false,
    ...(valueType ? { valueType } : {}),
  };
}

function valueFromJSON(value: string | number | bigint | boolean, type: string | undefined): Value {
  switch (type) {
    case 'long':
      return { type: 'long', value: typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value))) };
    case 'double':
      return { type: 'double', value: Number(value) };
    case 'boolean':
      return { type: 'boolean', value: Boolean(value) };
    case 'datetime': {
      const millis = typeof value === 'number' ? value : parseDatetime(String(value));
      if (millis === undefined) throw new StrataError('INT', 4, `The engine produced a malformed datetime '${value}' in a fetch answer.`);
      return { type: 'datetime', value: millis };
    }
    case 'string':
      return { type: 'string', value: String(value) };
    default:
      // No declared type: infer from the JSON type (the engine always declares one; this is a fallback).
      if (typeof value === 'boolean') return { type: 'boolean', value };
      if (typeof value === 'number') return { type: 'double', value };
      if (typeof value === 'bigint') return { type: 'long', value };
      return { type: 'string', value };
  }
}

function leaf(concept: ConstructorParameters<typeof ReadableConceptTreeNodeReadableConcept>[0]): ReadableConceptTreeNode {
  return new ReadableConceptTreeNode({ readable_concept: new ReadableConceptTreeNodeReadableConcept(concept) });
}

function encodeFetchNode(v: JSONValue): ReadableConceptTreeNode {
  // An empty ReadableConcept is how the driver represents JSON null.
  if (v === null) return leaf({});
  if (Array.isArray(v)) return new ReadableConceptTreeNode({ list: new ReadableConceptTreeNodeList({ list: v.map(encodeFetchNode) }) });
  if (isTypeObject(v)) {
    const encoded = encodeTypeCase(typeFromJSON(v));
    return leaf(encoded);
  }
  if (isObject(v) && hasExactKeys(v, ['type', 'value']) && isTypeObject(v.type) && isPrimitive(v.value)) {
    const type = typeFromJSON(v.type);
    const value = valueFromJSON(v.value, type.valueType);
    // The driver ignores fetched attributes' IIDs (the JSON has none), so none is sent.
    return leaf({
      attribute: new Attribute({ iid: new Uint8Array(), attribute_type: encodeAttributeType(type), value: encodeValue(value), inferred: false }),
    });
  }
  if (isObject(v) && hasExactKeys(v, ['value', 'value_type']) && isPrimitive(v.value) && typeof v.value_type === 'string') {
    return leaf({ value: encodeValue(valueFromJSON(v.value, v.value_type)) });
  }
  if (isObject(v)) return new ReadableConceptTreeNode({ map: encodeFetchMap(v) });
  throw new StrataError('INT', 5, `The engine produced a fetch answer with a bare value ${typeof v === 'string' ? JSON.stringify(v) : String(v)} outside a concept.`);
}

function encodeFetchMap(o: JSONObject): ReadableConceptTreeNodeMap {
  const map = new Map<string, ReadableConceptTreeNode>();
  for (const [key, value] of Object.entries(o)) map.set(key, encodeFetchNode(value));
  return new ReadableConceptTreeNodeMap({ map });
}

export function encodeFetchAnswer(answer: JSONValue): ReadableConceptTree {
  if (!isObject(answer)) throw new StrataError('INT', 5, 'The engine produced a fetch answer that is not a JSON object.');
  return new ReadableConceptTree({ root: encodeFetchMap(answer) });
}

// ---------------------------------------------------------------------------------------------------- sizes

/**
 * A cheap upper bound of an answer's encoded size, used to split answer streams into parts well below the
 * driver's 4 MiB receive limit without serialising twice.
 */
export function estimateConceptSize(c: Concept): number {
  let size = 32;
  if (c.kind === 'type') return size + 3 * (c.label.name.length + (c.label.scope?.length ?? 0));
  if (c.kind !== 'value') size += c.iid.length / 2 + 3 * c.type.label.name.length;
  if (c.kind === 'value' || c.kind === 'attribute') {
    const v = (c as AttributeConcept).value;
    size += v.type === 'string' ? 3 * v.value.length : 10;
  }
  return size;
}

export function estimateConceptMapSize(answer: ConceptMap): number {
  let size = 8;
  for (const [name, concept] of answer) size += name.length * 3 + estimateConceptSize(concept);
  return size;
}

export function estimateJSONSize(v: JSONValue): number {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint') return 16;
  if (typeof v === 'string') return 8 + 3 * v.length;
  if (Array.isArray(v)) return v.reduce<number>((n, x) => n + estimateJSONSize(x) + 4, 8);
  let size = 8;
  for (const [k, x] of Object.entries(v)) size += 8 + 3 * k.length + estimateJSONSize(x);
  return size;
}
