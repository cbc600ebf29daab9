// A database survives closing everything and reopening the data directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseManager } from '../../src/database/index.js';
import type { ConceptMap } from '../../src/concept/concepts.js';

function names(answers: Iterable<ConceptMap>): string[] {
  return [...answers].map((m) => {
    const c = m.get('n');
    assert.ok(c && c.kind === 'attribute');
    return String(c.value.value);
  }).sort();
}

test('schema and data are read back the same after reopening the data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-persist-'));
  try {
    let manager = openDatabaseManager(dir);
    manager.create('social');
    const schema = manager.session('social', 'schema');
    let tx = schema.transaction('write');
    tx.query(`define
      name sub attribute, value string;
      person sub entity, owns name @key, plays friendship:friend;
      friendship sub relation, relates friend;`);
    tx.commit();
    schema.close();
    const data = manager.session('social', 'data');
    tx = data.transaction('write');
    tx.query('insert $a isa person, has name "Ann"; $b isa person, has name "Bob"; (friend: $a, friend: $b) isa friendship;');
    tx.commit();
    tx = data.transaction('read');
    const query = 'match $p isa person, has name $n; (friend: $p, friend: $q) isa friendship; get $n;';
    const before = tx.query(query);
    assert.equal(before.kind, 'get');
    const expected = names(before.kind === 'get' ? before.answers : []);
    assert.deepEqual(expected, ['Ann', 'Bob']);
    tx.close();
    data.close();
    const schemaTextBefore = manager.schema('social');
    manager.close();

    manager = openDatabaseManager(dir);
    assert.deepEqual(manager.all(), ['social']);
    assert.equal(manager.schema('social'), schemaTextBefore);
    const again = manager.session('social', 'data');
    tx = again.transaction('read');
    const after = tx.query(query);
    assert.deepEqual(names(after.kind === 'get' ? after.answers : []), expected);
    tx.close();
    // New things get fresh IIDs after a restart (sequence numbers resume after the stored ones).
    tx = again.transaction('write');
    tx.query('insert $c isa person, has name "Cy";');
    tx.commit();
    tx = again.transaction('read');
    const count = tx.query('match $p isa person; get; count;');
    assert.equal(count.kind === 'aggregate' && count.value?.value, 3n);
    tx.close();
    again.close();
    manager.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
