// The schema layer's public surface: the type graph, define/undefine, the schema printer.
export type {
  InstanceChecks,
  Ownership,
  OwnershipRequirement,
  OwnershipViolation,
  Playing,
  SchemaReader,
  SchemaType,
  SchemaWriter,
  TypeId,
} from './api.js';
export { TypeGraph, NO_INSTANCES } from './type-graph.js';
export { ROLE_ROOT_LABEL, type DeclaredOwnership, type DeclaredPlaying } from './type-graph-reader.js';
export { printSchema, printTypeSchema, printRuleSchema, typeDefinition, typeDefinitions, ruleDefinitions } from './printer.js';
export { Pattern as PatternErrors, RuleRead, RuleWrite, TypeGraphErrors, TypeRead, TypeWrite, combinedError } from './errors.js';
export { registerConclusionCheck, registerWhenExpressionCheck, type ConclusionCheck, type WhenExpressionCheck } from './rules.js';
