// The embedded API's transaction timeout (TypeDB's transactionTimeoutMillis): past it the transaction is closed,
// its changes are dropped, and every later call names the limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabaseManager, type DatabaseManager } from '../../src/database/index.js';

async function withDatabase(body: (manager: DatabaseManager) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-timeout-'));
  const manager = openDatabaseManager(dir);
  try {
    manager.create('db');
    const schema = manager.session('db', 'schema');
    const tx = schema.transaction('write');
    tx.query('define person sub entity;');
    tx.commit();
    schema.close();
    await body(manager);
  } finally {
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const TIMED_OUT = "[SRV29] Invalid Server Operation: Transaction exceeded maximum configured duration of '0' seconds.";

test('a write transaction past its timeout is closed, its changes dropped, and every call says why', async () => {
  await withDatabase(async (manager) => {
    const session = manager.session('db', 'data');
    const tx = session.transaction('write', { transactionTimeoutMillis: 50 });
    tx.query('insert $p isa person;');
    assert.equal(tx.isOpen(), true);
    await sleep(120);
    assert.equal(tx.isOpen(), false);
    assert.throws(() => tx.query('match $p isa person; get;'), { message: TIMED_OUT });
    assert.throws(() => tx.commit(), { message: TIMED_OUT });
    const read = session.transaction('read');
    const result = read.query('match $p isa person; get; count;');
    assert.equal(result.kind === 'aggregate' ? result.value?.value : undefined, 0n);
    read.close();
    // The timed-out write no longer holds the schema lock: a schema session may open beside its session.
    manager.session('db', 'schema').close();
    session.close();
  });
});

test('a transaction that ends within its timeout is not touched by it', async () => {
  await withDatabase(async (manager) => {
    const session = manager.session('db', 'data');
    const tx = session.transaction('write', { transactionTimeoutMillis: 60 });
    tx.query('insert $p isa person;');
    tx.commit();
    const read = session.transaction('read', { transactionTimeoutMillis: 60 });
    read.close();
    await sleep(120);
    assert.throws(() => read.query('match $p isa person; get;'), { message: /\[TXN05\]/ });
    session.close();
  });
});
