// readLongsExactly: once a process installs it, the protocol's sint64 fields read exactly (a bigint beyond 2^53),
// which the console prints and the server stores. node --test runs each file in a process of its own, so
// installing it here changes nothing elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Value as ValueProto } from 'typedb-protocol/proto/concept.js';
import { readLongsExactly } from '../../src/common/exact-longs.js';
import { ExactLongValue } from '../../src/server/exact-long-value.js';
import { decodeValue } from '../../src/server/answer-encoding.js';

const BEYOND = [9007199254740993n, -9007199254740993n, 2n ** 63n - 1n, -(2n ** 63n)];

test('longs beyond 2^53 read exactly once installed; safe ones and datetimes stay numbers', () => {
  const read = (exact: bigint) => ValueProto.deserialize(new ExactLongValue(exact).serialize()).long as unknown;
  // The generated code alone rounds.
  assert.equal(read(9007199254740993n), 9007199254740992);
  readLongsExactly();
  for (const exact of BEYOND) {
    assert.equal(read(exact), exact);
    assert.deepEqual(decodeValue(ValueProto.deserialize(new ExactLongValue(exact).serialize())), { type: 'long', value: exact });
  }
  assert.equal(read(42n), 42);
  assert.equal(read(-(2n ** 53n) + 1n), -(2 ** 53) + 1);
  const millis = Date.UTC(9999, 11, 31);
  assert.equal(ValueProto.deserialize(new ValueProto({ date_time: millis }).serialize()).date_time, millis);
});
