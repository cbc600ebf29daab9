// Aggregates over answers, with TypeDB 2.x's result types: count is a long (0 when empty); sum keeps long if
// every value is a long (adding as Java longs do, wrapping past 64 bits); max/min return the winning value as it is
// (a long among doubles stays a long); median is the middle value as it is for an odd count, else a double; mean
// and std are doubles; std is the sample deviation (n - 1); every aggregate but count is empty over no values.
// Any non-numeric value fails with TypeDB's [THR10], max and min included.
import type { AggregateMethod, Variable } from '../typeql/ast.js';
import { StrataError } from '../common/errors.js';
import { compareValues, toNumber, type Value } from '../common/values.js';
import { sigil } from './typeql-checks.js';
import { runSteps, type Steps } from '../common/steps.js';
import { sortSteps } from '../common/sort-steps.js';

/** `values` are those of `variable` (the aggregated one; none for count) in the answers. */
export function aggregate(
  method: AggregateMethod,
  variable: Variable | undefined,
  values: readonly Value[],
  answerCount: number,
): Value | undefined {
  return runSteps(aggregateSteps(method, variable, values, answerCount));
}

/** aggregate as work in steps: the median's sort of a million values pauses (common/sort-steps.ts). */
export function* aggregateSteps(
  method: AggregateMethod,
  variable: Variable | undefined,
  values: readonly Value[],
  answerCount: number,
): Steps<Value | undefined> {
  if (method === 'count') return { type: 'long', value: BigInt(answerCount) };
  if (variable !== undefined && values.some((v) => v.type !== 'long' && v.type !== 'double')) {
    const name = `${sigil(variable)}${variable.name}`;
    throw new StrataError('THR', 10, `The variable '${name}' cannot be used to calculate aggregate functions, as it contains non-numeric values.`);
  }
  if (values.length === 0) return undefined;
  const allLong = values.every((v) => v.type === 'long');
  switch (method) {
    case 'sum':
      if (allLong) return { type: 'long', value: values.reduce((s, v) => BigInt.asIntN(64, s + (v.value as bigint)), 0n) };
      return { type: 'double', value: values.reduce((s, v) => s + toNumber(v), 0) };
    case 'max':
    case 'min': {
      let best = values[0]!;
      for (const v of values) {
        const c = compareValues(v, best);
        if (method === 'max' ? c > 0 : c < 0) best = v;
      }
      return best;
    }
    case 'mean':
      return { type: 'double', value: values.reduce((s, v) => s + toNumber(v), 0) / values.length };
    case 'median': {
      const sorted = yield* sortSteps([...values], compareValues);
      const mid = sorted.length >> 1;
      if (sorted.length % 2 === 1) return sorted[mid]!;
      return { type: 'double', value: (toNumber(sorted[mid - 1]!) + toNumber(sorted[mid]!)) / 2 };
    }
    case 'std': {
      if (values.length < 2) return undefined;
      const numbers = values.map(toNumber);
      const mean = numbers.reduce((s, x) => s + x, 0) / numbers.length;
      const variance = numbers.reduce((s, x) => s + (x - mean) ** 2, 0) / (numbers.length - 1);
      return { type: 'double', value: Math.sqrt(variance) };
    }
  }
}
