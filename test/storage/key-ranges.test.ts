// rangeKeys and prefixKeys: the keys of range and prefix without their values, over every kind of read view.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { seededRandom as random } from '../../bench/workload.js';
import { OverlayView, type ReadView } from '../../src/storage/index.js';
import { b, commitPuts, tempStore } from './fixtures.js';

const strings = (keys: Iterable<Uint8Array>) => [...keys].map((key) => Buffer.from(key).toString('latin1'));

/** Every key-only read gives exactly the keys of the same read with values. */
function assertSameKeys(view: ReadView, prefixes: string[], ranges: [string, string][]): void {
  for (const options of [undefined, { reverse: true }, { limit: 2 }, { reverse: true, limit: 1 }]) {
    for (const p of prefixes) {
      const expected = [...view.prefix(b(p), options)].map(([key]) => key);
      assert.deepEqual(strings(view.prefixKeys(b(p), options)), strings(expected), `prefix '${p}' ${JSON.stringify(options)}`);
    }
    for (const [start, end] of ranges) {
      const expected = [...view.range(b(start), b(end), options)].map(([key]) => key);
      assert.deepEqual(strings(view.rangeKeys(b(start), b(end), options)), strings(expected), `range ${start}..${end}`);
    }
  }
}

describe('key-only range reads', () => {
  test('a snapshot gives its keys in order, both ways, with limits', () => {
    const store = tempStore();
    commitPuts(store, { 'p/a': '1', 'p/b': '', 'p/c': '3', 'q/a': '4' });
    const snapshot = store.snapshot();
    assert.deepEqual(strings(snapshot.prefixKeys(b('p/'))), ['p/a', 'p/b', 'p/c']);
    assert.deepEqual(strings(snapshot.prefixKeys(b('p/'), { reverse: true, limit: 2 })), ['p/c', 'p/b']);
    assert.deepEqual(strings(snapshot.rangeKeys(b('p/b'), b('q/b'))), ['p/b', 'p/c', 'q/a']);
    assert.deepEqual(strings(snapshot.prefixKeys(b('r'))), []);
    assertSameKeys(snapshot, ['p', 'p/', 'q', ''], [['p/a', 'p/c'], ['a', 'z']]);
    snapshot.close();
    assert.throws(() => snapshot.prefixKeys(b('p')), /closed/);
    store.close();
  });

  test('a prefix ending in 0xff bytes ends where the next byte before them goes up', () => {
    const store = tempStore();
    const keys = ['a\xfe\xff', 'a\xff', 'a\xff\x00', 'a\xff\xff', 'a\xff\xff\x01', 'b', 'b\x00'];
    commitPuts(store, keys);
    const snapshot = store.snapshot();
    assert.deepEqual(strings(snapshot.prefixKeys(b('a\xff'))), ['a\xff', 'a\xff\x00', 'a\xff\xff', 'a\xff\xff\x01']);
    assert.deepEqual(strings(snapshot.prefixKeys(b('a\xff\xff'))), ['a\xff\xff', 'a\xff\xff\x01']);
    assert.deepEqual(strings(snapshot.prefixKeys(b('a\xfe'))), ['a\xfe\xff']);
    assert.deepEqual(strings(snapshot.prefixKeys(b('a'))), keys.slice(0, 5));
    snapshot.close();
    store.close();
  });

  test('a write transaction merges its own puts and deletes, and an open scan sees writes ahead of it', () => {
    const store = tempStore();
    commitPuts(store, ['p/a', 'p/c', 'p/e', 'p/g']);
    const tx = store.beginWrite();
    tx.put(b('p/b'), b('new'));
    tx.delete(b('p/c'));
    tx.put(b('p/e'), b('changed'));
    assert.deepEqual(strings(tx.prefixKeys(b('p/'))), ['p/a', 'p/b', 'p/e', 'p/g']);
    assertSameKeys(tx, ['p/', 'p/c', ''], [['p/b', 'p/f'], ['p/c', 'p/d']]);
    const keys = tx.prefixKeys(b('p/'));
    assert.equal(strings([keys.next().value!])[0], 'p/a');
    tx.put(b('p/f'), b('late'));
    tx.delete(b('p/g'));
    assert.deepEqual(strings(keys), ['p/b', 'p/e', 'p/f']);
    tx.abort();
    store.close();
  });

  test('an overlay view merges its puts over the base', () => {
    const store = tempStore();
    commitPuts(store, { a1: '1', a3: '3', b1: 'x' });
    const snapshot = store.snapshot();
    const view = new OverlayView(snapshot);
    view.put(b('a2'), b('2'));
    view.put(b('c1'), b('y'));
    assert.deepEqual(strings(view.prefixKeys(b('a'))), ['a1', 'a2', 'a3']);
    assert.deepEqual(strings(view.rangeKeys(b('a3'), b('d'), { reverse: true })), ['c1', 'b1', 'a3']);
    assertSameKeys(view, ['a', 'b', 'c', ''], [['a2', 'b2'], ['b', 'c']]);
    // An overlay over a write transaction, which merges its own changes too.
    const tx = store.beginWrite();
    tx.delete(b('a1'));
    const overTx = new OverlayView(tx);
    overTx.put(b('a0'), b('0'));
    assert.deepEqual(strings(overTx.prefixKeys(b('a'))), ['a0', 'a3']);
    assertSameKeys(overTx, ['a', ''], [['a', 'b2']]);
    tx.abort();
    snapshot.close();
    store.close();
  });

  for (const seed of [11, 20240601]) test(`random changes over random data read the same keys as entries do (seed ${seed})`, () => {
    const next = random(seed);
    const pick = (n: number) => Math.floor(next() * n);
    const randomKey = () => String.fromCharCode(97 + pick(3), 97 + pick(3), 97 + pick(3));
    const store = tempStore();
    commitPuts(store, Array.from({ length: 40 }, randomKey));
    const tx = store.beginWrite();
    for (let i = 0; i < 30; i++) {
      if (pick(2) === 0) tx.put(b(randomKey()), b('v'));
      else tx.delete(b(randomKey()));
    }
    const prefixes = Array.from({ length: 8 }, () => randomKey().slice(0, 1 + pick(2)));
    const ranges = Array.from({ length: 8 }, () => [randomKey(), randomKey()].sort() as [string, string]);
    assertSameKeys(tx, prefixes, ranges);
    tx.abort();
    store.close();
  });
});
