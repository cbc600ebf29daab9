// The import pipeline's building blocks: the external sorter (in memory, spilled to runs, ties ordered by the
// other key words and by payload), the ID hash, and the ordinals that stand for IIDs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExternalSorter } from '../../src/migration/import/external-sorter.js';
import { radixSortInPlace } from '../../src/migration/import/radix-sort.js';
import { hashId, hashIdBytes, idHashHex } from '../../src/migration/import/id-hash.js';
import { ThingOrdinals } from '../../src/migration/import/thing-ordinals.js';
import { ThingKind } from '../../src/encoding/index.js';
import { refHi } from '../../src/migration/import/records.js';
import { tempDir } from './fixtures.js';

interface Row {
  key: [number, number, number];
  payload: string;
}

function rows(n: number, seed: number): Row[] {
  let x = seed;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
  return Array.from({ length: n }, () => ({
    key: [next() % 500, next() % 3 === 0 ? 0xffff_ffff : next() % 40, next() % 5] as [number, number, number],
    payload: `p${next() % 11}`.padEnd(1 + (next() % 90), '-'),
  }));
}

function byKeyThenPayload(a: Row, b: Row): number {
  for (let w = 0; w < 3; w++) if (a.key[w] !== b.key[w]) return a.key[w]! - b.key[w]!;
  return Buffer.compare(Buffer.from(a.payload), Buffer.from(b.payload));
}

for (const [label, memoryBytes] of [['in memory', 1 << 30], ['spilled to many runs', 1 << 16]] as const) {
  test(`external sorter, ${label}: key order, then payload order, for every record, twice`, () => {
    const dir = tempDir();
    const input = rows(20_000, 42);
    const sorter = new ExternalSorter({
      dir,
      name: 'test',
      keyWords: 3,
      radixBits: 32,
      memoryBytes,
      payloadOrder: { by: 'bytes' },
    });
    for (const row of input) {
      sorter.key.set(row.key);
      sorter.add(Buffer.from(row.payload));
    }
    const sorted = sorter.finish();
    assert.equal(sorted.size, input.length);
    assert.equal(sorted.spilledBytes > 0, memoryBytes < 1 << 20);
    const expected = [...input].sort(byKeyThenPayload);
    for (let pass = 0; pass < 2; pass++) {
      const cursor = sorted.open();
      let i = 0;
      while (cursor.next()) {
        const row = expected[i++]!;
        assert.deepEqual([...cursor.key.subarray(cursor.keyAt, cursor.keyAt + 3)], row.key);
        assert.equal(cursor.payload.toString('utf8', cursor.payloadStart, cursor.payloadEnd), row.payload);
      }
      assert.equal(i, expected.length);
    }
    sorted.dispose();
  });
}

for (const [label, memoryBytes] of [['in memory', 1 << 30], ['spilled to many runs', 1 << 16]] as const) {
  test(`external sorter, records added in order of their last key words, ${label}: sorting by the first completes the order`, () => {
    // As a reverse edge set is filled from its sorted forward set: [a, b, c] added in order of (b, c).
    let x = 7;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    const keys: [number, number, number][] = Array.from({ length: 30_000 }, () => [next() % 3000, next() % 50, next() % 0x1_0000]);
    keys.sort((p, q) => p[1] - q[1] || p[2] - q[2]);
    const sorter = new ExternalSorter({ dir: tempDir(), name: 'reverse', keyWords: 3, radixBits: 32, restInOrder: true, memoryBytes });
    for (const key of keys) {
      sorter.key.set(key);
      sorter.add();
    }
    const sorted = sorter.finish();
    assert.equal(sorted.spilledBytes > 0, memoryBytes < 1 << 20);
    const expected = [...keys].sort((p, q) => p[0] - q[0] || p[1] - q[1] || p[2] - q[2]);
    const cursor = sorted.open();
    let i = 0;
    while (cursor.next()) assert.deepEqual([...cursor.key.subarray(cursor.keyAt, cursor.keyAt + 3)], expected[i++]);
    assert.equal(i, expected.length);
    sorted.dispose();
  });
}

for (const [label, memoryBytes] of [['in memory', 1 << 30], ['spilled to many runs', 1 << 16]] as const) {
  test(`external sorter ordering ties by a length-prefixed field of the payload, ${label}: key, field, then as added`, () => {
    // Payload: the record's index (4 bytes), a 16-bit length at offset 4, that many bytes, then bytes the order
    // ignores. Few distinct keys and fields: groups of ties larger and smaller than an insertion sort's, equal
    // fields of different lengths, and records equal in key and field whose order must stay as added.
    let x = 11;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    const records = Array.from({ length: 12_000 }, (_, index) => {
      const field = Buffer.from([next() % 3, next() % 3, next() % 3].slice(0, next() % 4));
      const payload = Buffer.alloc(6 + field.length + (next() % 5), 0xee);
      payload.writeUInt32LE(index, 0);
      payload.writeUInt16LE(field.length, 4);
      field.copy(payload, 6);
      return { key: [next() % 4, next() % 3, next() % 2] as [number, number, number], field, index, payload };
    });
    const sorter = new ExternalSorter({ dir: tempDir(), name: 'fields', keyWords: 3, radixBits: 32, memoryBytes, payloadOrder: { by: 'lengthPrefixed', lengthAt: 4 } });
    for (const record of records) {
      sorter.key.set(record.key);
      sorter.add(record.payload);
    }
    const expected = [...records].sort(
      (a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2] || Buffer.compare(a.field, b.field) || a.index - b.index,
    );
    const sorted = sorter.finish();
    assert.equal(sorted.spilledBytes > 0, memoryBytes < 1 << 20);
    const cursor = sorted.open();
    const order: number[] = [];
    while (cursor.next()) order.push(cursor.payload.readUInt32LE(cursor.payloadStart));
    assert.deepEqual(order, expected.map((record) => record.index));
    sorted.dispose();
  });
}

test('external sorter without payload order keeps equal keys in insertion order (stable), across runs', () => {
  const dir = tempDir();
  const sorter = new ExternalSorter({ dir, name: 'stable', keyWords: 1, memoryBytes: 1 << 16 });
  for (let i = 0; i < 10_000; i++) {
    sorter.key[0] = i % 7;
    sorter.add(Buffer.from(String(i)));
  }
  const cursor = sorter.finish().open();
  let previous = { key: -1, index: -1 };
  while (cursor.next()) {
    const key = cursor.key[cursor.keyAt]!;
    const index = Number(cursor.payload.toString('utf8', cursor.payloadStart, cursor.payloadEnd));
    assert.ok(key > previous.key || (key === previous.key && index > previous.index));
    previous = { key, index };
  }
});

for (const [label, memoryBytes] of [['in memory', 1 << 30], ['spilled to many runs', 1 << 18]] as const) {
  test(`external sorter sorting in place, ${label}: every record, in key order (skewed keys, with ties)`, () => {
    const dir = tempDir();
    const sorter = new ExternalSorter({ dir, name: 'in-place', keyWords: 4, radixBits: 32, memoryBytes, inPlace: true });
    let x = 7;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    const added: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      // A third of the records share a few keys (popular IDs), the rest are random.
      const popular = next() % 3 === 0;
      const key = popular ? [0x8000_0000 + (next() % 4), 1, 2, 3] : [next(), next(), next(), next()];
      sorter.key.set(key);
      const payload = String(i).padStart(8, '0');
      sorter.add(Buffer.from(payload));
      added.push(`${key.join(',')}|${payload}`);
    }
    const sorted = sorter.finish();
    assert.equal(sorted.spilledBytes > 0, memoryBytes < 1 << 20);
    const read: string[] = [];
    const cursor = sorted.open();
    let previous: number[] = [];
    while (cursor.next()) {
      const key = [...cursor.key.subarray(cursor.keyAt, cursor.keyAt + 4)];
      for (let w = 0; w < 4 && previous.length > 0; w++) {
        if (key[w] !== previous[w]) {
          assert.ok(key[w]! > previous[w]!, `out of order: ${previous} before ${key}`);
          break;
        }
      }
      previous = key;
      read.push(`${key.join(',')}|${cursor.payload.toString('utf8', cursor.payloadStart, cursor.payloadEnd)}`);
    }
    assert.deepEqual(read.sort(), added.sort());
    sorted.dispose();
  });
}

test('in-place radix sort by a 32-bit key: buckets of every size, by the low bits too, records kept whole', () => {
  // 400 000 records of a 2-word key and 1 word of payload: the top byte's buckets hold ~1 500 records each (sorted
  // by the 12-bit passes) except for a few small ones (by the byte passes).
  const size = 4;
  const count = 400_000;
  const records = new Uint32Array(count * size);
  let x = 11;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
  for (let i = 0; i < count; i++) {
    const at = i * size;
    const small = next() % 1000 === 0; // a few records in buckets of their own, far too small for the 12-bit passes
    records[at] = 4;
    records[at + 1] = small ? ((0xf0 + (i % 8)) << 24) | (next() & 0xffffff) : next() % 0xf0000000;
    records[at + 2] = next();
    records[at + 3] = i; // the payload: which record this is
  }
  const expected = [...Array(count).keys()].sort((a, b) => records[a * size + 1]! - records[b * size + 1]! || a - b);
  const keys = expected.map((i) => `${records[i * size + 1]}:${records[i * size + 2]}:${i}`);
  radixSortInPlace(records, records.length, size, 2, 32, (words) => new Uint32Array(words));
  const sorted: string[] = [];
  for (let at = 0; at < records.length; at += size) {
    assert.equal(records[at], 4);
    sorted.push(`${records[at + 1]}:${records[at + 2]}:${records[at + 3]}`);
  }
  // In key order (the first word; ties in any order), every record whole and once.
  for (let i = 1; i < count; i++) assert.ok(records[(i - 1) * size + 1]! <= records[i * size + 1]!, `out of order at ${i}`);
  assert.deepEqual(sorted.sort(), keys.sort());
});

test('ID hashes differ for IDs that differ anywhere, including only in length or in one UTF-16 unit', () => {
  const ids = ['', 'a', 'a\u0000', 'gm4AAAAAAAAAAAAA', 'gm4AAAAAAAAAAAAB', 'hm4AAAAAAAAAAAAA', 'x'.repeat(9143), 'x'.repeat(9142) + 'y', '\uFFFD\uFFFD', '\uFFFD'];
  const hashes = new Set(ids.map(idHashHex));
  assert.equal(hashes.size, ids.length);
  assert.equal(idHashHex('gm4AAAAAAAAAAAAA'), idHashHex('gm4AAAAAAAAAAAAA'));
});

test('an ID hashed from its UTF-8 bytes has the hash of its string, at any length and position, ASCII or not', () => {
  const fromString = new Uint32Array(4);
  const fromBytes = new Uint32Array(6);
  // Lengths across one, two and three 16-byte blocks and every tail length; 1-, 2-, 3- and 4-byte characters.
  const alphabet = ['a', 'Z', '~', '/', '+', '=', '\u00e9', '\u20ac', '\u{1F600}'];
  for (let length = 0; length <= 40; length++) {
    for (const ascii of [true, false]) {
      const chars = Array.from({ length }, (_, i) => (ascii ? String.fromCharCode(32 + ((i * 37 + length) % 95)) : alphabet[(i * 7 + length) % alphabet.length]!));
      const id = chars.join('');
      const utf8 = Buffer.from(id, 'utf8');
      const bytes = Buffer.concat([Buffer.from('..'), utf8, Buffer.from('...')]);
      hashId(id, fromString, 0);
      hashIdBytes(bytes, 2, 2 + utf8.length, fromBytes, 1);
      assert.deepEqual([...fromBytes.subarray(1, 5)], [...fromString], `${ascii ? 'ASCII' : 'non-ASCII'} ID of ${length} characters`);
    }
  }
  // A string longer than the encoding buffer hashId starts with, and one after it (the buffer is reused).
  const long = '\u20ac'.repeat(5000);
  hashId(long, fromString, 0);
  hashIdBytes(Buffer.from(long, 'utf8'), 0, 15000, fromBytes, 0);
  assert.deepEqual([...fromBytes.subarray(0, 4)], [...fromString]);
  assert.equal(idHashHex('gm4AAAAAAAAAAAAA'), idHashHex('gm4AAAAAAAAAAAAA'));
});

test('ordinals number things in IID order: entity types, relation types, then attributes by rank', () => {
  const objects = new Map([
    [refHi(ThingKind.Relation, 7), 2],
    [refHi(ThingKind.Entity, 9), 3],
    [refHi(ThingKind.Entity, 4), 1],
  ]);
  const attributes = new Map<number, readonly [number, number]>([
    [refHi(ThingKind.Attribute, 2), [0, 1]],
    [refHi(ThingKind.Attribute, 5), [2, 2]],
  ]);
  const ordinals = new ThingOrdinals(objects, attributes);
  assert.equal(ordinals.objects, 6);
  assert.equal(ordinals.total, 9);
  assert.equal(ordinals.of(refHi(ThingKind.Entity, 4), 1), 0);
  assert.equal(ordinals.of(refHi(ThingKind.Entity, 9), 3), 3);
  assert.equal(ordinals.of(refHi(ThingKind.Relation, 7), 1), 4);
  assert.equal(ordinals.of(refHi(ThingKind.Attribute, 5), 2), 8);
  // The packed segments (native code names things by them) turn every ordinal back into its thing.
  const segments = ordinals.packedSegments();
  for (let ordinal = 0; ordinal < 9; ordinal++) {
    let s = 0;
    while (!(ordinal >= segments[s]! && ordinal < segments[s + 1]!)) s += 4;
    assert.equal(ordinals.of(segments[s + 2]!, segments[s + 3]! + ordinal - segments[s]!), ordinal);
  }
  assert.equal(ordinals.isAttribute(5), false);
  assert.equal(ordinals.isAttribute(6), true);
});
