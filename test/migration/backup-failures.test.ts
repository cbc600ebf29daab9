// A backup that fails leaves the target as it was — the directories made for it included — and says what to do
// about a system error (permissions, a full disk), as exports do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabaseManager } from '../../src/database/index.js';
import { MANIFEST_FILE } from '../../src/database/manifest.js';
import { backupDatabase } from '../../src/migration/index.js';
import { createWithSchema } from '../support/databases.js';
import { SOCIAL_SCHEMA, tempDir } from './fixtures.js';

test('a backup that fails removes the directories it made for the target', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  createWithSchema(m, 'social', SOCIAL_SCHEMA);
  // A failure after the parents were made: the database's manifest has gone.
  rmSync(join(m.get('social').dir, MANIFEST_FILE));
  mkdirSync(join(dir, 'backups'));
  await assert.rejects(backupDatabase(m.get('social'), join(dir, 'backups', 'new', 'deeper', 'social')), /^MigrationError: \[MIG55\] .*ENOENT.*The target was left as it was\.$/);
  assert.deepEqual(readdirSync(join(dir, 'backups')), []);
  m.close();
});

test('a backup the server may not write says so and what to do', { skip: process.getuid?.() === 0 && 'root writes anywhere' }, async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  createWithSchema(m, 'social', SOCIAL_SCHEMA);
  const locked = join(dir, 'locked');
  mkdirSync(locked);
  chmodSync(locked, 0o555);
  try {
    for (const target of [join(locked, 'social'), join(locked, 'sub', 'social')]) {
      await assert.rejects(
        backupDatabase(m.get('social'), target),
        /^MigrationError: \[MIG55\] .*EACCES.*\. The server writes the backup itself: check that the user it runs as may write that directory, or choose another\. The target was left as it was\.$/,
      );
    }
    assert.ok(!existsSync(join(locked, 'sub')));
  } finally {
    chmodSync(locked, 0o755);
    m.close();
  }
});

test('a backup path under a file names the file', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  createWithSchema(m, 'social', SOCIAL_SCHEMA);
  const file = join(dir, 'notes.txt');
  writeFileSync(file, 'a file');
  await assert.rejects(backupDatabase(m.get('social'), join(file, 'sub', 'social')), {
    message: `[MIG55] Migrator failure: The backup of database 'social' into '${join(file, 'sub', 'social')}' failed: '${file}' on its path is a file, not a directory; choose a directory path. The target was left as it was.`,
  });
  m.close();
});
