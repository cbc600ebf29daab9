// Write queries as TypeDB 2.x's Inserter, Deleter and Updater and its concept layer run them: a relation left without
// players goes at once, an update works answer by answer, and insert answers hold things only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Transaction } from '../../src/database/api.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

const SCHEMA = `define
  name sub attribute, value string; age sub attribute, value long; ref sub attribute, value long;
  person sub entity, owns name @key, owns age, plays friendship:friend;
  employee sub person;
  friendship sub relation, relates friend, owns ref;`;

function withWrite(body: (tx: Transaction) => void): void {
  withTempManager('write-semantics', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    writeData(manager, 'db', ['insert $a isa person, has name "a", has age 5, has age 10; $b isa person, has name "b"; (friend: $a) isa friendship, has ref 1;']);
    const session = manager.session('db', 'data');
    const tx = session.transaction('write');
    try {
      body(tx);
    } finally {
      if (tx.isOpen()) tx.close();
      session.close();
    }
  });
}

function count(tx: Transaction, query: string): number {
  const result = tx.query(`${query} count;`);
  if (result.kind !== 'aggregate') throw new Error('not an aggregate');
  return Number(result.value!.value);
}

test('a relation whose last player is removed, or deleted, is deleted at once, with its ownerships', () => {
  withWrite((tx) => {
    tx.query('match $r (friend: $p) isa friendship; delete $r (friend: $p);');
    assert.equal(count(tx, 'match $r isa friendship; get;'), 0);
    assert.equal(count(tx, 'match $r isa relation, has ref $x; get;'), 0);
  });
  withWrite((tx) => {
    tx.query('match $p isa person, has name "a"; delete $p isa person;');
    assert.equal(count(tx, 'match $r isa friendship; get;'), 0);
  });
  // Replacing the sole player in one update: the relation is gone before the insert, as in TypeDB ([THW02]).
  withWrite((tx) => {
    assert.throws(
      () => tx.query('match $r (friend: $p) isa friendship; $q isa person, has name "b"; delete $r (friend: $p); insert $r (friend: $q);'),
      /\[THW02\]/,
    );
  });
});

test('an update deletes and inserts answer by answer', () => {
  withWrite((tx) => {
    // Two answers (ages 5 and 10): the first deletes its age and inserts the other's, which the second then deletes.
    tx.query('match $p isa person, has name "a", has age $a; ?n = 15 - $a; delete $p has $a; insert $p has age ?n;');
    assert.equal(count(tx, 'match $p isa person, has name "a", has age $a; get;'), 1);
  });
});

test('insert answers hold the things, not the types or values the insert uses', () => {
  withWrite((tx) => {
    const result = tx.query('match $t type person; ?v = 3; insert $x isa $t, has name "c", has age ?v;');
    if (result.kind !== 'insert') throw new Error('not an insert');
    assert.deepEqual(result.answers.map((answer) => [...answer.keys()]), [['x']]);
  });
});

test('answers read lazily after their transaction commits or closes fail with [TXN05], not a storage error', () => {
  withWrite((tx) => {
    const result = tx.query('match $p isa person; get;');
    if (result.kind !== 'get') throw new Error('not a get');
    const answers = result.answers[Symbol.iterator]();
    tx.commit();
    assert.throws(() => answers.next(), /\[TXN05\]/);
  });
});
