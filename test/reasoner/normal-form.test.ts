// Rule bodies in disjunctive normal form: one conjunction per combination of branches, negations kept whole.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePatterns, printPatterns } from '../../src/typeql/index.js';
import { disjunctiveNormalForm } from '../../src/reasoner/normal-form.js';

const dnf = (text: string) => disjunctiveNormalForm(parsePatterns(text)).map((c) => printPatterns(c).replace(/\s+/g, ' ').trim());

test('a conjunction without disjunctions is its own normal form', () => {
  assert.deepEqual(dnf('$x isa person; $x has name $n;'), ['$x isa person; $x has name $n;']);
});

test('each disjunction multiplies the conjunctions by its branches', () => {
  const out = dnf('$x isa person; { $x has name "a"; } or { $x has name "b"; }; { $x has age 1; } or { $x has age 2; } or { $x has age 3; };');
  assert.equal(out.length, 6);
  assert.ok(out.every((c) => c.startsWith('$x isa person;')));
  assert.ok(out.includes('$x isa person; $x has name "b"; $x has age 3;'));
});

test('nested disjunctions and conjunction blocks are flattened', () => {
  const out = dnf('$x isa person; { { $x has name "a"; } or { $x has name "b"; }; } or { $x has age 1; };');
  assert.deepEqual(out.sort(), ['$x isa person; $x has age 1;', '$x isa person; $x has name "a";', '$x isa person; $x has name "b";']);
});

test('a disjunction inside a negation stays inside it', () => {
  const out = dnf('$x isa person; not { { $x has name "a"; } or { $x has name "b"; }; };');
  assert.equal(out.length, 1);
  assert.match(out[0]!, /^\$x isa person; not \{/);
});
