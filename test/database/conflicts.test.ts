// Snapshot isolation and commit-time conflict detection through the embedded API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseManager, type DatabaseManager } from '../../src/database/index.js';

function withDatabase(body: (manager: DatabaseManager) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'strata-conflicts-'));
  const manager = openDatabaseManager(dir);
  try {
    manager.create('db');
    const schema = manager.session('db', 'schema');
    const tx = schema.transaction('write');
    tx.query(
      'define name sub attribute, value string; person sub entity, owns name, plays friendship:friend;' +
        'friendship sub relation, relates friend;',
    );
    tx.commit();
    schema.close();
    const data = manager.session('db', 'data');
    const w = data.transaction('write');
    w.query('insert $p isa person, has name "Ann";');
    w.commit();
    data.close();
    body(manager);
  } finally {
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function count(manager: DatabaseManager, query: string): bigint {
  const session = manager.session('db', 'data');
  const tx = session.transaction('read');
  const result = tx.query(query);
  tx.close();
  session.close();
  assert.equal(result.kind, 'aggregate');
  return result.kind === 'aggregate' ? (result.value?.value as bigint) : -1n;
}

test('two transactions deleting the same thing: the second commit fails and changes nothing', () => {
  withDatabase((manager) => {
    const session = manager.session('db', 'data');
    const a = session.transaction('write');
    const b = session.transaction('write');
    a.query('match $p isa person, has name "Ann"; delete $p isa person;');
    b.query('match $p isa person, has name "Ann"; delete $p isa person;');
    a.commit();
    assert.throws(() => b.commit(), /\[TXN1[01]\] Invalid Transaction Operation: The transaction .* concurrent transaction\. Nothing was committed: retry the transaction\./);
    assert.equal(b.isOpen(), false);
    session.close();
    assert.equal(count(manager, 'match $p isa person; get; count;'), 0n);
  });
});

test('modifying a thing that another transaction deleted fails at commit', () => {
  withDatabase((manager) => {
    const session = manager.session('db', 'data');
    const deleter = session.transaction('write');
    const modifier = session.transaction('write');
    deleter.query('match $p isa person; delete $p isa person;');
    modifier.query('match $p isa person; insert $p has name "Annie";');
    deleter.commit();
    assert.throws(() => modifier.commit(), /\[TXN09\] Invalid Transaction Operation: The transaction modifies a key that is deleted in a concurrent transaction\./);
    session.close();
    assert.equal(count(manager, 'match $n isa name; get; count;'), 1n);
  });
});

// TypeDB marks the things on both ends of a removed edge as modified (a relation's players, an owner's attributes):
// deleting one end while a concurrent transaction deletes the other is a modify/delete conflict, [TXN09] for the
// later commit when it is the one that modified, [TXN10] when it is the one that deleted.
const CONFLICTING_DELETES: readonly { what: string; modifier: string; deleter: string }[] = [
  {
    what: 'a relation and its only player',
    modifier: 'match $r isa friendship; delete $r isa friendship;',
    deleter: 'match $p isa person, has name "Ann"; delete $p isa person;',
  },
  {
    what: 'a role player edge and its player',
    modifier: 'match $p isa person, has name "Ann"; $r (friend: $p) isa friendship; delete $r (friend: $p);',
    deleter: 'match $p isa person, has name "Ann"; delete $p isa person;',
  },
  {
    what: 'an ownership and its attribute',
    modifier: 'match $p isa person, has name $n; delete $p has $n;',
    deleter: 'match $n "Ann" isa name; delete $n isa name;',
  },
];

for (const { what, modifier, deleter } of CONFLICTING_DELETES) {
  for (const [first, second, code] of [['deleter', 'modifier', 'TXN09'], ['modifier', 'deleter', 'TXN10']] as const) {
    test(`deleting ${what} concurrently: the ${second} committing second fails with [${code}], as in TypeDB`, () => {
      withDatabase((manager) => {
        const session = manager.session('db', 'data');
        const setup = session.transaction('write');
        setup.query('match $p isa person, has name "Ann"; insert (friend: $p) isa friendship;');
        setup.commit();
        const transactions = { deleter: session.transaction('write'), modifier: session.transaction('write') };
        transactions.deleter.query(deleter);
        transactions.modifier.query(modifier);
        transactions[first].commit();
        const message = code === 'TXN09'
          ? 'The transaction modifies a key that is deleted in a concurrent transaction.'
          : 'The transaction deletes a key that is modified in concurrent transaction.';
        assert.throws(() => transactions[second].commit(), (e: Error) => e.message.startsWith(`[${code}] Invalid Transaction Operation: ${message}`));
        session.close();
      });
    });
  }
}

test('a read transaction keeps its snapshot while others commit', () => {
  withDatabase((manager) => {
    const session = manager.session('db', 'data');
    const reader = session.transaction('read');
    const writer = session.transaction('write');
    writer.query('insert $p isa person, has name "Bob";');
    writer.commit();
    const seen = reader.query('match $p isa person; get; count;');
    assert.equal(seen.kind === 'aggregate' && seen.value?.value, 1n);
    // A read transaction has nothing to commit: TypeDB's error, and the transaction closes.
    assert.throws(() => reader.commit(), /\[TXN06\] Invalid Transaction Operation: Only write transactions can be committed\./);
    assert.equal(reader.isOpen(), false);
    session.close();
    assert.equal(count(manager, 'match $p isa person; get; count;'), 2n);
  });
});

test('concurrent inserts of the same attribute value do not conflict', () => {
  withDatabase((manager) => {
    const session = manager.session('db', 'data');
    const a = session.transaction('write');
    const b = session.transaction('write');
    a.query('insert $p isa person, has name "Cy";');
    b.query('insert $p isa person, has name "Cy";');
    a.commit();
    b.commit();
    session.close();
    assert.equal(count(manager, 'match $p isa person, has name "Cy"; get; count;'), 2n);
    assert.equal(count(manager, 'match $n "Cy" isa name; get; count;'), 1n);
  });
});

test('the schema lock: a schema session excludes data writes and other schema sessions, as in TypeDB 2.x', () => {
  withDatabase((manager) => {
    const schema = manager.session('db', 'schema');
    const data = manager.session('db', 'data');
    assert.throws(() => data.transaction('write'), /\[TXN16\] Invalid Transaction Operation: Could not acquire lock for data transaction\. A schema session may have been left open\./);
    assert.throws(() => manager.session('db', 'schema'), /\[SSN03\] Invalid Session Operation: Could not acquire lock for schema session\. Another schema session may have been left open\./);
    const reader = data.transaction('read');
    assert.equal(count(manager, 'match $p isa person; get; count;'), 1n, 'reads go on');
    reader.close();
    // One write transaction at a time in the schema session.
    const first = schema.transaction('write');
    assert.throws(() => schema.transaction('write'), /\[SSN03\]/);
    first.close();
    const second = schema.transaction('write');
    second.query('define person owns age; age sub attribute, value long;');
    second.commit();
    schema.close();

    // Data writes hold the lock shared: a schema session waits for them all to end.
    const a = data.transaction('write');
    const b = data.transaction('write');
    assert.throws(() => manager.session('db', 'schema'), /\[SSN03\]/);
    a.query('insert $p isa person, has age 3;');
    a.commit();
    assert.throws(() => manager.session('db', 'schema'), /\[SSN03\]/);
    b.close();
    manager.session('db', 'schema').close();
    data.close();
    assert.equal(count(manager, 'match $p has age 3; get; count;'), 1n);
  });
});
