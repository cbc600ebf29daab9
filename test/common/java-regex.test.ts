// TypeQL's regexes are Java's: the constructs TypeDB users write are translated, the untranslatable are refused
// by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileJavaRegex, JavaRegexError } from '../../src/common/java-regex.js';

const matches = (pattern: string, input: string) => compileJavaRegex(pattern, { wholeMatch: true }).test(input);

test('Java constructs JavaScript lacks are translated', () => {
  const cases: [string, string, boolean][] = [
    ['(?i)ann', 'ANN', true],
    ['(?s)a.b', 'a\nb', true],
    ['A\\Qn.n\\E', 'An.n', true],
    ['A\\Qn.n\\E', 'Anxn', false],
    ['\\Aab\\z', 'ab', true],
    ['\\p{Alpha}+', 'abc', true],
    ['\\p{Alpha}+', 'ab1', false],
    ['[\\p{Alpha}_]+', 'a_b', true],
    ['\\P{Digit}', '5', false],
    ['\\p{L}+', 'héllo', true],
    ['[]a]', ']', true],
    ['[^]a]', 'b', true],
    ['[\\[]x', '[x', true],
    ['[*+]', '+', true],
    ['\\++', '++', true],
    ['\\@x', '@x', true],
    ['a+', 'aaa', true],
    // Java's \s is ASCII whitespace, and its '.' stops at every line terminator, U+0085 too.
    ['a\\sb', 'a\tb', true],
    ['a\\sb', 'a\u00a0b', false],
    ['a[\\s,]b', 'a,b', true],
    ['a\\Sb', 'a\u00a0b', true],
    ['a\\Sb', 'a b', false],
    ['x.y', 'xzy', true],
    ['x.y', 'x\u0085y', false],
    ['(?s)x.y', 'x\u0085y', true],
    ['x\\.y', 'xzy', false],
    ['x[.]y', 'x.y', true],
  ];
  for (const [pattern, input, expected] of cases) assert.equal(matches(pattern, input), expected, `${pattern} on ${JSON.stringify(input)}`);
  assert.equal(compileJavaRegex('b', { wholeMatch: false }).test('abc'), true);
  assert.equal(compileJavaRegex('b', { wholeMatch: true }).test('abc'), false);
});

test('constructs with no JavaScript equivalent, and broken patterns, are refused with the reason', () => {
  const refused: [string, RegExp][] = [
    ['a++', /possessive quantifiers \('\+\+'\)/],
    ['x{2}+', /possessive quantifiers \('\}\+'\)/],
    ['(?>a)', /atomic groups/],
    ['a(?i:b)', /inline flags are supported only at the start/],
    ['(?x)a b', /the inline flag '\(\?x\)'/],
    ['[a-z&&[^aeiou]]', /nested character classes/],
    ['(abc', /^unterminated group$/],
    ['abc\\', /lone backslash/],
  ];
  for (const [pattern, reason] of refused) assert.throws(() => compileJavaRegex(pattern, { wholeMatch: true }), (e: unknown) => e instanceof JavaRegexError && reason.test(e.message), pattern);
});

test('a pattern too large for V8 is refused when compiled, not by a SyntaxError from the first value it tests', () => {
  // Found by fuzzing: `regex "xxx…"` of 100 000 characters was accepted, then every insert and commit check of the
  // attribute threw V8's bare "SyntaxError: Invalid regular expression: …: Regular expression too large".
  const huge = 'x'.repeat(100_000);
  assert.throws(() => compileJavaRegex(huge, { wholeMatch: true }), (e: unknown) => e instanceof JavaRegexError && /^regular expression too large$/.test(e.message));
  assert.equal(compileJavaRegex('x'.repeat(10_000), { wholeMatch: true }).test('x'.repeat(10_000)), true);
});
