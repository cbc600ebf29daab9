export { executeQuerySteps, type QueryContext } from './executor.js';
export { ruleBodyCompiler } from './rule-bodies.js';
export { StoredCounts } from './stored-counts.js';
export { ExplainableLedger, type Explainable, type Explainables } from './explainables.js';
export { explain, type Explanation } from './explanations.js';
// Registers the full type inference's check of rule conclusions with the schema layer (see rule-conclusions.ts).
import './rule-conclusions.js';
// Registers the typing of rules' `when` expressions with the schema layer (see rule-expressions.ts).
import './rule-expressions.js';
