// The radix sorts (native code: native/src/radix_sort.c) against a plain comparison sort: empty and one-record
// inputs, ties kept in input order (the LSD sort is stable), both digit sizes (bytes below 65 536 records, 11 bits
// from there), payloads of every padding, keys sorted by their leading words only, and damaged records refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { radixSortInPlace, radixSortRecords, recordWords } from '../../src/migration/import/radix-sort.js';

interface Record {
  key: number[];
  payload: number[];
}

/** Lays `rows` out as sort records ([payload bytes][key words][payload words]); returns the array and words used. */
function layOut(rows: readonly Record[], keyWords: number): { words: Uint32Array; used: number } {
  const used = rows.reduce((sum, row) => sum + recordWords(keyWords, row.payload.length), 0);
  const words = new Uint32Array(used + 5); // room past `used` that must stay untouched
  words.fill(0xdead, used);
  const bytes = new Uint8Array(words.buffer);
  let at = 0;
  for (const row of rows) {
    words[at] = row.payload.length;
    words.set(row.key, at + 1);
    bytes.set(row.payload, (at + 1 + keyWords) * 4);
    at += recordWords(keyWords, row.payload.length);
  }
  return { words, used };
}

function readBack(words: Uint32Array, used: number, keyWords: number): Record[] {
  const bytes = new Uint8Array(words.buffer, words.byteOffset);
  const rows: Record[] = [];
  for (let at = 0; at < used; at += recordWords(keyWords, words[at]!)) {
    const start = (at + 1 + keyWords) * 4;
    rows.push({ key: [...words.subarray(at + 1, at + 1 + keyWords)], payload: [...bytes.subarray(start, start + words[at]!)] });
  }
  return rows;
}

function randomRows(count: number, keyWords: number, seed: number, distinct: number): Record[] {
  let x = seed;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
  return Array.from({ length: count }, (_, i) => ({
    // Few distinct values in the first word (ties), full range in the others; high bits set too.
    key: Array.from({ length: keyWords }, (_, w) => (w === 0 ? (0xfff0_0000 + (next() % distinct)) >>> 0 : next())),
    payload: Array.from({ length: (i * 7) % 13 }, () => next() & 0xff),
  }));
}

function sortedByLeadingWords(rows: readonly Record[], words: number): Record[] {
  // Array.prototype.sort is stable: ties keep their input order, as the LSD radix sort must.
  return [...rows].sort((a, b) => {
    for (let w = 0; w < words; w++) if (a.key[w] !== b.key[w]) return a.key[w]! < b.key[w]! ? -1 : 1;
    return 0;
  });
}

for (const [label, count] of [['bytes', 5_000], ['11-bit digits', 70_000]] as const) {
  for (const radixWords of [1, 3]) {
    test(`radix sort through a spare array (${label}, by ${radixWords} of 3 key words): stable, payloads whole`, () => {
      const rows = randomRows(count, 3, count + radixWords, 50);
      const { words, used } = layOut(rows, 3);
      const spare = new Uint32Array(used + 5).fill(0xdead, used);
      const sorted = radixSortRecords(words, spare, used, count, 3, 32 * radixWords);
      assert.deepEqual(readBack(sorted, used, 3), sortedByLeadingWords(rows, radixWords));
      assert.deepEqual([...words.subarray(used), ...spare.subarray(used)], Array(10).fill(0xdead), 'nothing written past `used`');
    });
  }
}

test('radix sort of no records and of one record leaves them as they are', () => {
  const empty = new Uint32Array(0);
  assert.equal(radixSortRecords(empty, new Uint32Array(0), 0, 0, 2, 64), empty);
  const one = layOut([{ key: [5, 6], payload: [1, 2, 3] }], 2);
  assert.equal(radixSortRecords(one.words, new Uint32Array(one.used), one.used, 1, 2, 64), one.words);
  assert.deepEqual(readBack(one.words, one.used, 2), [{ key: [5, 6], payload: [1, 2, 3] }]);
  radixSortInPlace(empty, 0, 3, 2, 32, () => assert.fail('no scratch for no records'));
});

test('radix sort where every key is equal keeps the input order', () => {
  const rows = Array.from({ length: 1000 }, (_, i) => ({ key: [7, 7], payload: [i & 0xff, i >> 8] }));
  const { words, used } = layOut(rows, 2);
  const sorted = radixSortRecords(words, new Uint32Array(used), used, rows.length, 2, 64);
  assert.deepEqual(readBack(sorted, used, 2), rows);
});

test('in-place radix sort: every record once, in key order, with ties and a single bucket', () => {
  for (const distinct of [1, 3, 100_000]) {
    const rows = randomRows(20_000, 2, distinct, distinct).map((row, i) => ({ key: row.key, payload: [i & 0xff, (i >> 8) & 0xff, i >> 16, 0] }));
    const { words, used } = layOut(rows, 2);
    radixSortInPlace(words, used, recordWords(2, 4), 2, 32, (size) => new Uint32Array(size));
    const read = readBack(words, used, 2);
    const byKey = (a: Record, b: Record) => (a.key[0]! < b.key[0]! ? -1 : a.key[0]! > b.key[0]! ? 1 : 0);
    for (let i = 1; i < read.length; i++) assert.ok(byKey(read[i - 1]!, read[i]!) <= 0, `out of order at ${i}`);
    const identity = (r: Record) => `${r.key}|${r.payload}`;
    assert.deepEqual(read.map(identity).sort(), rows.map(identity).sort());
  }
});

test('radix sort refuses records whose length runs past the words in use, and radix bits that are not whole words', () => {
  const { words, used } = layOut([{ key: [1], payload: [1] }, { key: [0], payload: [2] }], 1);
  words[3] = 400; // the second record's payload length now reaches far past `used`
  assert.throws(() => radixSortRecords(words, new Uint32Array(used), used, 2, 1, 32), /damaged sort records/);
  assert.throws(() => radixSortRecords(words, new Uint32Array(used), used, 2, 1, 16), /whole key words, not 16 bits/);
});
