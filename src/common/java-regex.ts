// TypeQL's regular expressions (`like`, the `regex` annotation) are Java regexes; JavaScript's differ. The
// constructs TypeDB users write most are translated: leading inline flags `(?i)`, `(?s)`, `(?m)` (JavaScript has no
// inline flags before Node.js 23), quoting `\Q…\E`, the anchors `\A`, `\z`, `\Z`, POSIX classes `\p{Alpha}`…,
// escaped punctuation (`\@`, which JavaScript's unicode mode refuses), and Java's meanings of `\s` (ASCII
// whitespace only) and `.` (no line terminator, U+0085 included). Java constructs with no JavaScript
// equivalent (possessive quantifiers, atomic groups, inline flags later in the pattern) are refused by name
// rather than misread.

import { boundedRegex, type RegexTest } from './bounded-regex.js';

export class JavaRegexError extends Error {}

/** Java's POSIX character classes, as JavaScript class contents (US-ASCII, as Java's defaults). */
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};

const LEADING_FLAGS = /^\(\?([a-zA-Z]+)\)/;

/**
 * Compiles a Java regex. `wholeMatch`: the pattern must match the whole string (Java's `matches`, as TypeQL's
 * `like` and `regex` use it). Throws JavaRegexError with a reason a user can act on.
 */
export function compileJavaRegex(pattern: string, options: { wholeMatch: boolean }): RegExp {
  let body = pattern;
  let flags = '';
  const leading = LEADING_FLAGS.exec(body);
  if (leading) {
    for (const flag of leading[1]!) {
      if (flag === 'i' || flag === 's' || flag === 'm') flags += flags.includes(flag) ? '' : flag;
      else if (flag !== 'u' && flag !== 'U') throw new JavaRegexError(`the inline flag '(?${flag})' is not supported`);
    }
    body = body.slice(leading[0].length);
  }
  const translated = translate(body, flags.includes('s'));
  const source = options.wholeMatch ? `^(?:${translated})$` : translated;
  try {
    return compiled(new RegExp(source, flags + 'u'));
  } catch {
    // Java allows escaping any punctuation (`\@`), which only the non-unicode mode accepts.
    try {
      return compiled(new RegExp(source, flags));
    } catch (e) {
      throw new JavaRegexError(reason(e));
    }
  }
}

/**
 * The regex, compiled now: V8 compiles a regex when it first runs, and only then finds it too large (a 100 000-
 * character pattern), which would throw a bare SyntaxError from the first value tested instead of this error.
 */
function compiled(regex: RegExp): RegExp {
  regex.test('');
  return regex;
}

/** The engine's reason without the JavaScript form of the pattern it quotes. */
function reason(e: unknown): string {
  const message = (e as Error).message;
  return message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '').toLowerCase();
}

/** Java's `\s`: ASCII whitespace (JavaScript's takes Unicode's spaces too). */
const JAVA_SPACE = ' \\t\\n\\x0B\\f\\r';
/** Java's `.` without DOTALL: anything but a line terminator (JavaScript's lets U+0085 through). */
const JAVA_DOT = '[^\\n\\r\\u0085\\u2028\\u2029]';

function translate(body: string, dotAll: boolean): string {
  let out = '';
  let inClass = false;
  /** Where the open class's '[' is in `out`. */
  let classStart = 0;
  /** Whether the last thing written was a quantifier (a '+' after one makes it possessive). */
  let afterQuantifier = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    const quantified = afterQuantifier;
    afterQuantifier = false;
    if (c === '\\') {
      const next = body[i + 1];
      if (next === undefined) throw new JavaRegexError('the pattern ends with a lone backslash');
      if (next === 'Q') {
        const end = body.indexOf('\\E', i + 2);
        const quoted = end < 0 ? body.slice(i + 2) : body.slice(i + 2, end);
        out += quoted.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        i = end < 0 ? body.length : end + 1;
        continue;
      }
      i++;
      if (next === 's') out += inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`;
      else if (next === 'S' && !inClass) out += `[^${JAVA_SPACE}]`;
      else if (!inClass && next === 'A') out += '^';
      else if (!inClass && next === 'z') out += '$';
      else if (!inClass && next === 'Z') out += '(?=\\n?$)';
      else if (next === 'p' || next === 'P') {
        const posix = /^\{(?:Is)?([A-Za-z]+)\}/.exec(body.slice(i + 1));
        const contents = posix ? POSIX_CLASSES[posix[1]!] : undefined;
        if (posix === null || contents === undefined) {
          // A Unicode property (\p{L}, \p{IsLatin}…): JavaScript's unicode mode knows the common ones.
          const property = /^\{[^}]*\}/.exec(body.slice(i + 1));
          out += `\\${next}${property?.[0] ?? ''}`;
          i += property?.[0].length ?? 0;
          continue;
        }
        if (inClass && next === 'P') throw new JavaRegexError(`'\\P{${posix[1]}}' inside a character class is not supported`);
        out += inClass ? contents : next === 'p' ? `[${contents}]` : `[^${contents}]`;
        i += posix[0].length;
      } else out += `\\${next}`;
      continue;
    }
    if (inClass) {
      if (c === '[') throw new JavaRegexError("nested character classes ('[a-z&&[^aeiou]]') are not supported");
      // A ']' right after '[' or '[^' is a literal, as in Java.
      const opening = out.slice(classStart);
      if (c === ']' && (opening === '[' || opening === '[^')) {
        out += '\\]'; // a literal there in Java; JavaScript would read an empty class
        continue;
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      classStart = out.length;
    }
    else if (c === '(' && body.startsWith('(?>', i)) throw new JavaRegexError("atomic groups '(?>…)' are not supported");
    else if (c === '(' && /^\(\?[a-zA-Z-]+[:)]/.test(body.slice(i))) {
      throw new JavaRegexError("inline flags are supported only at the start of the pattern, as '(?i)'");
    } else if (c === '+' && quantified) {
      throw new JavaRegexError(`possessive quantifiers ('${body[i - 1]}+') are not supported; use the greedy one ('${body[i - 1]}')`);
    } else if (c === '*' || c === '+' || c === '?' || c === '}') {
      afterQuantifier = true;
    } else if (c === '.' && !dotAll) {
      out += JAVA_DOT;
      continue;
    }
    out += c;
  }
  return out;
}

const wholeMatchCache = new Map<string, RegexTest>();

/**
 * compileJavaRegex with `wholeMatch`, bounded in time (bounded-regex.ts) and remembered: attribute types' regexes
 * are checked on every write.
 */
export function wholeMatchRegex(pattern: string): RegexTest {
  let regex = wholeMatchCache.get(pattern);
  if (regex === undefined) {
    regex = boundedRegex(compileJavaRegex(pattern, { wholeMatch: true }), pattern);
    if (wholeMatchCache.size >= 1000) wholeMatchCache.clear();
    wholeMatchCache.set(pattern, regex);
  }
  return regex;
}
