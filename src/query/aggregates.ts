// Aggregates over answers, computed as TypeDB 2.x's collectors compute them (query/Getter.java), in answer order:
// count is a long (0 when empty); sum adds pairwise as Java does (two longs as a wrapping long, a double to anything
// as a double); max/min return the winning value as it is (a long among doubles stays a long), ordered as TypeDB's
// NumericComparator orders them (two longs exactly, else as Java doubles: NaN above every number); median is the
// middle value as it is for an odd count, else the middle pair's sum halved as a double; mean is a double; std is
// the sample deviation (n - 1) by Welford's online algorithm, whose rounding differs from a two-pass formula's in
// the last bits; every aggregate but count is empty over no values (std over fewer than two).
// Any non-numeric value fails with TypeDB's [THR10], max and min included.
import type { AggregateMethod, Variable } from '../typeql/ast.js';
import { StrataError } from '../common/errors.js';
import { toNumber, type Value } from '../common/values.js';
import { compareNumeric, javaSum, type Numeric } from './java-numbers.js';
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
  const numbers = values as readonly Numeric[];
  switch (method) {
    case 'sum':
      return numbers.reduce(javaSum);
    case 'max':
    case 'min': {
      let best = numbers[0]!;
      for (const v of numbers) {
        const c = compareNumeric(v, best);
        if (method === 'max' ? c > 0 : c < 0) best = v;
      }
      return best;
    }
    case 'mean':
      return { type: 'double', value: numbers.reduce((s, v) => s + toNumber(v), 0) / numbers.length };
    case 'median': {
      const sorted = yield* sortSteps([...numbers], compareNumeric);
      const mid = sorted.length >> 1;
      if (sorted.length % 2 === 1) return sorted[mid]!;
      return { type: 'double', value: toNumber(javaSum(sorted[mid - 1]!, sorted[mid]!)) / 2 };
    }
    case 'std':
      return sampleDeviation(numbers);
  }
}

/** The sample standard deviation by Welford's online algorithm, as TypeDB's STDCalculator computes it. */
function sampleDeviation(values: readonly Numeric[]): Value | undefined {
  if (values.length < 2) return undefined;
  let n = 0;
  let mean = 0;
  let squares = 0;
  for (const v of values) {
    const x = toNumber(v);
    n++;
    const delta = x - mean;
    mean += delta / n;
    squares += delta * (x - mean);
  }
  return { type: 'double', value: Math.sqrt(squares / (n - 1)) };
}
