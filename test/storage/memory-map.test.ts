// The store's memory map as the data grows. lmdb-js keeps every map it outgrows until the store closes (for readers
// still on it); pages read or written through those old maps stay in the process's resident memory, so a growing
// store showed as RSS that rose with each big write and never came down (~190 MB after 10 000 inserts in the
// audit: 8 maps of one 149 MB data file, 238 MB resident). One map sized up front is never outgrown by such stores.
import assert from 'node:assert/strict';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../src/storage/index.js';
import { tempDir } from './fixtures.js';

/** The memory maps of `file` in this process (Linux's /proc/self/maps). */
function mapsOf(file: string): number {
  return readFileSync('/proc/self/maps', 'utf8').split('\n').filter((line) => line.endsWith(` ${file}`)).length;
}

test('a store grown to 40 MB keeps one memory map of its data file', { skip: process.platform !== 'linux' && 'reads /proc/self/maps' }, () => {
  const path = join(tempDir(), 'db');
  const store = openStore(path);
  try {
    const value = Buffer.alloc(2000, 7);
    for (let batch = 0; batch < 20; batch++) {
      const tx = store.beginWrite();
      for (let i = 0; i < 1000; i++) tx.put(Buffer.from(`key-${String(batch * 1000 + i).padStart(8, '0')}`), value);
      tx.commit();
    }
    const snapshot = store.snapshot();
    assert.equal(snapshot.get(Buffer.from('key-00019999'))?.length, 2000);
    snapshot.close();
    assert.equal(mapsOf(join(realpathSync(path), 'data.mdb')), 1);
  } finally {
    store.close();
  }
});
