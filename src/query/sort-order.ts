// The order `sort` puts answers in, as TypeDB 2.x orders them: an attribute or value by its value, any other thing by
// its IID, a type by its label (an attribute with an entity compares as things, by IID); an answer without the
// variable goes last; ties keep the order the match found the answers in.
import type { Variable } from '../typeql/ast.js';
import type { ThingReader } from '../concept/things.js';
import { StrataError } from '../common/errors.js';
import { comparable, compareValues, type Value } from '../common/values.js';
import { labelText } from '../schema/labels.js';
import { valueTypeName } from '../schema/errors.js';
import { sigil } from './typeql-checks.js';
import { valueOf, type Binding, type Row } from './bindings.js';

export type SortKeys = readonly { variable: Variable; order?: 'asc' | 'desc' }[];

interface SortKey {
  readonly value?: Value;
  readonly iid?: Uint8Array;
  readonly label?: string;
}

/** A row with what it sorts by, read once, and its place in the match's order (which breaks ties). */
export interface SortEntry {
  readonly row: Row;
  readonly keys: readonly (SortKey | undefined)[];
  readonly seq: number;
}

export class RowOrder {
  private seq = 0;

  constructor(
    private readonly keys: SortKeys,
    private readonly things: ThingReader,
  ) {}

  /** The row's entry; rows must be given in the match's order. */
  entry(row: Row): SortEntry {
    const keys = this.keys.map((k) => {
      const b = row.get(k.variable.name);
      return b && sortKey(b, this.things);
    });
    return { row, keys, seq: this.seq++ };
  }

  /** Negative when `a` comes first; never 0 for two entries (the match's order breaks ties). */
  compare(a: SortEntry, b: SortEntry): number {
    for (let i = 0; i < this.keys.length; i++) {
      const c = this.compareKey(a, b, i);
      if (c !== 0) return c;
    }
    return a.seq - b.seq;
  }

  /** Whether `a` comes after `b` by the first sort variable alone. */
  afterByFirstKey(a: SortEntry, b: SortEntry): boolean {
    return this.compareKey(a, b, 0) > 0;
  }

  private compareKey(a: SortEntry, b: SortEntry, i: number): number {
    const x = a.keys[i];
    const y = b.keys[i];
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
    const c = compareKeys(x, y, this.keys[i]!.variable);
    return this.keys[i]!.order === 'desc' ? -c : c;
  }

  /** The rows of the entries, in order. */
  sorted(entries: SortEntry[]): Row[] {
    return entries.sort((a, b) => this.compare(a, b)).map((e) => e.row);
  }
}

function sortKey(b: Binding, things: ThingReader): SortKey {
  if (b.kind === 'type') return { label: labelText(b.type.label) };
  const value = valueOf(b, things);
  return b.kind === 'thing' ? { value, iid: b.thing.iid } : { value };
}

function compareKeys(x: SortKey, y: SortKey, variable: Variable): number {
  if (x.value && y.value) {
    if (!comparable(x.value.type, y.value.type)) {
      throw incomparable(variable, valueTypeName(x.value.type), valueTypeName(y.value.type));
    }
    return compareSortValues(x.value, y.value);
  }
  if (x.iid && y.iid) return Buffer.compare(x.iid, y.iid);
  if (x.label !== undefined && y.label !== undefined) return x.label < y.label ? -1 : x.label > y.label ? 1 : 0;
  throw incomparable(variable, kindOf(x), kindOf(y));
}

/**
 * TypeDB 2.x sorts doubles with Java's Double.compare (ties within 1e-6 aside): NaN after every number and equal to
 * another NaN, which keeps the order total. -0.0 and 0.0 tie there, as they do in compareValues.
 */
function compareSortValues(x: Value, y: Value): number {
  const xNaN = x.type === 'double' && Number.isNaN(x.value);
  const yNaN = y.type === 'double' && Number.isNaN(y.value);
  if (xNaN || yNaN) return xNaN === yNaN ? 0 : xNaN ? 1 : -1;
  return compareValues(x, y);
}

const kindOf = (k: SortKey) => (k.value ? k.value.type : k.iid ? 'thing' : 'type');

/** TypeDB's [THR07]: `a` and `b` are value types as TypeDB prints them (`LONG`), or `thing` and `type`. */
function incomparable(variable: Variable, a: string, b: string): StrataError {
  const name = `${sigil(variable)}${variable.name}`;
  return new StrataError('THR', 7, `The variable '${name}' cannot be used to sort, as it may represent incomparable types '${a}' and '${b}'.`);
}
