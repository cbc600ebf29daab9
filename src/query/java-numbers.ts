// Longs and doubles compared and added as TypeDB 2.x does it in Java, where that differs from exact arithmetic:
// NaN sorts above every number, -0.0 below 0.0, and a long plus a long is a wrapping 64-bit add.
import type { Value } from '../common/values.js';

export type Numeric = Extract<Value, { type: 'long' | 'double' }>;

/** Java's Double.compare: NaN above everything (and equal to itself), -0.0 below 0.0. */
export function javaCompare(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
  if (a !== b) return a < b ? -1 : 1;
  return Object.is(a, b) ? 0 : Object.is(a, -0) ? -1 : 1;
}

/** TypeDB's order of aggregated numbers (Getter's NumericComparator): two longs exactly, otherwise as doubles. */
export function compareNumeric(a: Numeric, b: Numeric): number {
  if (a.type === 'long' && b.type === 'long') return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  return javaCompare(Number(a.value), Number(b.value));
}

/** Java's `+` on two numbers as TypeDB's aggregates add them: a long stays a long (wrapping), else a double. */
export function javaSum(a: Numeric, b: Numeric): Numeric {
  if (a.type === 'long' && b.type === 'long') return { type: 'long', value: BigInt.asIntN(64, a.value + b.value) };
  return { type: 'double', value: Number(a.value) + Number(b.value) };
}
