// The TypeQL 2.x lexer: one pass over the string by character code, producing tokens that know only their offset.
// Token boundaries follow the typeql 2.28 grammar's longest-match rules (`sub!` is one token, `2020-01-01` is a
// date and not a subtraction, `marriage:wife` with no spaces is one scoped label, a sign is a separate token
// except in a signed date). Whether a word is a keyword or a label is the parser's business (see keywords.ts).

import { syntaxErrorAt, visibleCharacter } from './syntax-error.js';

export type TokenKind =
  | 'word' // a label or a keyword, including `sub!` and `isa!`
  | 'scoped-label' // `marriage:wife`
  | 'concept-var' // `$x`; value is the name (`_` for `$_`)
  | 'value-var' // `?v`; value is the name
  | 'string' // value is the raw text between the quotes, escapes left as written (as TypeQL 2.x does)
  | 'long' // unsigned digits
  | 'double' // unsigned `digits.digits`
  | 'datetime' // `2020-01-01`, `2020-01-01T10:15[:30[.123]]`, year optionally signed
  | 'iid' // `0x…`
  | 'annotation' // `@key`; value is the name without `@`
  | 'symbol' // punctuation and operators; value is the symbol
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The token as written in the source. */
  readonly text: string;
  /** The part that matters: a word, a variable's name, a string's content, a symbol. */
  readonly value: string;
  readonly offset: number;
}

// Character classes of the grammar's TYPE_CHAR_H_ (first character of a label) and TYPE_CHAR_T_ (the rest).
export function isLabelHead(c: number): boolean {
  if (c < 0x80) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return (
    (c >= 0x00c0 && c <= 0x00d6) ||
    (c >= 0x00d8 && c <= 0x00f6) ||
    (c >= 0x00f8 && c <= 0x02ff) ||
    (c >= 0x0370 && c <= 0x037d) ||
    (c >= 0x037f && c <= 0x1fff) ||
    (c >= 0x200c && c <= 0x200d) ||
    (c >= 0x2070 && c <= 0x218f) ||
    (c >= 0x2c00 && c <= 0x2fef) ||
    (c >= 0x3001 && c <= 0xd7ff) ||
    (c >= 0xf900 && c <= 0xfdcf) ||
    (c >= 0xfdf0 && c <= 0xfffd)
  );
}

export function isLabelTail(c: number): boolean {
  if (c < 0x80) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || isDigit(c) || c === 95 || c === 45;
  return isLabelHead(c) || c === 0x00b7 || (c >= 0x0300 && c <= 0x036f) || (c >= 0x203f && c <= 0x2040);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function isAsciiAlphanumeric(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function isWhitespace(c: number): boolean {
  // The grammar's WS is [ \t\r\n]; form feeds, no-break spaces and a byte-order mark are accepted as well.
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 11 || c === 0xa0 || c === 0xfeff;
}

const CHAR_DOLLAR = 36;
const CHAR_QUESTION = 63;
const CHAR_UNDERSCORE = 95;
const CHAR_COLON = 58;
const CHAR_HASH = 35;
const CHAR_DQUOTE = 34;
const CHAR_SQUOTE = 39;
const CHAR_BACKSLASH = 92;
const CHAR_DOT = 46;
const CHAR_MINUS = 45;
const CHAR_PLUS = 43;
const CHAR_T = 84;

const SINGLE_SYMBOLS = new Set(['{', '}', '(', ')', ';', ',', ':', '*', '/', '%', '^']);

// Scanning helpers. Past the end of the string charCodeAt gives NaN, which no comparison below accepts.

function scanTail(source: string, i: number): number {
  while (isLabelTail(source.charCodeAt(i))) i++;
  return i;
}

function digitsAt(source: string, i: number, count: number): boolean {
  for (let k = 0; k < count; k++) if (!isDigit(source.charCodeAt(i + k))) return false;
  return true;
}

/**
 * Two digits at i, the first at most `maxFirst`: the grammar's MONTH_ `[0-1][0-9]`, DAY_ `[0-3][0-9]`, HOUR_
 * `[0-2][0-9]`, MINUTE_ and SECOND_ `[0-6][0-9]`. Text outside them is no date at all, so `2020-20-01` is a subtraction.
 */
function fieldAt(source: string, i: number, maxFirst: number): boolean {
  const first = source.charCodeAt(i);
  return first >= 48 && first <= 48 + maxFirst && isDigit(source.charCodeAt(i + 1));
}

/** The end of `-MM-DD` at i, or -1. */
function monthDayEnd(source: string, i: number): number {
  return source.charCodeAt(i) === CHAR_MINUS &&
    fieldAt(source, i + 1, 1) &&
    source.charCodeAt(i + 3) === CHAR_MINUS &&
    fieldAt(source, i + 4, 3)
    ? i + 6
    : -1;
}

/** The end of a time `THH:MM[:SS[.f{1,3}]]` at i, or i when there is none. */
function timeEnd(source: string, i: number): number {
  if (
    !(
      source.charCodeAt(i) === CHAR_T &&
      fieldAt(source, i + 1, 2) &&
      source.charCodeAt(i + 3) === CHAR_COLON &&
      fieldAt(source, i + 4, 6)
    )
  ) {
    return i;
  }
  let j = i + 6;
  if (source.charCodeAt(j) === CHAR_COLON && fieldAt(source, j + 1, 6)) {
    j += 3;
    if (source.charCodeAt(j) === CHAR_DOT && isDigit(source.charCodeAt(j + 1))) {
      j += 2;
      if (isDigit(source.charCodeAt(j))) j++;
      if (isDigit(source.charCodeAt(j))) j++;
      if (isDigit(source.charCodeAt(j))) {
        throw syntaxErrorAt(source, j, 'a datetime is precise to the millisecond: at most 3 digits after the seconds\' point');
      }
    }
  }
  return j;
}

/** A signed date starting at the sign at i (`-0001-01-01`, `+12345-06-07T…`): its end, or -1. */
function signedDateEnd(source: string, i: number): number {
  let j = i + 1;
  if (!isDigit(source.charCodeAt(j))) return -1;
  while (isDigit(source.charCodeAt(j))) j++;
  const md = monthDayEnd(source, j);
  return md < 0 ? -1 : timeEnd(source, md);
}

function token(kind: TokenKind, source: string, start: number, end: number, value: string): Token {
  return { kind, text: source.slice(start, end), value, offset: start };
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const n = source.length;
  let i = 0;
  while (i < n) {
    const c = source.charCodeAt(i);
    if (isWhitespace(c)) {
      i++;
      continue;
    }
    if (c === CHAR_HASH) {
      while (i < n && source.charCodeAt(i) !== 10) i++;
      continue;
    }
    const start = i;

    if (isLabelHead(c)) {
      i = scanTail(source, i + 1);
      const bang = source.charCodeAt(i) === 33; // `sub!` and `isa!` are single tokens
      if (bang && i - start === 3 && (source.startsWith('sub', start) || source.startsWith('isa', start))) {
        i++;
        tokens.push(token('word', source, start, i, source.slice(start, i)));
      } else if (source.charCodeAt(i) === CHAR_COLON && isLabelHead(source.charCodeAt(i + 1))) {
        i = scanTail(source, i + 2);
        const text = source.slice(start, i);
        tokens.push({ kind: 'scoped-label', text, value: text, offset: start });
      } else {
        const text = source.slice(start, i);
        tokens.push({ kind: 'word', text, value: text, offset: start });
      }
      continue;
    }

    if (c === CHAR_DOLLAR || c === CHAR_QUESTION) {
      const kind: TokenKind = c === CHAR_DOLLAR ? 'concept-var' : 'value-var';
      const first = source.charCodeAt(i + 1);
      if (first === CHAR_UNDERSCORE && c === CHAR_DOLLAR && !isLabelTail(source.charCodeAt(i + 2))) {
        i += 2;
        tokens.push(token(kind, source, start, i, '_'));
        continue;
      }
      if (!(isDigit(first) || isLabelHead(first))) {
        const end = scanTail(source, i + 1);
        const detail =
          end > i + 1
            ? `invalid variable '${source.slice(start, end)}': a variable name must start with a letter or digit`
            : `expected a variable name after '${source[i]}'`;
        throw syntaxErrorAt(source, start, detail);
      }
      i = scanTail(source, i + 2);
      tokens.push(token(kind, source, start, i, source.slice(start + 1, i)));
      continue;
    }

    if (isDigit(c)) {
      if (c === 48 && source.charCodeAt(i + 1) === 120 /* x */ && isHexDigit(source.charCodeAt(i + 2))) {
        i += 2;
        while (isAsciiAlphanumeric(source.charCodeAt(i))) i++;
        const text = source.slice(start, i);
        if (!/^0x[0-9a-f]+$/.test(text)) {
          throw syntaxErrorAt(source, start, `invalid iid '${text}': an iid is 0x followed by lower-case hex digits`);
        }
        tokens.push({ kind: 'iid', text, value: text, offset: start });
        continue;
      }
      if (digitsAt(source, i, 4)) {
        const md = monthDayEnd(source, i + 4);
        if (md >= 0) {
          i = timeEnd(source, md);
          const text = source.slice(start, i);
          tokens.push({ kind: 'datetime', text, value: text, offset: start });
          continue;
        }
      }
      while (isDigit(source.charCodeAt(i))) i++;
      let kind: TokenKind = 'long';
      if (source.charCodeAt(i) === CHAR_DOT && isDigit(source.charCodeAt(i + 1))) {
        i += 1;
        while (isDigit(source.charCodeAt(i))) i++;
        kind = 'double';
      }
      const text = source.slice(start, i);
      tokens.push({ kind, text, value: text, offset: start });
      continue;
    }

    if (c === CHAR_DQUOTE || c === CHAR_SQUOTE) {
      i++;
      while (i < n) {
        const d = source.charCodeAt(i);
        if (d === CHAR_BACKSLASH) i += 2;
        else if (d === c) break;
        else i++;
      }
      if (i >= n) throw syntaxErrorAt(source, start, 'unterminated string: no closing quote');
      i++;
      tokens.push(token('string', source, start, i, source.slice(start + 1, i - 1)));
      continue;
    }

    if (c === 64 /* @ */) {
      if (!isLabelHead(source.charCodeAt(i + 1))) throw syntaxErrorAt(source, start, "expected an annotation name after '@'");
      i = scanTail(source, i + 2);
      tokens.push(token('annotation', source, start, i, source.slice(start + 1, i)));
      continue;
    }

    if (c === CHAR_PLUS || c === CHAR_MINUS) {
      const end = signedDateEnd(source, i);
      if (end >= 0) {
        i = end;
        const text = source.slice(start, i);
        tokens.push({ kind: 'datetime', text, value: text, offset: start });
        continue;
      }
    }

    const ch = source[i]!;
    if ((ch === '=' || ch === '!' || ch === '>' || ch === '<') && source.charCodeAt(i + 1) === 61 /* = */) {
      i += 2;
      const text = ch + '=';
      tokens.push({ kind: 'symbol', text, value: text, offset: start });
      continue;
    }
    if (ch === '=' || ch === '>' || ch === '<' || ch === '+' || ch === '-' || SINGLE_SYMBOLS.has(ch)) {
      i++;
      tokens.push({ kind: 'symbol', text: ch, value: ch, offset: start });
      continue;
    }
    throw syntaxErrorAt(source, start, `unexpected character ${visibleCharacter(String.fromCodePoint(source.codePointAt(i)!))}`);
  }
  tokens.push({ kind: 'eof', text: '', value: '', offset: n });
  return tokens;
}

/** How a token is named in error messages. */
export function describeToken(token: Token): string {
  if (token.kind === 'eof') return 'end of input';
  const text = token.text.length > 40 ? `${token.text.slice(0, 37)}...` : token.text;
  return `'${text}'`;
}
