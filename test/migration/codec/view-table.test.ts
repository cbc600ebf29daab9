// Many records parsed in one native call (ViewTable, native/src/item_views.c): every record's view and ID hashes
// are what parsing it alone gives, also when the shared arrays fill up mid-batch or one record needs larger ones;
// strings that are not strict UTF-8 are declined as Node's isUtf8 rejects them; and the ID hash is the one the
// importer has always used (values pinned from the JavaScript implementation it replaced).

import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { test } from 'node:test';
import { ItemEncoder, type DataItem } from '../../../src/migration/codec/index.js';
import { parseLengthPrefix } from '../../../src/migration/codec/framing.js';
import { ItemView, ViewTable } from '../../../src/migration/codec/item-view.js';
import { hashId, idHashHex } from '../../../src/migration/import/id-hash.js';

const encoder = new ItemEncoder();

/** Encodes `items` one after another; returns the bytes and the [start, end) pairs of their item messages. */
function encodeAll(items: readonly DataItem[]): { bytes: Buffer; spans: Int32Array } {
  const bytes = Buffer.concat(items.map((item) => encoder.encode(item)));
  const spans = new Int32Array(2 * items.length);
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const prefix = parseLengthPrefix(bytes, at, bytes.length)!;
    spans[2 * i] = at + prefix.bytes;
    spans[2 * i + 1] = at + prefix.bytes + prefix.length;
    at += prefix.bytes + prefix.length;
  }
  return { bytes, spans };
}

/** What a view holds, with its IDs' hashes, in plain values. */
function describe(view: ItemView): unknown {
  const text = (start: number, end: number) => view.buf.toString('utf8', start, end);
  const hash = (n: number) => [...view.hashes.subarray(4 * (view.hashFrom + n), 4 * (view.hashFrom + n) + 4)];
  const owned = Array.from({ length: view.ownedCount }, (_, i) => text(view.owned[2 * (view.ownedFrom + i)]!, view.owned[2 * (view.ownedFrom + i) + 1]!));
  const roles = Array.from({ length: view.roleCount }, (_, r) => {
    const at = 4 * (view.roleFrom + r);
    const players = [];
    for (let p = view.roles[at + 2]!; p < view.roles[at + 3]!; p++) players.push(text(view.players[2 * p]!, view.players[2 * p + 1]!));
    return { label: text(view.roles[at]!, view.roles[at + 1]!), players };
  });
  const ids = [text(view.idStart, view.idEnd), ...owned, ...roles.flatMap((role) => role.players)];
  return { kind: view.kind, label: text(view.labelStart, view.labelEnd), ids, roles, hashes: ids.map((_, n) => hash(n)) };
}

function expectedHash(id: string): number[] {
  const out = new Uint32Array(4);
  hashId(id, out, 0);
  return [...out];
}

function items(count: number, ownedEach: number): DataItem[] {
  return Array.from({ length: count }, (_, i): DataItem =>
    i % 3 === 2
      ? { kind: 'relation', id: `r${i}`, label: 'friendship', ownerships: [], roles: [{ label: 'friend', players: [`p${i}`, `p${i + 1}`] }, { label: 'other', players: [`ü${i}`] }] }
      : { kind: 'entity', id: `e${i}-${'x'.repeat(i % 40)}`, label: 'person', ownerships: Array.from({ length: ownedEach }, (_, k) => `a${i}.${k}`) },
  );
}

test('a batch parses every record as parsing it alone does, when the shared arrays fill mid-batch and when one record needs larger ones', () => {
  for (const [count, ownedEach] of [[1000, 20], [3, 20_000], [0, 0]] as const) {
    const all = items(count, ownedEach);
    const { bytes, spans } = encodeAll(all);
    const table = new ViewTable(count);
    const single = new ItemView();
    const batched = new ItemView();
    let done = 0;
    let calls = 0;
    while (done < count) {
      const parsed = table.parse(bytes, spans.subarray(2 * done), count - done);
      calls++;
      for (let row = 0; row < parsed; row++, done++) {
        assert.ok(table.load(batched, row));
        assert.ok(single.parse(bytes, spans[2 * done]!, spans[2 * done + 1]!));
        const seen = describe(batched) as { ids: string[]; hashes: number[][] };
        assert.deepEqual(seen, describe(single), `record ${done}`);
        assert.deepEqual(seen.hashes, seen.ids.map(expectedHash), `the hashes of record ${done}`);
      }
    }
    if (count === 1000) assert.ok(calls > 1, 'the shared arrays filled up at least once');
  }
});

test('IDs that are not strict UTF-8 are declined exactly where isUtf8 says so', () => {
  const view = new ItemView();
  const samples = [
    [0x61], [0xc3, 0xa9], [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xe0, 0xa0, 0x80], [0xed, 0x9f, 0xbf], [0xed, 0xa0, 0x80],
    [0xef, 0xbf, 0xbf], [0xf0, 0x8f, 0xbf, 0xbf], [0xf0, 0x90, 0x80, 0x80], [0xf4, 0x8f, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80],
    [0xf5, 0x80, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xc3, 0x28], [0xff],
  ];
  for (const sample of samples) {
    // An entity whose ID is `sample`, label 'p': written by hand, since the encoder takes strings.
    const id = Buffer.from(sample);
    const body = Buffer.concat([Buffer.from([0x0a, id.length]), id, Buffer.from([0x12, 0x01, 0x70])]);
    const bytes = Buffer.concat([Buffer.from([0x12, body.length]), body]);
    assert.equal(view.parse(bytes, 0, bytes.length), isUtf8(id), `ID bytes ${id.toString('hex')}`);
  }
});

test('ID hashes are the ones imports have always used: empty, one block and more, non-ASCII, NUL', () => {
  // Computed by the JavaScript implementation of native/src/item_views.c's hash_id before it moved there.
  const pinned: [string, string][] = [
    ['', 'b0c2541cf971c5107f0723f3ce64a76c'],
    ['a', '108b664a304705e136ec114ff1ecc8d7'],
    ['gm4AAAAAAAAAAAAA', '6f2fd3b46c4171aa5a3e84b4b98cbcad'],
    ['gm4AAAAAAAAAAAAAB', 'fd18bc49a998cc83e6e8147bedd5aa40'],
    ['x'.repeat(31), '184a17aba4aec6d6cfa12bfe353c6a00'],
    ['x'.repeat(32), 'e98013f3d05d0dbc7a30ae1df0de9b1d'],
    ['x'.repeat(33), '7e5ac76909e0cb18b58c763445c19637'],
    ['héllo wörld — ñ', 'c5109e4d7fdb4e904072e34ea542a375'],
    ['日本語のID', '5963a97197b38ee1678a8a77d90521fe'],
    ['😀'.repeat(5), '35a1b769051537410b186dc643721b0c'],
    ['a\u0000b', '23fc08516cda7caf3ac315323a1bd54f'],
  ];
  for (const [id, hash] of pinned) assert.equal(idHashHex(id), hash, JSON.stringify(id));
});
