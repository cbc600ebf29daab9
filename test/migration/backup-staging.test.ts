// What a backup killed mid-copy leaves beside its target (a server crash): the next backup to that target removes it,
// unless the process that wrote it still runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabaseManager } from '../../src/database/index.js';
import { backupDatabase } from '../../src/migration/index.js';
import { tempDir } from './fixtures.js';

/** The id of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  assert.ok(child.pid);
  return child.pid;
}

function partialCopy(dir: string, name: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, 'store'), { recursive: true });
  writeFileSync(join(path, 'store', 'data.mdb'), Buffer.alloc(4096));
  return path;
}

test("a backup removes the staging directories earlier backups to its target left when their process died, and only those", async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  try {
    m.create('db');
    const backups = join(dir, 'backups');
    mkdirSync(backups);
    const abandoned = partialCopy(backups, `.db.partial-${deadPid()}-0a1b2c3d`);
    const running = partialCopy(backups, `.db.partial-${process.ppid}-0a1b2c3d`);
    const ownRunning = partialCopy(backups, `.db.partial-${process.pid}-0a1b2c3d`);
    const otherTarget = partialCopy(backups, `.other.partial-${deadPid()}-0a1b2c3d`);
    await backupDatabase(m.get('db'), join(backups, 'db'));
    assert.equal(existsSync(join(backups, 'db', 'store', 'data.mdb')), true);
    assert.equal(existsSync(abandoned), false);
    assert.equal(existsSync(running), true);
    assert.equal(existsSync(ownRunning), true);
    assert.equal(existsSync(otherTarget), true);
  } finally {
    m.close();
  }
});
