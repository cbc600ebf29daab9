// A backup that fails leaves the target as it was — the directories made for it included — and says what to do
// about a system error (permissions, a full disk), as exports do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabaseManager } from '../../src/database/index.js';
import { MANIFEST_FILE } from '../../src/database/manifest.js';
import { backupDatabase } from '../../src/migration/index.js';
import { createWithSchema } from '../support/databases.js';
import { SOCIAL_SCHEMA, tempDir } from './fixtures.js';
import { moduleUrl } from '../support/processes.js';
import { lockedDirectoryIn, runUnprivileged } from '../support/unprivileged.js';

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

test('a backup the server may not write says so and what to do', () => {
  const dir = tempDir();
  const locked = lockedDirectoryIn(dir);
  // The backup runs as a user that is not root (root may write anywhere): see test/support/unprivileged.ts.
  const run = runUnprivileged(
    `import { openDatabaseManager } from '${moduleUrl('src/database/index')}';
     import { backupDatabase } from '${moduleUrl('src/migration/index')}';
     import { createWithSchema } from '${moduleUrl('test/support/databases')}';
     import { SOCIAL_SCHEMA } from '${moduleUrl('test/migration/fixtures')}';
     const [data, ...targets] = process.argv.slice(1);
     const m = openDatabaseManager(data);
     createWithSchema(m, 'social', SOCIAL_SCHEMA);
     for (const target of targets) {
       try { await backupDatabase(m.get('social'), target); console.log('no error'); } catch (e) { console.log(String(e)); }
     }
     m.close();`,
    [join(dir, 'data'), join(locked, 'social'), join(locked, 'sub', 'social')],
  );
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 2, run.stdout);
  for (const line of lines) {
    assert.match(
      line,
      /^MigrationError: \[MIG55\] .*EACCES.*\. The server writes the backup itself: check that the user it runs as may write that directory, or choose another\. The target was left as it was\.$/,
    );
  }
  assert.ok(!existsSync(join(locked, 'sub')));
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

test('a failed backup removes only the parents it made that are still empty: what another job wrote there since stays', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  createWithSchema(m, 'social', SOCIAL_SCHEMA);
  const real = m.get('social');
  const shared = join(dir, 'backups', 'today');
  // Another backup into the same new directory, made while this one copies; then this one fails (a full disk).
  const failing = Object.create(real, {
    store: {
      value: {
        backup: async () => {
          mkdirSync(join(shared, 'other'), { recursive: true });
          writeFileSync(join(shared, 'other', 'MANIFEST'), 'another job');
          throw new Error('No space left on device');
        },
      },
    },
  });
  await assert.rejects(backupDatabase(failing, join(shared, 'social')), /\[MIG55\]/);
  assert.equal(existsSync(join(shared, 'other', 'MANIFEST')), true);
  assert.deepEqual(readdirSync(shared), ['other']);
  m.close();
});

test('a backup into an existing empty directory takes its place', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  createWithSchema(m, 'social', SOCIAL_SCHEMA);
  const target = join(dir, 'backups', 'social');
  mkdirSync(target, { recursive: true });
  const result = await backupDatabase(m.get('social'), target);
  assert.ok(result.bytes > 0);
  assert.ok(readdirSync(target).includes(MANIFEST_FILE));
  assert.deepEqual(readdirSync(join(dir, 'backups')), ['social']);
  m.close();
});

test('a backup where no directory can be made (/proc) fails at once, saying so', { skip: !existsSync('/proc/self') }, () => {
  const dir = tempDir();
  // In a child process with a time limit: Node's recursive mkdir used to spin there forever, and a server could not
  // even be stopped (its shutdown waits for the backup).
  const run = spawnSync(
    process.execPath,
    [
      ...(import.meta.url.endsWith('.js') ? [] : ['--import', 'tsx']),
      '--input-type=module',
      '-e',
      `import { openDatabaseManager } from '${moduleUrl('src/database/index')}';
       import { backupDatabase } from '${moduleUrl('src/migration/index')}';
       import { createWithSchema } from '${moduleUrl('test/support/databases')}';
       import { SOCIAL_SCHEMA } from '${moduleUrl('test/migration/fixtures')}';
       const m = openDatabaseManager(process.argv[1]);
       createWithSchema(m, 'social', SOCIAL_SCHEMA);
       await backupDatabase(m.get('social'), '/proc/strata-test/backups/social').catch((e) => console.log(e.message));
       m.close();`,
      join(dir, 'data'),
    ],
    { encoding: 'utf8', timeout: 20_000 },
  );
  assert.equal(run.signal, null, 'the backup was stopped by the time limit: it neither finished nor failed');
  assert.match(
    run.stdout,
    /^\[MIG55\] .*'\/proc\/strata-test\/backups\/social' failed: ENOENT: no such file or directory, mkdir '\/proc\/strata-test'\. Directories cannot be made there \(not a disk, as \/proc and \/sys are not\): choose a directory on a disk\. The target was left as it was\.\n$/,
    run.stderr,
  );
});
