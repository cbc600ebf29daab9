// Reads of a write transaction merge its buffered changes over its snapshot.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { seededRandom as random } from '../../bench/workload.js';
import { b, commitPuts, keysOf, tempStore, text } from './fixtures.js';

describe('write transaction reads', () => {
  test('get and has see own puts and deletes over the snapshot', () => {
    const store = tempStore();
    commitPuts(store, { a: '1', b: '2', c: '3' });
    const tx = store.beginWrite();
    tx.put(b('b'), b('20'));
    tx.put(b('d'), b('4'));
    tx.delete(b('c'));
    assert.equal(tx.get(b('a'))?.toString(), '1');
    assert.equal(Buffer.from(tx.get(b('b')) as Uint8Array).toString(), '20');
    assert.equal(tx.get(b('c')), undefined);
    assert.equal(tx.has(b('c')), false);
    assert.equal(tx.has(b('d')), true);
    assert.equal(tx.has(b('zz')), false);
    assert.equal(tx.changeCount, 3);
    // Delete then put again: the put wins.
    tx.delete(b('a'));
    tx.put(b('a'), b('11'));
    assert.equal(Buffer.from(tx.get(b('a')) as Uint8Array).toString(), '11');
    assert.equal(tx.changeCount, 4);
    tx.abort();
    store.close();
  });

  test('range and prefix merge, forward and reverse, with limits', () => {
    const store = tempStore();
    commitPuts(store, ['p/a', 'p/c', 'p/e', 'p/g', 'q/a']);
    const tx = store.beginWrite();
    tx.put(b('p/b'), b('new'));
    tx.put(b('p/e'), b('changed'));
    tx.delete(b('p/c'));
    tx.delete(b('p/zz')); // deleting a key that does not exist hides nothing
    tx.put(b('p/h'), b('new'));
    tx.put(b('o/z'), b('outside'));

    assert.deepEqual(text(tx.prefix(b('p/'))), [
      ['p/a', 'p/a'],
      ['p/b', 'new'],
      ['p/e', 'changed'],
      ['p/g', 'p/g'],
      ['p/h', 'new'],
    ]);
    assert.deepEqual(keysOf(tx.prefix(b('p/'), { reverse: true })), ['p/h', 'p/g', 'p/e', 'p/b', 'p/a']);
    assert.deepEqual(keysOf(tx.prefix(b('p/'), { limit: 2 })), ['p/a', 'p/b']);
    assert.deepEqual(keysOf(tx.prefix(b('p/'), { reverse: true, limit: 2 })), ['p/h', 'p/g']);
    assert.deepEqual(keysOf(tx.prefix(b('p/'), { limit: 0 })), []);
    // range: start inclusive, end exclusive, in both directions
    assert.deepEqual(keysOf(tx.range(b('p/b'), b('p/g'))), ['p/b', 'p/e']);
    assert.deepEqual(keysOf(tx.range(b('p/b'), b('p/g'), { reverse: true })), ['p/e', 'p/b']);
    assert.deepEqual(keysOf(tx.range(b('p/bb'), b('p/h'), { reverse: true })), ['p/g', 'p/e']);
    assert.deepEqual(keysOf(tx.range(b('p/g'), b('p/b'))), []);
    assert.deepEqual(keysOf(tx.range(b(''), b(''))), []);
    assert.deepEqual(keysOf(tx.range(b(''), b('p/b'))), ['o/z', 'p/a']);
    assert.throws(() => tx.range(b(''), new Uint8Array(1979)), /\[STO04\].*range bound of 1979 bytes/);
    assert.deepEqual(keysOf(tx.prefix(b(''))), ['o/z', 'p/a', 'p/b', 'p/e', 'p/g', 'p/h', 'q/a']);
    assert.deepEqual(keysOf(tx.prefix(new Uint8Array(0), { reverse: true, limit: 1 })), ['q/a']);
    tx.abort();
    store.close();
  });

  test('prefix of 0xff bytes reaches the end of the key space', () => {
    const store = tempStore();
    const tx = store.beginWrite();
    for (const key of [[0xff], [0xff, 0xff], [0xff, 0xff, 0x01], [0xfe, 0xff]]) tx.put(Buffer.from(key), b('v'));
    tx.commit();
    const tx2 = store.beginWrite();
    tx2.put(Buffer.from([0xff, 0xff, 0xff]), b('w'));
    const hex = (entries: Iterable<[Uint8Array, Uint8Array]>) => [...entries].map(([k]) => Buffer.from(k).toString('hex'));
    assert.deepEqual(hex(tx2.prefix(Buffer.from([0xff, 0xff]))), ['ffff', 'ffff01', 'ffffff']);
    assert.deepEqual(hex(tx2.prefix(Buffer.from([0xff]), { reverse: true })), ['ffffff', 'ffff01', 'ffff', 'ff']);
    assert.deepEqual(hex(tx2.prefix(Buffer.from([0xfe]))), ['feff']);
    tx2.abort();
    store.close();
  });

  test('an open iterator sees changes made ahead of it, and never repeats', () => {
    const store = tempStore();
    commitPuts(store, ['k1', 'k3', 'k5', 'k7']);
    const tx = store.beginWrite();
    const seen: string[] = [];
    for (const [key] of tx.prefix(b('k'))) {
      const name = Buffer.from(key).toString();
      seen.push(name);
      if (name === 'k1') {
        tx.put(b('k2'), b('x')); // ahead: seen
        tx.put(b('k0'), b('x')); // behind: not seen
        tx.delete(b('k5')); // ahead: hidden
      }
      if (name === 'k3') tx.put(b('k3'), b('again')); // the current key: not repeated
    }
    assert.deepEqual(seen, ['k1', 'k2', 'k3', 'k7']);
    assert.deepEqual(keysOf(tx.prefix(b('k'))), ['k0', 'k1', 'k2', 'k3', 'k7']);
    tx.abort();
    store.close();
  });

  test('committed changes are visible to later readers, including deletes', () => {
    const store = tempStore();
    commitPuts(store, ['a', 'b', 'c']);
    const tx = store.beginWrite();
    tx.delete(b('b'));
    tx.put(b('d'), b('d'));
    tx.commit();
    const snapshot = store.snapshot();
    assert.deepEqual(keysOf(snapshot.prefix(b(''))), ['a', 'c', 'd']);
    assert.equal(snapshot.get(b('b')), undefined);
    snapshot.close();
    store.close();
  });

  test('empty values are values, not absence', () => {
    const store = tempStore();
    const tx = store.beginWrite();
    tx.put(b('edge'), new Uint8Array(0));
    assert.equal(tx.get(b('edge'))?.length, 0);
    tx.commit();
    const snapshot = store.snapshot();
    assert.equal(snapshot.get(b('edge'))?.length, 0);
    assert.equal(snapshot.has(b('edge')), true);
    assert.deepEqual(text(snapshot.prefix(b('e'))), [['edge', '']]);
    snapshot.close();
    store.close();
  });

  test('the buffer keeps its own copies of keys and values', () => {
    const store = tempStore();
    const tx = store.beginWrite();
    const key = b('key1');
    const value = b('val1');
    tx.put(key, value);
    key[3] = 0x32;
    value[3] = 0x32;
    assert.equal(Buffer.from(tx.get(b('key1')) as Uint8Array).toString(), 'val1');
    assert.equal(tx.get(b('key2')), undefined);
    tx.abort();
    store.close();
  });

  test('invalid keys are refused when buffered', () => {
    const store = tempStore();
    const tx = store.beginWrite();
    assert.throws(() => tx.put(new Uint8Array(0), b('v')), /\[STO04\].*empty/);
    assert.throws(() => tx.put(new Uint8Array(1979), b('v')), /\[STO04\].*1979 bytes/);
    assert.throws(() => tx.put('text' as unknown as Uint8Array, b('v')), /\[STO04\]/);
    tx.put(new Uint8Array(1978).fill(1), b('v')); // the maximum is allowed
    assert.equal(tx.get(new Uint8Array(0)), undefined);
    tx.commit();
    const snapshot = store.snapshot();
    assert.equal(snapshot.get(new Uint8Array(1978).fill(1))?.toString(), 'v');
    assert.equal(snapshot.get(new Uint8Array(0)), undefined);
    assert.equal(snapshot.get(new Uint8Array(5000)), undefined);
    snapshot.close();
    store.close();
  });
});

describe('merged reads against a model', () => {
  for (const seed of [20240601, 7, 99991]) test(`random puts and deletes over random committed data (seed ${seed})`, () => {
    const store = tempStore();
    const next = random(seed);
    const pick = (n: number) => Math.floor(next() * n);
    // Short keys over a small alphabet, so that ranges, prefixes and collisions are frequent.
    const randomKey = () => {
      const length = 1 + pick(3);
      return Buffer.from(Array.from({ length }, () => [0x00, 0x61, 0x62, 0x63, 0xff][pick(5)] as number));
    };
    const model = new Map<string, string>(); // hex key → value
    for (let round = 0; round < 30; round++) {
      const tx = store.beginWrite();
      const view = new Map(model);
      for (let op = 0; op < 20; op++) {
        const key = randomKey();
        if (next() < 0.35) {
          tx.delete(key);
          view.delete(key.toString('hex'));
        } else {
          const value = `r${round}o${op}`;
          tx.put(key, b(value));
          view.set(key.toString('hex'), value);
        }
      }
      const expected = [...view.entries()].sort(([a], [c]) => Buffer.compare(Buffer.from(a, 'hex'), Buffer.from(c, 'hex')));
      for (let query = 0; query < 20; query++) {
        const reverse = next() < 0.5;
        const limit = next() < 0.3 ? pick(5) : undefined;
        let actual: [string, string][];
        let wanted: [string, string][];
        if (next() < 0.5) {
          const prefix = randomKey().subarray(0, pick(3));
          actual = [...tx.prefix(prefix, { reverse, limit })].map(([k, v]) => [Buffer.from(k).toString('hex'), Buffer.from(v).toString()]);
          wanted = expected.filter(([k]) => k.startsWith(prefix.toString('hex')));
        } else {
          const start = randomKey();
          const end = randomKey();
          actual = [...tx.range(start, end, { reverse, limit })].map(([k, v]) => [Buffer.from(k).toString('hex'), Buffer.from(v).toString()]);
          wanted = expected.filter(([k]) => {
            const key = Buffer.from(k, 'hex');
            return Buffer.compare(key, start) >= 0 && Buffer.compare(key, end) < 0;
          });
        }
        if (reverse) wanted = wanted.reverse();
        if (limit !== undefined) wanted = wanted.slice(0, limit);
        assert.deepEqual(actual, wanted, `round ${round} query ${query}`);
      }
      for (const [hex, value] of view) assert.equal(Buffer.from(tx.get(Buffer.from(hex, 'hex')) as Uint8Array).toString(), value);
      if (next() < 0.7) {
        tx.commit();
        model.clear();
        for (const [key, value] of view) model.set(key, value);
      } else {
        tx.abort();
      }
    }
    const snapshot = store.snapshot();
    assert.equal([...snapshot.prefix(new Uint8Array(0))].length, model.size);
    snapshot.close();
    store.close();
  });
});
