// sort / offset / limit over answers, and projection with set semantics.
import type { Modifiers, Variable } from '../typeql/ast.js';
import type { ThingReader } from '../concept/things.js';
import { StrataError } from '../common/errors.js';
import { comparable, compareValues, type Value } from '../common/values.js';
import { bindingKey, valueOf, type Row } from './bindings.js';

/**
 * Keeps only `names` in each row (copying it) and, when `distinct`, drops duplicate rows (lazily). Rows that
 * already bind nothing but `names` and cannot repeat need no deduplication, which saves a key per answer.
 */
export function* project(rows: Iterable<Row>, names: readonly string[], things: ThingReader, distinct = true): Generator<Row> {
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

export function applyModifiers(rows: Iterable<Row>, modifiers: Modifiers, things: ThingReader): Iterable<Row> {
  let out: Iterable<Row> = rows;
  if (modifiers.sort && modifiers.sort.length > 0) out = sortRows([...out], modifiers.sort, things);
  if (modifiers.offset !== undefined || modifiers.limit !== undefined) out = slice(out, modifiers.offset ?? 0, modifiers.limit);
  return out;
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

function sortRows(rows: Row[], keys: readonly { variable: Variable; order?: 'asc' | 'desc' }[], things: ThingReader): Row[] {
  const valueCache = new Map<Row, (Value | undefined)[]>();
  const valuesOf = (row: Row) => {
    let values = valueCache.get(row);
    if (!values) {
      values = keys.map((k) => {
        const b = row.get(k.variable.name);
        if (!b) return undefined;
        const v = valueOf(b, things);
        if (v === undefined) {
          throw new StrataError('QRY', 30, `The variable '${k.variable.name}' cannot be sorted: only attributes and values are sortable.`);
        }
        return v;
      });
      valueCache.set(row, values);
    }
    return values;
  };
  return rows.sort((a, b) => {
    const va = valuesOf(a);
    const vb = valuesOf(b);
    for (let i = 0; i < keys.length; i++) {
      const x = va[i];
      const y = vb[i];
      if (x === undefined || y === undefined) {
        if (x !== y) return x === undefined ? 1 : -1;
        continue;
      }
      if (!comparable(x.type, y.type)) {
        throw new StrataError('QRY', 31, `Cannot sort by '${keys[i]!.variable.name}': it binds values of incomparable types ${x.type} and ${y.type}.`);
      }
      const c = compareValues(x, y);
      if (c !== 0) return keys[i]!.order === 'desc' ? -c : c;
    }
    return 0;
  });
}
