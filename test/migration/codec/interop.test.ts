// Third parties must be able to read our files with a generic protobuf library loaded only with the message
// shapes of export-format.md §3.1. This test builds its own protobufjs Root from that text, independent of the
// codec's schema and decoder, and reads a file written by ItemWriter with it.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import protobuf from 'protobufjs';
import { ItemWriter, type DataItem } from '../../../src/migration/codec/index.js';
import { tempDir, vector } from './helpers.js';

// export-format.md §3.1, verbatim apart from layout.
const SECTION_3_1_PROTO = `
syntax = "proto3";
package data;

message Item {
  oneof item {
    Attribute attribute = 1;
    Entity    entity    = 2;
    Relation  relation  = 3;
    Header    header    = 15;
    Checksums checksums = 16;
  }
  message Entity    { string id = 1; string label = 2; repeated OwnedAttribute attribute = 3; }
  message Attribute { string id = 1; string label = 2; repeated OwnedAttribute attribute = 3; ValueObject value = 4; }
  message Relation  { string id = 1; string label = 2; repeated OwnedAttribute attribute = 3; repeated Role role = 4;
    message Role { string label = 1; repeated Player player = 2;
      message Player { string id = 1; } } }
  message OwnedAttribute { string id = 1; }
  message Header    { string typedb_version = 1; string original_database = 2; }
  message Checksums { int64 entity_count = 1; int64 attribute_count = 2; int64 relation_count = 3;
                      int64 role_count = 4; int64 ownership_count = 5; }
}

message ValueObject {
  oneof value {
    string string   = 1;
    bool   boolean  = 2;
    int64  long     = 3;
    double double   = 4;
    int64  datetime = 5;
  }
}
`;

const THINGS: DataItem[] = [
  { kind: 'attribute', id: 'g28AABSAAAAAAAAAKg==', label: 'age', ownerships: [], value: { type: 'long', value: 42n } },
  { kind: 'attribute', id: 'bmVn', label: 'balance', ownerships: [], value: { type: 'long', value: -(2n ** 62n) - 5n } },
  { kind: 'attribute', id: 'bmFtZQ==', label: 'name', ownerships: ['g28AABSAAAAAAAAAKg=='], value: { type: 'string', value: 'Zoë 👩‍💻' } },
  { kind: 'attribute', id: 'c2NvcmU=', label: 'score', ownerships: [], value: { type: 'double', value: 2.5 } },
  { kind: 'attribute', id: 'YWN0aXZl', label: 'active', ownerships: [], value: { type: 'boolean', value: false } },
  { kind: 'attribute', id: 'Ym9ybg==', label: 'born', ownerships: [], value: { type: 'datetime', value: -86_400_001 } },
  { kind: 'entity', id: 'gm4AAAAAAAAAAAAA', label: 'person', ownerships: ['g28AABSAAAAAAAAAKg==', 'bmFtZQ=='] },
  {
    kind: 'relation',
    id: 'hHAAAAAAAAAAAAAA',
    label: 'friendship',
    ownerships: ['YWN0aXZl'],
    roles: [
      { label: 'friendship:friend', players: ['gm4AAAAAAAAAAAAA', 'gm4AAAAAAAAAAAAA'] },
      { label: 'friendship:witness', players: ['hHAAAAAAAAAAAAAA'] },
    ],
  },
];

type Json = Record<string, unknown>;

function decodeAll(Item: protobuf.Type, bytes: Uint8Array): Json[] {
  const reader = protobuf.Reader.create(bytes);
  const out: Json[] = [];
  while (reader.pos < reader.len) {
    out.push(Item.toObject(Item.decodeDelimited(reader), { longs: String, oneofs: true, arrays: true }) as Json);
  }
  return out;
}

test('a file we write decodes with only the §3.1 shapes, to the items we wrote', async () => {
  const path = join(tempDir(), 'interop.typedb');
  const writer = await ItemWriter.open(path, { typedbVersion: '2.29.1', originalDatabase: 'interop' });
  for (const item of THINGS) await writer.write(item);
  await writer.finish();
  const bytes = readFileSync(path);

  const Item = protobuf.parse(SECTION_3_1_PROTO).root.lookupType('data.Item');
  const decoded = decodeAll(Item, bytes);

  const expected: Json[] = [
    { item: 'header', header: { typedbVersion: '2.29.1', originalDatabase: 'interop' } },
    ...THINGS.map((thing): Json => {
      const common = { id: thing.id, label: thing.label, attribute: thing.ownerships.map((id) => ({ id })) };
      switch (thing.kind) {
        case 'entity':
          return { item: 'entity', entity: common };
        case 'relation':
          return {
            item: 'relation',
            relation: { ...common, role: thing.roles.map((r) => ({ label: r.label, player: r.players.map((id) => ({ id })) })) },
          };
        case 'attribute': {
          const v = thing.value;
          const field = v.type;
          const value = typeof v.value === 'bigint' || v.type === 'datetime' ? String(v.value) : v.value;
          return { item: 'attribute', attribute: { ...common, value: { value: field, [field]: value } } };
        }
      }
    }),
    {
      item: 'checksums',
      checksums: { entityCount: '1', attributeCount: '6', relationCount: '1', roleCount: '3', ownershipCount: '4' },
    },
  ];
  assert.deepEqual(decoded, expected);

  // Our bytes are the canonical protobuf encoding: re-encoding what protobufjs decoded gives them back.
  const reader = protobuf.Reader.create(bytes);
  const reencoded: Uint8Array[] = [];
  while (reader.pos < reader.len) reencoded.push(Item.encodeDelimited(Item.decodeDelimited(reader)).finish());
  assert.deepEqual(Buffer.concat(reencoded), bytes);
});

test('the §3.1 shapes also read the hand-built vector as the README describes', () => {
  const Item = protobuf.parse(SECTION_3_1_PROTO).root.lookupType('data.Item');
  const decoded = decodeAll(Item, readFileSync(vector('hand-built', 'example.typedb')));
  assert.deepEqual(decoded.map((d) => d['item']), ['header', 'entity', 'attribute', 'relation', 'checksums']);
  assert.deepEqual(decoded[2], {
    item: 'attribute',
    attribute: { id: 'g28AABSAAAAAAAAAKg==', label: 'age', attribute: [], value: { value: 'long', long: '42' } },
  });
});
