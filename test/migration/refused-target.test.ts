// An import into a name whose directory the server refused (another encoding version, say): the error says the
// name is taken by a directory that is not served and what to do, not only why that directory is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabaseManager } from '../../src/database/index.js';
import { MANIFEST_FILE } from '../../src/database/manifest.js';
import { importDatabase } from '../../src/migration/index.js';
import { createWithSchema } from '../support/databases.js';
import { SOCIAL_SCHEMA, tempDir, writeItems } from './fixtures.js';

test('an import into a refused database names the refusal and the fix, for both flows', async () => {
  const dir = tempDir();
  const data = join(dir, 'data');
  let m = openDatabaseManager(data);
  createWithSchema(m, 'future', SOCIAL_SCHEMA);
  m.close();
  const manifest = join(data, 'future', MANIFEST_FILE);
  writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), encodingVersion: 99 }));
  m = openDatabaseManager(data);
  const file = join(dir, 'social.typedb');
  await writeItems(file, [{ kind: 'entity', id: 'p', label: 'person', ownerships: [] }]);
  for (const options of [{ dataFile: file }, { dataFile: file, schemaText: SOCIAL_SCHEMA }]) {
    await assert.rejects(importDatabase(m, 'future', { ...options, threads: false }), {
      message: new RegExp(
        "^\\[MIG59\\] Migrator failure: Cannot import into the database 'future': its directory is there, but this server does not serve it: " +
          '\\[DBS02\\] .*encoding version 99.* To import under this name, move that directory out of the data directory first .*, or import under another name\\. Nothing was imported\\.$',
      ),
    });
  }
  m.close();
});
