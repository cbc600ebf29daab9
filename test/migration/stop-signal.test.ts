// Export, import and backup stopped through their AbortSignal (what a server shutting down does): each fails
// with [MIG58], saying what it left, and leaves nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabaseManager } from '../../src/database/index.js';
import { backupDatabase, exportDatabase, importDatabase } from '../../src/migration/index.js';
import { VARIED_SCHEMA, hiddenEntries, loadVaried, tempDir } from './fixtures.js';

test('a stopped export writes no file and leaves the previous one', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  loadVaried(m, 'varied');
  const target = join(dir, 'out', 'varied.typedb');
  mkdirSync(join(dir, 'out'));
  writeFileSync(target, 'the previous export');
  const signal = AbortSignal.abort();
  for (const threads of [false, true]) {
    await assert.rejects(
      exportDatabase(m.get('varied'), { dataFile: target, threads, signal }),
      /^MigrationError: \[MIG58\] .*The export of the database 'varied' was stopped before it finished: the server is shutting down\. No file was written: any previous file at that path is as it was\./,
    );
  }
  assert.equal(readFileSync(target, 'utf8'), 'the previous export');
  assert.deepEqual(readdirSync(join(dir, 'out')), ['varied.typedb'], 'no temporary or part file left');
  m.close();
});

test('a stopped import publishes nothing and removes its staging directory', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  loadVaried(m, 'varied');
  const file = join(dir, 'varied.typedb');
  await exportDatabase(m.get('varied'), { dataFile: file });
  for (const threads of [false, true]) {
    const controller = new AbortController();
    const importing = importDatabase(m, 'copy', { dataFile: file, schemaText: VARIED_SCHEMA, threads, signal: controller.signal });
    controller.abort();
    await assert.rejects(
      importing,
      /\[MIG58\] .*The import into the database 'copy' was stopped before it finished: the server is shutting down\. Nothing was imported: the database is as it was\./,
    );
    assert.ok(!m.contains('copy'), `threads: ${threads}: no database published`);
    assert.deepEqual(hiddenEntries(join(dir, 'data')), [], `threads: ${threads}: staging removed`);
  }
  m.close();
});

test('a stopped backup leaves the target as it was', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  loadVaried(m, 'varied');
  const target = join(dir, 'backups', 'varied');
  await assert.rejects(
    backupDatabase(m.get('varied'), target, AbortSignal.abort()),
    /\[MIG58\] .*The backup of the database 'varied' was stopped before it finished: the server is shutting down\. The target '.*varied' is as it was\./,
  );
  assert.ok(!existsSync(target));
  // The backup made 'backups' for its target: that goes too, with the partial directory inside it.
  assert.ok(!existsSync(join(dir, 'backups')), 'no partial directory, nor the parent made for it, left');
  m.close();
});
