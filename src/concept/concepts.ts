// Concepts as they appear in answers: detached, immutable descriptions (types by label, things by IID).
import type { Value, ValueType } from '../common/values.js';

export { labelText, type TypeLabel, type TypeRoot } from '../schema/labels.js';
import type { TypeLabel, TypeRoot } from '../schema/labels.js';

export interface TypeConcept {
  readonly kind: 'type';
  /** The root kind this type belongs to; the meta types are their own root (`entity` has root `entity`). */
  readonly root: TypeRoot;
  readonly label: TypeLabel;
  readonly abstract: boolean;
  readonly valueType?: ValueType; // attribute types only
}

interface ThingBase {
  /** `0x…` lower-case hex */
  readonly iid: string;
  readonly type: TypeConcept;
  readonly inferred: boolean;
}

export interface ObjectConcept extends ThingBase {
  readonly kind: 'entity' | 'relation';
}

export interface AttributeConcept extends ThingBase {
  readonly kind: 'attribute';
  readonly value: Value;
}

export type ThingConcept = ObjectConcept | AttributeConcept;

/** The value bound to a value variable (`?v`). */
export interface ValueConcept {
  readonly kind: 'value';
  readonly value: Value;
}

export type Concept = TypeConcept | ThingConcept | ValueConcept;

/** A rule as TypeDB's LogicManager hands it out: its label, its `when` block and its `then` statement, as TypeQL. */
export interface RuleConcept {
  readonly label: string;
  /** `{\n    $p isa person;\n}` */
  readonly when: string;
  /** `$p has age 1` (no `;`) */
  readonly then: string;
}

export function isThing(c: Concept): c is ThingConcept {
  return c.kind === 'entity' || c.kind === 'relation' || c.kind === 'attribute';
}

export function isAttribute(c: Concept): c is AttributeConcept {
  return c.kind === 'attribute';
}

/** One answer: variable name (without `$` or `?`) to concept. */
export type ConceptMap = ReadonlyMap<string, Concept>;
