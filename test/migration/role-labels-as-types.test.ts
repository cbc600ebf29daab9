// An item whose type label has a ':' is called an instance of a role type only when the schema has that role
// type: found by bench/fuzz-import.ts, where an entity labelled ':' or 'no-such:type' was refused with MIG42
// "which is a role type in the schema", sending the user after a role type that does not exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importRefusal } from './fixtures.js';

const refusal = (label: string): Promise<string> => importRefusal([{ kind: 'entity', id: 'e', label, ownerships: [] }]);

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
