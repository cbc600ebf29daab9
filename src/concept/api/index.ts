// The Concept API: driver-level operations on types, things and rules within one transaction.
export type {
  ConceptApi,
  HasFilter,
  OwnersFilter,
  OwnsAnnotation,
  OwnsFilter,
  RolePlayer,
  RuleApi,
  SetOwnsOptions,
  SubtypesFilter,
  ThingApi,
  Transitivity,
  TypeApi,
} from './concept-api.js';
export type { ConceptContext } from './context.js';
export { guardConceptApi, type GuardHooks } from './guard.js';
export { describeRule } from './rule-operations.js';
import type { ConceptApi } from './concept-api.js';
import type { ConceptContext } from './context.js';
import { RuleOperations } from './rule-operations.js';
import { ThingOperations } from './thing-operations.js';
import { TypeOperations } from './type-operations.js';

/** The Concept API over one transaction's context (unguarded: the transaction wraps it with guardConceptApi). */
export function createConceptApi(context: ConceptContext): ConceptApi {
  return { types: new TypeOperations(context), things: new ThingOperations(context), rules: new RuleOperations(context) };
}
