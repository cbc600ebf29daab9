// At start-up, the staging directory of an import whose process is gone is removed, including when that process
// is a zombie (exited, never reaped: a container init that does not reap); a live import's is kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseManager } from '../../src/database/index.js';
import { IMPORT_STAGING_PREFIX } from '../../src/database/manager.js';
import { hasProcStates, makeZombie } from '../support/processes.js';

test('the staging directory of an import whose process is a zombie is removed at start-up', { skip: !hasProcStates && 'no /proc process states here' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-staging-'));
  const zombie = await makeZombie();
  try {
    const dead = `${IMPORT_STAGING_PREFIX}shop-${zombie.pid}-0a0b0c0d`;
    // Our parent's pid stands for a live import in another process.
    const live = `${IMPORT_STAGING_PREFIX}other-${process.ppid}-01020304`;
    for (const entry of [dead, live]) {
      mkdirSync(join(dir, entry, 'store'), { recursive: true });
      writeFileSync(join(dir, entry, 'store', 'data.mdb'), 'half an import');
    }
    const manager = openDatabaseManager(dir);
    try {
      assert.deepEqual(
        readdirSync(dir).filter((e) => e.startsWith(IMPORT_STAGING_PREFIX)),
        [live],
      );
      assert.deepEqual(manager.all(), []);
    } finally {
      manager.close();
    }
  } finally {
    await zombie.release();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('what a create or delete cut short by a crash left is removed at start-up; the databases are as they were', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-leftovers-'));
  try {
    let manager = openDatabaseManager(dir);
    manager.create('kept');
    manager.close();
    // The directories a create and a delete work in, as a killed server leaves them (with a database inside).
    for (const leftover of ['.creating-newdb-4242', '.deleting-victim-4242-1764000000000']) {
      mkdirSync(join(dir, leftover, 'store'), { recursive: true });
      writeFileSync(join(dir, leftover, 'store', 'data.mdb'), 'a whole database');
    }
    manager = openDatabaseManager(dir);
    try {
      assert.deepEqual(readdirSync(dir).filter((e) => e.startsWith('.')), []);
      assert.deepEqual(manager.all(), ['kept']);
    } finally {
      manager.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
