// Evaluation of value expressions (`?v = $x + 1`), with TypeDB 2.x's typing: long op long stays long except `/`,
// any double makes a double, floor/ceil/round give longs, abs keeps its type, max/min are long only if all are. A
// long power and floor/ceil/round of a double are Java's double-to-long casts: saturating, NaN as 0. A double
// divisor within 1e-10 of zero is a division by zero, as TypeDB compares it approximately; a double remainder by
// zero is Java's NaN.
import type { Expression, FunctionName } from '../typeql/ast.js';
import type { Value } from '../common/values.js';
import { StrataError } from '../common/errors.js';
import { literalToValue } from './literals.js';
import { argumentsText, expressionText, operandTexts } from './expression-text.js';
import { javaCompare, type Numeric } from './java-numbers.js';

/**
 * The operands as numbers, or TypeDB's error: [EXP04] for operands of incompatible value types (a long and a
 * string), [EXP06] for an operation or function over a value type it does not take (two strings).
 */
function numericOperands(values: readonly Value[], operation: string): Numeric[] {
  if (values.every((v) => v.type === 'long' || v.type === 'double')) return values as Numeric[];
  const types = [...new Set(values.map((v) => (v.type === 'long' ? 'double' : v.type)))];
  if (types.length > 1) {
    const [a, b] = [...new Set(values.map((v) => v.type))];
    throw new StrataError('EXP', 4, `The operands of '${operation}' have incompatible value types: ${a} and ${b}.`);
  }
  throw new StrataError('EXP', 6, `'${operation}' cannot take arguments of value type ${values[0]!.type}.`);
}

const num = (v: Numeric) => (v.type === 'long' ? Number(v.value) : v.value);
const long = (value: bigint): Value => ({ type: 'long', value: BigInt.asIntN(64, value) });

const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);

/** A double as Java casts it to a long: truncated, saturating at the ends of the range, NaN as 0. */
function javaLong(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  if (x >= 2 ** 63) return LONG_MAX;
  if (x <= -(2 ** 63)) return LONG_MIN;
  return BigInt(Math.trunc(x));
}
const double = (value: number): Value => ({ type: 'double', value });

/** TypeDB's tolerance for a double divisor to count as zero (typedb-common's Double.EPSILON). */
const ZERO_DIVISOR_EPSILON = 1e-10;

/** TypeDB's [EXP07] for a function given the wrong number of arguments: max and min take one or more, the rest one. */
export function checkArgumentCount(fn: FunctionName, args: readonly Expression[]): void {
  const many = fn === 'max' || fn === 'min';
  if (many ? args.length > 0 : args.length === 1) return;
  const expected = many ? 'at least 1' : '1';
  throw new StrataError('EXP', 7, `The expression '${fn}' expects '${expected}' arguments but received '${args.length}': '${argumentsText(args)}'.`);
}

export function variablesOf(e: Expression, out: string[] = []): string[] {
  if (e.kind === 'var') out.push(e.variable.name);
  else if (e.kind === 'binary') {
    variablesOf(e.left, out);
    variablesOf(e.right, out);
  } else if (e.kind === 'call') for (const a of e.args) variablesOf(a, out);
  return out;
}

/** TypeDB's [EXP09], naming the two operands as it prints them (a long remainder by zero too, which Java fails). */
function divisionByZero(e: Extract<Expression, { kind: 'binary' }>, lookup: (name: string) => Value): StrataError {
  const typeOf = (name: string) => lookup(name).type;
  const [left, right] = operandTexts([expressionText(e.left, typeOf), expressionText(e.right, typeOf)]);
  return new StrataError('EXP', 9, `Illegal division by zero occurred during: '${left!.text} ${e.op} ${right!.text}'.`);
}

export function evaluate(e: Expression, lookup: (name: string) => Value): Value {
  switch (e.kind) {
    case 'literal':
      return literalToValue(e.value);
    case 'var':
      return lookup(e.variable.name);
    case 'binary': {
      const [left, right] = numericOperands([evaluate(e.left, lookup), evaluate(e.right, lookup)], e.op) as [Numeric, Numeric];
      if (e.op === '/') {
        const divisor = num(right);
        if (right.type === 'long' && left.type === 'long' ? divisor === 0 : Math.abs(divisor) < ZERO_DIVISOR_EPSILON) {
          throw divisionByZero(e, lookup);
        }
        return double(num(left) / num(right));
      }
      if (left.type === 'long' && right.type === 'long') {
        const a = left.value;
        const b = right.value;
        switch (e.op) {
          case '+':
            return long(a + b);
          case '-':
            return long(a - b);
          case '*':
            return long(a * b);
          case '%':
            if (b === 0n) throw divisionByZero(e, lookup);
            return long(a % b);
          case '^':
            // TypeDB 2.x: (long) Math.pow(a, b), a double power cast back (saturating), not an exact one.
            return { type: 'long', value: javaLong(Number(a) ** Number(b)) };
        }
      }
      const a = num(left);
      const b = num(right);
      switch (e.op) {
        case '+':
          return double(a + b);
        case '-':
          return double(a - b);
        case '*':
          return double(a * b);
        case '%':
          // Java's double remainder: NaN for a zero divisor, no error (only a long remainder by zero fails).
          return double(a % b);
        case '^':
          return double(a ** b);
      }
      break;
    }
    case 'call': {
      const args = numericOperands(e.args.map((a) => evaluate(a, lookup)), e.fn);
      checkArgumentCount(e.fn, e.args);
      switch (e.fn) {
        case 'floor':
        case 'ceil':
        case 'round': {
          const x = args[0]!;
          if (x.type === 'long') return x;
          const f = e.fn === 'floor' ? Math.floor : e.fn === 'ceil' ? Math.ceil : Math.round;
          return { type: 'long', value: javaLong(f(x.value)) };
        }
        case 'abs': {
          const x = args[0]!;
          return x.type === 'long' ? long(x.value < 0n ? -x.value : x.value) : double(Math.abs(x.value));
        }
        case 'max':
        case 'min': {
          if (args.every((a) => a.type === 'long')) {
            const values = args.map((a) => a.value as bigint);
            return long(values.reduce((m, v) => (e.fn === 'max' ? (v > m ? v : m) : v < m ? v : m)));
          }
          const values = args.map(num);
          return double(values.reduce((m, v) => (e.fn === 'max' ? (javaCompare(v, m) > 0 ? v : m) : javaCompare(v, m) < 0 ? v : m)));
        }
      }
    }
  }
  throw new StrataError('EXP', 1, 'Unsupported expression.');
}
