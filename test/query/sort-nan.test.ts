// Sorting doubles that include NaN, as TypeDB 2.x sorts them: its double comparator is Java's Double.compare (with
// a tolerance of 1e-6 for equality), which puts NaN after every number and equal to another NaN. NaN arises from
// a double remainder by zero or a negative number to a fractional power, and an attribute can be inserted with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Transaction } from '../../src/database/api.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

const SCHEMA = 'define n sub attribute, value double; root sub attribute, value double; box sub entity, owns n, owns root;';

/** Square roots of these are NaN for the negative ones. */
const NUMBERS = [-4, 9, 1, -1, 16, 4, -9, 0, 25, -16, 2.25, -2.25];

function withNumbers(body: (tx: Transaction) => void): void {
  withTempManager('sort-nan', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    writeData(manager, 'db', [
      ...NUMBERS.map((x) => `insert $b isa box, has n ${x.toFixed(2)};`),
      // Stored NaN roots, one attribute (equal values are one attribute).
      'match $b isa box, has n $n; ?r = $n ^ 0.5; insert $b has root ?r;',
    ]);
    const tx = manager.session('db', 'data').transaction('read');
    try {
      body(tx);
    } finally {
      tx.close();
    }
  });
}

function column(tx: Transaction, query: string, variable: string): number[] {
  const result = tx.query(query);
  if (result.kind !== 'get') throw new Error(`expected answers from ${query}`);
  return [...result.answers].map((answer) => {
    const concept = answer.get(variable)!;
    if (concept.kind !== 'value' && concept.kind !== 'attribute') throw new Error('expected a value');
    return Number(concept.value.value);
  });
}

const ROOTS = [0, 1, 1.5, 2, 3, 4, 5];
const NAN_COUNT = 5;
const ascending = [...ROOTS, ...Array<number>(NAN_COUNT).fill(NaN)];

test('value variables that are NaN sort after every number, before them descending', () => {
  withNumbers((tx) => {
    const query = 'match $b isa box, has n $n; ?r = $n ^ 0.5; get ?r, $n;';
    assert.deepEqual(column(tx, `${query} sort ?r;`, 'r'), ascending);
    assert.deepEqual(column(tx, `${query} sort ?r desc;`, 'r'), [...ascending].reverse());
    assert.deepEqual(column(tx, `${query} sort ?r; limit 8;`, 'r'), ascending.slice(0, 8));
    assert.deepEqual(column(tx, `${query} sort ?r desc; limit 3;`, 'r'), [NaN, NaN, NaN]);
    // The NaN answers tie among themselves, so a second key orders them.
    const byRootThenN = column(tx, `${query} sort ?r, $n;`, 'n');
    assert.deepEqual(byRootThenN, [0, 1, 2.25, 4, 9, 16, 25, -16, -9, -4, -2.25, -1]);
  });
});

test('a stored NaN attribute sorts after every other value of its type', () => {
  withNumbers((tx) => {
    assert.deepEqual(column(tx, 'match $r isa root; get; sort $r;', 'r'), [...ROOTS, NaN]);
    assert.deepEqual(column(tx, 'match $r isa root; get; sort $r desc;', 'r'), [NaN, ...[...ROOTS].reverse()]);
  });
});
