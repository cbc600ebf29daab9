// The export's native encoder on what a consistent store never holds, read from the data file's pages and through
// lmdb-js (whose entries are packed into leaves as they are read): edges without an owner are skipped and counted,
// types the schema lacks are named `#id`, and a value record the encoder cannot read fails the export with a
// message that names it. Also values as large as a packed leaf, which the lmdb-js path must grow its page for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabaseManager, type DatabaseManager } from '../../src/database/index.js';
import { Keyspace, ThingKind } from '../../src/encoding/index.js';
import { exportDatabase, readItems, type DataItem, type ExportResult } from '../../src/migration/index.js';
import { createWithSchema, writeData } from '../support/databases.js';
import { tempDir } from './fixtures.js';

const SCHEMA = `define
  name sub attribute, value string;
  person sub entity, owns name, plays team:member;
  team sub relation, relates member;`;

function objectIid(kind: ThingKind, typeId: number, sequence: number): Buffer {
  const iid = Buffer.alloc(11);
  iid[0] = kind;
  iid.writeUInt16BE(typeId, 1);
  iid.writeUInt32BE(sequence, 7);
  return iid;
}

/** An attribute of type 900 (not in the schema), as a string value would have it. */
const ATTRIBUTE_IID = Buffer.from([ThingKind.Attribute, 0x03, 0x84, 4, 1, 0x78]);

function key(keyspace: Keyspace, ...parts: Uint8Array[]): Buffer {
  return Buffer.concat([Uint8Array.of(keyspace), ...parts]);
}

/** Writes raw store entries, as a damaged store might hold them. */
function putRaw(m: DatabaseManager, entries: readonly (readonly [Uint8Array, Uint8Array])[]): void {
  const tx = m.get('db').store.beginWrite();
  for (const [k, v] of entries) tx.put(k, v);
  tx.commit();
}

/** Exports through the data file's pages and through lmdb-js: the same bytes both ways; the items and result. */
async function exportBothWays(m: DatabaseManager, dir: string): Promise<{ items: DataItem[]; result: ExportResult }> {
  const pages = await exportDatabase(m.get('db'), { dataFile: join(dir, 'pages.typedb'), threads: false });
  const lmdb = await exportDatabase(m.get('db'), { dataFile: join(dir, 'lmdb.typedb'), readPages: false });
  assert.ok(readFileSync(join(dir, 'pages.typedb')).equals(readFileSync(join(dir, 'lmdb.typedb'))), 'pages and lmdb-js give the same file');
  assert.deepEqual(lmdb.checksums, pages.checksums);
  assert.equal(lmdb.danglingEdges, pages.danglingEdges);
  const items: DataItem[] = [];
  for await (const { item } of readItems(join(dir, 'pages.typedb'))) {
    if (item.kind === 'entity' || item.kind === 'relation' || item.kind === 'attribute') items.push(item);
  }
  return { items, result: pages };
}

test('edges without an owner are skipped and counted, and types the schema lacks are named #id', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  try {
    createWithSchema(m, 'db', SCHEMA);
    writeData(m, 'db', ['insert $p isa person, has name "Ada"; $t (member: $p) isa team;']);
    const stranger = objectIid(ThingKind.Entity, 900, 1);
    const gang = objectIid(ThingKind.Relation, 901, 1);
    const ghost = objectIid(ThingKind.Entity, 1, 0x7fff_fff0); // a person's type, a sequence never given out
    const lastGhost = objectIid(ThingKind.Relation, 0xfff0, 1); // after every thing of the store
    const attribute = ATTRIBUTE_IID;
    putRaw(m, [
      // A thing and a relation of types the schema lacks; the relation's role type is unknown too.
      [key(Keyspace.Thing, stranger), new Uint8Array()],
      [key(Keyspace.Thing, gang), new Uint8Array()],
      [key(Keyspace.Role, gang, Uint8Array.of(0x03, 0x85), stranger), Uint8Array.of(0, 0, 0, 2)],
      // An attribute of an unknown type, with a string value record.
      [key(Keyspace.Thing, attribute), Uint8Array.of(4, 0x78)],
      [key(Keyspace.Has, stranger, attribute), new Uint8Array()],
      // Edges whose owner does not exist: between things, and after the last one.
      [key(Keyspace.Has, ghost, attribute), new Uint8Array()],
      [key(Keyspace.Role, ghost, Uint8Array.of(0, 1), stranger), Uint8Array.of(0, 0, 0, 1)],
      [key(Keyspace.Has, lastGhost, attribute), new Uint8Array()],
      [key(Keyspace.Role, lastGhost, Uint8Array.of(0, 1), stranger), Uint8Array.of(0, 0, 0, 1)],
    ]);
    const { items, result } = await exportBothWays(m, dir);
    assert.equal(result.danglingEdges, 4);
    const byId = new Map(items.map((item) => [item.id, item]));
    const strangerItem = byId.get(stranger.toString('base64'));
    assert.equal(strangerItem?.label, '#900');
    assert.deepEqual(strangerItem?.ownerships, [attribute.toString('base64')]);
    const gangItem = byId.get(gang.toString('base64'));
    assert.equal(gangItem?.label, '#901');
    assert.deepEqual(gangItem?.kind === 'relation' ? gangItem.roles : undefined, [
      { label: '#901', players: [stranger.toString('base64'), stranger.toString('base64')] },
    ]);
    const attributeItem = byId.get(attribute.toString('base64'));
    assert.equal(attributeItem?.label, '#900');
    assert.deepEqual(attributeItem?.kind === 'attribute' ? attributeItem.value : undefined, { type: 'string', value: 'x' });
    assert.equal(result.checksums.entities, 2);
    assert.equal(result.checksums.relations, 2);
  } finally {
    m.close();
  }
});

test('a value record of an unknown type or too short to read fails the export, naming what to do', async () => {
  for (const [record, message] of [
    [Uint8Array.of(9, 1, 2), /^.*Unknown value type code 9 in the attribute AwOEBAF4\./],
    [Uint8Array.of(2, 0, 0), /malformed THING entry \(node \d+ of its leaf page\): it is damaged\. Export from a backup/],
  ] as const) {
    const dir = tempDir();
    const m = openDatabaseManager(join(dir, 'data'));
    try {
      createWithSchema(m, 'db', SCHEMA);
      putRaw(m, [[key(Keyspace.Thing, ATTRIBUTE_IID), record]]);
      for (const options of [{ threads: false }, { readPages: false }]) {
        await assert.rejects(exportDatabase(m.get('db'), { dataFile: join(dir, 'out.typedb'), ...options }), message);
      }
    } finally {
      m.close();
    }
  }
});

test('values as large as a packed leaf, and leaves of many entries, read through lmdb-js as from the pages', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  try {
    createWithSchema(m, 'db', SCHEMA);
    const big = 'y'.repeat(65_000);
    writeData(m, 'db', [
      `insert $p isa person, has name "${big}";`,
      ...Array.from({ length: 4 }, (_, q) => Array.from({ length: 200 }, (_, i) => `$p${i} isa person, has name "n${q}-${i}";`).join(' ')).map((q) => `insert ${q}`),
    ]);
    const { items, result } = await exportBothWays(m, dir);
    assert.equal(result.checksums.entities, 801);
    assert.equal(result.checksums.ownerships, 801);
    const bigItem = items.find((item) => item.kind === 'attribute' && item.value.type === 'string' && item.value.value.length === big.length);
    assert.ok(bigItem !== undefined, 'the 65 000-byte name is exported whole');
  } finally {
    m.close();
  }
});
