// TypeQL's `contains` ignores case as TypeDB's Java does (String.regionMatches), not as JavaScript's Unicode folding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { javaContains } from '../../src/query/java-contains.js';

test("contains ignores case as Java's String.regionMatches does: unit by unit, upper- then lower-cased", () => {
  assert.equal(javaContains('STAR').test('a starry night'), true);
  assert.equal(javaContains('').test('anything'), true);
  assert.equal(javaContains('école').test('ÉCOLE'), true);
  assert.equal(javaContains('tar').test('ſTAR'), true); // the match starts with a unit cased as the pattern's first
  assert.equal(javaContains('sſ').test('sS'), true); // ſ upper-cases to S, past the first unit
  assert.equal(javaContains('xi').test('xİ'), true); // İ lower-cases to i in Java's one-unit mapping
  assert.equal(javaContains('ss').test('ß'), false); // ß upper-cases to SS: more than one unit, so it stays ß
  assert.equal(javaContains('abc').test('ab'), false);
});

test("contains tries only positions starting with the pattern's first unit lower- or upper-cased, as TypeDB does", () => {
  // regionMatches alone would accept each of these (ı and ſ upper-case to I and S; ǅ is its own case form), but
  // TypeDB skips a position whose first unit is neither Character.toLowerCase nor toUpperCase of the pattern's.
  assert.equal(javaContains('star').test('ſtar'), false);
  assert.equal(javaContains('i').test('kırmızı'), false);
  assert.equal(javaContains('ǅ').test('ǅemal'), false);
  assert.equal(javaContains('ǆ').test('ǅemal'), false);
  assert.equal(javaContains('Ǆemal').test('ǆEMAL'), true);
  assert.equal(javaContains('İ').test('i'), true); // İ lower-cases to i
});
