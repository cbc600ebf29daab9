// sort / offset / limit over answers, and projection with set semantics.
import type { Modifiers } from '../typeql/ast.js';
import type { ThingReader } from '../concept/things.js';
import { collectSteps, runSteps, type Steps } from '../common/steps.js';
import { bindingKey, type Row } from './bindings.js';
import { RowOrder } from './sort-order.js';
import { topRowsSteps } from './top-rows.js';
import type { MatchOrder } from './matcher.js';

/**
 * Keeps only `names` in each row (copying it) and, when `distinct`, drops duplicate rows (lazily). Rows that
 * already bind nothing but `names` and cannot repeat need no deduplication, which saves a key per answer. Such rows
 * are not even copied when `live`: for a consumer done with each row before it asks for the next (a fold).
 */
export function project(rows: Iterable<Row>, names: readonly string[], things: ThingReader, distinct = true, live = false): Iterable<Row> {
  return !distinct && live ? rows : projected(rows, names, things, distinct);
}

function* projected(rows: Iterable<Row>, names: readonly string[], things: ThingReader, distinct: boolean): Generator<Row> {
  const seen = new Set<string>();
  for (const row of rows) {
    const projected: Row = new Map();
    let key = '';
    for (const name of names) {
      const b = row.get(name);
      if (b) projected.set(name, b);
      if (distinct) key += bindingKey(b, things) + '|';
    }
    if (distinct) {
      if (seen.has(key)) continue;
      seen.add(key);
    }
    yield projected;
  }
}

/** Whether the modifiers sort: then every answer is needed before the first. */
export function sorts(modifiers: Modifiers): boolean {
  return (modifiers.sort ?? []).length > 0;
}

/**
 * The rows with the modifiers applied. Without a sort they are read lazily; a sort reads every row first, in steps
 * (pause points), and with a limit keeps only the first `offset + limit` of them in order, not every row.
 */
export function* modifiedSteps(
  rows: Iterable<Row>,
  modifiers: Modifiers,
  things: ThingReader,
  /** How the match was asked to order its rows (matchOrder), if it was. */
  matched?: MatchOrder,
): Steps<Iterable<Row>> {
  const offset = modifiers.offset ?? 0;
  if (sorts(modifiers)) {
    const order = new RowOrder(modifiers.sort!, things);
    // At least one row is kept, so that every row meets the sort's comparison (and its incomparable values fail).
    rows =
      modifiers.limit === undefined
        ? order.sorted((yield* collectSteps(rows)).map((row) => order.entry(row)))
        : yield* topRowsSteps(rows, order, Math.max(1, offset + modifiers.limit), () => matched?.ordered === true);
  }
  return modifiers.offset !== undefined || modifiers.limit !== undefined ? slice(rows, offset, modifiers.limit) : rows;
}

/**
 * The order to ask of the match when only the first answers of a sort are kept: the first sort variable's, so that the
 * sort can stop reading once no later answer can be kept.
 */
export function matchOrder(modifiers: Modifiers): MatchOrder | undefined {
  const first = modifiers.sort?.[0];
  if (first === undefined || modifiers.limit === undefined) return undefined;
  return { variable: first.variable.name, descending: first.order === 'desc', ordered: false };
}

/** modifiedSteps without pause points. */
export function applyModifiers(rows: Iterable<Row>, modifiers: Modifiers, things: ThingReader): Iterable<Row> {
  return runSteps(modifiedSteps(rows, modifiers, things));
}

function* slice(rows: Iterable<Row>, offset: number, limit: number | undefined): Generator<Row> {
  if (limit === 0) return;
  let index = 0;
  let taken = 0;
  for (const row of rows) {
    if (index++ < offset) continue;
    yield row;
    if (limit !== undefined && ++taken >= limit) return;
  }
}
