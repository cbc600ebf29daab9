// `db.typeSchema()` and `db.ruleSchema()`: TypeDB prints them like the whole schema but with only the types or
// only the rules. The engine gives the whole schema as one define query; re-parsing it and printing each half
// keeps the layout identical to the full schema's.
import { parseQuery, printQuery } from '../typeql/index.js';
import type { Definable } from '../typeql/index.js';
import { StrataError } from '../common/errors.js';

function definablesOf(schema: string): readonly Definable[] {
  if (schema.trim() === '') return [];
  const query = parseQuery(schema);
  if (query.kind !== 'define') {
    throw new StrataError('INT', 7, `The engine's schema text is a '${query.kind}' query instead of a define query.`);
  }
  return query.definables;
}

function print(definables: readonly Definable[]): string {
  // As in TypeDB 2.25+, an empty selection is the empty string rather than a bare `define`.
  return definables.length === 0 ? '' : printQuery({ kind: 'define', definables });
}

export function typeSchema(schema: string): string {
  return print(definablesOf(schema).filter((d) => d.kind !== 'rule'));
}

export function ruleSchema(schema: string): string {
  return print(definablesOf(schema).filter((d) => d.kind === 'rule'));
}
