// Online backup: a consistent, durable copy taken while writers keep committing.

import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { test } from 'node:test';
import { openStore, writeFreshStore } from '../../src/storage/index.js';
import { b, commitPuts, keysOf, tempDir, tempStore } from './fixtures.js';

const counterKey = (i: number) => b(`c/${String(i).padStart(8, '0')}`);

test('backup while a writer commits holds a consistent prefix of the commits', async () => {
  const preload = 200_000;
  const filler = Buffer.alloc(100, 0x2a);
  const path = join(tempDir(), 'db');
  writeFreshStore(
    path,
    (function* (): Generator<[Uint8Array, Uint8Array]> {
      for (let i = 0; i < preload; i++) yield [b(`a/${String(i).padStart(8, '0')}`), filler];
    })(),
  );
  const store = openStore(path);

  let committed = 0;
  let running = true;
  let committedDuringBackup = 0;
  let backingUp = false;
  const writer = (async () => {
    while (running) {
      const tx = store.beginWrite();
      tx.put(counterKey(committed), b('x'));
      tx.put(b('meta/last'), b(String(committed)));
      tx.commit();
      committed++;
      if (backingUp) committedDuringBackup++;
      await tick();
    }
  })();
  while (committed < 5) await tick();

  const parent = tempDir('backup');
  const target = join(parent, 'copy');
  backingUp = true;
  await store.backup(target);
  backingUp = false;
  running = false;
  await writer;

  assert.deepEqual(readdirSync(parent), ['copy'], 'no staging directory is left behind');
  const copy = openStore(target);
  const snapshot = copy.snapshot();
  const last = Number(snapshot.get(b('meta/last'))?.toString());
  assert.ok(last >= 4 && last < committed, `copy holds commit ${last} of ${committed}`);
  const counters = keysOf(snapshot.prefix(b('c/')));
  assert.deepEqual(
    counters,
    Array.from({ length: last + 1 }, (_, i) => counterKey(i).toString()),
    'every commit up to the last one in the copy, and none after it',
  );
  let preloaded = 0;
  for (const _ of snapshot.prefix(b('a/'))) preloaded++;
  assert.equal(preloaded, preload);
  snapshot.close();
  copy.close();
  store.close();
  // Not asserted (timing-dependent), but useful when reading the test output.
  console.log(`# commits while the backup ran: ${committedDuringBackup}`);
});

test('backup needs a new or empty target directory', async () => {
  const store = tempStore();
  commitPuts(store, ['k']);
  const parent = tempDir('backup');

  const file = join(parent, 'file');
  writeFileSync(file, 'x');
  await assert.rejects(store.backup(file), /\[STO07\].*not a directory/);

  const full = join(parent, 'full');
  mkdirSync(full);
  writeFileSync(join(full, 'something'), 'x');
  await assert.rejects(store.backup(full), /\[STO07\].*not empty/);

  const empty = join(parent, 'empty');
  mkdirSync(empty);
  await store.backup(empty);
  const nested = join(parent, 'a', 'b', 'new');
  await store.backup(nested);
  for (const target of [empty, nested]) {
    const copy = openStore(target);
    const snapshot = copy.snapshot();
    assert.deepEqual(keysOf(snapshot.prefix(b(''))), ['k']);
    snapshot.close();
    copy.close();
  }
  store.close();
});

test('a store cannot close under a running backup', async () => {
  const store = tempStore();
  commitPuts(store, ['k']);
  const target = join(tempDir('backup'), 'copy');
  const running = store.backup(target);
  assert.throws(() => store.close(), /\[STO10\].*cannot be closed while 1 backup/);
  await running;
  store.close();
});
