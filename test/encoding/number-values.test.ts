// Longs, doubles and datetimes in value keys and records read back exactly, from the store's Buffers (at any
// offset inside them) as from plain byte arrays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeValueKey, decodeValueRecord, encodeValueKey, encodeValueRecord } from '../../src/encoding/value-codec.js';
import { decodeCount, encodeCount } from '../../src/encoding/keys.js';
import type { Value } from '../../src/common/values.js';

const values: Value[] = [
  ...[0n, 1n, -1n, 42n, -9223372036854775808n, 9223372036854775807n, 9007199254740993n].map((value) => ({ type: 'long', value }) as const),
  ...[0, 1.5, -1.5, Number.MAX_VALUE, -Number.MIN_VALUE, Infinity, -Infinity, 1e-300].map((value) => ({ type: 'double', value }) as const),
  ...[0, -62135596800000, 253402300799999].map((value) => ({ type: 'datetime', value }) as const),
];

test('numbers decode the same from Buffers, at an offset, as from plain byte arrays', () => {
  for (const value of values) {
    const key = encodeValueKey(value);
    const shifted = Buffer.concat([Buffer.from([7, 7, 7]), key]);
    assert.deepEqual(decodeValueKey(value.type, key, 0), value);
    assert.deepEqual(decodeValueKey(value.type, Buffer.from(key), 0), value);
    assert.deepEqual(decodeValueKey(value.type, shifted, 3), value);
    assert.deepEqual(decodeValueRecord(Buffer.from(encodeValueRecord(value))), value);
  }
  // -0 is stored as 0, so that equal doubles have equal keys.
  assert.deepEqual(decodeValueKey('double', Buffer.from(encodeValueKey({ type: 'double', value: -0 })), 0), { type: 'double', value: 0 });
  assert.throws(() => decodeValueKey('long', Buffer.from([1, 2, 3]), 0), RangeError);
});

test('repetition counts read back from Buffers', () => {
  for (const count of [0, 1, 255, 256, 65_536, 2 ** 31, 2 ** 32 - 1]) {
    assert.equal(decodeCount(encodeCount(count)), count);
    assert.equal(decodeCount(Buffer.from(encodeCount(count))), count);
  }
});
