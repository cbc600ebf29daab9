// User regexes cannot wedge the process: catastrophic backtracking runs in linear time where V8's linear engine can
// take the regex, and is stopped after a time limit with [QRY52] where it cannot; answers are the backtracking
// engine's either way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileJavaRegex, wholeMatchRegex } from '../../src/common/java-regex.js';
import { asciiCaseless } from '../../src/common/ascii-caseless.js';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** dist/, where this file runs from compiled. */
const compiledRoot = () => join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('patterns that backtrack catastrophically answer at once, case-insensitive and Unicode ones too', () => {
  // In a child process with a time limit: a regex that backtracks cannot be interrupted, and would hang this file.
  const patterns = ['(a+)+', '(a|aa)+', '(a*)*b', '(?i)(A+)+', '(?i)(a|A)+b', '(\\p{Alpha}+)+', '(a+)+é', '(.*a){5}'];
  const script = `
    const { wholeMatchRegex } = await import(${JSON.stringify(pathToFileURL(join(compiledRoot(), 'src/common/java-regex.js')).href)});
    const evil = 'a'.repeat(5000) + '!';
    const slow = [];
    for (const pattern of ${JSON.stringify(patterns)}) {
      const started = process.hrtime.bigint();
      if (wholeMatchRegex(pattern).test(evil)) slow.push(pattern + ' matched');
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (ms > 500) slow.push(pattern + ' took ' + ms + ' ms');
    }
    console.log(JSON.stringify(slow));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(child.signal, null, 'the regexes ran for over 30 s');
  assert.equal(child.stderr, '');
  assert.deepEqual(JSON.parse(child.stdout), []);
});

test('a pattern the linear engine cannot run is stopped after the time limit with [QRY52]', () => {
  const started = Date.now();
  assert.throws(() => wholeMatchRegex('(a|a)+(?=b)').test(`${'a'.repeat(40)}!`), (e: Error) => {
    assert.match(e.message, /^\[QRY52\] .*'\(a\|a\)\+\(\?=b\)' ran for more than 1 s on the value 'a{40}…' \(41 characters\) and was stopped/);
    return true;
  });
  assert.ok(Date.now() - started < 5000);
  // The same pattern on a value it answers quickly still answers, through the guarded engine.
  assert.equal(wholeMatchRegex('(a|a)+(?=b)b').test('aab'), true);
});

test('the bounded test answers as the backtracking engine', () => {
  const patterns = ['[a-f0-9]+', '(?i)[a-f]+x', '(?i)[^A-Z]+', '(?i)user\\d+@.*', '(?i)\\w+', '(?i)[!-~]+', '(?i)[0-9A-Z_]+', '(?i)a\\x41', '(?i)[\\x61-\\x7a]+', '(?i)[a\\x42]+', 'x.y', '(?s)x.y', '\\p{L}+', '(\\w)\\1', '(?i)(?<N>ab)\\k<N>', '(?i)é+', '[^a]+', 'a\\sb', '\\@x', '(?i)\\Qa.b\\E'];
  const values = ['abc', 'ABC', 'aB3f', 'f00', 'FFx', 'fFX', '123', 'USER12@x', 'user1@Y', 'x\ny', 'xzy', 'x\u0085y', 'héllo', 'ÉÉ', 'éé', 'aa', 'AA', 'abab', 'ABab', 'aA', 'a b', '@x', 'a.b', 'A.B', 'aXb', '[]^_', '😀😀', 'a😀', 'ſ', 'K', '_Z9', ''];
  for (const pattern of patterns) {
    const reference = compileJavaRegex(pattern, { wholeMatch: true });
    const bounded = wholeMatchRegex(pattern);
    for (const value of values) assert.equal(bounded.test(value), reference.test(value), `${pattern} on ${JSON.stringify(value)}`);
  }
});

test('ASCII case folding rewrites letters, ranges of one case and group names, and refuses mixed ranges', () => {
  assert.equal(asciiCaseless('ab[c-e0-9]'), '[aA][bB][c-eC-E0-9]');
  assert.equal(asciiCaseless('(?<Name>x)\\k<Name>\\x41\\d'), '(?<Name>[xX])\\k<Name>[\\x41\\x61]\\d');
  assert.equal(asciiCaseless('[!-~]'), '[!-~]');
  assert.equal(asciiCaseless('[0-z]'), undefined);
  assert.equal(asciiCaseless('[0-_]'), undefined);
  assert.equal(asciiCaseless('[\\x61-\\x7a]'), undefined);
  assert.equal(asciiCaseless('\\x41[\\x62]'), '[\\x41\\x61][\\x62\\x42]');
});
