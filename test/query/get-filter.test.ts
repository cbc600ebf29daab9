// TypeQL's checks of a get query's variables, which TypeDB makes when parsing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

test('a get needs a named variable, and names each filter variable once', () => {
  withTempManager('get-filter', (manager) => {
    createWithSchema(manager, 'db', 'define name sub attribute, value string; person sub entity, owns name;');
    writeData(manager, 'db', ['insert $p isa person, has name "Ann";']);
    const session = manager.session('db', 'data');
    try {
      const run = (query: string) => {
        const tx = session.transaction('read');
        try {
          const result = tx.query(query);
          return result.kind === 'get' ? [...result.answers].length : -1;
        } finally {
          tx.close();
        }
      };
      assert.throws(() => run('match $_ isa person; get;'), { message: '[TQL09] TypeQL Error: The match query has no named variables to retrieve.' });
      assert.throws(() => run('match $x isa person; get $x, $x;'), {
        message: "[TQL15] TypeQL Error: The variable '$x' occurred more than once in the filter.",
      });
      assert.throws(() => run('match $x isa person, has name $n; get $n, $x, $n; count;'), { message: /\[TQL15\].*'\$n'/ });
      assert.equal(run('match $x isa person, has name $n; get $x, $n;'), 1);
    } finally {
      session.close();
    }
  });
});
