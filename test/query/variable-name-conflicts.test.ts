// A name used both for a concept variable ($x) and a value variable (?x): TypeQL 2.x refuses it as it builds a get,
// fetch, insert, delete or update query (validateNamesUnique over the match, nested patterns included, and the write
// clauses) with [TQL06]; in a rule's `when`, TypeDB's variable registry refuses it at define with [QRY20].
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWithSchema, inDataWrite, withTempManager, writeData } from '../support/databases.js';

const SCHEMA = 'define age sub attribute, value long; person sub entity, owns age;';

test('a query naming $x and ?x fails with TypeQL\'s [TQL06], nested, in a subquery or in a write clause', () => {
  const queries: [string, string][] = [
    ['match $x isa person; ?x = 1; get;', 'x'],
    ['match $p isa person, has age $a; ?a = 1; get $p; count;', 'a'],
    ['match $p isa person, has age $a; ?a = 1; get $p; group $p;', 'a'],
    ['match $x isa person; not { ?x = 1; $x has age ?x; }; get;', 'x'],
    ['match $x isa person, has age $a; ?a = $a; fetch ?a;', 'a'],
    ['match $p isa person; fetch "s": { match $p has age $x; ?x = 1; fetch ?x; };', 'x'],
    ['match ?x = 1; insert $x isa person, has age ?x;', 'x'],
    ['match $x isa person, has age $a; ?x = $a + 1; delete $x has $a;', 'x'],
    ['match $x isa person, has age $a; ?a = 2; delete $x has $a; insert $x has age ?a;', 'a'],
  ];
  withTempManager('name-conflicts', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    writeData(manager, 'db', ['insert $p isa person, has age 1;']);
    for (const [query, name] of queries) {
      inDataWrite(manager, 'db', (tx) =>
        assert.throws(
          () => {
            const result = tx.query(query);
            if (result.kind === 'get' || result.kind === 'fetch') [...result.answers];
          },
          { message: `[TQL06] TypeQL Error: The variable(s) named '${name}' cannot be used for both a concept variable and a value variable.` },
          query,
        ),
      );
    }
  });
});

test("a rule whose `when` names $x and ?x is refused at define with TypeDB's [QRY20]", () => {
  withTempManager('name-conflicts-rule', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    const session = manager.session('db', 'schema');
    try {
      const tx = session.transaction('write');
      assert.throws(() => tx.query('define rule r: when { $x isa person; ?x = 1; } then { $x has age 5; };'), {
        message: "[QRY20] Invalid Query Pattern: The variable name 'x' was used both for a concept variable and a value variable.",
      });
    } finally {
      session.close();
    }
  });
});
