// PositionSet (a plan node's constraints gone, shared with its parent's) against a plain Set, over trees of sets grown
// from one another at capacities that take one to four levels of the trie.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PositionSet } from '../../src/query/position-set.js';

/** A seeded generator (mulberry32), so that a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('a set made from another holds both their positions and leaves the other as it was', () => {
  for (const capacity of [1, 31, 32, 256, 257, 2048, 2049, 40_000]) {
    const next = random(capacity);
    const sets: { set: PositionSet; model: Set<number> }[] = [{ set: PositionSet.empty(capacity), model: new Set() }];
    for (let i = 0; i < 200; i++) {
      // Grow a random earlier set (a tree of sets, as plan nodes form) by a few positions, some repeated, some held already.
      const from = sets[Math.floor(next() * sets.length)]!;
      const positions = Array.from({ length: Math.floor(next() * 5) }, () => Math.floor(next() * capacity));
      sets.push({ set: from.set.with([...positions, ...positions.slice(0, 1)]), model: new Set([...from.model, ...positions]) });
    }
    for (const { set, model } of sets) {
      for (let p = 0; p < capacity; p += capacity > 3000 ? 7 : 1) assert.equal(set.has(p), model.has(p), `capacity ${capacity}, position ${p}`);
      for (const p of model) assert.ok(set.has(p), `capacity ${capacity}, position ${p}`);
    }
  }
});

test('a set made from another copies only the arrays on the paths to the positions added', () => {
  let slots = 0;
  const count = (n: number) => void (slots += n);
  // 40 000 positions take four levels of 8 slots: an addition copies the four arrays on its path, and no others.
  const one = PositionSet.empty(40_000).with([39_999], count);
  assert.equal(slots, 32);
  one.with([39_998], count);
  assert.equal(slots, 64);
  // Positions in one word and their shared path are copied once.
  slots = 0;
  one.with([0, 1, 2, 3], count);
  assert.equal(slots, 32);
  slots = 0;
  assert.equal(one.with([], count), one);
  assert.equal(slots, 0);
});
