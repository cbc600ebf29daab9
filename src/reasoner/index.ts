// Reasoner layer: rules' conclusions inferred at query time (rule validation lives in the schema layer).
export type { BodyCompiler, BodyPlan, RuleBinding } from './api.js';
export type { ReasoningBudget } from './materialiser.js';
export { Reasoner, INITIAL_BUDGET, MAX_BUDGET, isMaxBudget, nextBudget, reasoningExhausted, type ReasonedView, type ReasonerOptions } from './reasoner.js';
export type { Derivation, ExplainedFact } from './derivations.js';
export { conclusionOf, instantiate, type Conclusion } from './conclusions.js';
