// An overlay of puts merged over a read view: the reasoner's inferred keys seen as if they were stored.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OverlayView } from '../../src/storage/index.js';
import { b, commitPuts, keysOf, tempStore, text } from './fixtures.js';

describe('overlay view', () => {
  test('get, has, prefix and range merge the overlay over the base in key order', () => {
    const store = tempStore();
    commitPuts(store, { a1: '1', a3: '3', b1: 'x' });
    const snapshot = store.snapshot();
    const view = new OverlayView(snapshot);
    view.put(b('a2'), b('2'));
    view.put(b('a4'), b('4'));
    view.put(b('c1'), b('y'));
    assert.equal(Buffer.from(view.get(b('a2'))!).toString(), '2');
    assert.equal(Buffer.from(view.get(b('a3'))!).toString(), '3');
    assert.equal(view.has(b('a5')), false);
    assert.equal(view.hasOwn(b('a2')), true);
    assert.equal(view.hasOwn(b('a3')), false);
    assert.deepEqual(text(view.prefix(b('a'))), [['a1', '1'], ['a2', '2'], ['a3', '3'], ['a4', '4']]);
    assert.deepEqual(keysOf(view.prefix(b('a'), { reverse: true, limit: 3 })), ['a4', 'a3', 'a2']);
    assert.deepEqual(keysOf(view.range(b('a3'), b('c'))), ['a3', 'a4', 'b1']);
    // A range without overlay entries reads the base alone.
    assert.deepEqual(keysOf(view.prefix(b('b'))), ['b1']);
    assert.equal(view.size, 3);
    assert.deepEqual(keysOf(view.ownPrefix(b('a'))), ['a2', 'a4']);
    snapshot.close();
    store.close();
  });

  test('an overlay entry replaces the base entry with the same key', () => {
    const store = tempStore();
    commitPuts(store, { k: 'base' });
    const snapshot = store.snapshot();
    const view = new OverlayView(snapshot);
    view.put(b('k'), b('overlay'));
    assert.deepEqual(text(view.prefix(b('k'))), [['k', 'overlay']]);
    snapshot.close();
    store.close();
  });

  test("equal small values share one buffer; longer ones and the caller's bytes are copied", () => {
    const store = tempStore();
    const snapshot = store.snapshot();
    const view = new OverlayView(snapshot);
    const count = Uint8Array.of(0, 0, 0, 1);
    view.put(b('k1'), count);
    view.put(b('k2'), Uint8Array.of(0, 0, 0, 1));
    view.put(b('e1'), new Uint8Array(0));
    view.put(b('e2'), new Uint8Array(0));
    view.put(b('z1'), Uint8Array.of(0));
    view.put(b('z2'), Uint8Array.of(0, 0));
    view.put(b('l1'), b('longer'));
    view.put(b('l2'), b('longer'));
    // Hundreds of thousands of inferred keys hold a count or an empty record: one buffer each cost ~100 bytes.
    assert.equal(view.get(b('k1')), view.get(b('k2')));
    assert.equal(view.get(b('e1')), view.get(b('e2')));
    assert.notEqual(view.get(b('l1')), view.get(b('l2')));
    // Equal bytes only: lengths tell [0] from [0, 0].
    assert.deepEqual([...view.get(b('z1'))!], [0]);
    assert.deepEqual([...view.get(b('z2'))!], [0, 0]);
    // The caller keeps its array: changing it later changes nothing in the overlay.
    count[3] = 9;
    assert.deepEqual([...view.get(b('k1'))!], [0, 0, 0, 1]);
    snapshot.close();
    store.close();
  });

  test('nothing put in the overlay reaches the store', () => {
    const store = tempStore();
    const snapshot = store.snapshot();
    new OverlayView(snapshot).put(b('only-here'), b('1'));
    snapshot.close();
    const after = store.snapshot();
    assert.equal(after.has(b('only-here')), false);
    after.close();
    store.close();
  });
});
