// Which stored values of an attribute type can satisfy comparisons with constants (`$s > 99.5; $s <= 120;`), as
// inclusive bounds in the type's own value type: the matcher then reads that range of attribute keys instead of every
// value of the type. Bounds only narrow the read; the comparisons still filter what it finds, so they may be loose
// (doubles within 1e-6 compare equal, and a long compares with a double as Number(long) does) but never too tight.
import { comparable, compareValues, type Value } from '../common/values.js';
import type { SchemaType } from '../schema/api.js';
import type { Comparator } from '../typeql/ast.js';

export interface ValueBounds {
  readonly lower?: Value;
  readonly upper?: Value;
}

export interface ConstantComparison {
  readonly op: Comparator;
  readonly value: Value;
}

export const isRangeComparator = (op: Comparator) => op === '>' || op === '>=' || op === '<' || op === '<=';

/** Wider than value-comparison's 1e-6 tolerance: a double further than this from a bound compares unequal to it. */
const DOUBLE_SLACK = 1e-5;
const MIN_LONG = -(1n << 63n);
const MAX_LONG = (1n << 63n) - 1n;

/**
 * The ranges of values of `type` that the comparisons allow, to read in turn (disjoint): 'none' when no value of it
 * can satisfy them (it cannot be compared with a constant, or the bounds cross), undefined when they do not narrow its
 * keys (none of them bounds it, or its keys are not in value order: strings are keyed by length first, and booleans
 * are two values).
 */
export function attributeBounds(type: SchemaType, comparisons: readonly ConstantComparison[]): readonly ValueBounds[] | 'none' | undefined {
  const valueType = type.valueType;
  if (valueType === undefined) return 'none';
  let lower: Value | undefined;
  let upper: Value | undefined;
  for (const { op, value } of comparisons) {
    if (!comparable(valueType, value.type)) return 'none';
    if (valueType !== 'long' && valueType !== 'double' && valueType !== 'datetime') continue;
    const below = op === '<' || op === '<=';
    const bound = boundOf(valueType, value, below);
    if (bound === 'none') return 'none';
    if (bound === undefined) continue;
    if (below) upper = upper === undefined || compareValues(bound, upper) < 0 ? bound : upper;
    else lower = lower === undefined || compareValues(bound, lower) > 0 ? bound : lower;
  }
  if (lower !== undefined && upper !== undefined && compareValues(lower, upper) > 0) return 'none';
  if (lower === undefined && upper === undefined) return undefined;
  // NaN compares above every value, and a NaN with its sign bit set is keyed below -Infinity: read those keys too.
  if (valueType === 'double' && lower !== undefined) return [{ upper: NEGATIVE_INFINITY }, { lower, upper }];
  return [{ lower, upper }];
}

const NEGATIVE_INFINITY: Value = { type: 'double', value: -Infinity };

/**
 * An inclusive bound, in the attribute's value type, on the values that can compare above (or, `below`, under) the
 * constant; undefined when it bounds nothing (a NaN or infinite constant: every value compares above NaN).
 */
function boundOf(valueType: 'long' | 'double' | 'datetime', constant: Value, below: boolean): Value | 'none' | undefined {
  if (valueType === 'datetime' || (valueType === 'long' && constant.type === 'long')) return constant;
  const x = Number(constant.value);
  if (!Number.isFinite(x)) return undefined;
  if (valueType === 'double') return { type: 'double', value: below ? x + DOUBLE_SLACK : x - DOUBLE_SLACK };
  // A long compares with a double as Number(long), which rounds by up to half a unit in the last place: beyond 2^53
  // several longs compare equal to one double. The margin covers that rounding with room to spare.
  const margin = BigInt(Math.ceil(Math.abs(x) / 2 ** 51)) + 2n;
  if (below) {
    const upper = BigInt(Math.ceil(x)) + margin;
    return upper < MIN_LONG ? 'none' : { type: 'long', value: upper > MAX_LONG ? MAX_LONG : upper };
  }
  const lower = BigInt(Math.floor(x)) - margin;
  return lower > MAX_LONG ? 'none' : { type: 'long', value: lower < MIN_LONG ? MIN_LONG : lower };
}
