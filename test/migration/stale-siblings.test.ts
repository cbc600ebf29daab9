// Temporary files that a killed server's export or backup left beside its target are removed by the next one to
// that path; those of running processes, other targets' and the `.prev` files that may hold a previous export are kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabaseManager } from '../../src/database/index.js';
import { backupDatabase, exportDatabase } from '../../src/migration/index.js';
import { deadPid } from '../support/processes.js';
import { loadVaried, tempDir } from './fixtures.js';

test("an export removes the temporary files of dead processes' exports to the same path", async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  loadVaried(m, 'varied');
  const out = join(dir, 'out');
  mkdirSync(out);
  const dead = deadPid();
  const stale = [`.varied.typedb.${dead}-0badc0de.tmp`, `.varied.typedb.${dead}-0badc0de.part`, `.varied.tql.${dead}-12345678.tmp`];
  const kept = [`.varied.typedb.${process.pid}-87654321.tmp`, `.varied.typedb.${dead}-0badc0de.prev`, `.other.typedb.${dead}-0badc0de.tmp`, 'notes.txt'];
  for (const name of [...stale, ...kept]) writeFileSync(join(out, name), 'left behind');
  await exportDatabase(m.get('varied'), { dataFile: join(out, 'varied.typedb'), schemaFile: join(out, 'varied.tql') });
  assert.deepEqual(readdirSync(out).sort(), [...kept, 'varied.tql', 'varied.typedb'].sort());
  m.close();
});

test("a backup removes the partial directories of dead processes' backups to the same path", async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  loadVaried(m, 'varied');
  const out = join(dir, 'backups');
  const dead = deadPid();
  const stale = `.varied.partial-${dead}-0badc0de`;
  const kept = [`.varied.partial-${process.pid}-87654321`, `.other.partial-${dead}-0badc0de`];
  for (const name of [stale, ...kept]) mkdirSync(join(out, name, 'store'), { recursive: true });
  await backupDatabase(m.get('varied'), join(out, 'varied'));
  assert.deepEqual(readdirSync(out).sort(), [...kept, 'varied'].sort());
  m.close();
});
