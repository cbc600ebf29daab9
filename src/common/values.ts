// Attribute and expression values as the engine sees them. Longs are bigint for 64-bit fidelity;
// datetimes are milliseconds since the epoch of a zone-free local date-time (never shifted by a time zone).

export type ValueType = 'long' | 'double' | 'string' | 'boolean' | 'datetime';

export const VALUE_TYPES: readonly ValueType[] = ['long', 'double', 'string', 'boolean', 'datetime'];

/** The Java class suffix TypeDB names a value type's classes by (`AttributeImpl.DateTime`, `Constant.Long`). */
export const JAVA_VALUE_CLASS: Record<ValueType, string> = {
  long: 'Long',
  double: 'Double',
  boolean: 'Boolean',
  string: 'String',
  datetime: 'DateTime',
};

export type Value =
  | { readonly type: 'long'; readonly value: bigint }
  | { readonly type: 'double'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'datetime'; readonly value: number };

export function isNumeric(v: Value): v is Extract<Value, { type: 'long' | 'double' }> {
  return v.type === 'long' || v.type === 'double';
}

/** Numeric view of a long or double (lossy above 2^53 for longs; used for mixed comparisons and doubles). */
export function toNumber(v: Value): number {
  if (v.type === 'long') return Number(v.value);
  if (v.type === 'double' || v.type === 'datetime') return v.value;
  throw new TypeError(`value of type ${v.type} is not numeric`);
}

/** Whether two values can be compared: numbers with numbers, otherwise the same value type. */
export function comparable(a: ValueType, b: ValueType): boolean {
  const numeric = (t: ValueType) => t === 'long' || t === 'double';
  return a === b || (numeric(a) && numeric(b));
}

/** Total order within comparable values; longs and doubles compare numerically. */
export function compareValues(a: Value, b: Value): number {
  if (a.type === 'long' && b.type === 'long') return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  if (isNumeric(a) && isNumeric(b)) {
    const x = a.type === 'long' ? a.value : a.value;
    const y = b.type === 'long' ? b.value : b.value;
    // bigint and number compare exactly in JS relational operators
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.type !== b.type) throw new TypeError(`cannot compare ${a.type} with ${b.type}`);
  const x = a.value as string | number | boolean;
  const y = b.value as string | number | boolean;
  return x < y ? -1 : x > y ? 1 : 0;
}

export function valuesEqual(a: Value, b: Value): boolean {
  return comparable(a.type, b.type) && compareValues(a, b) === 0;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** `yyyy-MM-ddTHH:mm:ss.SSS`, as TypeDB 2.x prints datetimes in fetch answers and exports. */
export function formatDatetime(epochMillis: number): string {
  const d = new Date(epochMillis);
  const year = d.getUTCFullYear();
  const yearText = year >= 0 && year <= 9999 ? pad(year, 4) : (year < 0 ? '-' : '+') + pad(Math.abs(year), 6);
  return (
    `${yearText}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}`
  );
}

const DATETIME_PATTERN =
  /^([+-]?\d{4,})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;

/** Parses the TypeQL datetime literal forms; returns undefined when the text is not one. Zone-free. */
export function parseDatetime(text: string): number | undefined {
  const m = DATETIME_PATTERN.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = ''] = m;
  const millis = Number((frac + '000').slice(0, 3));
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), millis);
  if (date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) return undefined;
  return date.getTime();
}

/** The value as TypeQL literal text (used by printers and error messages). */
export function formatValue(v: Value): string {
  switch (v.type) {
    case 'long':
      return v.value.toString();
    case 'double': {
      const text = String(v.value);
      return /[.eE]|Infinity|NaN/.test(text) ? text : `${text}.0`;
    }
    case 'string':
      return JSON.stringify(v.value);
    case 'boolean':
      return String(v.value);
    case 'datetime':
      return formatDatetime(v.value);
  }
}
