// TypeQL's `contains` ignores case as TypeDB's Java does (String.regionMatches), not as JavaScript's Unicode folding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { javaContains } from '../../src/query/java-contains.js';

test("contains ignores case as Java's String.regionMatches does: unit by unit, upper- then lower-cased", () => {
  assert.equal(javaContains('STAR').test('a starry night'), true);
  assert.equal(javaContains('').test('anything'), true);
  assert.equal(javaContains('école').test('ÉCOLE'), true);
  assert.equal(javaContains('star').test('ſtar'), true); // ſ upper-cases to S
  assert.equal(javaContains('xi').test('xİ'), true); // İ lower-cases to i in Java's one-unit mapping
  assert.equal(javaContains('ss').test('ß'), false); // ß upper-cases to SS: more than one unit, so it stays ß
  assert.equal(javaContains('abc').test('ab'), false);
});
