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
    tx.query('define name sub attribute, value string; person sub entity, owns name;');
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
    assert.throws(() => b.commit(), /\[STO01\].*concurrently modified.*Retry/);
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
    assert.throws(() => modifier.commit(), /\[STO01\]/);
    session.close();
    assert.equal(count(manager, 'match $n isa name; get; count;'), 1n);
  });
});

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

test('a schema change is validated against data committed after the schema transaction opened', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-conflicts-'));
  const manager = openDatabaseManager(dir);
  try {
    manager.create('db');
    const schema = manager.session('db', 'schema');
    let tx = schema.transaction('write');
    tx.query('define person sub entity;');
    tx.commit();
    tx = schema.transaction('write');
    const data = manager.session('db', 'data');
    const w = data.transaction('write');
    w.query('insert $p isa person;');
    w.commit();
    tx.query('define person abstract;');
    assert.throws(() => tx.commit(), /abstract/i);
    data.close();
    schema.close();
  } finally {
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
