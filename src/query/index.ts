export { executeQuery, type QueryContext } from './executor.js';
export { ruleBodyCompiler } from './rule-bodies.js';
export { StoredCounts } from './stored-counts.js';
