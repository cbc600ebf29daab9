// A schema from its text, as `database schema` prints it and `--schema` files hold it: one TypeQL define query,
// applied to an empty type graph and checked as a schema commit would check it. An empty or blank text is an
// empty schema (TypeDB 3.x accepts it; 2.x rejected the empty schema files of its own empty exports).

import { StrataError } from '../common/errors.js';
import { NO_INSTANCES, TypeGraph } from '../schema/index.js';
import { parseQuery } from '../typeql/index.js';
import { ImportErrors } from './errors.js';
import { binarySchemaHint } from './swapped-files.js';
// Rules in the schema text are checked as a define query checks them (query/rule-conclusions.ts registers that).
import '../query/rule-conclusions.js';

/** `source` names the text in messages, e.g. `file '/x/schema.tql'`. */
export function schemaFromText(text: string, source: string): TypeGraph {
  const graph = new TypeGraph();
  if (isBlank(text)) return graph;
  let query;
  try {
    query = parseQuery(text);
  } catch (e) {
    const message = (e as Error).message;
    const hint = binarySchemaHint(text);
    // A syntax error's message spans lines (the line, a caret, what is wrong), which a period would only clutter.
    throw ImportErrors.invalidSchema(source, message.includes('\n') ? message : `${message}.`, e, hint);
  }
  if (query.kind !== 'define') throw ImportErrors.invalidSchema(source, `it is ${article(query.kind)} ${query.kind} query, not a define query.`);
  try {
    graph.define(query.definables, NO_INSTANCES);
    graph.validateForCommit(NO_INSTANCES);
  } catch (e) {
    if (e instanceof StrataError) throw ImportErrors.invalidSchema(source, e.message, e);
    throw e;
  }
  return graph;
}

/** Blank, or only comments (TypeQL comments run from `#` to the end of the line). */
function isBlank(text: string): boolean {
  return text.split('\n').every((line) => /^\s*(#.*)?$/.test(line));
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
