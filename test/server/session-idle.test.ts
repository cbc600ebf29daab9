// The server's session idle timeout: closes sessions whose client went silent, but not those whose pulses are
// only waiting, unread, behind a blocked event loop (another client's long query).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabaseManager } from '../../src/database/index.js';
import { SessionRegistry, formatSessionId } from '../../src/server/sessions.js';

function busyWait(millis: number): void {
  const until = performance.now() + millis;
  while (performance.now() < until) {
    // the event loop is blocked, as by a long query
  }
}

async function withRegistry(body: (registry: SessionRegistry, logged: string[]) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-session-idle-'));
  const manager = openDatabaseManager(dir);
  try {
    manager.create('db');
    const logged: string[] = [];
    await body(new SessionRegistry(manager, { info: (line) => logged.push(line) }), logged);
  } finally {
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('an idle session is closed after its timeout, and the log says so', async () => {
  await withRegistry(async (registry, logged) => {
    const session = await registry.open('db', 'schema', { sessionIdleTimeoutMillis: 100 });
    await sleep(50);
    assert.equal(registry.pulse(session.id), true);
    await sleep(400);
    assert.equal(registry.get(session.id), undefined);
    assert.equal(session.engine.isOpen(), false);
    // An operator learns why a vanished client's schema lock was freed.
    assert.deepEqual(logged, [`WARNING: Session with ID ${formatSessionId(session.id)} (database 'db', schema) timed out due to inactivity (no pulse for 100 ms).`]);
  });
});

test('a pulse read late, after a blocked event loop, keeps the session', async () => {
  await withRegistry(async (registry) => {
    const session = await registry.open('db', 'data', { sessionIdleTimeoutMillis: 100 });
    // Queued behind the idle timer, as a pulse waiting in the socket is: due after it (timers count from the event
    // loop's time, taken before the wait), and overdue too once the loop is free.
    const pulsed = new Promise<boolean>((resolve) => setTimeout(() => resolve(registry.pulse(session.id)), 200));
    busyWait(500);
    assert.equal(await pulsed, true);
    assert.equal(session.engine.isOpen(), true);
    // With no more pulses it closes as usual.
    await sleep(400);
    assert.equal(registry.get(session.id), undefined);
  });
});
