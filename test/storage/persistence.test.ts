// Durability across close/reopen, store lifecycle, and bulk loading.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openStore } from '../../src/storage/index.js';
import { b, commitPuts, keysOf, tempDir, tempStore, text } from './fixtures.js';

describe('lifecycle', () => {
  test('committed data survives close and reopen; aborted data does not', () => {
    const path = join(tempDir(), 'db');
    const store = openStore(path);
    commitPuts(store, { a: '1', b: '2' });
    const deleter = store.beginWrite();
    deleter.delete(b('a'));
    deleter.commit();
    const aborted = store.beginWrite();
    aborted.put(b('c'), b('3'));
    aborted.abort();
    const pending = store.beginWrite();
    pending.put(b('d'), b('4')); // open at close: aborted by close
    store.close();
    assert.throws(() => pending.commit(), /\[STO03\]/);

    const reopened = openStore(path); // immediately, in the same process
    const snapshot = reopened.snapshot();
    assert.deepEqual(text(snapshot.prefix(b(''))), [['b', '2']]);
    snapshot.close();
    reopened.close();
  });

  test('a closed store refuses use with a clear error', async () => {
    const store = tempStore();
    const snapshot = store.snapshot();
    store.close();
    store.close(); // idempotent
    assert.throws(() => store.snapshot(), /\[STO02\] Storage Error: The store at '.*' has been closed/);
    assert.throws(() => store.beginWrite(), /\[STO02\]/);
    assert.throws(() => store.bulkLoad([]), /\[STO02\]/);
    await assert.rejects(store.backup(tempDir()), /\[STO02\]/);
    assert.throws(() => snapshot.get(b('a')), /\[STO03\]/, 'open snapshots are closed with the store');
  });

  test('one store per directory per process', () => {
    const path = join(tempDir(), 'db');
    const store = openStore(path);
    assert.throws(() => openStore(path), /\[STO08\].*already open/);
    assert.throws(() => openStore(join(path, '..', 'db')), /\[STO08\]/);
    store.close();
    openStore(path).close();
  });

  test('a directory name with a dot is still a directory', () => {
    const path = join(tempDir(), 'shop.v2');
    const store = openStore(path);
    commitPuts(store, ['x']);
    store.close();
    const reopened = openStore(path);
    const snapshot = reopened.snapshot();
    assert.deepEqual(keysOf(snapshot.prefix(b(''))), ['x']);
    snapshot.close();
    reopened.close();
  });
});

describe('bulkLoad', () => {
  const key = (i: number) => {
    const bytes = Buffer.alloc(9);
    bytes[0] = 0x10;
    bytes.writeBigUInt64BE(BigInt(i), 1);
    return bytes;
  };

  test('loads ascending entries across batch boundaries', () => {
    const path = join(tempDir(), 'db');
    const store = openStore(path, { bulkLoadBatchSize: 1000 });
    const count = 25_555;
    // The generator reuses one buffer for every key: the store must copy.
    const shared = Buffer.alloc(9);
    function* entries(): Generator<[Uint8Array, Uint8Array]> {
      for (let i = 0; i < count; i++) {
        key(i).copy(shared);
        yield [shared, i % 3 === 0 ? new Uint8Array(0) : Buffer.from(String(i))];
      }
    }
    const before = store.snapshot();
    store.bulkLoad(entries());
    const after = store.snapshot();
    assert.ok(after.sequence > before.sequence);
    assert.equal([...before.prefix(new Uint8Array([0x10]))].length, 0);
    let i = 0;
    for (const [k, v] of after.prefix(new Uint8Array([0x10]))) {
      assert.deepEqual(Buffer.from(k), key(i));
      assert.equal(Buffer.from(v).toString(), i % 3 === 0 ? '' : String(i));
      i++;
    }
    assert.equal(i, count);
    before.close();
    after.close();
    store.close();
    const reopened = openStore(path);
    const snapshot = reopened.snapshot();
    assert.equal(snapshot.get(key(count - 2))?.toString(), String(count - 2));
    assert.equal(snapshot.get(key(count - 1))?.length, 0); // 25554 is a multiple of 3: empty value
    assert.equal(snapshot.get(key(count)), undefined);
    snapshot.close();
    reopened.close();
  });

  test('refuses out-of-order and duplicate keys', () => {
    const store = tempStore();
    assert.throws(
      () => store.bulkLoad([[b('a'), b('')], [b('c'), b('')], [b('b'), b('')]]),
      /\[STO05\] Storage Error: Bulk load needs strictly ascending keys.*entry #2 \(key 0x62\).*\(0x63\)/,
    );
    const other = tempStore();
    assert.throws(() => other.bulkLoad([[b('a'), b('')], [b('a'), b('')]]), /\[STO05\]/);
    assert.throws(() => other.bulkLoad([[new Uint8Array(0), b('')]]), /\[STO04\]/);
    store.close();
    other.close();
  });

  test('appends after existing keys only', () => {
    const store = tempStore();
    commitPuts(store, ['m']);
    assert.throws(() => store.bulkLoad([[b('a'), b('')]]), /\[STO05\]/);
    store.bulkLoad([
      [b('n'), b('1')],
      [b('o'), b('2')],
    ]);
    const snapshot = store.snapshot();
    assert.deepEqual(keysOf(snapshot.prefix(b(''))), ['m', 'n', 'o']);
    snapshot.close();
    store.close();
  });

  test('sees the key 0x00 as the last key of a store holding only it', () => {
    const store = tempStore();
    store.bulkLoad([[new Uint8Array([0]), b('zero')]]);
    assert.throws(() => store.bulkLoad([[new Uint8Array([0]), b('again')]]), /\[STO05\]/);
    store.bulkLoad([[new Uint8Array([0, 1]), b('next')]]);
    const snapshot = store.snapshot();
    assert.deepEqual(text(snapshot.prefix(new Uint8Array(0), { reverse: true })), [
      ['\x00\x01', 'next'],
      ['\x00', 'zero'],
    ]);
    snapshot.close();
    store.close();
  });

  test('needs exclusive use of the store', () => {
    const store = tempStore();
    const tx = store.beginWrite();
    assert.throws(() => store.bulkLoad([[b('a'), b('')]]), /\[STO06\]/);
    tx.abort();
    store.bulkLoad([[b('a'), b('')]]);
    store.close();
  });
});
