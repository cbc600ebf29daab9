// match … fetch: not implemented yet (TypeQL-completeness issue).
import type { FetchQuery } from '../typeql/ast.js';
import type { JSONValue } from '../database/api.js';
import { StrataError } from '../common/errors.js';
import type { QueryContext } from './executor.js';

export function executeFetch(_ctx: QueryContext, _query: FetchQuery): Iterable<JSONValue> {
  throw new StrataError('QRY', 90, 'Fetch queries are not supported by this version of Strata yet.');
}
