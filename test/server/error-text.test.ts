// What a client reads for a failure that is not a StrataError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorText } from '../../src/server/errors.js';

function overflow(depth: number): number {
  return depth === Number.MAX_SAFE_INTEGER ? depth : overflow(depth + 1) + 1;
}

test('a stack overflow reads as a query too large for the server, not as an internal error', () => {
  let error: unknown;
  try {
    overflow(0);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof RangeError);
  assert.equal(
    errorText(error),
    '[QRY53] Invalid Query Pattern: The query is too large or too deeply nested for the server to process (it ran out of stack space). Split it into smaller queries.',
  );
  assert.match(errorText(new TypeError('x is undefined')), /^\[INT01\] Invalid Internal State: x is undefined\. This is a bug in Strata/);
});
