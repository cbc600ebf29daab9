// TypeQL 2.x refuses a negation whose only pattern is a negation when it parses it (its Negation constructor throws
// REDUNDANT_NESTED_NEGATION), in any query; a negation holding a negation among other patterns, or inside a block,
// is a pattern like any other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery } from '../../src/typeql/index.js';
import type { Transaction } from '../../src/database/api.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

const REDUNDANT = { message: '[TQL36] TypeQL Error: Invalid query containing redundant nested negations.' };

test("'not { not { … }; }' is TypeQL's [TQL36] when the query is parsed, whatever the query", () => {
  for (const query of [
    'match $x isa person; not { not { $x has age 1; }; }; get;',
    'match $x isa person; { $x has age 2; } or { not { not { $x has age 1; }; }; }; get;',
    'match $x isa person; not { not { $x has age 1; }; }; delete $x isa person;',
    'match $x isa person; fetch $x: age; "n": { match $x has age $a; not { not { $a == 1; }; }; fetch $a; };',
    'define rule r: when { $x isa person; not { not { $x has age 1; }; }; } then { $x has age 3; };',
  ]) {
    assert.throws(() => parseQuery(query), REDUNDANT, query);
  }
});

test('a negation holding a negation beside other patterns, or in a block of its own, is matched', () => {
  withTempManager('nested-negation', (manager) => {
    createWithSchema(manager, 'db', 'define age sub attribute, value long; person sub entity, owns age;');
    writeData(manager, 'db', ['insert $a isa person, has age 1; $b isa person, has age 2; $c isa person;']);
    const tx = manager.session('db', 'data').transaction('read');
    const ages = (t: Transaction, query: string) => {
      const result = t.query(query);
      if (result.kind !== 'get') throw new Error('not a get');
      return [...result.answers].map((answer) => String((answer.get('a') as { value: { value: unknown } }).value.value)).sort();
    };
    try {
      // Both say: the ages equal to 1 (the inner negation within a block, or beside the statement it filters).
      assert.deepEqual(ages(tx, 'match $x isa person, has age $a; not { { not { $a == 1; }; }; }; get $a;'), ['1']);
      assert.deepEqual(ages(tx, 'match $x isa person, has age $a; not { $x has age $a; not { $a == 1; }; }; get $a;'), ['1']);
    } finally {
      tx.close();
    }
  });
});
