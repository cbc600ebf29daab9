// Comparisons of an attribute with constants read only the range of values they allow (attribute keys are in value
// order for longs, doubles and datetimes), with TypeDB 2.x's semantics kept: a long compares with a double as a
// double, doubles within 1e-6 are equal. Checked by the things read, and against the same comparisons made on a
// value variable, which no range narrows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withFixture, DB, type Fixture } from '../concept/fixtures.js';
import { countedQuery } from './counted-reads.js';

const SCHEMA = `define
score sub attribute, value double;
age sub attribute, value long;
joined sub attribute, value datetime;
name sub attribute, value string;
person sub entity, owns score, owns age, owns joined, owns name;`;

const PEOPLE = 300;
const day = (i: number) => new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 19);

const withPeople = (body: (f: Fixture) => void) =>
  withFixture(SCHEMA, (f) => {
    f.write('data', (tx) => {
      for (let i = 0; i < PEOPLE; i++) {
        tx.query(`insert $p isa person, has score ${(i / 10).toFixed(1)}, has age ${i - 100}, has joined ${day(i)}, has name "n${i}";`);
      }
      // Longs beyond 2^53, where several compare equal to one double.
      tx.query('insert $p isa person, has age 9223372036854775807; $q isa person, has age 9007199254740993; $r isa person, has age -9223372036854775808;');
    });
    body(f);
  });

test('a range of values reads those values, not every value of the type', withPeople((f) => {
  const database = f.manager.get(DB);
  for (const [query, expected] of [
    ['match $s isa score; $s > 28.95; get;', 10],
    ['match $s isa score; $s >= 1.0; $s < 2.0; get;', 10],
    ['match $a isa age; $a <= -95; get;', 7],
    [`match $j isa joined; $j > ${day(100)}; $j < ${day(105)}; get;`, 4],
    ['match $p isa person, has score $s; $s > 28.95; get;', 10],
    ['match $p has score > 28.95; get;', 10],
  ] as const) {
    const { answers, reads } = countedQuery(database, query);
    assert.equal(answers, expected, query);
    // The values in the range (and one beyond an inclusive bound), then each one's owner.
    assert.ok(reads <= 2 * expected + 4, `${query} read ${reads} things and edges`);
  }
}));

test('a narrow range is the start, not a scan of the owners', withPeople((f) => {
  const { answers, reads } = countedQuery(f.manager.get(DB), 'match $p isa person, has name $n, has joined $j; $j >= 2020-01-05T00:00:00; $j < 2020-01-07T00:00:00; get;');
  assert.equal(answers, 2);
  assert.ok(reads <= 10, `read ${reads} things and edges`);
}));

test('range comparisons answer as the same comparisons of a value variable', withPeople((f) => {
  const constants = ['28.95', '29', '29.0', '28.9999995', '29.0000005', '-100', '-100.5', '199', '1000000000000000000000.0',
    '-1000000000000000000000.0', '9007199254740992', '9007199254740993', '9007199254740993.0', '9223372036854775807',
    '9223372036854775808.0', '9223372036854774000.0', '-9223372036854775808', '-9223372036854775808.0', '0', '-0.0000001'];
  const ops = ['>', '>=', '<', '<='];
  f.read('data', (tx) => {
    const answers = (query: string) => {
      const result = tx.query(query);
      if (result.kind !== 'get') throw new Error('not a get');
      return [...result.answers].map((a) => String((a.get('x') as { value: { value: unknown } }).value.value)).sort();
    };
    for (const type of ['score', 'age']) {
      for (const c of constants) {
        for (const op of ops) {
          const narrowed = answers(`match $x isa ${type}; $x ${op} ${c}; get;`);
          const reference = answers(`match $x isa ${type}; ?v = $x; ?v ${op} ${c}; get $x;`);
          assert.deepEqual(narrowed, reference, `$x isa ${type}; $x ${op} ${c}`);
        }
        const both = answers(`match $x isa ${type}; $x > ${c}; $x <= 150; get;`);
        assert.deepEqual(both, answers(`match $x isa ${type}; ?v = $x; ?v > ${c}; ?v <= 150; get $x;`), `${type} > ${c} and <= 150`);
      }
    }
    // Strings are keyed by length first: compared by their value all the same.
    assert.deepEqual(answers('match $x isa name; $x > "n95"; $x < "n97"; get;'), ['n96']);
    // A variable of several attribute types: each read in its range, those a number cannot compare with not at all.
    const reference = ['score', 'age'].flatMap((type) => answers(`match $x isa ${type}; ?v = $x; ?v > 29.85; get $x;`)).sort();
    assert.deepEqual(answers('match $x isa attribute; $x > 29.85; get;'), reference);
  });
}));

test('a range most persons are in is weighed with its owners: a few friendships are the start', () =>
  withFixture(`define age sub attribute, value long; person sub entity, owns age, plays friendship:friend;
    friendship sub relation, relates friend;`, (f) => {
    const [persons, friendships] = [200, 30];
    f.write('data', (tx) => {
      // Twenty ages, ten persons each, all in the range; a friendship between each two of the first sixty persons.
      const s = Array.from({ length: persons }, (_, i) => `$p${i} isa person, has age ${i % 20};`);
      for (let i = 0; i < friendships; i++) s.push(`(friend: $p${2 * i}, friend: $p${2 * i + 1}) isa friendship;`);
      tx.query(`insert ${s.join(' ')}`);
    });
    const { answers, reads } = countedQuery(f.manager.get(DB), 'match $x isa person, has age $a; $a < 33; $f (friend: $x, friend: $y) isa friendship; get;');
    assert.equal(answers, 2 * friendships);
    // The friendships and their players: 90. From the range (20 values, as cheap a start as 30 friendships when
    // weighed alone), its 200 owners and each one's friendships: 400.
    assert.ok(reads <= 4 * friendships, `read ${reads} things and edges`);
  })(),
);
