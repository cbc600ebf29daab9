// Role players matched against a relation's edges: each pattern player takes a distinct edge (a repeated player
// counts once per repetition), roles match their subroles, and a role variable takes every role the edge's role is
// or inherits, as TypeDB answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Transaction } from '../../src/database/api.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

const SCHEMA = `define
name sub attribute, value string;
person sub entity, owns name, plays team:member, plays squad:lead, plays squad:helper, plays pair:one;
team sub relation, relates member;
squad sub team, relates lead as member, relates helper as member;
pair sub relation, relates one;`;

function answers(tx: Transaction, query: string): string[] {
  const result = tx.query(query);
  if (result.kind !== 'get') throw new Error(`expected answers from ${query}`);
  return [...result.answers]
    .map((a) =>
      [...a.entries()]
        .map(([name, c]) => `${name}=${c.kind === 'type' ? c.label.name : c.kind === 'attribute' ? String(c.value.value) : '*'}`)
        .sort()
        .join(' '),
    )
    .sort();
}

test('role players take distinct edges, counted by repetition, through subroles and role variables', () => {
  withTempManager('role-players', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    writeData(manager, 'db', [
      'insert $a isa person, has name "a"; $b isa person, has name "b"; $c isa person, has name "c";' +
        '(lead: $a, helper: $b, helper: $c) isa squad; (one: $a, one: $a) isa pair; (one: $b, one: $c) isa pair;',
    ]);
    const tx = manager.session('db', 'data').transaction('read');
    // A lead and a helper are members too; two members are two distinct edges, in both orders.
    assert.deepEqual(answers(tx, 'match $t (member: $x, member: $y) isa team; $x has name $n; $y has name $m; get $n, $m;'), [
      'm=a n=b', 'm=a n=c', 'm=b n=a', 'm=b n=c', 'm=c n=a', 'm=c n=b',
    ]);
    assert.deepEqual(answers(tx, 'match $t (lead: $x, member: $y) isa squad; $x has name $n; $y has name $m; get $n, $m;'), ['m=b n=a', 'm=c n=a']);
    // Three members need three edges; four find none.
    assert.equal(answers(tx, 'match $t (member: $x, member: $y, member: $z) isa team; get $x, $y, $z;').length, 6);
    assert.equal(answers(tx, 'match $t (member: $w, member: $x, member: $y, member: $z) isa team; get $t;').length, 0);
    // A player repeated in a role: one answer per way of taking its repetitions.
    assert.deepEqual(answers(tx, 'match $p (one: $x, one: $x) isa pair; $x has name $n; get $n;'), ['n=a']);
    assert.deepEqual(answers(tx, 'match $p (one: $x, one: $y) isa pair; $x has name $n; $y has name $m; get $n, $m;'), [
      'm=a n=a', 'm=b n=c', 'm=c n=b',
    ]);
    // A role variable takes the edge's role and each role it inherits (lead: also member), not a sibling's.
    assert.deepEqual(answers(tx, 'match $t ($r: $x) isa squad; $x has name "a"; get $r;'), ['r=lead', 'r=member', 'r=role']);
    assert.deepEqual(answers(tx, 'match $t ($r: $x, $r: $y) isa squad; $x has name "a"; $y has name $m; get $r, $m;'), [
      'm=b r=member', 'm=b r=role', 'm=c r=member', 'm=c r=role',
    ]);
    tx.close();
  });
});
