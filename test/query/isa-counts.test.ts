// A count over a single `isa` of a variable is answered from key counts, without reading a thing out: checked
// against the answers the match itself gives, over subtypes, `isa!`, abstract and meta types, attributes and
// relations, a write transaction's own changes, and the things rules infer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatabaseManager } from '../../src/database/index.js';
import type { Transaction } from '../../src/database/api.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';
import { countedQuery } from './counted-reads.js';

const SCHEMA = `define
tag sub attribute, abstract, value string;
nickname sub tag;
title sub tag;
age sub attribute, value long;
living sub entity, abstract, owns nickname, owns title, owns age;
person sub living, plays friendship:friend;
student sub person;
dog sub living, plays friendship:friend;
friendship sub relation, relates friend;
rivalry sub friendship;
rule dogs-befriend-students: when { $s isa student; $d isa dog; } then { (friend: $s, friend: $d) isa friendship; };
rule students-are-pupils: when { $s isa student; } then { $s has title "pupil"; };`;

const DATA = [
  'insert $a isa person, has nickname "ann", has age 30; $b isa student, has nickname "bo", has age 20;',
  'insert $c isa student, has title "dr", has age 20; $d isa dog, has nickname "rex";',
  'match $a isa person, has nickname "ann"; $d isa dog; insert (friend: $a, friend: $d) isa friendship;',
  'match $a isa person, has nickname "ann"; $b isa student, has nickname "bo"; insert (friend: $a, friend: $b) isa rivalry;',
];

const COUNTED = [
  'match $x isa person; get; count;',
  'match $x isa person; get $x; count;',
  'match $x isa! person; get; count;',
  'match $x isa living; get; count;',
  'match $x isa! living; get; count;',
  'match $x isa entity; get; count;',
  'match $x isa thing; get; count;',
  'match $x isa tag; get; count;',
  'match $x isa nickname; get; count;',
  'match $x isa attribute; get; count;',
  'match $x isa friendship; get; count;',
  'match $x isa! friendship; get; count;',
  'match $x isa relation; get; count;',
];

function withData(body: (manager: DatabaseManager) => void): void {
  withTempManager('isa-counts', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    writeData(manager, 'db', DATA);
    body(manager);
  });
}

function count(tx: Transaction, query: string): number {
  const result = tx.query(query);
  if (result.kind !== 'aggregate') throw new Error(`expected a count from ${query}`);
  return Number(result.value?.value);
}

/** The number of answers the count's match gives when read out. */
function matched(tx: Transaction, countQuery: string): number {
  const result = tx.query(countQuery.replace(' count;', ''));
  if (result.kind !== 'get') throw new Error(`expected answers for ${countQuery}`);
  return [...result.answers].length;
}

function inRead(manager: DatabaseManager, options: { infer?: boolean }, body: (tx: Transaction) => void): void {
  const session = manager.session('db', 'data');
  const tx = session.transaction('read', options);
  try {
    body(tx);
  } finally {
    tx.close();
    session.close();
  }
}

test('a count of a single isa equals the answers the match gives, and reads no thing', () => {
  withData((manager) => {
    inRead(manager, {}, (tx) => {
      for (const query of COUNTED) assert.equal(count(tx, query), matched(tx, query), query);
      assert.equal(count(tx, 'match $x isa person; get; count;'), 3);
      assert.equal(count(tx, 'match $x isa! living; get; count;'), 0);
      assert.equal(count(tx, 'match $x isa tag; get; count;'), 4);
      assert.equal(count(tx, 'match $x isa friendship; get; count;'), 2);
      assert.equal(count(tx, 'match $x isa age; get; count;'), 2, 'equal values are one attribute');
    });
    const database = manager.get('db')!;
    for (const query of COUNTED) assert.equal(countedQuery(database, query).reads, 0, query);
  });
});

test('counts that are not of a single isa are matched as before', () => {
  withData((manager) => {
    const database = manager.get('db')!;
    inRead(manager, {}, (tx) => {
      for (const [query, expected] of [
        ['match $x isa person; get; limit 2; count;', 2],
        ['match $x isa person; get; offset 1; count;', 2],
        ['match $x isa person, has age 20; get; count;', 2],
        ['match $x isa $t; $t type person; get; count;', 3],
        ['match $x isa person; get; sort $x; count;', 3],
      ] as const) {
        assert.equal(count(tx, query), expected, query);
        assert.ok(countedQuery(database, query).reads > 0, query);
      }
    });
  });
});

test('a write transaction counts its own inserts and deletes; other transactions see their snapshot', () => {
  withData((manager) => {
    const session = manager.session('db', 'data');
    const before = session.transaction('read');
    const tx = session.transaction('write');
    tx.query('insert $p isa person; $s isa student; $n "new" isa nickname;');
    tx.query('match $d isa dog; delete $d isa dog;');
    tx.query('match $x isa title; delete $x isa title;');
    for (const query of COUNTED) assert.equal(count(tx, query), matched(tx, query), query);
    assert.equal(count(tx, 'match $x isa person; get; count;'), 5);
    assert.equal(count(tx, 'match $x isa living; get; count;'), 5);
    assert.equal(count(tx, 'match $x isa tag; get; count;'), 4, 'bo, ann, rex and new; dr deleted');
    assert.equal(count(before, 'match $x isa living; get; count;'), 4);
    tx.commit();
    assert.equal(count(before, 'match $x isa living; get; count;'), 4, 'a read transaction keeps its snapshot');
    before.close();
    const after = session.transaction('read');
    assert.equal(count(after, 'match $x isa living; get; count;'), 5);
    after.close();
    session.close();
  });
});

test('with reasoning, the things rules infer are counted as the match finds them', () => {
  withData((manager) => {
    inRead(manager, { infer: true }, (tx) => {
      for (const query of COUNTED) assert.equal(count(tx, query), matched(tx, query), query);
      // Two students befriend the dog; "pupil" is one new title.
      assert.equal(count(tx, 'match $x isa friendship; get; count;'), 4);
      assert.equal(count(tx, 'match $x isa title; get; count;'), 2);
    });
    inRead(manager, {}, (tx) => {
      assert.equal(count(tx, 'match $x isa friendship; get; count;'), 2);
      assert.equal(count(tx, 'match $x isa title; get; count;'), 1);
    });
  });
});
