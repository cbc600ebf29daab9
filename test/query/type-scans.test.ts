// Type scans: a variable bound by scanning its types' instances, where the scan itself satisfies the variable's
// `isa` (which is then not checked again on each instance), alongside constraints it does not satisfy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Transaction } from '../../src/database/api.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

const SCHEMA = `define
name sub attribute, value string;
person sub entity, owns name;
student sub person;
teacher sub person;
robot sub entity, owns name;`;

function names(tx: Transaction, query: string): string[] {
  const result = tx.query(query);
  if (result.kind !== 'get') throw new Error(`expected answers from ${query}`);
  return [...result.answers].map((a) => {
    const n = a.get('n');
    return n?.kind === 'attribute' ? String(n.value.value) : '?';
  }).sort();
}

function count(tx: Transaction, query: string): number {
  const result = tx.query(query);
  if (result.kind !== 'aggregate') throw new Error(`expected a count from ${query}`);
  return Number(result.value?.value);
}

test('type scans give exactly the instances their isa, isa! and other types allow', () => {
  withTempManager('type-scans', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    writeData(manager, 'db', [
      'insert $a isa person, has name "ann"; $b isa student, has name "bob"; $c isa teacher, has name "cy";',
      'insert $r isa robot, has name "r2"; $s isa student;',
    ]);
    const tx = manager.session('db', 'data').transaction('read');
    assert.equal(count(tx, 'match $x isa person; get; count;'), 4);
    assert.equal(count(tx, 'match $x isa! person; get; count;'), 1);
    assert.equal(count(tx, 'match $x isa student; get; count;'), 2);
    assert.equal(count(tx, 'match $x isa entity; get; count;'), 5);
    assert.equal(count(tx, 'match $x isa thing; get; count;'), 5 + 4);
    assert.equal(count(tx, 'match $x isa person; $x isa! student; get; count;'), 2);
    assert.equal(count(tx, 'match $x isa entity; $x isa person; get; count;'), 4);
    assert.deepEqual(names(tx, 'match $x isa person, has name $n; get $n;'), ['ann', 'bob', 'cy']);
    assert.deepEqual(names(tx, 'match $x isa! person, has name $n; get $n;'), ['ann']);
    assert.deepEqual(names(tx, 'match $x isa entity, has name $n; not { $x isa person; }; get $n;'), ['r2']);
    assert.deepEqual(names(tx, 'match $x isa $t, has name $n; $t type teacher; get $n;'), ['cy']);
    tx.close();
  });
});
