// sort / offset / limit over answers, and projection with set semantics.
import type { Modifiers } from '../typeql/ast.js';
import type { ThingReader } from '../concept/things.js';
import { collectSteps, PENDING, type Pending } from '../common/steps.js';
import { bindingKey, type Row } from './bindings.js';
import { RowOrder, type SortEntry } from './sort-order.js';
import { sortSteps } from '../common/sort-steps.js';
import { topRowsSteps } from './top-rows.js';
import type { MatchOrder } from './matcher.js';

/**
 * Keeps only `names` in each row (copying it) and, when `distinct`, drops duplicate rows (lazily). Rows that
 * already bind nothing but `names` and cannot repeat need no deduplication, which saves a key per answer. Such rows
 * are not even copied when `live`: for a consumer done with each row before it asks for the next (a fold).
 */
export function project(
  rows: Iterable<Row | Pending>,
  names: readonly string[],
  things: ThingReader,
  distinct = true,
  live = false,
): Iterable<Row | Pending> {
  return !distinct && live ? rows : projected(rows, names, things, distinct);
}

function* projected(rows: Iterable<Row | Pending>, names: readonly string[], things: ThingReader, distinct: boolean): Generator<Row | Pending> {
  const seen = new Set<string>();
  for (const row of rows) {
    if (row === PENDING) {
      yield PENDING;
      continue;
    }
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
 * The rows with the modifiers applied, computed as they are read. Without a sort they stream; a sort reads every row
 * before its first (forwarding the pause points meanwhile), and with a limit keeps only the first `offset + limit` of
 * them in order, not every row.
 */
export function modified(
  rows: Iterable<Row | Pending>,
  modifiers: Modifiers,
  things: ThingReader,
  /** How the match was asked to order its rows (matchOrder), if it was. */
  matched?: MatchOrder,
): Iterable<Row | Pending> {
  return sorts(modifiers) ? sortedRows(rows, modifiers, things, matched) : sliced(rows, modifiers);
}

function* sortedRows(rows: Iterable<Row | Pending>, modifiers: Modifiers, things: ThingReader, matched?: MatchOrder): Generator<Row | Pending> {
  const offset = modifiers.offset ?? 0;
  const order = new RowOrder(modifiers.sort!, things);
  // At least one row is kept, so that every row meets the sort's comparison (and its incomparable values fail).
  const sorted =
    modifiers.limit === undefined
      ? (yield* sortSteps(yield* collectSteps(entries(rows, order)), (a, b) => order.compare(a, b))).map((e) => e.row)
      : yield* topRowsSteps(rows, order, Math.max(1, offset + modifiers.limit), () => matched?.ordered === true);
  yield* sliced(sorted, modifiers);
}

/** The rows' sort entries (their sort keys read), as they come. */
function* entries(rows: Iterable<Row | Pending>, order: RowOrder): Generator<SortEntry | Pending> {
  for (const row of rows) yield row === PENDING ? PENDING : order.entry(row);
}

function sliced(rows: Iterable<Row | Pending>, modifiers: Modifiers): Iterable<Row | Pending> {
  return modifiers.offset !== undefined || modifiers.limit !== undefined ? slice(rows, modifiers.offset ?? 0, modifiers.limit) : rows;
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

function* slice(rows: Iterable<Row | Pending>, offset: number, limit: number | undefined): Generator<Row | Pending> {
  if (limit === 0) return;
  let index = 0;
  let taken = 0;
  for (const row of rows) {
    if (row === PENDING) {
      yield PENDING;
      continue;
    }
    if (index++ < offset) continue;
    yield row;
    if (limit !== undefined && ++taken >= limit) return;
  }
}
