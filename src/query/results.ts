// What running one query returns, by query kind. Lazy results fail while being iterated. Inside the engine, lazy
// answers come with pause points among them (`P` is Pending: see common/steps.ts); callers get them without.
import type { Concept, ConceptMap } from '../concept/concepts.js';
import type { Value } from '../common/values.js';
import type { Explainables } from './explainables.js';

/**
 * A fetch answer. A long is a number when it is exact as one (within ±2^53), a bigint beyond: a JS number would
 * round it, where TypeDB's answers hold the stored long.
 */
export type JSONValue = null | boolean | number | bigint | string | JSONValue[] | { [key: string]: JSONValue };

export type QueryResult<P = never> =
  | { readonly kind: 'define' | 'undefine' }
  | { readonly kind: 'delete' }
  | { readonly kind: 'insert' | 'update'; readonly answers: readonly ConceptMap[] }
  | {
      readonly kind: 'get';
      readonly answers: Iterable<ConceptMap | P>;
      /** With the `explain` option: the explainables of an answer (by identity) from `answers`. */
      readonly explainables?: (answer: ConceptMap) => Explainables;
    }
  | { readonly kind: 'aggregate'; readonly value: Value | undefined }
  | { readonly kind: 'group'; readonly groups: readonly { owner: Concept; answers: readonly ConceptMap[] }[] }
  | { readonly kind: 'group-aggregate'; readonly groups: readonly { owner: Concept; value: Value | undefined }[] }
  | { readonly kind: 'fetch'; readonly answers: Iterable<JSONValue | P> };
