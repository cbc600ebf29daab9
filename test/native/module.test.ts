import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { nativeModule } from '../../src/native/index.js';

test('the native module built by npm ci loads, with the interface version the loader expects', () => {
  const native = nativeModule();
  assert.equal(native.abi(), 3);
  assert.equal(nativeModule(), native, 'loaded once per thread');
});
