// Running a user's regular expression (`like`, `@regex`) so that it cannot wedge the process. JavaScript's
// backtracking engine, like Java's, takes exponential time on patterns such as `(a+)+$` against "aaaa…a!", and a
// running RegExp cannot be interrupted: one query would stop the server's event loop for good. V8 can move a regex
// to its linear-time engine once it has backtracked too much, but only one without the `u` and `i` flags,
// backreferences or lookarounds; so a regex runs in that form whenever it gives the same answer (see `sameAnswer`),
// and otherwise under a time limit in a `vm` context, whose watchdog can stop it (~0.2 ms a test, so only for what
// the linear engine cannot run: backreferences, lookarounds, Unicode properties, non-ASCII case-insensitive ones).
import { setFlagsFromString } from 'node:v8';
import { Script, createContext } from 'node:vm';
import { StrataError } from './errors.js';
import { asciiCaseless } from './ascii-caseless.js';

// Lets V8 fall back to its linear-time engine after 50 000 backtracks, for regexes that engine can run.
setFlagsFromString('--enable-experimental-regexp-engine');
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/** How long one regex test may run in the guarded engine before it fails. */
export const REGEX_TIME_LIMIT_MS = 1000;

export interface RegexTest {
  test(value: string): boolean;
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;
const SURROGATE = /[\ud800-\udfff]/;
/** Syntax whose meaning needs the `u` flag (Unicode properties, code point escapes). */
const UNICODE_ONLY_SYNTAX = /\\[pP]|\\u\{/;

const guardedContext = createContext({ regex: /^/, value: '' });
const guardedTest = new Script('regex.test(value)');

/**
 * A test over `regex` (a compiled Java regex, `pattern` its Java text for messages) that runs in linear time where
 * it can and otherwise fails with [QRY52] after REGEX_TIME_LIMIT_MS instead of running for hours.
 */
export function boundedRegex(regex: RegExp, pattern: string): RegexTest {
  const fast = linearCapableForm(regex);
  const sameAnswer = fast === undefined ? () => false : sameAnswerTest(regex);
  return {
    test(value: string): boolean {
      if (fast !== undefined && sameAnswer(value)) return fast.test(value);
      return guarded(regex, pattern, value);
    },
  };
}

/** The regex without `u` and `i` (letters as `[aA]`), if V8's linear-time engine can run it. */
function linearCapableForm(regex: RegExp): RegExp | undefined {
  let source: string | undefined = regex.source;
  let flags = regex.flags.replace('u', '');
  if (flags.includes('i')) {
    source = ASCII.test(source) ? asciiCaseless(source) : undefined;
    flags = flags.replace('i', '');
  }
  if (source === undefined) return undefined;
  try {
    new RegExp(source, flags + 'l').test('');
    const fast = new RegExp(source, flags);
    fast.test(''); // compiled now: V8 finds a regex too large only when it first runs
    return fast;
  } catch {
    return undefined; // backreferences, lookarounds, syntax only the `u` flag accepts, or too large a form
  }
}

/**
 * On which values the linear-capable form answers as `regex`: without `u` a surrogate pair is two characters, and
 * `[aA]` is case-insensitive for ASCII only.
 */
function sameAnswerTest(regex: RegExp): (value: string) => boolean {
  const unicode = regex.flags.includes('u');
  const ignoreCase = regex.flags.includes('i');
  if (unicode && (UNICODE_ONLY_SYNTAX.test(regex.source) || SURROGATE.test(regex.source))) return () => false;
  if (ignoreCase) return (value) => ASCII.test(value);
  if (unicode) return (value) => !SURROGATE.test(value);
  return () => true;
}

function guarded(regex: RegExp, pattern: string, value: string): boolean {
  guardedContext.regex = regex;
  guardedContext.value = value;
  try {
    return guardedTest.runInContext(guardedContext, { timeout: REGEX_TIME_LIMIT_MS }) as boolean;
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw e;
    const shown = value.length > 40 ? `${value.slice(0, 40)}…' (${value.length} characters)` : `${value}'`;
    throw new StrataError(
      'QRY',
      52,
      `The regular expression '${pattern}' ran for more than ${REGEX_TIME_LIMIT_MS / 1000} s on the value '${shown} and was stopped: ` +
        'it backtracks catastrophically (nested or overlapping repetitions, as in (a+)+ or (a|aa)+, along with a backreference, ' +
        'a lookaround or a Unicode property). Rewrite it without them.',
    );
  } finally {
    guardedContext.value = '';
  }
}
