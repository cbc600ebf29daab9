// Import: the shared vectors, the two flows (seed into an existing database, new database from schema + data),
// and every validation the importer makes, each with a message that says what and where.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabaseManager, type DatabaseManager } from '../../src/database/index.js';
import { importDatabase, type ImportOptions } from '../../src/migration/index.js';
import type { DataItem } from '../../src/migration/codec/index.js';
import { vectorsDir } from '../support/paths.js';
import { SOCIAL_SCHEMA, countAnswers, encodeFile, hiddenEntries, tempDir, writeItems } from './fixtures.js';

const handBuilt = (file: string) => join(vectorsDir(), 'hand-built', file);
const legacy = (file: string) => join(vectorsDir(), 'typedb-2.0.0-migrator', file);

function manager(): DatabaseManager {
  const m = openDatabaseManager(join(tempDir(), 'data'));
  return m;
}

async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    assert.match((e as Error).message, pattern);
    return e as Error;
  }
  assert.fail(`expected an error matching ${pattern}`);
}

const inline: Partial<ImportOptions> = { threads: false };

test('the hand-built example imports with its schema: every count matches and the data answers', async () => {
  const m = manager();
  const result = await importDatabase(m, 'social', {
    dataFile: handBuilt('example.typedb'),
    schemaFile: handBuilt('example.schema.tql'),
    ...inline,
  });
  assert.equal(result.created, true);
  assert.deepEqual(result.header, { typedbVersion: '2.29.1', originalDatabase: 'social' });
  assert.deepEqual(result.checksums, { entities: 1, attributes: 1, relations: 1, roles: 1, ownerships: 1 });
  assert.equal(result.stored.entities, 1);
  assert.equal(result.stored.attributes, 1);
  assert.equal(result.stored.relations, 1);
  assert.equal(result.stored.roles, 1);
  assert.equal(result.stored.ownerships, 1);
  assert.equal(m.schema('social'), readFileSync(handBuilt('example.schema.tql'), 'utf8'));
  const counts = countAnswers(m, 'social', [
    'match $p isa person, has age 42; (friend: $p) isa friendship; get; count;',
    'match $x isa thing; get; count;',
  ]);
  assert.deepEqual(Object.values(counts), ['1', '3']);
  assert.deepEqual(hiddenEntries(m.dataDir), []);
  m.close();
});

test('the TypeDB 2.0.0 export is refused for its duplicate IDs, naming one with both offsets, and nothing is imported', async () => {
  const m = manager();
  const error = await rejects(
    importDatabase(m, 'grabl', { dataFile: legacy('data.grakn'), schemaFile: legacy('schema.gql'), ...inline }),
    /\[MIG40\].*defines the ID .* more than once: the (entity|relation|attribute) item .* at byte offset \d+ and the (entity|relation|attribute) item .* at byte offset \d+ \(in all, 14 IDs are each defined by several items, 341 items in total\).*Nothing was imported/s,
  );
  assert.match(error.message, /TypeDB 2\.3/);
  // Its IDs are raw IID bytes decoded as text: shown as hex, not as replacement characters and control codes.
  assert.match(error.message, /defines the ID 0x[0-9a-f]+ \(the hex of its UTF-8 bytes: it is not readable text\) more than once/);
  assert.doesNotMatch(error.message, /[\uFFFD\u0000-\u0008]/);
  assert.deepEqual(m.all(), []);
  assert.deepEqual(hiddenEntries(m.dataDir), []);
  m.close();
});

test('seed flow: data imports into an existing database that has the schema and no data; a second import is refused', async () => {
  const m = manager();
  m.create('social');
  const schema = m.session('social', 'schema');
  const tx = schema.transaction('write');
  tx.query(readFileSync(handBuilt('example.schema.tql'), 'utf8'));
  tx.commit();
  schema.close();
  // An open session on the target ends when the import publishes the new database.
  const session = m.session('social', 'data');
  const result = await importDatabase(m, 'social', { dataFile: handBuilt('example.typedb'), ...inline });
  assert.equal(result.created, false);
  assert.equal(session.isOpen(), false);
  assert.deepEqual(Object.values(countAnswers(m, 'social', ['match $x isa thing; get; count;'])), ['3']);
  await rejects(importDatabase(m, 'social', { dataFile: handBuilt('example.typedb'), ...inline }), /\[MIG49\].*'social' is not empty: it already holds data/);
  assert.deepEqual(Object.values(countAnswers(m, 'social', ['match $x isa thing; get; count;'])), ['3']);
  m.close();
});

test('a new database cannot be imported over one that has a schema or data, nor into a missing one without a schema', async () => {
  const m = manager();
  await rejects(importDatabase(m, 'nowhere', { dataFile: handBuilt('example.typedb'), ...inline }), /\[MIG01\] .*'nowhere' was not found/);
  m.create('taken');
  const s = m.session('taken', 'schema');
  const tx = s.transaction('write');
  tx.query('define thing-name sub attribute, value string;');
  tx.commit();
  s.close();
  await rejects(
    importDatabase(m, 'taken', { dataFile: handBuilt('example.typedb'), schemaFile: handBuilt('example.schema.tql'), ...inline }),
    /\[MIG49\].*'taken' is not empty: it has a schema/,
  );
  // An existing database with an empty schema is replaced (TypeDB 2.19+ accepts a schema-empty target).
  m.create('empty');
  const result = await importDatabase(m, 'empty', { dataFile: handBuilt('example.typedb'), schemaFile: handBuilt('example.schema.tql'), ...inline });
  assert.equal(result.created, false);
  await rejects(importDatabase(m, 'bad/name', { dataFile: handBuilt('example.typedb'), ...inline }), /'bad\/name' is not a valid database name/);
  await rejects(importDatabase(m, 'x', { dataFile: join(m.dataDir, 'missing.typedb'), schemaText: '', ...inline }), /\[MIG02\] .*could not be found/);
  m.close();
});

test('items in any order, relations in relations in cycles, repeated players, attributes owning attributes and equal values', async () => {
  const dir = tempDir();
  const file = join(dir, 'data.typedb');
  const schema = `define
name sub attribute, value string, owns tag;
tag sub attribute, value string;
person sub entity, owns name, plays friendship:friend, plays link:end;
friendship sub relation, relates friend, plays link:end;
link sub relation, relates end, plays link:end;`;
  // Relations first (forward references everywhere), a cycle l1 → l2 → l1, a player repeated, and two
  // attribute items with the same value (one attribute, with the union of the ownerships).
  const items: DataItem[] = [
    { kind: 'relation', id: 'l1', label: 'link', ownerships: [], roles: [{ label: 'link:end', players: ['l2', 'f'] }] },
    { kind: 'relation', id: 'l2', label: 'link', ownerships: [], roles: [{ label: 'end', players: ['l1', 'l1'] }] },
    { kind: 'relation', id: 'f', label: 'friendship', ownerships: [], roles: [{ label: 'friendship:friend', players: ['p1', 'p2', 'p2'] }] },
    { kind: 'entity', id: 'p1', label: 'person', ownerships: ['n1'] },
    { kind: 'entity', id: 'p2', label: 'person', ownerships: ['n2', 'n1'] },
    { kind: 'attribute', id: 'n1', label: 'name', ownerships: ['t'], value: { type: 'string', value: 'Ann' } },
    { kind: 'attribute', id: 'n2', label: 'name', ownerships: [], value: { type: 'string', value: 'Ann' } },
    { kind: 'attribute', id: 't', label: 'tag', ownerships: [], value: { type: 'string', value: 'vip' } },
  ];
  await writeItems(file, items);
  for (const threads of [false, true]) {
    const m = manager();
    const result = await importDatabase(m, 'graph', { dataFile: file, schemaText: schema, threads });
    assert.equal(result.mergedAttributes, 1, 'two items of the same value are one attribute');
    assert.equal(result.mergedOwnerships, 1, 'p2 owns Ann twice (n1 and n2): one ownership');
    assert.deepEqual(result.stored, { entities: 2, relations: 3, attributes: 2, ownerships: 3, roles: 7, roleEdges: 5, keys: 1 + 2 + 3 + 2 + 2 * 3 + 2 * 5 });
    const answers = countAnswers(m, 'graph', [
      'match $x isa name; get; count;',
      'match $p isa person, has name "Ann"; get; count;',
      'match $n isa name, has tag "vip"; get; count;',
      'match $a (end: $b) isa link; $b isa link; get; count;',
      'match $a (end: $b) isa link; $b (end: $a) isa link; get; count;',
      'match $f (friend: $p) isa friendship; get; count;',
      'match $l (end: $f) isa link; $f isa friendship; get; count;',
    ]);
    assert.deepEqual(Object.values(answers), ['1', '2', '1', '2', '2', '2', '1']);
    m.close();
  }
});

test('non-ASCII IDs join whether their item is read from the file\'s bytes or decoded (a long string value is decoded)', async () => {
  const dir = tempDir();
  const file = join(dir, 'data.typedb');
  const schema = `define
bio sub attribute, value string;
person sub entity, owns bio, plays friendship:friend;
friendship sub relation, relates friend;`;
  // The reader parses most items in place and hashes their IDs from the file's bytes; an attribute whose string is
  // longer than a key holds is decoded, and its ID hashed from the string: both must give one hash per ID.
  const long = 'é'.repeat(300);
  const items: DataItem[] = [
    { kind: 'attribute', id: 'bío-€-1', label: 'bio', ownerships: [], value: { type: 'string', value: long } },
    { kind: 'attribute', id: 'bio-😀', label: 'bio', ownerships: [], value: { type: 'string', value: 'short' } },
    { kind: 'entity', id: 'pérson-1', label: 'person', ownerships: ['bío-€-1', 'bio-😀'] },
    { kind: 'entity', id: 'person-ß-2-and-a-longer-tail', label: 'person', ownerships: ['bío-€-1'] },
    { kind: 'relation', id: 'f€', label: 'friendship', ownerships: [], roles: [{ label: 'friend', players: ['pérson-1', 'person-ß-2-and-a-longer-tail'] }] },
  ];
  await writeItems(file, items);
  for (const threads of [false, true]) {
    const m = manager();
    const result = await importDatabase(m, 'graph', { dataFile: file, schemaText: schema, threads });
    assert.deepEqual(result.stored, { entities: 2, relations: 1, attributes: 2, ownerships: 3, roles: 2, roleEdges: 2, keys: 1 + 2 + 1 + 2 + 2 * 3 + 2 * 2 });
    const answers = countAnswers(m, 'graph', [
      `match $p isa person, has bio "${long}"; get; count;`,
      'match $p isa person, has bio "short"; get; count;',
      'match $f (friend: $p) isa friendship; $p has bio "short"; get; count;',
    ]);
    assert.deepEqual(Object.values(answers), ['2', '1', '1']);
    m.close();
  }
});

test("a role label is looked up by its name among the relation type's roles, inherited ones too, as TypeDB's importer does", async () => {
  const dir = tempDir();
  const file = join(dir, 'data.typedb');
  const schema = `define
person sub entity, plays membership:member;
membership sub relation, relates member;
club-membership sub membership;`;
  // `club-membership:member` names the role `member` that club-membership inherits from membership.
  const items: DataItem[] = [
    { kind: 'entity', id: 'p', label: 'person', ownerships: [] },
    { kind: 'relation', id: 'c', label: 'club-membership', ownerships: [], roles: [{ label: 'club-membership:member', players: ['p'] }] },
  ];
  await writeItems(file, items);
  for (const threads of [false, true]) {
    const m = manager();
    await importDatabase(m, 'clubs', { dataFile: file, schemaText: schema, threads });
    assert.deepEqual(Object.values(countAnswers(m, 'clubs', ['match $c (member: $p) isa club-membership; get; count;'])), ['1']);
    m.close();
  }
});

interface BadCase {
  readonly name: string;
  readonly schema?: string;
  readonly items: DataItem[];
  readonly error: RegExp;
}

const PERSON: DataItem = { kind: 'entity', id: 'p', label: 'person', ownerships: ['n'] };
const NAME: DataItem = { kind: 'attribute', id: 'n', label: 'name', ownerships: [], value: { type: 'string', value: 'Ann' } };

const BAD_CASES: BadCase[] = [
  {
    name: 'unknown type',
    items: [PERSON, NAME, { kind: 'entity', id: 'c', label: 'company', ownerships: [] }],
    error: /\[MIG05\] .*The type 'company' is not defined in the schema: the entity item "c" \(company\) at byte offset \d+ of '.*data\.typedb'/,
  },
  {
    name: 'unknown role',
    items: [PERSON, NAME, { kind: 'relation', id: 'r', label: 'friendship', ownerships: [], roles: [{ label: 'friendship:enemy', players: ['p'] }] }],
    error: /\[MIG06\] .*The role type 'friendship:enemy' is not defined for relation type 'friendship': the relation item "r" \(friendship\) at byte offset \d+/,
  },
  {
    name: 'wrong item kind',
    items: [PERSON, NAME, { kind: 'entity', id: 'x', label: 'friendship', ownerships: [] }],
    error: /\[MIG42\] .*has type 'friendship', which is a relation type in the schema, not an entity type/,
  },
  {
    name: 'value of the wrong type',
    items: [PERSON, NAME, { kind: 'attribute', id: 'a', label: 'age', ownerships: [], value: { type: 'string', value: '42' } }],
    error: /\[MIG44\] .*The attribute item "a" \(age\) at byte offset \d+ .* has an invalid value: "42" is a string, but 'age' holds long values/,
  },
  {
    name: 'ownership not allowed',
    items: [PERSON, NAME, { kind: 'relation', id: 'r', label: 'friendship', ownerships: ['n'], roles: [{ label: 'friendship:friend', players: ['p'] }] }],
    error: /\[MIG45\] .*Attribute of type 'name' is not defined to be owned by type 'friendship': the relation item "r" \(friendship\) at byte offset \d+ .* owns the attribute "n"/,
  },
  {
    name: 'role not playable',
    items: [PERSON, NAME, { kind: 'relation', id: 'r', label: 'friendship', ownerships: [], roles: [{ label: 'friendship:friend', players: ['n'] }] }],
    error: /\[MIG46\] .*The thing type 'name' does not play the role type 'friendship:friend': the relation item "r" .* has the name "n" as 'friendship:friend'/,
  },
  {
    name: 'reference to an ID that no item defines',
    items: [{ kind: 'entity', id: 'p', label: 'person', ownerships: ['n', 'ghost'] }, NAME],
    error: /\[MIG41\] .*The entity item "p" \(person\) at byte offset \d+ .* refers to the owned attribute "ghost", but no item in the file has that ID/,
  },
  {
    name: 'owned ID that is not an attribute',
    items: [{ kind: 'entity', id: 'p', label: 'person', ownerships: ['n', 'q'] }, NAME, { kind: 'entity', id: 'q', label: 'person', ownerships: [] }],
    error: /\[MIG47\] .*lists "q" among its owned attributes, but that ID is the entity item "q"/,
  },
  {
    name: 'relation without players',
    items: [PERSON, NAME, { kind: 'relation', id: 'r', label: 'friendship', ownerships: [], roles: [] }],
    error: /\[MIG08\] .*The relation of type 'friendship' with original ID "r" has no role players/,
  },
  {
    name: 'duplicate ID',
    items: [PERSON, NAME, { kind: 'entity', id: 'p', label: 'person', ownerships: [] }],
    error: /\[MIG40\] .*defines the ID "p" more than once: the entity item \(person\) at byte offset \d+ and the entity item \(person\) at byte offset \d+\./,
  },
  {
    name: 'missing @key',
    items: [PERSON, NAME, { kind: 'entity', id: 'q', label: 'person', ownerships: [] }],
    error: /\[MIG48\] .*'person' that is missing key\(s\) of type\(s\): \[name\]: the person item "q" at byte offset \d+ owns none/,
  },
  {
    name: 'two @keys',
    items: [
      { kind: 'entity', id: 'p', label: 'person', ownerships: ['n', 'm'] },
      NAME,
      { kind: 'attribute', id: 'm', label: 'name', ownerships: [], value: { type: 'string', value: 'Bo' } },
    ],
    error: /\[MIG48\] .*'person' that has 2 keys of type 'name'.*the person item "p" at byte offset \d+/,
  },
  {
    name: '@key taken by another instance',
    items: [PERSON, NAME, { kind: 'entity', id: 'q', label: 'person', ownerships: ['n'] }],
    error: /\[MIG48\] .*assign a key 'Ann' of type 'name' that had been taken by another 'person': the person item "p" .* and the person item "q" .* both own it/,
  },
  {
    name: 'abstract type',
    schema: SOCIAL_SCHEMA + 'being sub entity, abstract;',
    items: [PERSON, NAME, { kind: 'entity', id: 'b', label: 'being', ownerships: [] }],
    error: /\[MIG43\] .*is an instance of 'being', which is abstract/,
  },
];

// @key violations are found while the store is written: with threads, on the store writer's thread.
for (const bad of BAD_CASES) {
  for (const threads of bad.name.includes('@key') ? [false, true] : [false]) {
    test(`refused with a clear message, nothing imported: ${bad.name}${threads ? ' (threads)' : ''}`, async () => {
      const dir = tempDir();
      const file = join(dir, 'data.typedb');
      await writeItems(file, bad.items);
      const m = manager();
      await rejects(importDatabase(m, 'social', { dataFile: file, schemaText: bad.schema ?? SOCIAL_SCHEMA, threads }), bad.error);
      assert.deepEqual(m.all(), []);
      assert.deepEqual(hiddenEntries(m.dataDir), []);
      m.close();
    });
  }
}

test('checksum mismatches are reported per counter, expected against found', async () => {
  const dir = tempDir();
  const file = join(dir, 'data.typedb');
  writeFileSync(
    file,
    encodeFile([
      { kind: 'header', typedbVersion: '2.29.1', originalDatabase: 'x' },
      PERSON,
      NAME,
      { kind: 'checksums', checksums: { entities: 2, attributes: 1, relations: 0, roles: 3, ownerships: 1 } },
    ]),
  );
  const m = manager();
  await rejects(
    importDatabase(m, 'social', { dataFile: file, schemaText: SOCIAL_SCHEMA, ...inline }),
    /\[MIG11\] .*mismatches the required checksums: '\nEntity count mismatch: expected 2, but found 1\nRole count mismatch: expected 3, but found 0\n/,
  );
  assert.deepEqual(m.all(), []);
  m.close();
});

test('a truncated file is refused with the byte offset of the damage', async () => {
  const dir = tempDir();
  const file = join(dir, 'data.typedb');
  const bytes = readFileSync(handBuilt('example.typedb'));
  writeFileSync(file, bytes.subarray(0, bytes.length - 20));
  const m = manager();
  await rejects(
    importDatabase(m, 'social', { dataFile: file, schemaFile: handBuilt('example.schema.tql'), ...inline }),
    /\[MIG2\d\] .*byte offset \d+/,
  );
  assert.deepEqual(m.all(), []);
  assert.deepEqual(hiddenEntries(m.dataDir), []);
  m.close();
});

test('a schema that is not one define query is refused before anything else', async () => {
  const m = manager();
  await rejects(
    importDatabase(m, 'social', { dataFile: handBuilt('example.typedb'), schemaText: 'match $x isa thing; get;', ...inline }),
    /\[MIG50\] .*not a define query/,
  );
  await rejects(
    importDatabase(m, 'social', { dataFile: handBuilt('example.typedb'), schemaText: 'define person sub entity, owns nothing-here;', ...inline }),
    /\[MIG50\] Migrator failure: The schema text cannot be loaded: \[TYR03\].*nothing-here/,
  );
  assert.deepEqual(m.all(), []);
  assert.equal(existsSync(join(m.dataDir, 'social')), false);
  m.close();
});
