// IID keys: one char per byte, the same whichever way an IID of any length is built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { iidFromKey, iidKey } from '../../src/encoding/index.js';

test('an IID key has one char per byte and gives the IID back, for every length and byte value', () => {
  for (let length = 1; length <= 80; length++) {
    const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + length * 31) & 0xff);
    const key = iidKey(bytes);
    assert.equal(key, Buffer.from(bytes).toString('latin1'));
    assert.deepEqual(iidFromKey(key), bytes);
    // A Buffer, and a view into a larger array (as IIDs read out of keys are), give the same key.
    assert.equal(iidKey(Buffer.from(bytes)), key);
    const larger = new Uint8Array(length + 6);
    larger.set(bytes, 3);
    assert.equal(iidKey(larger.subarray(3, 3 + length)), key);
  }
  assert.equal(iidKey(Uint8Array.of(0, 127, 128, 255)), '\u0000\u007f\u0080\u00ff');
});

test('the key of an entity or relation IID is made without a Buffer', () => {
  const from = Buffer.from;
  let buffers = 0;
  Buffer.from = ((...args: Parameters<typeof Buffer.from>) => (buffers++, from(...args))) as typeof Buffer.from;
  try {
    iidKey(Uint8Array.of(1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 9));
  } finally {
    Buffer.from = from;
  }
  assert.equal(buffers, 0);
});
