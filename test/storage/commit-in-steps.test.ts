// A commit written off the event loop (WriteTransaction.commitInSteps): the store's writer thread applies it in one
// LMDB transaction, and the store publishes it only once that transaction is committed and flushed.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Waiting, type WaitingSteps } from '../../src/common/steps.js';
import { openStore, type Store } from '../../src/storage/index.js';
import { firstLine, moduleUrl, spawnScript } from '../support/processes.js';
import { b, commitPuts, tempDir, tempStore } from './fixtures.js';

/** Runs commit steps as the server does, calling `whileWaiting` each time they wait for the writer thread. */
async function runCommit(steps: WaitingSteps<void>, whileWaiting: () => void = () => {}): Promise<void> {
  for (;;) {
    const next = steps.next();
    if (next.done) return;
    if (next.value instanceof Waiting) {
      whileWaiting();
      await next.value.until;
    }
  }
}

const KEYS = 20_000;
const keyOf = (i: number) => b(`k${String(i).padStart(6, '0')}`);

function putMany(store: Store, count = KEYS) {
  const tx = store.beginWrite();
  for (let i = 0; i < count; i++) tx.put(keyOf(i), b(`value ${i}`));
  return tx;
}

function countKeys(store: Store): number {
  const snapshot = store.snapshot();
  try {
    return snapshot.countPrefixKeys(b('k'));
  } finally {
    snapshot.close();
  }
}

describe('commitInSteps', () => {
  test('snapshots opened while the commit is written see the store before it; after it, new ones see all of it', async () => {
    const store = tempStore();
    commitPuts(store, ['a']);
    const before = store.snapshot();
    const sequenceBefore = before.sequence;
    before.close();
    const tx = putMany(store);
    const during: number[] = [];
    await runCommit(tx.commitInSteps(), () => {
      const snapshot = store.snapshot();
      const writer = store.beginWrite();
      during.push(snapshot.sequence, writer.sequence, snapshot.countPrefixKeys(b('k')), writer.countPrefixKeys(b('k')));
      snapshot.close();
      writer.abort();
    });
    assert.deepEqual(during, [sequenceBefore, sequenceBefore, 0, 0]);
    const after = store.snapshot();
    assert.equal(after.sequence, sequenceBefore + 1);
    assert.equal(after.countPrefixKeys(b('k')), KEYS);
    assert.equal(after.get(keyOf(KEYS - 1))?.toString(), `value ${KEYS - 1}`);
    after.close();
    assert.throws(() => tx.put(b('x'), b('x')), /\[STO03\]/, 'the transaction is closed by its commit');
    store.close();
  });

  test('acknowledged means committed: a process killed right after its commit ends has all of it on reopening', async () => {
    const path = join(tempDir(), 'db');
    const script = `
      import { openStore } from ${JSON.stringify(moduleUrl('src/storage/index'))};
      import { Waiting } from ${JSON.stringify(moduleUrl('src/common/steps'))};
      const store = openStore(process.argv[1]);
      const tx = store.beginWrite();
      for (let i = 0; i < ${KEYS}; i++) tx.put(Buffer.from('k' + String(i).padStart(6, '0')), Buffer.from('v'));
      const steps = tx.commitInSteps();
      for (let next = steps.next(); !next.done; next = steps.next()) if (next.value instanceof Waiting) await next.value.until;
      process.stdout.write('committed\\n');
      process.kill(process.pid, 'SIGKILL');`;
    const child = spawnScript(script, [path]);
    assert.equal(await firstLine(child), 'committed');
    await new Promise((resolve) => (child.exitCode === null && child.signalCode === null ? child.once('exit', resolve) : resolve(undefined)));
    assert.equal(child.signalCode, 'SIGKILL');
    const store = openStore(path);
    assert.equal(countKeys(store), KEYS);
    store.close();
  });

  test('a commit LMDB refuses fails with the error a synchronous commit gives; nothing is applied, and the store goes on', async () => {
    // The writer thread's writes past the file-size limit fail (EFBIG, with SIGXFSZ ignored), as on a full disk.
    const script = `
      import { openStore } from ${JSON.stringify(moduleUrl('src/storage/index'))};
      import { Waiting } from ${JSON.stringify(moduleUrl('src/common/steps'))};
      process.on('SIGXFSZ', () => {});
      const store = openStore(process.argv[1]);
      const run = async (steps) => {
        for (let next = steps.next(); !next.done; next = steps.next()) if (next.value instanceof Waiting) await next.value.until;
      };
      const big = store.beginWrite();
      for (let i = 0; i < 200000; i++) big.put(Buffer.from('k' + String(i).padStart(6, '0')), Buffer.alloc(64, 1));
      const failure = await run(big.commitInSteps()).then(() => 'committed', (e) => e.message);
      const snapshot = store.snapshot();
      const left = snapshot.countPrefixKeys(Buffer.from('k'));
      snapshot.close();
      const small = store.beginWrite();
      small.put(Buffer.from('small'), Buffer.from('1'));
      const after = await run(small.commitInSteps()).then(() => 'committed', (e) => e.message);
      store.close();
      process.stdout.write(JSON.stringify({ failure, left, after }) + '\\n');`;
    const path = join(tempDir(), 'db');
    openStore(path).close();
    const fromSources = import.meta.url.endsWith('.ts');
    const node = [process.execPath, ...(fromSources ? ['--import', 'tsx'] : []), '--input-type=module', '-e', script, path];
    // 4 096 blocks of 512 or 1 024 bytes (per shell): room for the empty store, not for 200 000 entries (~17 MB).
    const child = spawn('/bin/sh', ['-c', 'ulimit -f 4096 && exec "$0" "$@"', ...node], { stdio: ['ignore', 'pipe', 'pipe'] });
    const outcome = JSON.parse(await firstLine(child)) as { failure: string; left: number; after: string };
    assert.match(outcome.failure, /^\[STO09\] Storage Error: The commit could not be written to disk \(.+\); nothing was applied\. Check free disk space/);
    assert.equal(outcome.left, 0);
    assert.equal(outcome.after, 'committed');
  });

  test('a conflict is found as by a synchronous commit, with a commit still being written counted', async () => {
    const store = tempStore();
    commitPuts(store, ['k000001']);
    const first = putMany(store, 2);
    const second = store.beginWrite();
    second.delete(keyOf(1));
    const firstDone = runCommit(first.commitInSteps());
    // Waits for the first to end, then validates against it: it deleted a key the first wrote.
    await assert.rejects(runCommit(second.commitInSteps()), /\[TXN10\]/);
    await firstDone;
    assert.equal(countKeys(store), 2);
    store.close();
  });

  test('a synchronous commit while one is written is refused with [STO16], and applies nothing', async () => {
    const store = tempStore();
    const big = putMany(store);
    const other = store.beginWrite();
    other.put(b('other'), b('1'));
    let refusal: unknown;
    await runCommit(big.commitInSteps(), () => {
      try {
        other.commit();
      } catch (e) {
        refusal = e;
      }
    });
    assert.match(String(refusal), /\[STO16\] .*a synchronous commit cannot wait for it; nothing was applied/);
    const snapshot = store.snapshot();
    assert.equal(snapshot.get(b('other')), undefined);
    snapshot.close();
    assert.equal(countKeys(store), KEYS);
    store.close();
  });
});

describe('commitInSteps and closing', () => {
  test('closing the store while a commit is written waits for it: the commit ends durable, and is all there on reopening', async () => {
    const path = join(tempDir(), 'db');
    const store = openStore(path);
    const tx = putMany(store);
    let closedDuringWrite = false;
    await runCommit(tx.commitInSteps(), () => {
      store.close();
      closedDuringWrite = true;
    });
    assert.equal(closedDuringWrite, true);
    const reopened = openStore(path);
    assert.equal(countKeys(reopened), KEYS);
    reopened.close();
  });

  test('closing the store while a commit is still being copied stops it: nothing is written', () => {
    const path = join(tempDir(), 'db');
    const store = openStore(path);
    const steps = putMany(store).commitInSteps();
    assert.equal(steps.next().done, false); // a pause in the copying
    store.close();
    assert.throws(() => {
      for (let next = steps.next(); !next.done; next = steps.next()) if (next.value instanceof Waiting) throw new Error('it went on to write');
    }, /\[STO02\]/);
    const reopened = openStore(path);
    assert.equal(countKeys(reopened), 0);
    reopened.close();
  });

  test('commit steps given up before the write leave nothing written, and the next commit goes ahead', async () => {
    const store = tempStore();
    const steps = putMany(store).commitInSteps();
    steps.next();
    steps.return(undefined);
    const next = store.beginWrite();
    next.put(b('k'), b('1'));
    await runCommit(next.commitInSteps());
    assert.equal(countKeys(store), 1);
    store.close();
  });

  test('a small commit is written at once on the calling thread, without waiting for the writer thread', async () => {
    const store = tempStore();
    let waits = 0;
    await runCommit(putMany(store, 100).commitInSteps(), () => waits++);
    assert.equal(waits, 0);
    assert.equal(countKeys(store), 100);
    // A large one still goes to the writer thread.
    await runCommit(putMany(store).commitInSteps(), () => waits++);
    assert.ok(waits > 0);
    assert.equal(countKeys(store), KEYS);
    store.close();
  });
});
