// The key sets a write buffer hands the commit log: views of the buffer, whose has() and keys() must agree.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intersects, type KeySet, TokenKeySet } from '../../src/storage/key-set.js';
import { WriteBuffer } from '../../src/storage/write-buffer.js';
import { b } from './fixtures.js';

const names = (keys: KeySet) => [...keys.keys()].map((key) => key.toString('latin1')).sort();

test('written keys: puts and touches, not deletes, whatever the order of the calls', () => {
  const buffer = new WriteBuffer();
  buffer.put(b('put'), b('v'));
  buffer.touch(b('touched'));
  buffer.touch(b('touched then put'));
  buffer.put(b('touched then put'), b('v'));
  buffer.touch(b('touched then deleted'));
  buffer.delete(b('touched then deleted'));
  buffer.delete(b('deleted then put'));
  buffer.put(b('deleted then put'), b('v'));
  buffer.put(b('put then deleted'), b('v'));
  buffer.delete(b('put then deleted'));
  buffer.put(b('put then touched'), b('v'));
  buffer.touch(b('put then touched'));
  buffer.lock(b('locked'));

  const written = buffer.writtenKeys();
  const expected = ['deleted then put', 'put', 'put then touched', 'touched', 'touched then put'];
  assert.deepEqual(names(written), expected);
  for (const name of ['put', 'touched', 'touched then put', 'deleted then put', 'put then touched']) {
    assert.equal(written.has(b(name)), true, name);
  }
  for (const name of ['touched then deleted', 'put then deleted', 'locked', 'never']) {
    assert.equal(written.has(b(name)), false, name);
  }
  assert.ok(written.sizeBound >= expected.length);
  assert.deepEqual(names(buffer.exclusiveKeys()), ['deleted then put', 'locked', 'put then deleted', 'touched then deleted']);
});

test('a sealed buffer refuses every change, a rollback included', () => {
  const buffer = new WriteBuffer();
  buffer.put(b('k'), b('v'));
  buffer.seal();
  for (const change of [
    () => buffer.put(b('x'), b('v')),
    () => buffer.delete(b('k')),
    () => buffer.lock(b('k')),
    () => buffer.touch(b('y')),
    () => buffer.require(b('p')),
    () => buffer.clear(),
  ]) {
    assert.throws(change, /\[STO17\] .* is being committed/);
  }
  assert.deepEqual(names(buffer.writtenKeys()), ['k']);
});

test('intersects probes the larger side with the smaller one, either way round', () => {
  const large = new WriteBuffer();
  for (let i = 0; i < 5000; i++) large.put(b(`k${i}`), b('v'));
  const small = new TokenKeySet();
  small.add(b('k4321'));
  assert.equal(intersects(small, large.writtenKeys()), true);
  assert.equal(intersects(large.writtenKeys(), small), true);
  const other = new TokenKeySet();
  other.add(b('k5000'));
  assert.equal(intersects(other, large.writtenKeys()), false);
  assert.equal(intersects(new TokenKeySet(), large.writtenKeys()), false);
});
