// Numbers and date-times written the way TypeDB's Java console writes them, so that printed answers match
// byte for byte: `Double.toString`, `Long.toString`, `LocalDateTime.toString` and TypeQL's value formatting.

/** Java's `Double.toString`: `2.0`, `0.001`, `1.0E7`, `1.234E-5`, `NaN`, `Infinity`. */
export function javaDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    // In this range JavaScript's shortest representation is plain decimal, as Java's is.
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

/** A JSON number as the console prints it: integral values like `Long.toString`, others like `Double.toString`. */
export function javaJsonNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 63) return BigInt(value).toString();
  return javaDouble(value);
}

/**
 * A double as TypeQL prints a value variable: at least one and at most twelve decimals (`10.0`, `2.5`,
 * `0.333333333333`).
 */
export function typeqlDouble(value: number): string {
  if (!Number.isFinite(value)) return javaDouble(value);
  if (Math.abs(value) >= 1e21) return `${BigInt(value).toString()}.0`;
  let text = value.toFixed(12).replace(/0+$/, '');
  if (text.endsWith('.')) text += '0';
  return text === '-0.0' ? '0.0' : text;
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
