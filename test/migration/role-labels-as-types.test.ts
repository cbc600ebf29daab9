// An item whose type label has a ':' is called an instance of a role type only when the schema has that role
// type: found by bench/fuzz-import.ts, where an entity labelled ':' or 'no-such:type' was refused with MIG42
// "which is a role type in the schema", sending the user after a role type that does not exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { StrataError } from '../../src/common/errors.js';
import { openDatabaseManager } from '../../src/database/index.js';
import { importDatabase } from '../../src/migration/index.js';
import { SOCIAL_SCHEMA, tempDir, writeItems } from './fixtures.js';

async function refusal(label: string): Promise<string> {
  const dir = tempDir();
  const file = join(dir, 'data.typedb');
  await writeItems(file, [{ kind: 'entity', id: 'e', label, ownerships: [] }]);
  const manager = openDatabaseManager(join(dir, 'data'));
  try {
    await importDatabase(manager, 'social', { dataFile: file, schemaText: SOCIAL_SCHEMA });
  } catch (e) {
    assert.ok(e instanceof StrataError, String(e));
    return e.message;
  } finally {
    manager.close();
  }
  assert.fail('the import succeeded');
}

test('a label with a colon that the schema does not define is an unknown type (MIG05)', async () => {
  for (const label of [':', 'no-such:type', 'friendship:nobody', 'a:b:c']) {
    const message = await refusal(label);
    assert.match(message, /^\[MIG05\] Migrator failure: The type '.*' is not defined in the schema: the entity item "e"/, label);
    assert.doesNotMatch(message, /role type/, label);
  }
});

test("an entity item labelled with one of the schema's role types is refused as of the wrong kind (MIG42)", async () => {
  const message = await refusal('friendship:friend');
  assert.match(message, /^\[MIG42\] .*has type 'friendship:friend', which is a role type in the schema, not an entity type/);
});
