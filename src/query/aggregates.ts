// Aggregates over answers, with TypeDB 2.x's result types: count is a long (0 when empty); sum keeps long if
// every value is a long; max/min keep the value's type; mean, median and std are doubles; std is the sample
// deviation (n - 1); every aggregate but count is empty over no values.
import type { AggregateMethod } from '../typeql/ast.js';
import { StrataError } from '../common/errors.js';
import { compareValues, toNumber, type Value } from '../common/values.js';

export function aggregate(method: AggregateMethod, values: readonly Value[], answerCount: number): Value | undefined {
  if (method === 'count') return { type: 'long', value: BigInt(answerCount) };
  for (const v of values) {
    if (v.type !== 'long' && v.type !== 'double') {
      throw new StrataError('QRY', 32, `The aggregate '${method}' needs numeric values, but got a ${v.type}.`);
    }
  }
  if (values.length === 0) return undefined;
  const allLong = values.every((v) => v.type === 'long');
  switch (method) {
    case 'sum':
      if (allLong) return { type: 'long', value: values.reduce((s, v) => s + (v.value as bigint), 0n) };
      return { type: 'double', value: values.reduce((s, v) => s + toNumber(v), 0) };
    case 'max':
    case 'min': {
      let best = values[0]!;
      for (const v of values) {
        const c = compareValues(v, best);
        if (method === 'max' ? c > 0 : c < 0) best = v;
      }
      return allLong ? best : { type: 'double', value: toNumber(best) };
    }
    case 'mean':
      return { type: 'double', value: values.reduce((s, v) => s + toNumber(v), 0) / values.length };
    case 'median': {
      const sorted = values.map(toNumber).sort((a, b) => a - b);
      const mid = sorted.length >> 1;
      const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
      return { type: 'double', value: median };
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
