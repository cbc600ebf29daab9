// Detached descriptions of types and things, as the Concept API returns them (the same shapes answers carry).
import type { SchemaType } from '../../schema/index.js';
import { iidToHex } from '../../encoding/index.js';
import type { AttributeConcept, ThingConcept, TypeConcept } from '../concepts.js';
import type { Thing, ThingReader } from '../things.js';

export function describeType(type: SchemaType): TypeConcept {
  return {
    kind: 'type',
    root: type.root,
    label: type.label,
    abstract: type.abstract,
    ...(type.valueType ? { valueType: type.valueType } : {}),
  };
}

export function describeThing(thing: Thing, things: ThingReader): ThingConcept {
  const iid = iidToHex(thing.iid);
  const type = describeType(thing.type);
  // Only a reasoning transaction's reader knows inferred things; a plain one says none are.
  const inferred = things.isInferred(thing.iid);
  if (thing.type.root === 'attribute') return { kind: 'attribute', iid, type, inferred, value: things.attributeValue(thing.iid) };
  return { kind: thing.type.root === 'relation' ? 'relation' : 'entity', iid, type, inferred };
}

export function describeAttribute(thing: Thing, things: ThingReader): AttributeConcept {
  return describeThing(thing, things) as AttributeConcept;
}
