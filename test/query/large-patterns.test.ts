// Patterns far larger than people write, as a generated or hostile query makes them: thousands of constraints in one
// conjunction are matched (each binds one variable, a step of the search) without exhausting the call stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWithSchema, inTransaction, withTempManager, writeData } from '../support/databases.js';

test('a match of 2 500 variables, and one of 2 500 constraints on one thing, answer', () => {
  withTempManager('large-patterns', (manager) => {
    createWithSchema(manager, 'db', 'define name sub attribute, value string; person sub entity, owns name;');
    writeData(manager, 'db', ['insert $p isa person, has name "x";']);
    inTransaction(manager, 'db', 'data', 'read', (tx) => {
      const variables = Array.from({ length: 2500 }, (_, i) => `$v${i} isa person`).join('; ');
      const many = tx.query(`match ${variables}; get; count;`);
      assert.equal(many.kind === 'aggregate' && Number(many.value!.value), 1);
      const constraints = Array.from({ length: 2500 }, (_, i) => `$p has name $n${i}`).join('; ');
      const chained = tx.query(`match $p isa person; ${constraints}; get $p; count;`);
      assert.equal(chained.kind === 'aggregate' && Number(chained.value!.value), 1);
    });
  });
});
