// The claims through which two threads share an export's pieces: every piece once, the front in order from the
// start, the back in order from the end, until they meet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PieceClaims } from '../../src/migration/export/piece-claims.js';

test('front and back claims meet, and every piece is claimed exactly once', () => {
  for (const count of [0, 1, 2, 7, 8]) {
    for (const pattern of ['front', 'back', 'alternate']) {
      const claims = PieceClaims.create(count);
      const front: number[] = [];
      const back: number[] = [];
      for (let turn = 0; ; turn++) {
        const fromFront = pattern === 'front' || (pattern === 'alternate' && turn % 2 === 0);
        const piece = fromFront ? claims.front() : claims.back();
        if (piece === undefined) break;
        (fromFront ? front : back).push(piece);
      }
      assert.equal(claims.front(), undefined);
      assert.equal(claims.back(), undefined);
      assert.deepEqual(front, Array.from({ length: front.length }, (_, i) => i), `${pattern} ${count}: front in order`);
      assert.deepEqual(back, Array.from({ length: back.length }, (_, i) => count - 1 - i), `${pattern} ${count}: back in order`);
      assert.equal(front.length + back.length, count);
    }
  }
});

test('claims made through the shared buffer are seen by every holder of it', () => {
  const claims = PieceClaims.create(3);
  const other = new PieceClaims(claims.buffer);
  assert.equal(other.back(), 2);
  assert.equal(claims.front(), 0);
  assert.equal(other.back(), 1);
  assert.equal(claims.front(), undefined);
  const rest = PieceClaims.create(5);
  assert.equal(rest.back(), 4);
  rest.takeAll();
  assert.equal(rest.back(), undefined);
  assert.equal(rest.front(), undefined);
});
