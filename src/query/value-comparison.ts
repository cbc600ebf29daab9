// Comparing values as TypeQL's comparators do, and converting a literal to an attribute type's value type.
import { compareValues, comparable, type Value } from '../common/values.js';
import type { SchemaType } from '../schema/api.js';
import type { Comparator } from '../typeql/ast.js';

/** A literal or value converted to the value type of an attribute type, if it can equal one of its values. */
export function convertForAttribute(value: Value, type: SchemaType): Value | undefined {
  const target = type.valueType;
  if (target === value.type) return value;
  if (target === 'double' && value.type === 'long') return { type: 'double', value: Number(value.value) };
  if (target === 'long' && value.type === 'double' && Number.isInteger(value.value)) return { type: 'long', value: BigInt(value.value) };
  return undefined;
}

/**
 * Doubles closer than this compare as equal, as in TypeDB's value comparator (Encoding.ValueType.DOUBLE_PRECISION),
 * and so does a long with a double that close to it.
 */
const DOUBLE_PRECISION = 0.000001;

/** Values of types that cannot be compared (a string and a long) satisfy no comparator, not even `!=`. */
export function compare(a: Value, op: Comparator, b: Value): boolean {
  if (!comparable(a.type, b.type)) return false;
  const c = a.type === 'double' || b.type === 'double' ? compareDoubles(Number(a.value), Number(b.value)) : compareValues(a, b);
  switch (op) {
    case '=':
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
  }
}

function compareDoubles(x: number, y: number): number {
  if (x === y || Math.abs(x - y) < DOUBLE_PRECISION) return 0;
  return x < y ? -1 : 1;
}
