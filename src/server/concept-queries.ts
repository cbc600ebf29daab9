// Building blocks of the Concept API requests: protocol labels, IIDs, transitivity and annotations as the engine's
// Concept API (Transaction.concepts()) takes them, and the response-stream wrapper.
import type { TransactionResPart } from 'typedb-protocol/proto/transaction.js';
import {
  TypeTransitivity,
  ValueType as ValueTypeProto,
  type AttributeType,
  type RoleType,
  type ThingType,
  type Thing,
  type TypeAnnotation,
} from 'typedb-protocol/proto/concept.js';
import type { OwnsAnnotation, Transitivity } from '../concept/api/index.js';
import type { Concept } from '../concept/concepts.js';
import type { ValueType } from '../common/values.js';
import { StrataError } from '../common/errors.js';
import { estimateConceptSize, iidFromBytes, valueTypeFromProto } from './answer-encoding.js';
import { ServerErrors } from './errors.js';
import { AnswerStream, encodeAll } from './answer-stream.js';
import type { RequestOutcome } from './query-requests.js';

export function attributeTypeLabel(t: AttributeType): string {
  return t.label;
}

/** A role type as the Concept API addresses it: `relation:role` (a bare name when the client sent no scope). */
export function roleTypeLabel(t: RoleType): string {
  return t.scope ? `${t.scope}:${t.label}` : t.label;
}

export function thingTypeLabel(t: ThingType): string {
  if (t.has_entity_type) return t.entity_type.label;
  if (t.has_relation_type) return t.relation_type.label;
  if (t.has_attribute_type) return t.attribute_type.label;
  return 'thing';
}

/** An IID from the client as the engine writes it (`0x…`). */
export function iidText(iid: Uint8Array): string {
  if (iid.length === 0) throw new StrataError('THR', 1, 'A thing without an IID was sent by the client.');
  return iidFromBytes(iid);
}

export function thingIid(thing: Thing): Uint8Array {
  if (thing.has_entity) return thing.entity.iid;
  if (thing.has_relation) return thing.relation.iid;
  if (thing.has_attribute) return thing.attribute.iid;
  throw new StrataError('THR', 1, 'A thing without an IID was sent by the client.');
}

export function transitivity(t: TypeTransitivity): Transitivity {
  return t === TypeTransitivity.EXPLICIT ? 'explicit' : 'transitive';
}

/**
 * A value type a request names. OBJECT is the root `attribute`'s own value type, which TypeDB's services read as such
 * (no ownership has it; `getSubtypes` casts to nothing); a number the protocol does not have is TypeDB's SRV28.
 */
export function requestValueType(proto: ValueTypeProto): ValueType | 'object' {
  if (proto === ValueTypeProto.OBJECT) return 'object';
  const valueType = valueTypeFromProto(proto);
  if (valueType === undefined) throw ServerErrors.badValueType('UNRECOGNIZED');
  return valueType;
}

export function ownsAnnotations(annotations: readonly TypeAnnotation[]): OwnsAnnotation[] {
  return annotations.flatMap((a): OwnsAnnotation[] => (a.has_key ? ['key'] : a.has_unique ? ['unique'] : []));
}

/**
 * A concept-API response stream: items (concepts, or e.g. role players with their `estimate`) are encoded as they
 * are sent, with CONTINUE/DONE like query answers.
 */
export function streamConcepts<C, M extends { serialize(): Uint8Array }>(
  reqId: Uint8Array,
  items: Iterable<C>,
  encode: (item: C) => M,
  toPart: (reqId: Uint8Array, batch: M[]) => TransactionResPart,
  prefetchSize: number,
  estimate: (item: C) => number = (item) => estimateConceptSize(item as Concept),
): RequestOutcome {
  const stream = new AnswerStream<M>(reqId, encodeAll(items, encode, estimate), toPart, prefetchSize);
  return { kind: 'stream', stream: stream as AnswerStream<unknown>, prefetchByDefault: true };
}
