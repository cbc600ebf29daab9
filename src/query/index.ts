export { executeQuery, type QueryContext } from './executor.js';
