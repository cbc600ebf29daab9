// Building blocks of the Concept API over the embedded API: validated labels and IIDs that may be written into
// TypeQL text, small helper queries on the request's transaction, and the response-stream wrapper.
import type { TransactionResPart } from 'typedb-protocol/proto/transaction.js';
import { TypeTransitivity, type AttributeType, type RoleType, type ThingType, type Thing } from 'typedb-protocol/proto/concept.js';
import type { Transaction } from '../database/api.js';
import type { Concept, ThingConcept, TypeConcept } from '../concept/concepts.js';
import { labelText } from '../concept/concepts.js';
import { StrataError } from '../common/errors.js';
import { estimateConceptSize, iidFromBytes } from './answer-encoding.js';
import { AnswerStream, encodeAll } from './answer-stream.js';
import type { RequestOutcome } from './query-requests.js';

const LABEL = /^[\p{L}_][\p{L}\p{N}_-]*$/u;

export function isValidLabel(label: string): boolean {
  return LABEL.test(label);
}

/** A type label from the client, checked so that it can be written into a query verbatim. */
export function checkedLabel(label: string): string {
  if (!LABEL.test(label)) throw new StrataError('TYR', 1, `'${label}' is not a valid type label.`);
  return label;
}

export function attributeTypeLabel(t: AttributeType): string {
  return checkedLabel(t.label);
}

/** A role type as TypeQL writes it: `relation:role`. */
export function roleTypeLabel(t: RoleType): string {
  return `${checkedLabel(t.scope)}:${checkedLabel(t.label)}`;
}

export function thingTypeLabel(t: ThingType): string {
  if (t.has_entity_type) return checkedLabel(t.entity_type.label);
  if (t.has_relation_type) return checkedLabel(t.relation_type.label);
  if (t.has_attribute_type) return checkedLabel(t.attribute_type.label);
  return 'thing';
}

/** An IID from the client as TypeQL writes it (`0x…`); always hex, so safe in query text. */
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

export function transitive(t: TypeTransitivity): boolean {
  return t !== TypeTransitivity.EXPLICIT;
}

function identity(c: Concept): string {
  if (c.kind === 'type') return `type:${labelText(c.label)}`;
  if (c.kind === 'value') return `value:${c.value.type}:${String(c.value.value)}`;
  return c.iid;
}

/** Distinct concepts bound to `variable` across the answers of a get query on the transaction. */
export function conceptsOf(tx: Transaction, query: string, variable: string): Concept[] {
  const result = tx.query(query);
  if (result.kind !== 'get') throw new StrataError('INT', 8, `A concept API helper query returned '${result.kind}' answers.`);
  const seen = new Map<string, Concept>();
  for (const answer of result.answers) {
    const concept = answer.get(variable);
    if (concept && !seen.has(identity(concept))) seen.set(identity(concept), concept);
  }
  return [...seen.values()];
}

export function typesOf(tx: Transaction, query: string, variable: string): TypeConcept[] {
  return conceptsOf(tx, query, variable).filter((c): c is TypeConcept => c.kind === 'type');
}

export function thingsOf(tx: Transaction, query: string, variable: string): ThingConcept[] {
  return conceptsOf(tx, query, variable).filter((c): c is ThingConcept => c.kind !== 'type' && c.kind !== 'value');
}

/** Runs a write query whose answers do not matter (define, undefine, insert, delete). */
export function execute(tx: Transaction, query: string): void {
  tx.query(query);
}

/**
 * Things bound to `variable`, pulled lazily from the engine while the client iterates (instance lists can be as
 * large as the database). A single-variable `get` is already distinct, so no de-duplication is needed.
 */
export function* lazyThings(tx: Transaction, query: string, variable: string): Generator<ThingConcept> {
  const result = tx.query(query);
  if (result.kind !== 'get') throw new StrataError('INT', 8, `A concept API helper query returned '${result.kind}' answers.`);
  for (const answer of result.answers) {
    const concept = answer.get(variable);
    if (concept && concept.kind !== 'type' && concept.kind !== 'value') yield concept;
  }
}

/** A concept-API response stream: concepts are encoded as they are sent, with CONTINUE/DONE like query answers. */
export function streamConcepts<C extends Concept, M>(
  reqId: Uint8Array,
  concepts: Iterable<C>,
  encode: (concept: C) => M,
  toPart: (reqId: Uint8Array, batch: M[]) => TransactionResPart,
  prefetchSize: number,
): RequestOutcome {
  const stream = new AnswerStream<M>(reqId, encodeAll(concepts, encode, estimateConceptSize), toPart, prefetchSize);
  return { kind: 'stream', stream: stream as AnswerStream<unknown>, prefetchByDefault: true };
}
