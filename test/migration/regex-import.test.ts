// An attribute type's regex is checked by whichever thread indexes the file: the schema goes to the import's worker
// threads as plain data (a compiled regex test, being a function, cannot be sent), and each thread compiles it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabaseManager } from '../../src/database/index.js';
import { exportDatabase, importDatabase } from '../../src/migration/index.js';
import { countAnswers, tempDir } from './fixtures.js';

const SCHEMA = 'define name sub attribute, value string; person sub entity, owns name;';
const WITH_REGEX = 'define name sub attribute, value string, regex "^[A-Z][a-z]+$"; person sub entity, owns name;';

for (const threads of [false, true]) {
  test(`an import ${threads ? 'on worker threads' : 'on one thread'} checks values against their type's regex`, async () => {
    const dir = tempDir();
    const m = openDatabaseManager(join(dir, 'data'));
    m.create('source');
    const schema = m.session('source', 'schema');
    let tx = schema.transaction('write');
    tx.query(SCHEMA);
    tx.commit();
    schema.close();
    const data = m.session('source', 'data');
    tx = data.transaction('write');
    tx.query('insert $a isa person, has name "Alice"; $b isa person, has name "Bob";');
    tx.commit();
    const file = join(dir, 'names.typedb');
    await exportDatabase(m.get('source'), { dataFile: file });

    await importDatabase(m, 'matching', { dataFile: file, schemaText: WITH_REGEX, threads });
    assert.deepEqual(Object.values(countAnswers(m, 'matching', ['match $n isa name; get; count;'])), ['2']);

    tx = data.transaction('write');
    tx.query('insert $c isa person, has name "carol";');
    tx.commit();
    data.close();
    await exportDatabase(m.get('source'), { dataFile: file });
    await assert.rejects(
      importDatabase(m, 'refused', { dataFile: file, schemaText: WITH_REGEX, threads }),
      /"carol" does not match the regular expression '\^\[A-Z\]\[a-z\]\+\$' of 'name'/,
    );
    m.close();
  });
}
