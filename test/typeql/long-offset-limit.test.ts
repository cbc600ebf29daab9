// `offset` and `limit` take any long, as TypeQL 2.x's grammar reads them (LONG_, Long.parseLong): `limit
// 9223372036854775807` is the "no limit" of code that writes Long.MAX_VALUE. A count beyond 2^53 - 1 is one no
// answer stream reaches, so it is kept as 2^53 - 1; a count beyond a long stays a syntax error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TypeQLSyntaxError } from '../../src/common/errors.js';
import { parseQuery, type GetQuery } from '../../src/typeql/index.js';
import { createWithSchema, inTransaction, withTempManager, writeData } from '../support/databases.js';

const LONG_MAX = '9223372036854775807';

test('offset and limit up to the largest long parse; beyond it they are a syntax error', () => {
  const query = parseQuery(`match $x isa person; get; offset ${LONG_MAX}; limit ${LONG_MAX};`) as GetQuery;
  assert.deepEqual(query.modifiers, { offset: Number.MAX_SAFE_INTEGER, limit: Number.MAX_SAFE_INTEGER });
  assert.throws(() => parseQuery('match $x isa person; get; limit 9223372036854775808;'), (e: unknown) => {
    assert.ok(e instanceof TypeQLSyntaxError);
    assert.match(e.message, /9223372036854775808 is too large/);
    return true;
  });
});

test('limit Long.MAX_VALUE returns every answer, offset Long.MAX_VALUE none', () => {
  withTempManager('long-offset-limit', (manager) => {
    createWithSchema(manager, 'db', 'define person sub entity;');
    writeData(manager, 'db', ['insert $a isa person; $b isa person;']);
    inTransaction(manager, 'db', 'data', 'read', (tx) => {
      const count = (query: string) => {
        const result = tx.query(query);
        if (result.kind !== 'get') throw new Error('not a get');
        return [...result.answers].length;
      };
      assert.equal(count(`match $x isa person; get; sort $x; limit ${LONG_MAX};`), 2);
      assert.equal(count(`match $x isa person; get; limit ${LONG_MAX};`), 2);
      assert.equal(count(`match $x isa person; get; offset ${LONG_MAX};`), 0);
    });
  });
});
