// The planner starts from what binds few things: a key value (one owner) before a value half the data owns, whatever
// order the query names them in, and a disjunction of key lookups before a scan of a type. Checked by the things and
// edges the match reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withFixture, DB } from '../concept/fixtures.js';
import { countedQuery } from './counted-reads.js';

const SCHEMA = `define
email sub attribute, value string;
active sub attribute, value boolean;
person sub entity, owns email @key, owns active, plays employment:employee;
company sub entity, owns email @key, plays employment:employer;
employment sub relation, owns active, relates employee, relates employer;`;

const PEOPLE = 300;

const withPeople = (body: Parameters<typeof withFixture>[1]) =>
  withFixture(SCHEMA, (f) => {
    f.write('data', (tx) => {
      tx.query('insert $c isa company, has email "c@x";');
      for (let i = 0; i < PEOPLE; i++) {
        tx.query(`match $c isa company; insert $p isa person, has email "u${i}", has active true; (employee: $p, employer: $c) isa employment, has active true;`);
      }
    });
    body(f);
  });

test('a key value is the start, not a value every person owns, in either order', withPeople((f) => {
  const database = f.manager.get(DB);
  for (const query of [
    'match $p isa person, has active true, has email "u7"; get;',
    'match $p isa person, has email "u7", has active true; get;',
  ]) {
    const { answers, reads } = countedQuery(database, query);
    assert.equal(answers, 1, query);
    assert.ok(reads <= 3, `${query} read ${reads} things and edges`);
  }
}));

test('a relation is reached from the key-bound player, not from the owners of a common value', withPeople((f) => {
  const database = f.manager.get(DB);
  const query = 'match $e (employee: $p, employer: $c) isa employment, has active true; $p has email "u7"; get;';
  const { answers, reads } = countedQuery(database, query);
  assert.equal(answers, 1);
  assert.ok(reads <= 6, `read ${reads} things and edges`);
}));

test('a disjunction of key lookups is the start, not a scan of the type it narrows', withPeople((f) => {
  const database = f.manager.get(DB);
  for (const query of [
    'match $p isa person; { $p has email "u7"; } or { $p has email "u8"; }; get;',
    'match $p isa person, has email $e; { $e = "u7"; } or { $e = "u8"; }; get;',
  ]) {
    const { answers, reads } = countedQuery(database, query);
    assert.equal(answers, 2, query);
    assert.ok(reads <= 6, `${query} read ${reads} things and edges`);
  }
}));

test('a disjunction still waits for what its branches cannot bind themselves', withPeople((f) => {
  const database = f.manager.get(DB);
  // $p is named in the branch only inside a negation: it must be the outer $p, bound first.
  const negated = 'match $p isa person, has email "u7"; $q isa entity; { $q isa person, has email $e; not { $q is $p; }; $e = "u8"; } or { $q isa company; }; get $q;';
  assert.equal(countedQuery(database, negated).answers, 2);
  // ?n is the outer value variable, assigned once $a is bound: the branches only compare it.
  const valued = 'match $p isa person, has email $e, has active $a; ?n = $a; { ?n == true; $e = "u7"; } or { ?n == false; $e = "u8"; }; get $p;';
  assert.equal(countedQuery(database, valued).answers, 1);
}));

test('a relation named by one player is matched by that player\'s own edge, not by reading its players again', withPeople((f) => {
  const database = f.manager.get(DB);
  // Each person is employed once: the person's edge, not the employment's two players too.
  const negated = countedQuery(database, 'match $p isa person; not { (employee: $p) isa employment; }; get; count;');
  assert.ok(negated.reads <= 2 * PEOPLE, `read ${negated.reads} things and edges`);
  const bound = countedQuery(database, 'match $p isa person, has email "u7"; $e (employee: $p) isa employment; get;');
  assert.equal(bound.answers, 1);
  assert.ok(bound.reads <= 2, `read ${bound.reads} things and edges`);
}));

// A 4×4 Sudoku over one relation holding the four numbers in one role, as TypeDB's Sudoku example writes it: each
// row, column and block is a permutation of them.
const SUDOKU_SCHEMA = `define
number sub attribute, value long, plays permutation:mem;
permutation sub relation, relates mem;`;

const cells = (names: string[]) => `(${names.map((n) => `mem: $${n}`).join(', ')}) isa permutation;`;
const SUDOKU_QUERY = (() => {
  const [rows, cols] = [['1', '2', '3', '4'], ['a', 'b', 'c', 'd']];
  const groups = [
    ...rows.map((r) => cols.map((c) => c + r)),
    ...cols.map((c) => rows.map((r) => c + r)),
    ...[['a', 'b'], ['c', 'd']].flatMap((cs) => [['1', '2'], ['3', '4']].map((rs) => cs.flatMap((c) => rs.map((r) => c + r)))),
  ];
  return `match ${groups.map(cells).join(' ')} get; limit 1;`;
})();

test('a relation with more of its players bound comes first: a Sudoku block before a row anchored by one cell', () =>
  withFixture(SUDOKU_SCHEMA, (f) => {
    f.write('data', (tx) => {
      tx.query('insert $a 1 isa number; $b 2 isa number; $c 3 isa number; $d 4 isa number; (mem: $a, mem: $b, mem: $c, mem: $d) isa permutation;');
    });
    const { answers, reads } = countedQuery(f.manager.get(DB), SUDOKU_QUERY);
    assert.equal(answers, 1);
    assert.ok(reads <= 500, `read ${reads} things and edges`);
  })());

test('a relation reached from a player in many of them comes after a scan of a rare relation type', () =>
  withFixture(
    `define
    name sub attribute, value string;
    action sub entity, owns name @key, plays access:action;
    object sub entity, owns name @key, plays access:object;
    subject sub entity, owns name @key, plays permission:subject;
    access sub relation, relates object, relates action, plays permission:access;
    permission sub relation, relates subject, relates access;`,
    (f) => {
      f.write('data', (tx) => {
        tx.query('insert $a isa action, has name "read"; $s isa subject, has name "alice";');
        for (let i = 0; i < 200; i++) {
          tx.query(`match $a isa action; insert $o isa object, has name "o${i}"; (object: $o, action: $a) isa access;`);
        }
        tx.query('match $s isa subject; $ac (object: $o) isa access; $o has name "o7"; insert (subject: $s, access: $ac) isa permission;');
      });
      const query = 'match $a isa action, has name "read"; $ac (object: $o, action: $a) isa access; (subject: $s, access: $ac) isa permission; get;';
      const { answers, reads } = countedQuery(f.manager.get(DB), query);
      assert.equal(answers, 1);
      assert.ok(reads <= 50, `read ${reads} things and edges`);
    },
  )());

test('a relation between two bound players is read from the player in fewer of them, whichever the pattern names first', () =>
  withFixture(
    `define
    name sub attribute, value string;
    club sub entity, owns name @key, plays membership:club;
    person sub entity, owns name @key, plays membership:member;
    membership sub relation, relates club, relates member;`,
    (f) => {
      f.write('data', (tx) => {
        tx.query('insert $c isa club, has name "chess";');
        for (let i = 0; i < PEOPLE; i++) tx.query(`match $c isa club; insert $p isa person, has name "p${i}"; (club: $c, member: $p) isa membership;`);
      });
      // The club is in every membership, a person in one: reading the club's edges read all 300 of them.
      for (const players of ['(club: $c, member: $p)', '(member: $p, club: $c)']) {
        const query = `match $c isa club, has name "chess"; $p isa person, has name "p7"; $m ${players} isa membership; get;`;
        const { answers, reads } = countedQuery(f.manager.get(DB), query);
        assert.equal(answers, 1, query);
        assert.ok(reads <= 10, `${query} read ${reads} things and edges`);
      }
    },
  )());
