// Export → import into a fresh data directory → export again, on a dataset with every value type, abstract
// types, deep subtyping, relations in relations, a relation cycle, repeated players, an attribute owning
// attributes, @key and @unique: equal checksums, equal schema text, equal answers to counting queries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabaseManager } from '../../src/database/index.js';
import { exportDatabase, importDatabase, readItems, summarizeItems } from '../../src/migration/index.js';
import { countAnswers, loadVaried, tempDir } from './fixtures.js';

test('round trip of a varied database: same checksums, schema text and answers, in both import modes', async () => {
  const dir = tempDir();
  const source = openDatabaseManager(join(dir, 'source'));
  loadVaried(source, 'varied');
  const first = await exportDatabase(source.get('varied'), { dataFile: join(dir, 'first.typedb'), schemaFile: join(dir, 'first.tql') });
  assert.equal(first.danglingEdges, 0);
  assert.equal(first.schema, source.schema('varied'));
  assert.equal(readFileSync(join(dir, 'first.tql'), 'utf8'), source.schema('varied'));
  const expected = countAnswers(source, 'varied');
  assert.equal(expected['match $r (subject: $s) isa endorsement; $s isa endorsement; get; count;'], '2', 'the dataset has its cycle');

  // The file holds what the database holds: recounting its items gives its own checksums.
  const summary = await summarizeItems(join(dir, 'first.typedb'));
  assert.deepEqual(summary.counted, first.checksums);
  assert.deepEqual(summary.declared, first.checksums);
  assert.equal(summary.header?.originalDatabase, 'varied');

  for (const [mode, threads] of [['inline', false], ['threads', true]] as const) {
    const target = openDatabaseManager(join(dir, `target-${mode}`));
    const imported = await importDatabase(target, 'copy', {
      dataFile: join(dir, 'first.typedb'),
      schemaFile: join(dir, 'first.tql'),
      threads,
    });
    assert.deepEqual(imported.checksums, first.checksums);
    assert.equal(imported.mergedAttributes, 0);
    assert.equal(imported.mergedOwnerships, 0);
    assert.equal(target.schema('copy'), source.schema('varied'), `${mode}: schema text`);
    assert.deepEqual(countAnswers(target, 'copy'), expected, `${mode}: answers`);
    const second = await exportDatabase(target.get('copy'), { dataFile: join(dir, `second-${mode}.typedb`), schemaFile: join(dir, `second-${mode}.tql`) });
    assert.deepEqual(second.checksums, first.checksums, `${mode}: checksums`);
    assert.equal(readFileSync(join(dir, `second-${mode}.tql`), 'utf8'), readFileSync(join(dir, 'first.tql'), 'utf8'));
    target.close();
  }
  source.close();
});

test('attributes come first in an export, then entities, then relations; role labels are scoped, IDs base64', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  loadVaried(m, 'varied');
  const result = await exportDatabase(m.get('varied'), { dataFile: join(dir, 'data.typedb') });
  const kinds: string[] = [];
  for await (const { item } of readItems(join(dir, 'data.typedb'))) {
    if (kinds[kinds.length - 1] !== item.kind) kinds.push(item.kind);
    if (item.kind === 'relation') for (const role of item.roles) assert.match(role.label, /^[a-z-]+:[a-z-]+$/);
    if (item.kind === 'entity' || item.kind === 'relation' || item.kind === 'attribute') {
      assert.match(item.id, /^[A-Za-z0-9+/]+=*$/);
      assert.ok(!item.label.includes(':'));
    }
  }
  assert.deepEqual(kinds, ['header', 'attribute', 'entity', 'relation', 'checksums']);
  assert.equal(result.schema, m.schema('varied'));
  m.close();
});

test('an empty database exports to a header and empty checksums, and imports back as an empty database', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  m.create('empty');
  const result = await exportDatabase(m.get('empty'), { dataFile: join(dir, 'empty.typedb'), schemaFile: join(dir, 'empty.tql') });
  assert.deepEqual(result.checksums, { entities: 0, attributes: 0, relations: 0, roles: 0, ownerships: 0 });
  assert.equal(readFileSync(join(dir, 'empty.tql'), 'utf8'), '');
  for (const threads of [false, true]) {
    const imported = await importDatabase(m, `again-${threads}`, { dataFile: join(dir, 'empty.typedb'), schemaFile: join(dir, 'empty.tql'), threads });
    assert.equal(imported.stored.keys, 1, 'just the schema record');
  }
  assert.deepEqual(m.all(), ['again-false', 'again-true', 'empty']);
  m.close();
});

test('a small memory budget spills every sorter to disk and imports the same database', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  const file = join(dir, 'social.typedb');
  const { generateSocialDataset, SOCIAL_SCHEMA } = await import('../../bench/social-dataset.js');
  await generateSocialDataset(file, 30_000, 7);
  const roomy = await importDatabase(m, 'roomy', { dataFile: file, schemaText: SOCIAL_SCHEMA, threads: false });
  const tight = await importDatabase(m, 'tight', { dataFile: file, schemaText: SOCIAL_SCHEMA, threads: false, memoryBytes: 1 << 20 });
  assert.equal(roomy.scratchPeakBytes, 0, 'everything fitted in memory');
  assert.ok(tight.scratchPeakBytes > 0, 'the small budget spilled runs to disk');
  assert.deepEqual(tight.stored, roomy.stored);
  const a = await exportDatabase(m.get('roomy'), { dataFile: join(dir, 'roomy.typedb') });
  const b = await exportDatabase(m.get('tight'), { dataFile: join(dir, 'tight.typedb') });
  assert.deepEqual(a.checksums, b.checksums);
  // Byte-identical but for the header, which names the database.
  const headerLength = (path: string) => readFileSync(path)[0]! + 1;
  const roomyBytes = readFileSync(join(dir, 'roomy.typedb'));
  const tightBytes = readFileSync(join(dir, 'tight.typedb'));
  assert.ok(roomyBytes.subarray(headerLength(join(dir, 'roomy.typedb'))).equals(tightBytes.subarray(headerLength(join(dir, 'tight.typedb')))));
  m.close();
});

test('a file read in two halves by two threads imports the same database as one thread does; damage in the second half is reported as a whole read reports it', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  const file = join(dir, 'social.typedb');
  const { generateSocialDataset, SOCIAL_SCHEMA } = await import('../../bench/social-dataset.js');
  const dataset = await generateSocialDataset(file, 180_000, 9);
  assert.ok(dataset.bytes > 16 << 20, 'large enough to be split');
  const one = await importDatabase(m, 'one', { dataFile: file, schemaText: SOCIAL_SCHEMA, threads: false });
  const two = await importDatabase(m, 'two', { dataFile: file, schemaText: SOCIAL_SCHEMA, threads: true });
  // By default, a file of this size is built on a worker thread without threads of its own.
  const three = await importDatabase(m, 'three', { dataFile: file, schemaText: SOCIAL_SCHEMA });
  assert.deepEqual(two.stored, one.stored);
  assert.deepEqual(three.stored, one.stored);
  const a = await exportDatabase(m.get('one'), { dataFile: join(dir, 'one.typedb') });
  const b = await exportDatabase(m.get('two'), { dataFile: join(dir, 'two.typedb') });
  await exportDatabase(m.get('three'), { dataFile: join(dir, 'three.typedb') });
  assert.deepEqual(a.checksums, b.checksums);
  const bytes = (path: string) => readFileSync(path).subarray(readFileSync(path)[0]! + 1);
  assert.ok(bytes(join(dir, 'one.typedb')).equals(bytes(join(dir, 'two.typedb'))), 'byte-identical exports');
  assert.ok(bytes(join(dir, 'one.typedb')).equals(bytes(join(dir, 'three.typedb'))), 'byte-identical exports');

  const damaged = join(dir, 'damaged.typedb');
  writeFileSync(damaged, readFileSync(file).subarray(0, dataset.bytes - 1000));
  const expected = await importDatabase(m, 'x', { dataFile: damaged, schemaText: SOCIAL_SCHEMA, threads: false }).catch((e: Error) => e.message);
  const actual = await importDatabase(m, 'y', { dataFile: damaged, schemaText: SOCIAL_SCHEMA, threads: true }).catch((e: Error) => e.message);
  assert.match(String(expected), /\[MIG2\d\].*damaged\.typedb.*byte offset \d+/s);
  assert.equal(actual, expected);
  assert.deepEqual(m.all(), ['one', 'three', 'two']);
  m.close();
});

test('imports with and without threads, in ample and in scant memory, give databases that export the same bytes', async () => {
  const { generateSocialDataset, SOCIAL_SCHEMA } = await import('../../bench/social-dataset.js');
  const dir = tempDir();
  const file = join(dir, 'social.typedb');
  await generateSocialDataset(file, 60_000, 3);
  const exports: Buffer[] = [];
  // 1 MiB: every edge set spills sorted runs to disk, which the store writer thread then merges itself.
  for (const [mode, options] of [
    ['inline', { threads: false }],
    ['threads', { threads: true }],
    ['threads, scant memory', { threads: true, memoryBytes: 1 << 20 }],
  ] as const) {
    const m = openDatabaseManager(join(dir, mode.replace(/\W+/g, '-')));
    const imported = await importDatabase(m, 'social', { dataFile: file, schemaText: SOCIAL_SCHEMA, ...options });
    if (options.memoryBytes !== undefined) assert.ok(imported.scratchPeakBytes > 0, `${mode}: the sorts spilled`);
    const exported = await exportDatabase(m.get('social'), { dataFile: join(dir, `${mode}.typedb`) });
    assert.deepEqual(exported.checksums, imported.checksums, `${mode}: checksums`);
    exports.push(readFileSync(join(dir, `${mode}.typedb`)));
    m.close();
  }
  assert.ok(exports[0]!.equals(exports[1]!), 'threads: same bytes as inline');
  assert.ok(exports[0]!.equals(exports[2]!), 'threads in scant memory: same bytes as inline');
});
