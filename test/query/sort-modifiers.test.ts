// Sorting as TypeDB 2.x orders answers: any concept may be a sort variable (a thing by its IID, a type by its
// label), not only attributes and values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Transaction } from '../../src/database/api.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

function withPeople(body: (tx: Transaction) => void): void {
  withTempManager('sort-modifiers', (manager) => {
    createWithSchema(manager, 'db', 'define name sub attribute, value string; age sub attribute, value long; person sub entity, owns name, owns age;');
    writeData(manager, 'db', ['insert $a isa person, has name "a"; $b isa person, has name "b"; $c isa person, has name "c";']);
    const tx = manager.session('db', 'data').transaction('read');
    try {
      body(tx);
    } finally {
      tx.close();
    }
  });
}

const column = (tx: Transaction, query: string, variable: string): string[] => {
  const result = tx.query(query);
  if (result.kind !== 'get') throw new Error('not a get');
  return [...result.answers].map((answer) => {
    const concept = answer.get(variable)!;
    return concept.kind === 'type' ? concept.label.name : concept.kind === 'entity' ? concept.iid : String(concept.kind);
  });
};

test('entities sort by their IIDs, ascending or descending, and page with offset and limit', () => {
  withPeople((tx) => {
    const ascending = column(tx, 'match $x isa person; get $x; sort $x;', 'x');
    assert.equal(ascending.length, 3);
    assert.deepEqual(ascending, [...ascending].sort());
    assert.deepEqual(column(tx, 'match $x isa person; get $x; sort $x desc;', 'x'), [...ascending].reverse());
    assert.deepEqual(column(tx, 'match $x isa person; get $x; sort $x; offset 1; limit 1;', 'x'), [ascending[1]]);
  });
});

test('types sort by their labels', () => {
  withPeople((tx) => {
    assert.deepEqual(column(tx, 'match $t sub attribute; get $t; sort $t;', 't'), ['age', 'attribute', 'name']);
    assert.deepEqual(column(tx, 'match $t sub attribute; get $t; sort $t desc;', 't'), ['name', 'attribute', 'age']);
  });
});

test("strings sort by UTF-16 code units, as Java's String.compareTo (TypeDB's STRING comparator): a character beyond U+FFFF before U+FFFD", () => {
  withTempManager('sort-utf16', (manager) => {
    createWithSchema(manager, 'db', 'define name sub attribute, value string; person sub entity, owns name;');
    // U+1F600 is the pair D83D DE00 in UTF-16: below U+E000 and U+FFFD there, above both as a code point (and in UTF-8).
    const names = ['\u{1F600}', '\uFFFD', '\uE000', 'z', '\uD7FF'];
    writeData(manager, 'db', [`insert ${names.map((n, i) => `$p${i} isa person, has name "${n}";`).join(' ')}`]);
    const tx = manager.session('db', 'data').transaction('read');
    try {
      const sorted = (query: string) => {
        const result = tx.query(query);
        if (result.kind !== 'get') throw new Error('not a get');
        return [...result.answers].map((answer) => {
          const concept = answer.get('n')!;
          return concept.kind === 'attribute' ? String(concept.value.value) : '';
        });
      };
      const javaOrder = ['z', '\uD7FF', '\u{1F600}', '\uE000', '\uFFFD'];
      assert.deepEqual(sorted('match $n isa name; get $n; sort $n;'), javaOrder);
      assert.deepEqual(sorted('match $p isa person, has name $n; get $n; sort $n desc;'), [...javaOrder].reverse());
    } finally {
      tx.close();
    }
  });
});
