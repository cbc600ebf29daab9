// An export into a directory the server may not write names the file's role (data or schema) and says that nothing
// was exported, for the data file as for the schema file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './fixtures.js';
import { moduleUrl } from '../support/processes.js';
import { lockedDirectoryIn, runUnprivileged } from '../support/unprivileged.js';

test('an export the server may not write names the data file and says nothing was exported', () => {
  const dir = tempDir();
  const locked = lockedDirectoryIn(dir);
  // The export runs as a user that is not root (root may write anywhere): see test/support/unprivileged.ts.
  const run = runUnprivileged(
    `import { openDatabaseManager } from '${moduleUrl('src/database/index')}';
     import { exportDatabase } from '${moduleUrl('src/migration/index')}';
     import { createWithSchema } from '${moduleUrl('test/support/databases')}';
     import { SOCIAL_SCHEMA } from '${moduleUrl('test/migration/fixtures')}';
     const [data, dataFile, schemaFile] = process.argv.slice(1);
     const m = openDatabaseManager(data);
     createWithSchema(m, 'social', SOCIAL_SCHEMA);
     try { await exportDatabase(m.get('social'), { dataFile, schemaFile }); console.log('no error'); } catch (e) { console.log(e.message); }
     m.close();`,
    [join(dir, 'data'), join(locked, 'social.typedb'), join(dir, 'social.tql')],
  );
  assert.equal(run.status, 0, run.stderr);
  assert.match(
    run.stdout,
    new RegExp(
      `^\\[MIG04\\] Migrator failure: Error writing the file at '${join(locked, 'social.typedb')}' \\(the data file, --data/--file\\): ` +
        `cannot create a temporary file in '${locked}': EACCES: .* Nothing was exported: any previous files at the given paths are as they were\\.\\n$`,
    ),
  );
  // The schema file, written first, was not published, and its temporary file is gone.
  assert.deepEqual(readdirSync(dir).sort(), ['data', 'locked']);
});
