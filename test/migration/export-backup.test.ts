// Export reads schema and data from one snapshot and never destroys an earlier export; an online backup taken
// under concurrent writes is consistent and is served as is from another data directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { openDatabaseManager } from '../../src/database/index.js';
import { backupDatabase, exportDatabase, importDatabase } from '../../src/migration/index.js';
import { SOCIAL_SCHEMA, countAnswers, loadVaried, tempDir } from './fixtures.js';

test('schema and data files must differ; a failing export leaves earlier files untouched and no temporary files', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  loadVaried(m, 'varied');
  const db = m.get('varied');
  await assert.rejects(exportDatabase(db, { dataFile: join(dir, 'same'), schemaFile: join(dir, 'same') }), /\[MIG53\] .*same file/);
  writeFileSync(join(dir, 'old.typedb'), 'previous export');
  writeFileSync(join(dir, 'old.tql'), 'previous schema');
  // The data file's directory is missing; then the schema file's: both are checked before anything is written.
  await assert.rejects(exportDatabase(db, { dataFile: join(dir, 'missing', 'x.typedb'), schemaFile: join(dir, 'old.tql') }), /\[MIG04\]/);
  await assert.rejects(
    exportDatabase(db, { dataFile: join(dir, 'old.typedb'), schemaFile: join(dir, 'missing', 'x.tql') }),
    /^CodecError: \[MIG04\] Migrator failure: Error writing the file at '.*x\.tql' \(the schema file, --schema\): the directory '.*missing' does not exist; create it first\. Nothing was exported/,
  );
  assert.equal(readFileSync(join(dir, 'old.typedb'), 'utf8'), 'previous export');
  assert.equal(readFileSync(join(dir, 'old.tql'), 'utf8'), 'previous schema');
  assert.deepEqual(readdirSync(dir).sort(), ['data', 'old.tql', 'old.typedb']);
  // A successful export replaces both.
  const done = await exportDatabase(db, { dataFile: join(dir, 'old.typedb'), schemaFile: join(dir, 'old.tql') });
  assert.equal(readFileSync(join(dir, 'old.tql'), 'utf8'), m.schema('varied'));
  assert.equal(readFileSync(join(dir, 'old.typedb')).length, done.bytes);
  m.close();
});

test('an export sees one snapshot: schema and data committed after it started are not in it', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  const { generateSocialDataset, SOCIAL_SCHEMA: schema } = await import('../../bench/social-dataset.js');
  await generateSocialDataset(join(dir, 'social.typedb'), 20_000, 5);
  const imported = await importDatabase(m, 'social', { dataFile: join(dir, 'social.typedb'), schemaText: schema, threads: false });
  const running = exportDatabase(m.get('social'), { dataFile: join(dir, 'out.typedb'), schemaFile: join(dir, 'out.tql') });
  // Commits made while the export runs (it took its snapshot synchronously, before its first await).
  const schemaSession = m.session('social', 'schema');
  let tx = schemaSession.transaction('write');
  tx.query('define badge sub attribute, value string; person owns badge;');
  tx.commit();
  schemaSession.close();
  const data = m.session('social', 'data');
  tx = data.transaction('write');
  tx.query('insert $p isa person, has email "late@example.com", has badge "late";');
  tx.commit();
  data.close();
  const result = await running;
  assert.deepEqual(result.checksums, imported.checksums);
  assert.doesNotMatch(readFileSync(join(dir, 'out.tql'), 'utf8'), /badge/);
  m.close();
});

test('an online backup under concurrent commits is consistent, and is served from another data directory', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  m.create('live');
  const schema = m.session('live', 'schema');
  const stx = schema.transaction('write');
  stx.query(SOCIAL_SCHEMA + 'serial sub attribute, value long; person owns serial;');
  stx.commit();
  schema.close();
  const session = m.session('live', 'data');
  let committed = 0;
  let running = true;
  const writer = (async () => {
    while (running) {
      const tx = session.transaction('write');
      tx.query(`insert $p isa person, has name "p${committed}", has serial ${committed};`);
      tx.commit();
      committed++;
      await tick();
    }
  })();
  while (committed < 20) await tick();
  const result = await backupDatabase(m.get('live'), join(dir, 'backup', 'live'));
  running = false;
  await writer;
  session.close();
  assert.ok(result.bytes > 0);
  await assert.rejects(backupDatabase(m.get('live'), join(dir, 'backup', 'live')), /\[MIG55\] .*not empty/);

  // Served as is from another data directory, under another name.
  const other = join(dir, 'other');
  mkdirSync(other);
  renameSync(join(dir, 'backup', 'live'), join(other, 'restored'));
  const restored = openDatabaseManager(other);
  assert.deepEqual(restored.all(), ['restored']);
  assert.equal(restored.schema('restored'), m.schema('live'));
  // A consistent copy holds a prefix of the commits: serials 0..n-1 for some n, each with its person.
  const counts = countAnswers(restored, 'restored', ['match $p isa person; get; count;', 'match $s isa serial; get; count;', 'match $s isa serial; get; max $s;']);
  const [persons, serials, max] = Object.values(counts);
  assert.equal(persons, serials);
  assert.equal(Number(max), Number(serials) - 1);
  assert.ok(Number(persons) >= 20 && Number(persons) <= committed, `${persons} of ${committed} commits`);
  // And it exports like any database.
  const exported = await exportDatabase(restored.get('restored'), { dataFile: join(dir, 'restored.typedb') });
  assert.equal(exported.checksums.entities, Number(persons));
  restored.close();
  m.close();
});
