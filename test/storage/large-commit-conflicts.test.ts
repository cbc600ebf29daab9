// Conflicts against, and by, commits of many keys: the commit log holds a committed transaction's own change buffer
// and probes it key by key, so one key deep inside a large buffer must still be found, from either side.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Waiting, type WaitingSteps } from '../../src/common/steps.js';
import type { Store, WriteTransaction } from '../../src/storage/index.js';
import { b, tempStore } from './fixtures.js';

const MANY = 30_000;
const DEEP = 17_321;
const keyOf = (i: number) => b(`big/${String(i).padStart(6, '0')}`);

function putMany(tx: WriteTransaction, count = MANY): void {
  for (let i = 0; i < count; i++) tx.put(keyOf(i), b('v'));
}

function conflictCode(body: () => void): string | undefined {
  try {
    body();
    return undefined;
  } catch (error) {
    const code = /^\[(TXN\d\d)\]/.exec((error as Error).message)?.[1];
    if (code === undefined) throw error;
    return code;
  }
}

function withStore(body: (store: Store) => void): void {
  const store = tempStore();
  try {
    body(store);
  } finally {
    store.close();
  }
}

test('a key deep inside a large committed transaction, deleted by another: TXN10', () => {
  withStore((store) => {
    const deleter = store.beginWrite();
    const big = store.beginWrite();
    putMany(big);
    big.commit();
    deleter.put(b('elsewhere'), b('v'));
    deleter.delete(keyOf(DEEP));
    assert.equal(conflictCode(() => deleter.commit()), 'TXN10');
  });
});

test('a key deep inside a large committed transaction, touched there and deleted by another: TXN10', () => {
  withStore((store) => {
    const setup = store.beginWrite();
    putMany(setup, 1);
    setup.put(b('touched'), b('v'));
    setup.commit();
    const deleter = store.beginWrite();
    const big = store.beginWrite();
    putMany(big);
    big.touch(b('touched'));
    big.commit();
    deleter.delete(b('touched'));
    assert.equal(conflictCode(() => deleter.commit()), 'TXN10');
  });
});

test('a large committing transaction that writes a key another deleted: TXN09; a key another put: no conflict', () => {
  withStore((store) => {
    const setup = store.beginWrite();
    putMany(setup);
    setup.commit();
    const big = store.beginWrite();
    const samePut = store.beginWrite();
    const deleter = store.beginWrite();
    samePut.put(keyOf(DEEP + 1), b('other'));
    samePut.commit();
    deleter.delete(keyOf(DEEP));
    deleter.commit();
    putMany(big);
    assert.equal(conflictCode(() => big.commit()), 'TXN09');

    const bigAgain = store.beginWrite();
    const putter = store.beginWrite();
    putter.put(keyOf(DEEP), b('again'));
    putter.commit();
    putMany(bigAgain);
    assert.equal(conflictCode(() => bigAgain.commit()), undefined, 'put vs put');
  });
});

test('a large delete committed, and a lock of one of its keys: TXN11; a put of one: TXN09', () => {
  withStore((store) => {
    const setup = store.beginWrite();
    putMany(setup);
    setup.commit();
    const locker = store.beginWrite();
    const putter = store.beginWrite();
    const deleter = store.beginWrite();
    for (let i = 0; i < MANY; i++) deleter.delete(keyOf(i));
    deleter.commit();
    locker.lock(keyOf(DEEP));
    assert.equal(conflictCode(() => locker.commit()), 'TXN11');
    putter.put(keyOf(DEEP), b('v'));
    assert.equal(conflictCode(() => putter.commit()), 'TXN09');
  });
});

/** Runs commit steps, calling `whileWaiting` each time they wait. */
async function runCommit(steps: WaitingSteps<void>, whileWaiting: () => void): Promise<void> {
  for (let next = steps.next(); !next.done; next = steps.next()) {
    if (next.value instanceof Waiting) {
      whileWaiting();
      await next.value.until;
    }
  }
}

test('a transaction being committed refuses changes, so the record it leaves is what it committed', async () => {
  const store = tempStore();
  try {
    const deleter = store.beginWrite();
    const big = store.beginWrite();
    putMany(big); // more than a synchronous commit takes: written by the writer thread, while this waits
    const refused: string[] = [];
    await runCommit(big.commitInSteps(), () => {
      for (const change of [() => big.discardChanges(), () => big.put(b('late'), b('v')), () => big.delete(keyOf(DEEP))]) {
        try {
          change();
        } catch (error) {
          refused.push((error as Error).message.slice(0, 7));
        }
      }
    });
    assert.ok(refused.length >= 3, 'every change tried during the commit is refused');
    assert.deepEqual([...new Set(refused)], ['[STO17]']);
    assert.throws(() => big.put(b('later'), b('v')), /\[STO03\]/, 'committed: closed');
    deleter.delete(keyOf(DEEP));
    assert.equal(conflictCode(() => deleter.commit()), 'TXN10', 'the record still holds every committed key');
    const snapshot = store.snapshot();
    assert.equal(snapshot.get(b('late')), undefined);
    assert.equal(snapshot.countPrefixKeys(b('big/')), MANY);
    snapshot.close();
  } finally {
    store.close();
  }
});
