// typedb-driver@2.29.7 answers → the engine's detached shapes (src/concept/concepts.ts), so that the checks compare
// the same data in both modes. The driver reads longs as JS numbers (exact up to 2^53) and datetimes as Date objects
// holding the zone-free epoch milliseconds the server sent; both are turned back into the engine's values.
import {
  Concept as DriverConceptNS,
  type Attribute as DriverAttribute,
  type Concept as DriverConcept,
  type ConceptMap as DriverConceptMap,
  type Relation as DriverRelation,
  type Thing as DriverThing,
  type Type as DriverType,
  type Value as DriverValue,
} from 'typedb-driver';
import type {
  AttributeConcept,
  Concept,
  ConceptMap,
  ThingConcept,
  TypeConcept,
  TypeRoot,
} from '../../src/concept/concepts.js';
import type { Value, ValueType } from '../../src/common/values.js';

const VALUE_TYPES: Record<string, ValueType | undefined> = {
  long: 'long',
  double: 'double',
  string: 'string',
  boolean: 'boolean',
  datetime: 'datetime',
};

/** The driver's value type (`ValueType.LONG` …) as the engine names it; undefined for OBJECT (the root). */
export function valueTypeOf(valueType: DriverConceptNS.ValueType): ValueType | undefined {
  return VALUE_TYPES[valueType.name()];
}

export function driverValueType(valueType: ValueType): DriverConceptNS.ValueType {
  switch (valueType) {
    case 'long':
      return DriverConceptNS.ValueType.LONG;
    case 'double':
      return DriverConceptNS.ValueType.DOUBLE;
    case 'string':
      return DriverConceptNS.ValueType.STRING;
    case 'boolean':
      return DriverConceptNS.ValueType.BOOLEAN;
    case 'datetime':
      return DriverConceptNS.ValueType.DATETIME;
  }
}

export function toValue(valueType: DriverConceptNS.ValueType, raw: boolean | number | string | Date): Value {
  const type = valueTypeOf(valueType);
  switch (type) {
    case 'long':
      if (typeof raw !== 'number' || !Number.isInteger(raw)) throw new Error(`the driver sent a long that is not an integer: ${String(raw)}`);
      return { type, value: BigInt(raw) };
    case 'double':
      return { type, value: raw as number };
    case 'string':
      return { type, value: raw as string };
    case 'boolean':
      return { type, value: raw as boolean };
    case 'datetime':
      return { type, value: (raw as Date).getTime() };
    default:
      throw new Error(`the driver sent a value of type ${valueType.name()}`);
  }
}

export function fromValue(value: DriverValue): Value {
  return toValue(value.valueType, value.value);
}

/**
 * What a driver type object offers for conversion. (The driver's own typings do not let RoleType or RelationType
 * be used where Type is expected: their getSupertype may answer null.)
 */
export type DriverTypeLike = Pick<
  DriverType,
  'label' | 'abstract' | 'isRoleType' | 'isEntityType' | 'isRelationType' | 'isAttributeType' | 'asAttributeType'
>;

function rootOf(type: DriverTypeLike): TypeRoot {
  if (type.isRoleType()) return 'role';
  if (type.isEntityType()) return 'entity';
  if (type.isRelationType()) return 'relation';
  if (type.isAttributeType()) return 'attribute';
  return 'thing';
}

export function toTypeConcept(type: DriverTypeLike): TypeConcept {
  const root = rootOf(type);
  const { scope, name } = type.label;
  const valueType = type.isAttributeType() ? valueTypeOf(type.asAttributeType().valueType) : undefined;
  return {
    kind: 'type',
    root,
    label: root === 'role' && scope ? { scope, name } : { name },
    abstract: type.abstract,
    ...(valueType ? { valueType } : {}),
  };
}

/** Told about every driver thing object an answer carried (the driver mode keeps them to call thing methods on). */
export type ThingSeen = (thing: DriverThing) => void;

/** A driver thing; Relation is listed apart because the driver's typings do not make it a Thing. */
export type DriverThingLike = DriverThing | DriverRelation;

export function toThingConcept(thing: DriverThingLike, seen?: ThingSeen): ThingConcept {
  seen?.(thing as DriverThing);
  const type = toTypeConcept(thing.type);
  if (thing.isAttribute()) {
    const attribute: DriverAttribute = thing.asAttribute();
    const concept: AttributeConcept = {
      kind: 'attribute',
      iid: thing.iid,
      type,
      inferred: thing.inferred,
      value: toValue(attribute.valueType, attribute.value),
    };
    return concept;
  }
  return { kind: thing.isRelation() ? 'relation' : 'entity', iid: thing.iid, type, inferred: thing.inferred };
}

export function toConcept(concept: DriverConcept, seen?: ThingSeen): Concept {
  if (concept.isType()) return toTypeConcept(concept.asType());
  if (concept.isValue()) return { kind: 'value', value: fromValue(concept.asValue()) };
  if (concept.isThing()) return toThingConcept(concept.asThing(), seen);
  throw new Error(`the driver returned a concept that is neither a type, a thing nor a value: ${String(concept)}`);
}

export function toConceptMap(answer: DriverConceptMap, seen?: ThingSeen): ConceptMap {
  const map = new Map<string, Concept>();
  for (const [variable, concept] of answer.map()) map.set(variable, toConcept(concept, seen));
  return map;
}
