// The export reads a snapshot three ways — through lmdb-js, from the data file's pages on one thread, and in two
// parts on two threads — and writes the same bytes each way, also while commits go on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabaseManager } from '../../src/database/index.js';
import { exportDatabase, importDatabase } from '../../src/migration/index.js';
import { loadVaried, tempDir } from './fixtures.js';

test('every export path writes the same file, for a varied database and a social one', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  loadVaried(m, 'varied');
  const { generateSocialDataset, SOCIAL_SCHEMA } = await import('../../bench/social-dataset.js');
  await generateSocialDataset(join(dir, 'social.typedb'), 20_000, 3);
  await importDatabase(m, 'social', { dataFile: join(dir, 'social.typedb'), schemaText: SOCIAL_SCHEMA, threads: false });
  // Some ordinary commits, so that the imported store's pages are no longer in file order.
  const session = m.session('social', 'data');
  for (let i = 0; i < 20; i++) {
    const tx = session.transaction('write');
    tx.query(`insert $p isa person, has email "extra-${i}@example.com", has name "Extra ${i}";`);
    tx.query(`match $p isa person, has email "extra-${i}@example.com"; $c isa company; get; limit 1;`);
    tx.commit();
  }
  session.close();
  for (const name of ['varied', 'social']) {
    const db = m.get(name);
    const viaLmdb = await exportDatabase(db, { dataFile: join(dir, `${name}-lmdb.typedb`), readPages: false });
    const onePart = await exportDatabase(db, { dataFile: join(dir, `${name}-pages.typedb`), threads: false });
    const twoParts = await exportDatabase(db, { dataFile: join(dir, `${name}-parts.typedb`), threads: true });
    const expected = readFileSync(join(dir, `${name}-lmdb.typedb`));
    assert.ok(expected.equals(readFileSync(join(dir, `${name}-pages.typedb`))), `${name}: pages on one thread`);
    assert.ok(expected.equals(readFileSync(join(dir, `${name}-parts.typedb`))), `${name}: two parts`);
    assert.deepEqual(onePart.checksums, viaLmdb.checksums);
    assert.deepEqual(twoParts.checksums, viaLmdb.checksums);
    assert.equal(twoParts.danglingEdges, 0);
  }
  m.close();
});

test('a two-part export keeps its snapshot while commits replace its pages', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  const { generateSocialDataset, SOCIAL_SCHEMA } = await import('../../bench/social-dataset.js');
  await generateSocialDataset(join(dir, 'social.typedb'), 20_000, 4);
  const imported = await importDatabase(m, 'social', { dataFile: join(dir, 'social.typedb'), schemaText: SOCIAL_SCHEMA, threads: false });
  const db = m.get('social');
  const running = exportDatabase(db, { dataFile: join(dir, 'during.typedb'), threads: true });
  const session = m.session('social', 'data');
  for (let i = 0; i < 30; i++) {
    const tx = session.transaction('write');
    tx.query('match $p isa person, has age $a; get; limit 200;');
    tx.query(`insert $p isa person, has email "during-${i}@example.com";`);
    tx.query(`match $f (friend: $x) isa friendship; get; limit 1;`);
    tx.commit();
    await new Promise((resolve) => setImmediate(resolve));
  }
  session.close();
  const during = await running;
  assert.deepEqual(during.checksums, imported.checksums);
  const after = await exportDatabase(db, { dataFile: join(dir, 'after.typedb'), threads: true });
  assert.equal(after.checksums.entities, imported.checksums.entities + 30);
  m.close();
});
