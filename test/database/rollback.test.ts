// Rollback through the embedded API: a write transaction drops its changes and goes on; a read transaction has
// nothing to drop, so (as TypeDB 2.x's CoreTransaction.rollback, which has no read-only check) it changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatabaseManager } from '../../src/database/index.js';
import type { Transaction } from '../../src/database/api.js';
import { createWithSchema, withTempManager } from '../support/databases.js';

function withDatabase(body: (manager: DatabaseManager) => void): void {
  withTempManager('rollback', (manager) => {
    createWithSchema(manager, 'db', 'define person sub entity;');
    body(manager);
  });
}

function count(tx: Transaction, query: string): unknown {
  const result = tx.query(query);
  return result.kind === 'aggregate' ? result.value?.value : result.kind;
}

test('a write transaction rolled back drops its changes and stays open', () => {
  withDatabase((manager) => {
    const session = manager.session('db', 'data');
    const tx = session.transaction('write');
    tx.query('insert $p isa person;');
    tx.rollback();
    assert.equal(tx.isOpen(), true);
    assert.equal(count(tx, 'match $p isa person; get; count;'), 0n);
    tx.query('insert $p isa person;');
    tx.commit();
    session.close();
  });
});

test('a read transaction rolled back stays open on the same snapshot, in a data and in a schema session', () => {
  withDatabase((manager) => {
    for (const type of ['data', 'schema'] as const) {
      const session = manager.session('db', type);
      const tx = session.transaction('read');
      const before = count(tx, 'match $p isa person; get; count;');
      tx.rollback();
      assert.equal(tx.isOpen(), true);
      assert.equal(count(tx, 'match $p isa person; get; count;'), before);
      tx.close();
      session.close();
    }
  });
});
