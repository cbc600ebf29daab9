// Key counts of a range or prefix: the store's own count, and the same count merged with a write transaction's
// changes or a reasoner's overlay, always equal to the number of keys the matching range read yields.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OverlayView, type ReadView } from '../../src/storage/index.js';
import { b, commitPuts, tempStore } from './fixtures.js';

/** Counts by reading every key: what countPrefixKeys and countKeys must agree with. */
function readCount(keys: Iterable<unknown>): number {
  let n = 0;
  for (const _ of keys) n++;
  return n;
}

function assertCounts(view: ReadView, prefix: string, start: string, end: string, expectedPrefix: number, expectedRange: number): void {
  assert.equal(view.countPrefixKeys(b(prefix)), expectedPrefix);
  assert.equal(readCount(view.prefixKeys(b(prefix))), expectedPrefix);
  assert.equal(view.countKeys(b(start), b(end)), expectedRange);
  assert.equal(readCount(view.rangeKeys(b(start), b(end))), expectedRange);
}

describe('key counts', () => {
  test('a snapshot counts its own keys only, not commits made after it', () => {
    const store = tempStore();
    commitPuts(store, ['a1', 'a2', 'a3', 'b1', 'c1']);
    const snapshot = store.snapshot();
    commitPuts(store, ['a4', 'b2']);
    assertCounts(snapshot, 'a', 'a2', 'b2', 3, 3);
    assert.equal(snapshot.countPrefixKeys(b('z')), 0);
    assert.equal(snapshot.countKeys(b('c'), b('a')), 0); // an empty interval
    assert.equal(snapshot.countPrefixKeys(new Uint8Array(0)), 5); // the whole store
    snapshot.close();
    const later = store.snapshot();
    assertCounts(later, 'a', 'a2', 'b2', 4, 4);
    later.close();
    store.close();
  });

  test('a write transaction counts its own puts and deletes over its snapshot', () => {
    const store = tempStore();
    commitPuts(store, ['a1', 'a2', 'a3', 'b1']);
    const tx = store.beginWrite();
    tx.put(b('a4'), b('new')); // new: +1
    tx.put(b('a1'), b('rewritten')); // already there: no change
    tx.delete(b('a2')); // there: -1
    tx.delete(b('a9')); // never there: no change
    tx.put(b('a5'), b('x'));
    tx.delete(b('a5')); // put then deleted in the same transaction: never there
    tx.put(b('c1'), b('outside')); // outside the prefix and the range
    assertCounts(tx, 'a', 'a1', 'b', 3, 3);
    assert.equal(tx.countKeys(b('a3'), b('c2')), 4); // a3, a4, b1, c1
    // Another transaction sees neither these changes nor counts them.
    const other = store.snapshot();
    assert.equal(other.countPrefixKeys(b('a')), 3);
    other.close();
    tx.commit();
    const after = store.snapshot();
    assert.equal(after.countPrefixKeys(b('a')), 3);
    after.close();
    store.close();
  });

  test('an overlay adds the entries its base lacks, and counts an entry it repeats once', () => {
    const store = tempStore();
    commitPuts(store, ['a1', 'a3', 'b1']);
    const snapshot = store.snapshot();
    const view = new OverlayView(snapshot);
    view.put(b('a2'), b('inferred'));
    view.put(b('a3'), b('inferred again'));
    view.put(b('b2'), b('inferred'));
    assertCounts(view, 'a', 'a2', 'b9', 3, 4);
    snapshot.close();
    store.close();
  });

  test('an overlay over a write transaction counts the transaction changes too', () => {
    const store = tempStore();
    commitPuts(store, ['a1', 'a2']);
    const tx = store.beginWrite();
    tx.delete(b('a1'));
    tx.put(b('a3'), b('written'));
    const view = new OverlayView(tx);
    view.put(b('a4'), b('inferred'));
    view.put(b('a3'), b('inferred over written'));
    assertCounts(view, 'a', 'a', 'b', 3, 3);
    tx.abort();
    store.close();
  });
});
