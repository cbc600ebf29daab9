// `sort … limit n` keeps only the first offset + n answers while the match runs, and gives exactly what sorting every
// answer and then slicing gives: ties in the match's order, descending keys, longs and doubles compared as numbers,
// answers without the variable last, incomparable values an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ThingReader } from '../../src/concept/things.js';
import type { Value } from '../../src/common/values.js';
import type { Row } from '../../src/query/bindings.js';
import { modified } from '../../src/query/modifiers.js';
import { withoutPauses } from '../../src/common/steps.js';
import { parseQuery } from '../../src/typeql/index.js';
import { withFixture, throwsCode, DB } from '../concept/fixtures.js';
import { countedQuery } from './counted-reads.js';
import { seededRandom } from '../../bench/workload.js';

const SCHEMA = `define
name sub attribute, value string;
age sub attribute, value long;
score sub attribute, value double;
person sub entity, owns name, owns age, owns score;`;

/** Rows binding ?v to a long whose type is read once per comparison made with it: the sort's work, counted. */
function countedRows(count: number): { rows: Row[]; reads: () => number } {
  let reads = 0;
  const random = seededRandom(7);
  const rows = Array.from({ length: count }, () => {
    const long = BigInt(Math.floor(random() * 1000));
    const value = { get type() { reads++; return 'long'; }, value: long } as unknown as Value;
    return new Map([['v', { kind: 'value', value }]]) as Row;
  });
  return { rows, reads: () => reads };
}

const modifiers = (text: string) => {
  const query = parseQuery(`match ?v = 1; get; ${text}`);
  if (query.kind !== 'get') throw new Error('not a get');
  return query.modifiers;
};

// Value bindings never reach the reader.
const NO_READER = undefined as unknown as ThingReader;

test('a sort with a limit compares each answer with the last one kept, not every answer with every other', () => {
  const all = countedRows(5000);
  [...withoutPauses(modified(all.rows, modifiers('sort ?v;'), NO_READER))];
  const limited = countedRows(5000);
  const top = [...withoutPauses(modified(limited.rows, modifiers('sort ?v; limit 5;'), NO_READER))];
  assert.equal(top.length, 5);
  assert.ok(limited.reads() * 4 < all.reads(), `sorting 5000 answers read ${all.reads()} values, keeping 5 read ${limited.reads()}`);
});

test('sort with offset and limit gives the slice of the whole sort, ties in match order', withFixture(SCHEMA, (f) => {
  f.write('data', (tx) => {
    for (let i = 0; i < 60; i++) {
      // Ages repeat (ties), and a score equal to an age as a number ties with it across long and double.
      tx.query(`insert $p isa person, has name "n${i % 7}", has age ${i % 9}${i % 4 === 0 ? `, has score ${(i % 9).toFixed(1)}` : i % 5 === 0 ? `, has score ${i / 8}` : ''};`);
    }
  });
  f.read('data', (tx) => {
    const rows = (query: string) => {
      const result = tx.query(query);
      if (result.kind !== 'get') throw new Error('not a get');
      return [...result.answers].map((a) => [...a].map(([name, c]) => `${name}=${c.kind === 'attribute' ? String(c.value.value) : 'iid' in c ? c.iid : ''}`).join(' '));
    };
    const matches = [
      'match $p isa person, has $n; not { $n isa name; }; get;',
      'match $p isa person, has age $a; get;',
      'match $p isa person, has name $m; { $p has score $s; } or { $p has age 3; }; get;',
    ];
    const sorts = ['sort $n desc, $p;', 'sort $n;', 'sort $a desc;', 'sort $a, $p desc;', 'sort $s desc;', 'sort $m desc, $p;'];
    for (const match of matches) {
      for (const sort of sorts) {
        // A sort names variables of the match's own statements, not those only its branches or negations bind.
        const variables = match.replace(/\{[^{}]*\}/g, '').match(/\$[a-z]+/g)!;
        if (!sort.match(/\$[a-z]+/g)!.every((v) => variables.includes(v))) continue;
        const whole = rows(`${match} ${sort}`);
        for (const [offset, limit] of [[0, 1], [0, 5], [3, 7], [50, 20], [0, 1000], [2, 0]] as const) {
          const query = `${match} ${sort} offset ${offset}; limit ${limit};`;
          assert.deepEqual(rows(query), whole.slice(offset, offset + limit), query);
        }
      }
    }
    // A string and a long cannot be compared: the sort fails, with a limit too.
    throwsCode(() => rows('match $p isa person, has $n; get; sort $n; limit 1;'), 'THR07');
  });
}));

test('a sort by the attribute the match scans first reads its values in order and stops after the answers it keeps', withFixture(SCHEMA, (f) => {
  f.write('data', (tx) => {
    for (let i = 0; i < 300; i++) tx.query(`insert $p isa person, has score ${i % 100}.5, has age ${i};`);
  });
  const database = f.manager.get(DB);
  for (const [query, expected] of [
    ['match $p isa person, has score $s; get; sort $s desc; limit 5;', '99.5 99.5 99.5 98.5 98.5'],
    ['match $p isa person, has score $s; get; sort $s; offset 2; limit 3;', '0.5 1.5 1.5'],
    ['match $p isa person, has score $s; $s > 10.0; get; sort $s; limit 4;', '10.5 10.5 10.5 11.5'],
    ['match $a isa age; get; sort $a desc; limit 2;', '299 298'],
  ] as const) {
    const { answers, reads } = countedQuery(database, query);
    assert.equal(answers, expected.split(' ').length, query);
    // The values down to the first one after the last kept, and their owners.
    assert.ok(reads <= 20, `${query} read ${reads} things and edges`);
    f.read('data', (tx) => {
      const result = tx.query(query);
      if (result.kind !== 'get') throw new Error('not a get');
      const values = [...result.answers].map((a) => { const c = a.get('s') ?? a.get('a'); return c?.kind === 'attribute' ? String(c.value.value) : ''; });
      assert.equal(values.join(' '), expected, query);
    });
  }
}));
