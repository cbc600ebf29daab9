// Shutdown through the session registry: a schema session still waiting for the schema lock when the server stops
// must not be opened by the lock the shutdown frees, and no session opens afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseManager } from '../../src/database/index.js';
import { SessionRegistry } from '../../src/server/sessions.js';
import { ServerErrors } from '../../src/server/errors.js';

const SHUT_DOWN = /\[SRV24\]/;

test('a schema session waiting for the lock at shutdown fails with SRV24 instead of taking the freed lock', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-registry-shutdown-'));
  const manager = openDatabaseManager(dir);
  try {
    manager.create('db');
    const registry = new SessionRegistry(manager);
    await registry.open('db', 'schema', {});
    const waiting = registry.open('db', 'schema', { schemaLockAcquireTimeoutMillis: 60_000 });
    // Let it try once and start waiting.
    await new Promise((resolve) => setImmediate(resolve));
    registry.closeAll(ServerErrors.shuttingDown());
    await assert.rejects(waiting, SHUT_DOWN);
    assert.deepEqual(registry.stats(), { sessions: 0, transactions: 0 });
    await assert.rejects(registry.open('db', 'data', {}), SHUT_DOWN);
    // The lock is free: nothing holds it on behalf of the refused session.
    manager.session('db', 'schema').close();
  } finally {
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a session closed at shutdown while a commit of it is being written still pulses alive until that commit's transaction ends", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-registry-shutdown-'));
  const manager = openDatabaseManager(dir);
  try {
    manager.create('db');
    const registry = new SessionRegistry(manager);
    const committing = await registry.open('db', 'data', {});
    const idle = await registry.open('db', 'data', {});
    // As the transaction stream does while the store writes its commit: abort and end leave it open.
    const writing = { abort: () => {}, end: () => {} };
    registry.addTransaction(committing, writing);
    const aborted: string[] = [];
    const open = {
      abort: (e: Error) => {
        aborted.push(e.message);
        registry.removeTransaction(idle, open);
      },
      end: () => {},
    };
    registry.addTransaction(idle, open);
    registry.closeAll(ServerErrors.shuttingDown());
    assert.match(aborted[0] ?? '', SHUT_DOWN);
    // typedb-driver closes a session's transactions when a pulse says it is gone: the commit would look failed.
    assert.equal(registry.pulse(committing.id), true);
    assert.equal(registry.pulse(idle.id), false);
    registry.removeTransaction(committing, writing);
    assert.equal(registry.pulse(committing.id), false);
  } finally {
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
