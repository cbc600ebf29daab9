// An export checks both of its paths before it writes anything, refuses a path that names a directory, and
// replaces its two files all or nothing: when either final rename fails, both previous files are as they were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs, { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { openDatabaseManager, type DatabaseManager } from '../../src/database/index.js';
import { exportDatabase } from '../../src/migration/index.js';
import { loadVaried, tempDir } from './fixtures.js';

function varied(dir: string): DatabaseManager {
  const m = openDatabaseManager(join(dir, 'data'));
  loadVaried(m, 'varied');
  return m;
}

/** Runs `body` while the `nth` rename of a temporary file (`*.tmp`) fails with EIO; other renames work. */
async function withFailingRename(nth: number, body: () => Promise<void>): Promise<void> {
  const original = fs.promises.rename;
  let renames = 0;
  fs.promises.rename = async (from, to) => {
    if (String(from).endsWith('.tmp') && ++renames === nth) {
      throw Object.assign(new Error(`EIO: i/o error, rename '${String(from)}' -> '${String(to)}'`), { code: 'EIO' });
    }
    return original(from, to);
  };
  // The exporter imports rename from node:fs/promises: this makes that binding the replacement too.
  syncBuiltinESMExports();
  try {
    await body();
  } finally {
    fs.promises.rename = original;
    syncBuiltinESMExports();
  }
}

test('a schema path that is a directory fails before anything is written: the previous data file stays', async () => {
  const dir = tempDir();
  const m = varied(dir);
  mkdirSync(join(dir, 'out', 'sdir'), { recursive: true });
  writeFileSync(join(dir, 'out', 'keep.typedb'), 'the previous export');
  await assert.rejects(
    exportDatabase(m.get('varied'), { dataFile: join(dir, 'out', 'keep.typedb'), schemaFile: join(dir, 'out', 'sdir') }),
    /^CodecError: \[MIG32\] Migrator failure: Refusing to write the schema file \(--schema\) to '.*sdir': it is a directory, not a regular file, and is left as it is\. Give a path for the file itself, for example '.*sdir\/schema\.tql'\. Nothing was exported/,
  );
  assert.equal(readFileSync(join(dir, 'out', 'keep.typedb'), 'utf8'), 'the previous export');
  assert.deepEqual(readdirSync(join(dir, 'out')).sort(), ['keep.typedb', 'sdir'], 'no temporary file left');
  m.close();
});

test('a path ending with a separator names a directory: refused for the data and the schema file, nothing written', async () => {
  const dir = tempDir();
  const m = varied(dir);
  await assert.rejects(
    exportDatabase(m.get('varied'), { dataFile: join(dir, 'nodir') + '/' }),
    /\[MIG32\] Migrator failure: Refusing to write the data file \(--data\/--file\) to '.*nodir\/': it is a directory path \(it ends with a separator\), not a regular file.*for example '.*nodir\/data\.typedb'/,
  );
  await assert.rejects(
    exportDatabase(m.get('varied'), { dataFile: join(dir, 'x.typedb'), schemaFile: join(dir, 'sdir') + '/' }),
    /\[MIG32\] Migrator failure: Refusing to write the schema file \(--schema\) to '.*sdir\/': it is a directory path/,
  );
  assert.deepEqual(readdirSync(dir), ['data']);
  m.close();
});

for (const [nth, which] of [[1, 'data'], [2, 'schema']] as const) {
  test(`when the ${which} file's rename fails, both previous files are as they were`, async () => {
    const dir = tempDir();
    const m = varied(dir);
    const dataFile = join(dir, 'old.typedb');
    const schemaFile = join(dir, 'old.tql');
    writeFileSync(dataFile, 'the previous export');
    writeFileSync(schemaFile, 'the previous schema');
    await withFailingRename(nth, async () => {
      await assert.rejects(
        exportDatabase(m.get('varied'), { dataFile, schemaFile }),
        new RegExp(
          `^CodecError: \\[MIG04\\] Migrator failure: Error writing the file at '.*old\\.${which === 'data' ? 'typedb' : 'tql'}' ` +
            `\\(the ${which} file, .*\\): cannot rename the finished file into place \\(EIO: i/o error\\)\\. ` +
            `Nothing was exported: any previous files at the given paths are as they were\\.$`,
        ),
      );
    });
    assert.equal(readFileSync(dataFile, 'utf8'), 'the previous export');
    assert.equal(readFileSync(schemaFile, 'utf8'), 'the previous schema');
    assert.deepEqual(readdirSync(dir).sort(), ['data', 'old.tql', 'old.typedb'], 'no temporary or kept file left');
    // Where there was no previous file, there is none after the failure either.
    await withFailingRename(nth, async () => {
      await assert.rejects(exportDatabase(m.get('varied'), { dataFile: join(dir, 'new.typedb'), schemaFile: join(dir, 'new.tql') }), /\[MIG04\]/);
    });
    assert.ok(!existsSync(join(dir, 'new.typedb')) && !existsSync(join(dir, 'new.tql')));
    assert.deepEqual(readdirSync(dir).sort(), ['data', 'old.tql', 'old.typedb']);
    // And the export works once the renames do.
    const done = await exportDatabase(m.get('varied'), { dataFile, schemaFile });
    assert.equal(readFileSync(dataFile).length, done.bytes);
    assert.equal(readFileSync(schemaFile, 'utf8'), m.schema('varied'));
    assert.deepEqual(readdirSync(dir).sort(), ['data', 'old.tql', 'old.typedb']);
    m.close();
  });
}
