// Numbers and date-times written the way TypeDB's Java console writes them, so that printed answers match
// byte for byte: `Double.toString`, `Long.toString`, `LocalDateTime.toString` and TypeQL's value formatting.

export { javaDouble } from '../common/java-double.js';
import { javaDouble } from '../common/java-double.js';

/** A JSON number as the console prints it: integral values like `Long.toString`, others like `Double.toString`. */
export function javaJsonNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 63) return BigInt(value).toString();
  return javaDouble(value);
}

/** A finite double's exact value as `mantissa * 2^exponent` (mantissa a non-negative integer). */
function exactBinary(value: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(value));
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  const fraction = bits & ((1n << 52n) - 1n);
  if (biased === 0) return { mantissa: fraction, exponent: -1074 };
  return { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** Compares `digits * 10^scale` with a double's exact magnitude: -1, 0 or 1. */
function compareWithExact(digits: bigint, scale: number, value: number): number {
  const { mantissa, exponent } = exactBinary(value);
  let left = digits;
  let right = mantissa;
  if (scale >= 0) left *= 10n ** BigInt(scale);
  else right *= 10n ** BigInt(-scale);
  if (exponent >= 0) right <<= BigInt(exponent);
  else left <<= BigInt(-exponent);
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * A double as TypeQL prints a value variable: Java's `DecimalFormat` with one to twelve fraction digits, which
 * rounds the shortest decimal digits of the double (those `Double.toString` shows) half-even, a digit string that
 * ends exactly on the rounding digit 5 rounding as the double's exact value says (`0.000122070312` for 2^-13, a tie).
 * The sign stays when the result is zero (`-0.0`), as `DecimalFormat` keeps it. Large values print the shortest
 * digits padded with zeros (`1152921504606847000.0` for 2^60), not the exact binary value. The shortest digits are
 * JavaScript's, which are Java 19+'s `Double.toString` digits (older Javas sometimes show one or two more).
 */
export function typeqlDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  if (!Number.isFinite(value)) return `${sign}\u221e`;
  const magnitude = Math.abs(value);
  let digits = '';
  let decimalAt = 0;
  if (magnitude !== 0) {
    const [mantissa, exponent] = magnitude.toExponential().split('e') as [string, string];
    digits = mantissa.replace('.', '');
    decimalAt = Number(exponent) + 1;
    const keep = decimalAt + 12;
    if (keep < digits.length) {
      let roundUp = false;
      if (keep >= 0) {
        const digit = digits[keep]!;
        if (digit > '5') roundUp = true;
        else if (digit === '5') {
          if (keep < digits.length - 1) roundUp = true;
          else {
            // The shortest digits end on the 5: the double's exact value decides (above, below, or a true tie).
            const comparison = compareWithExact(BigInt(digits), decimalAt - digits.length, magnitude);
            roundUp = comparison < 0 || (comparison === 0 && keep > 0 && Number(digits[keep - 1]) % 2 === 1);
          }
        }
      }
      if (keep < 0) digits = '';
      else if (!roundUp) digits = digits.slice(0, keep);
      else if (keep === 0) {
        digits = '1';
        decimalAt++;
      } else {
        const incremented = (BigInt(digits.slice(0, keep)) + 1n).toString();
        if (incremented.length > keep) decimalAt++;
        digits = incremented;
      }
      digits = digits.replace(/0+$/, '');
    }
  }
  if (digits === '') return `${sign}0.0`;
  const integer = decimalAt <= 0 ? '0' : digits.slice(0, decimalAt).padEnd(decimalAt, '0');
  const fraction = decimalAt >= digits.length ? '0' : '0'.repeat(Math.max(0, -decimalAt)) + digits.slice(Math.max(0, decimalAt));
  return `${sign}${integer}.${fraction}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Java's `LocalDateTime.toString` of a zone-less date-time carried in a Date's UTC fields. */
export function javaLocalDateTime(date: Date): string {
  const year = date.getUTCFullYear();
  let yearText: string;
  if (Math.abs(year) < 10000) yearText = (year < 0 ? '-' : '') + pad(Math.abs(year), 4);
  else yearText = (year > 9999 ? '+' : '') + String(year);
  let text = `${yearText}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}`;
  const seconds = date.getUTCSeconds();
  const millis = date.getUTCMilliseconds();
  // Java drops zero seconds (and zero fractions) entirely: `2023-01-01T00:00`.
  if (seconds > 0 || millis > 0) {
    text += `:${pad(seconds, 2)}`;
    if (millis > 0) text += `.${pad(millis, 3)}`;
  }
  return text;
}
