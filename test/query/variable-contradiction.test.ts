// A variable used both as a thing and as a type fails as TypeDB's variable registry fails it (VariableRegistry:
// VARIABLE_CONTRADICTION), [QRY07], in whichever order the two uses come.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWithSchema, inTransaction, withTempManager } from '../support/databases.js';

test("a variable that is both a thing and a type is TypeDB's [QRY07]", () => {
  withTempManager('variable-contradiction', (manager) => {
    createWithSchema(manager, 'db', 'define name sub attribute, value string; person sub entity, owns name;');
    for (const query of [
      'match $x isa person; $x sub entity; get;',
      'match $x sub entity; $x isa person; get;',
      'match $x type person; $x has name "a"; get;',
    ]) {
      inTransaction(manager, 'db', 'data', 'read', (tx) =>
        assert.throws(() => tx.query(query), { message: "[QRY07] Invalid Query Pattern: The variable '$x' is both a type and a thing." }, query),
      );
    }
  });
});
