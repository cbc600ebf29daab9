// sort / offset / limit over answers, and projection with set semantics.
import type { Modifiers, Variable } from '../typeql/ast.js';
import type { ThingReader } from '../concept/things.js';
import { StrataError } from '../common/errors.js';
import { comparable, compareValues, type Value } from '../common/values.js';
import { labelText } from '../schema/labels.js';
import { bindingKey, valueOf, type Binding, type Row } from './bindings.js';

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

/**
 * What a binding sorts by: an attribute or value by its value, any other thing by its IID, a type by its label, as
 * TypeDB 2.x orders answers (an attribute with an entity compares as things, by IID).
 */
interface SortKey {
  readonly value?: Value;
  readonly iid?: Uint8Array;
  readonly label?: string;
}

function sortKey(b: Binding, things: ThingReader): SortKey {
  if (b.kind === 'type') return { label: labelText(b.type.label) };
  const value = valueOf(b, things);
  return b.kind === 'thing' ? { value, iid: b.thing.iid } : { value };
}

function compareKeys(x: SortKey, y: SortKey, name: string): number {
  if (x.value && y.value) {
    if (!comparable(x.value.type, y.value.type)) throw incomparable(name, x.value.type, y.value.type);
    return compareValues(x.value, y.value);
  }
  if (x.iid && y.iid) return Buffer.compare(x.iid, y.iid);
  if (x.label !== undefined && y.label !== undefined) return x.label < y.label ? -1 : x.label > y.label ? 1 : 0;
  throw incomparable(name, kindOf(x), kindOf(y));
}

const kindOf = (k: SortKey) => (k.value ? k.value.type : k.iid ? 'thing' : 'type');

function incomparable(name: string, a: string, b: string): StrataError {
  // TypeDB's code for a sort variable of incomparable types.
  return new StrataError('THR', 7, `Cannot sort by '${name}': it binds values of incomparable types ${a} and ${b}.`);
}

function sortRows(rows: Row[], keys: readonly { variable: Variable; order?: 'asc' | 'desc' }[], things: ThingReader): Row[] {
  const keyCache = new Map<Row, (SortKey | undefined)[]>();
  const keysOf = (row: Row) => {
    let found = keyCache.get(row);
    if (!found) {
      found = keys.map((k) => {
        const b = row.get(k.variable.name);
        return b && sortKey(b, things);
      });
      keyCache.set(row, found);
    }
    return found;
  };
  return rows.sort((a, b) => {
    const ka = keysOf(a);
    const kb = keysOf(b);
    for (let i = 0; i < keys.length; i++) {
      const x = ka[i];
      const y = kb[i];
      if (x === undefined || y === undefined) {
        if (x !== y) return x === undefined ? 1 : -1;
        continue;
      }
      const c = compareKeys(x, y, keys[i]!.variable.name);
      if (c !== 0) return keys[i]!.order === 'desc' ? -c : c;
    }
    return 0;
  });
}
