// The schema and the data file given the other way round: each error says so, instead of only "damaged".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabaseManager } from '../../src/database/index.js';
import { importDatabase } from '../../src/migration/index.js';
import { SOCIAL_SCHEMA, hiddenEntries, tempDir, writeItems } from './fixtures.js';

async function files(dir: string): Promise<{ schema: string; data: string }> {
  const schema = join(dir, 'social.tql');
  writeFileSync(schema, `# exported from TypeDB\n${SOCIAL_SCHEMA}`);
  const data = join(dir, 'social.typedb');
  await writeItems(data, [{ kind: 'entity', id: 'p', label: 'person', ownerships: [] }]);
  return { schema, data };
}

test('a schema file given as the data file: the error says it is TypeQL text and which option takes it', async () => {
  const dir = tempDir();
  const { schema, data } = await files(dir);
  const m = openDatabaseManager(join(dir, 'data'));
  for (const threads of [false, true]) {
    await assert.rejects(importDatabase(m, 'social', { dataFile: schema, schemaFile: data.replace('.typedb', '.tql'), threads }), (e: Error) => {
      assert.match(e.message, /^\[MIG2\d\] .* The file is TypeQL text \(it starts with 'define'\), not a \.typedb export: if it is the schema, give it as --schema and the \.typedb file as --data\.$/);
      return true;
    });
  }
  assert.deepEqual(m.all(), []);
  assert.deepEqual(hiddenEntries(join(dir, 'data')), []);
  m.close();
});

test('a data file given as the schema file: the error says it is binary and which option takes it', async () => {
  const dir = tempDir();
  const { data } = await files(dir);
  const m = openDatabaseManager(join(dir, 'data'));
  await assert.rejects(importDatabase(m, 'social', { dataFile: data, schemaFile: data, threads: false }), (e: Error) => {
    assert.match(e.message, /^\[MIG50\] .*\n.*\n\^\nunexpected character U\+00\w\w\nThe file holds binary data, not TypeQL text: if it is the \.typedb data file, give it as --data and the schema \(\.tql\) file as --schema\. Nothing was imported\.$/s);
    return true;
  });
  assert.deepEqual(m.all(), []);
  m.close();
});

test('a damaged data file that is not text gets no such advice', async () => {
  const dir = tempDir();
  const { schema } = await files(dir);
  const damaged = join(dir, 'damaged.typedb');
  writeFileSync(damaged, Buffer.from([0x05, 0xff, 0xff, 0xff, 0xff, 0xff]));
  const m = openDatabaseManager(join(dir, 'data'));
  await assert.rejects(importDatabase(m, 'social', { dataFile: damaged, schemaFile: schema, threads: false }), (e: Error) => {
    assert.match(e.message, /^\[MIG2\d\] /);
    assert.doesNotMatch(e.message, /--schema/);
    return true;
  });
  m.close();
});
