// The Concept API on rules (TypeDB's LogicManager and Rule): reads, put (a new rule and a replacement), delete,
// setLabel, validation as `define` validates, syntax errors per part, and access rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RuleApi } from '../../src/concept/api/index.js';
import { throwsCode, withFixture, type Fixture } from './fixtures.js';

const SCHEMA = `define
  name sub attribute, value string;
  age sub attribute, value long;
  person sub entity, owns name, owns age, plays friendship:friend;
  friendship sub relation, relates friend;
  rule adults-have-a-name: when { $p isa person, has age $a; $a > 17; } then { $p has name "adult"; };`;

test('rules are read by label and all together, as TypeQL text', withFixture(SCHEMA, (f) => {
  f.read('data', (tx) => {
    const rules = tx.concepts().rules;
    assert.deepEqual(rules.get('adults-have-a-name'), {
      label: 'adults-have-a-name',
      when: '{\n    $p isa person,\n        has age $a;\n    $a > 17;\n}',
      then: '$p has name "adult"',
    });
    assert.equal(rules.get('nobody'), undefined);
    assert.deepEqual(rules.all().map((r) => r.label), ['adults-have-a-name']);
  });
}));

test('put defines a rule (and replaces one of the same label), which then infers and is printed in the schema', withFixture(SCHEMA, (f) => {
  f.write('schema', (tx) => {
    const rules = tx.concepts().rules;
    const put = rules.put('friends-are-named', '{ (friend: $x, friend: $y) isa friendship; }', '$x has name "friend";');
    assert.deepEqual(put, { label: 'friends-are-named', when: '{\n    (friend: $x, friend: $y) isa friendship;\n}', then: '$x has name "friend"' });
    // Without the braces, and replacing the first definition.
    rules.put('friends-are-named', '(friend: $x) isa friendship;', '$x has name "befriended"');
    assert.equal(rules.get('friends-are-named')?.then, '$x has name "befriended"');
    assert.deepEqual(rules.all().map((r) => r.label), ['adults-have-a-name', 'friends-are-named']);
    // A relation as the conclusion.
    const befriend = rules.put('same-age-friends', '{ $a isa person, has age $x; $b isa person, has age $x; }', '(friend: $a, friend: $b) isa friendship');
    assert.equal(befriend.then, '(friend: $a, friend: $b) isa friendship');
    rules.delete('same-age-friends');
  });
  assert.match(f.manager.schema('concepts'), /rule friends-are-named: when \{\n {4}\(friend: \$x\) isa friendship;\n\} then \{\n {4}\$x has name "befriended";\n\};/);
  f.write('data', (tx) => tx.query('insert $a isa person; $b isa person; (friend: $a, friend: $b) isa friendship;'));
  const tx = f.manager.session('concepts', 'data').transaction('read', { infer: true });
  const result = tx.query('match $p has name "befriended"; get; count;');
  assert.equal(result.kind === 'aggregate' ? result.value?.value : undefined, 2n);
  tx.close();
}));

test('delete and setLabel; a missing rule is named, a taken label refused', withFixture(SCHEMA, (f) => {
  f.write('schema', (tx) => {
    const rules = tx.concepts().rules;
    assert.equal(rules.setLabel('adults-have-a-name', 'grown-ups').label, 'grown-ups');
    assert.equal(rules.get('adults-have-a-name'), undefined);
    assert.equal(rules.get('grown-ups')?.then, '$p has name "adult"');
    rules.put('other', '{ $p isa person; }', '$p has age 1');
  });
  refused(f, (rules) => rules.setLabel('grown-ups', 'other'), /\[SCG02\] .*'other'/);
  f.write('schema', (tx) => {
    tx.concepts().rules.delete('grown-ups');
    tx.concepts().rules.delete('other');
    assert.deepEqual(tx.concepts().rules.all(), []);
  });
  refused(f, (rules) => rules.delete('grown-ups'), /\[RUR01\] .*'grown-ups'/);
  refused(f, (rules) => rules.setLabel('nobody', 'x'), /\[RUR01\] .*'nobody'/);
  assert.doesNotMatch(f.manager.schema('concepts'), /rule /);
}));

test('a rule put through the API is validated as a defined one; syntax errors name the part', withFixture(SCHEMA, (f) => {
  refused(f, (rules) => rules.put('bad', '{ $p isa person; }', '$p has colour "red"'), /colour/);
  refused(f, (rules) => rules.put('bad', '{ $p isa person', '$p has age 1'), /line 1:\n\{ \$p isa person\n {15}\^\n/);
  refused(f, (rules) => rules.put('bad', '{ $p isa person; }', '$p has age 1; $p has age 2'), /end of the rule's then/);
  refused(f, (rules) => rules.put('two words', '{ $p isa person; }', '$p has age 1'), /end of the rule label/);
  refused(f, (rules) => rules.put('bad', '{ $p isa person; }; rule x: when { $q isa person; }', '$p has age 1'), /end of the rule's when/);
  // Reads work anywhere; writes need a schema write transaction.
  f.read('data', (t) => throwsCode(() => t.concepts().rules.put('x', '{ $p isa person; }', '$p has age 1'), 'TXN12'));
  f.read('schema', (t) => throwsCode(() => t.concepts().rules.delete('adults-have-a-name'), 'TXN07'));
}));

/** A schema write transaction in which `call` must fail with `pattern`, closing the transaction. */
function refused(f: Fixture, call: (rules: RuleApi) => unknown, pattern: RegExp): void {
  const tx = f.tx('schema', 'write');
  assert.throws(() => call(tx.concepts().rules), pattern);
  assert.equal(tx.isOpen(), false, 'a failing call closes the transaction');
}
