// Literal text <-> literal values, shared by the parser and the printer so that the two stay exact inverses.
//
// Strings follow TypeQL 2.x: the value is the raw text between the quotes, and backslash escapes are kept as written
// (TypeDB 2.x stores `"a\"b"` as `a\"b`, and a regex `"\d+"` keeps its backslash). Regexes (`regex`, `like`) in
// addition turn `\/` into `/` on the way in and back on the way out, as TypeQL's escapeRegex/unescapeRegex do.

import { parseDatetime } from '../common/values.js';

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** A long from its unsigned digits and sign; undefined when it does not fit in 64 bits. */
export function longFromDigits(digits: string, negative: boolean): bigint | undefined {
  const magnitude = BigInt(digits);
  const value = negative ? -magnitude : magnitude;
  return value < LONG_MIN || value > LONG_MAX ? undefined : value;
}

const TIME_FIELDS = /T(\d{2}):(\d{2})(?::(\d{2}))?/;
const SIGNED_YEAR = /^([+-])(\d+)-/;

/**
 * Milliseconds of a date or date-time literal; undefined when the calendar or clock fields are out of range, or when
 * the year's sign is one Java's strict ISO date parser refuses: `+` on a year of four digits or fewer, `-` on zero.
 */
export function datetimeFromText(text: string): number | undefined {
  const signed = SIGNED_YEAR.exec(text);
  if (signed && (signed[1] === '+' ? signed[2]!.length <= 4 : /^0+$/.test(signed[2]!))) return undefined;
  const time = TIME_FIELDS.exec(text);
  if (time && (Number(time[1]) > 23 || Number(time[2]) > 59 || Number(time[3] ?? 0) > 59)) return undefined;
  return parseDatetime(text);
}

/**
 * Whether a date-time literal that datetimeFromText refused names a real date that only lies beyond the instants a
 * JavaScript Date, and so Strata's datetime values, can hold (-271821-04-20 to +275760-09-13). Java's LocalDateTime,
 * and TypeDB, take years up to ±999999999.
 */
export function datetimeBeyondRange(text: string): boolean {
  const fields = /^([+-]?\d{4,})-(\d{2})-(\d{2})/.exec(text);
  if (!fields) return false;
  const [year, month, day] = [BigInt(fields[1]!), Number(fields[2]), Number(fields[3])];
  const leap = year % 4n === 0n && (year % 100n !== 0n || year % 400n === 0n);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days && (year < -271820n || year > 275759n);
}

export function formatLong(value: bigint): string {
  return value.toString();
}

/** Always with a decimal point and never with an exponent, since the grammar has neither `1e5` nor `5`-as-double. */
export function formatDouble(value: number): string {
  if (!Number.isFinite(value)) return String(value); // no TypeQL literal exists for NaN or infinities
  if (Object.is(value, -0)) return '-0.0';
  let text = String(value);
  if (text.includes('e')) text = expandExponent(text);
  return text.includes('.') ? text : `${text}.0`;
}

/** `1.5e+25` → `15000000000000000000000000.0`, `1.5e-10` → `0.00000000015`: the same digits, so the same double. */
function expandExponent(text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  const digits = whole + fraction;
  const point = whole.length + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * A datetime literal as TypeQL's Java printer writes it (LocalDateTime.toString): seconds only when not zero,
 * milliseconds only when not zero, years beyond four digits with their sign.
 */
export function formatDatetimeLiteral(epochMillis: number): string {
  const d = new Date(epochMillis);
  const year = d.getUTCFullYear();
  const yearText = Math.abs(year) < 10_000 ? (year < 0 ? '-' : '') + pad(Math.abs(year), 4) : (year > 0 ? '+' : '') + String(year);
  let text = `${yearText}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}`;
  const seconds = d.getUTCSeconds();
  const millis = d.getUTCMilliseconds();
  if (seconds > 0 || millis > 0) text += `:${pad(seconds, 2)}`;
  if (millis > 0) text += `.${pad(millis, 3)}`;
  return text;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * Quotes a raw string value. Double quotes are used unless the value holds an unescaped `"` (it was written in single
 * quotes), then single quotes; only a value holding both kinds, which no parse produces, has its `"` escaped.
 */
export function quoteString(raw: string): string {
  let bareDouble = false;
  let bareSingle = false;
  let danglingBackslash = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 92 /* \ */) {
      if (i + 1 >= raw.length) danglingBackslash = true;
      i++;
    } else if (c === 34) bareDouble = true;
    else if (c === 39) bareSingle = true;
  }
  if (!danglingBackslash && !bareDouble) return `"${raw}"`;
  if (!danglingBackslash && !bareSingle) return `'${raw}'`;
  let escaped = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '\\') {
      escaped += i + 1 < raw.length ? ch + raw[i + 1]! : '\\\\';
      i++;
    } else escaped += ch === '"' ? '\\"' : ch;
  }
  return `"${escaped}"`;
}

export function unescapeRegex(raw: string): string {
  return raw.replaceAll('\\/', '/');
}

export function escapeRegex(regex: string): string {
  return regex.replaceAll('/', '\\/');
}
