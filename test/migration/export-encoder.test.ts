// The export's one-pass record encoder (export/thing-encoder.ts) against the codec's own encoder: every record it
// writes is the canonical encoding of the item it holds, also for lengths that need more than one byte (an item of
// 800 ownerships, a role of 12 players, a 60 000-byte value) and when records straddle the sink's buffer or outgrow it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabaseManager } from '../../src/database/index.js';
import { Keyspace, schemaKey } from '../../src/encoding/index.js';
import { ItemEncoder, type Item } from '../../src/migration/codec/index.js';
import { ItemDecoder } from '../../src/migration/codec/decode.js';
import { parseLengthPrefix } from '../../src/migration/codec/framing.js';
import { scannerCursors } from '../../src/migration/export/export-part.js';
import { FileSink } from '../../src/migration/export/file-sink.js';
import { LabelFields, labelTable } from '../../src/migration/export/labels.js';
import { ThingEncoder } from '../../src/migration/export/thing-encoder.js';
import { TypeGraph } from '../../src/schema/index.js';
import { createWithSchema, writeData } from '../support/databases.js';
import { tempDir } from './fixtures.js';

const SCHEMA = `define
  name sub attribute, value string;
  essay sub attribute, value string;
  person sub entity, owns name, owns essay, plays team:member, plays team:lead;
  team sub relation, relates member, relates lead, owns name;`;

const names = Array.from({ length: 800 }, (_, i) => `has name "name ${i}"`).join(', ');
const members = Array.from({ length: 12 }, (_, i) => `$m${i} isa person, has name "member ${i}";`).join(' ');
const DATA = [
  `insert $p isa person, ${names};`,
  `insert $q isa person, has essay "${'x'.repeat(60_000)}"; $t (member: $q, member: $q, lead: $q) isa team, has name "pair";`,
  `insert $l isa person, has name "lead"; ${members}
     $t (lead: $l, ${Array.from({ length: 12 }, (_, i) => `member: $m${i}`).join(', ')}) isa team, has name "dozen";`,
];

/** The records of `bytes`, each decoded and encoded again by the codec. */
function reencoded(bytes: Buffer): { items: Item[]; bytes: Buffer } {
  const decoder = new ItemDecoder(undefined);
  const encoder = new ItemEncoder();
  const items: Item[] = [];
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const prefix = parseLengthPrefix(bytes, at, bytes.length)!;
    const start = at + prefix.bytes;
    const item = decoder.decode(bytes, start, start + prefix.length, at, start);
    items.push(item);
    parts.push(encoder.encode(item));
    at = start + prefix.length;
  }
  return { items, bytes: Buffer.concat(parts) };
}

test('the export encoder writes canonical records, whatever the size of its buffer', () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  try {
    createWithSchema(m, 'db', SCHEMA);
    writeData(m, 'db', DATA);
    const snapshot = m.get('db').store.scanSnapshot();
    try {
      const labels = labelTable(TypeGraph.deserialize(snapshot.get(schemaKey)!));
      const encodeAll = (bufferBytes: number | undefined): Buffer => {
        const file = join(dir, `part-${bufferBytes ?? 'default'}`);
        const fd = openSync(file, 'w');
        const cursors = scannerCursors(snapshot.tree!);
        try {
          const sink = new FileSink(fd, bufferBytes);
          const encoder = new ThingEncoder(cursors.things, cursors.has, cursors.roles, new LabelFields(labels), sink);
          // The whole THING keyspace: entities, relations and attributes, one kind after another.
          encoder.begin(Uint8Array.of(Keyspace.Thing), Uint8Array.of(Keyspace.Thing + 1));
          while (encoder.encodeSome(7)) {
            // a few things at a time, as the export's slices
          }
          sink.flush();
          assert.deepEqual(encoder.counts, { entities: 15, relations: 2, attributes: 816, ownerships: 816, roles: 16 });
          assert.equal(encoder.dangling, 0);
        } finally {
          closeSync(fd);
          cursors.things.close();
          cursors.has.close();
          cursors.roles.close();
        }
        return readFileSync(file);
      };
      const roomy = encodeAll(undefined);
      // Small buffers: records are moved to the front of the buffer part-written (at every field, some in a Role
      // message), and the large ones grow it.
      for (let bytes = 64; bytes <= 1024; bytes += 29) assert.ok(encodeAll(bytes).equals(roomy), `a buffer of ${bytes} bytes gives the same bytes`);
      const { items, bytes } = reencoded(roomy);
      assert.ok(bytes.equals(roomy), 'each record is the codec encoding of its item');
      const things = items.filter((item) => item.kind === 'entity' || item.kind === 'relation' || item.kind === 'attribute');
      assert.equal(things.length, 833);
      // IDs are Node's base64 of the IIDs (read through lmdb-js here), in key order; every reference is one of them.
      const ids = [...snapshot.range(Uint8Array.of(Keyspace.Thing), Uint8Array.of(Keyspace.Thing + 1))].map(([key]) =>
        Buffer.from(key.subarray(1)).toString('base64'),
      );
      assert.deepEqual(things.map((item) => item.id), ids);
      const known = new Set(ids);
      for (const item of things) {
        for (const owned of item.ownerships) assert.ok(known.has(owned), `${item.id} owns ${owned}, not an ID of the export`);
        if (item.kind === 'relation') for (const role of item.roles) for (const player of role.players) assert.ok(known.has(player), `player ${player} of ${item.id}`);
      }
      const many = things.find((item) => item.kind === 'entity' && item.ownerships.length === 800);
      assert.ok(many !== undefined, 'the person with 800 names');
      const dozen = things.find((item) => item.kind === 'relation' && item.roles.some((r) => r.players.length === 12));
      assert.deepEqual(dozen?.kind === 'relation' ? dozen.roles.map((r) => [r.label, r.players.length]).sort() : [], [['team:lead', 1], ['team:member', 12]]);
      const pair = things.find((item) => item.kind === 'relation' && item.roles.some((r) => r.players.length === 2));
      assert.deepEqual(pair?.kind === 'relation' ? pair.roles.map((r) => [r.label, new Set(r.players).size, r.players.length]).sort() : [], [['team:lead', 1, 1], ['team:member', 1, 2]]);
      const essay = things.find((item) => item.kind === 'attribute' && item.label === 'essay');
      assert.equal(essay?.kind === 'attribute' && essay.value.type === 'string' ? essay.value.value.length : 0, 60_000);
    } finally {
      snapshot.close();
    }
  } finally {
    m.close();
  }
});

test('a THING key of no known kind (a damaged store) fails the export instead of being left out of it', () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  try {
    createWithSchema(m, 'db', SCHEMA);
    writeData(m, 'db', ['insert $p isa person, has name "only";']);
    const tx = m.get('db').store.beginWrite();
    tx.put(Uint8Array.of(Keyspace.Thing, 7, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1), Uint8Array.of());
    tx.commit();
    const snapshot = m.get('db').store.scanSnapshot();
    const cursors = scannerCursors(snapshot.tree!);
    const fd = openSync(join(dir, 'part'), 'w');
    try {
      const labels = labelTable(TypeGraph.deserialize(snapshot.get(schemaKey)!));
      const encoder = new ThingEncoder(cursors.things, cursors.has, cursors.roles, new LabelFields(labels), new FileSink(fd));
      assert.throws(
        () => {
          encoder.begin(Uint8Array.of(Keyspace.Thing), Uint8Array.of(Keyspace.Thing + 1));
          while (encoder.encodeSome(100)) {
            // to the end
          }
        },
        /unknown kind 7 \(key [0-9a-f]+\): it is damaged/,
      );
    } finally {
      closeSync(fd);
      cursors.things.close();
      cursors.has.close();
      cursors.roles.close();
      snapshot.close();
    }
  } finally {
    m.close();
  }
});
