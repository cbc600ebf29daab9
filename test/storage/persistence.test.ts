// Durability across close/reopen, store lifecycle, and stores written fresh from sorted entries.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openStore, writeFreshStore } from '../../src/storage/index.js';
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

describe('fresh stores', () => {
  const key = (i: number) => {
    const bytes = Buffer.alloc(9);
    bytes[0] = 0x10;
    bytes.writeBigUInt64BE(BigInt(i), 1);
    return bytes;
  };

  test('loads ascending entries, copying reused buffers, and reopens with them', () => {
    const path = join(tempDir(), 'db');
    const count = 25_555;
    // The generator reuses one buffer for every key: the builder must copy.
    const shared = Buffer.alloc(9);
    function* entries(): Generator<[Uint8Array, Uint8Array]> {
      for (let i = 0; i < count; i++) {
        key(i).copy(shared);
        yield [shared, i % 3 === 0 ? new Uint8Array(0) : Buffer.from(String(i))];
      }
    }
    assert.equal(writeFreshStore(path, entries()), count);
    const store = openStore(path);
    const snapshot = store.snapshot();
    let i = 0;
    for (const [k, v] of snapshot.prefix(new Uint8Array([0x10]))) {
      assert.deepEqual(Buffer.from(k), key(i));
      assert.equal(Buffer.from(v).toString(), i % 3 === 0 ? '' : String(i));
      i++;
    }
    assert.equal(i, count);
    assert.equal(snapshot.get(key(count - 1))?.length, 0); // 25554 is a multiple of 3: empty value
    assert.equal(snapshot.get(key(count)), undefined);
    snapshot.close();
    store.close();
  });

  test('refuses out-of-order, duplicate and empty keys', () => {
    assert.throws(
      () => writeFreshStore(join(tempDir(), 'db'), [[b('a'), b('')], [b('c'), b('')], [b('b'), b('')]]),
      /\[STO05\] Storage Error: Bulk load needs strictly ascending keys.*entry #2 \(key 0x62\).*\(0x63\)/,
    );
    assert.throws(() => writeFreshStore(join(tempDir(), 'db'), [[b('a'), b('')], [b('a'), b('')]]), /\[STO05\]/);
    // A key before its own extension, and keys longer than the copy loop's (checked apart).
    assert.throws(() => writeFreshStore(join(tempDir(), 'db'), [[b('ab'), b('')], [b('a'), b('')]]), /\[STO05\]/);
    const long = (c: string) => b(c.repeat(100));
    assert.throws(() => writeFreshStore(join(tempDir(), 'db'), [[long('b'), b('')], [long('a'), b('')]]), /\[STO05\]/);
    assert.throws(() => writeFreshStore(join(tempDir(), 'db'), [[long('a'), b('')], [b('a'), b('')]]), /\[STO05\]/);
    writeFreshStore(join(tempDir(), 'db'), [[b('a'), b('')], [long('a'), b('')], [b('ab'), b('')], [long('b'), b('')]]);
    assert.throws(() => writeFreshStore(join(tempDir(), 'db'), [[new Uint8Array(0), b('')]]), /\[STO04\]/);
  });

  test('keeps the key 0x00 and orders keys by their bytes', () => {
    const path = join(tempDir(), 'db');
    writeFreshStore(path, [
      [new Uint8Array([0]), b('zero')],
      [new Uint8Array([0, 1]), b('next')],
    ]);
    const store = openStore(path);
    const snapshot = store.snapshot();
    assert.deepEqual(text(snapshot.prefix(new Uint8Array(0), { reverse: true })), [
      ['\x00\x01', 'next'],
      ['\x00', 'zero'],
    ]);
    snapshot.close();
    store.close();
  });
});
