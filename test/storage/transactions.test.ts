// Snapshot isolation and optimistic conflict detection.

import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { StrataError } from '../../src/common/errors.js';
import { b, commitPuts, keysOf, tempStore, text } from './fixtures.js';

const CONFLICT = /^\[TXN(09|10|11)\] Invalid Transaction Operation: The transaction .* concurrent transaction\. Nothing was committed: retry the transaction\.$/;

function isConflict(error: unknown): boolean {
  return error instanceof StrataError && CONFLICT.test(error.message);
}

describe('snapshots', () => {
  test('a snapshot does not see later commits', () => {
    const store = tempStore();
    commitPuts(store, ['a']);
    const before = store.snapshot();
    const writer = store.beginWrite();
    commitPuts(store, { a: 'changed', b: 'b' });
    const tx = store.beginWrite();
    tx.delete(b('a'));
    tx.commit();
    const after = store.snapshot();

    assert.equal(before.get(b('a'))?.toString(), 'a');
    assert.deepEqual(keysOf(before.prefix(b(''))), ['a']);
    assert.equal(writer.get(b('b')), undefined);
    assert.deepEqual(keysOf(writer.prefix(b(''))), ['a']);
    assert.equal(after.get(b('a')), undefined);
    assert.deepEqual(keysOf(after.prefix(b(''))), ['b']);
    assert.ok(after.sequence > before.sequence);
    assert.equal(writer.sequence, before.sequence);
    for (const view of [before, after]) view.close();
    writer.abort();
    store.close();
  });

  test('snapshot sequence numbers count commits that changed something', () => {
    const store = tempStore();
    const s0 = store.snapshot();
    const empty = store.beginWrite();
    empty.commit(); // no changes, no locks: not a commit anyone can see
    const s1 = store.snapshot();
    commitPuts(store, ['x']);
    const s2 = store.snapshot();
    assert.equal(s1.sequence, s0.sequence);
    assert.equal(s2.sequence, s0.sequence + 1);
    for (const s of [s0, s1, s2]) s.close();
    store.close();
  });

  test('a long iteration keeps its snapshot across ticks and commits', async () => {
    const store = tempStore();
    const tx = store.beginWrite();
    for (let i = 0; i < 5000; i++) tx.put(b(`k${String(i).padStart(5, '0')}`), b('v0'));
    tx.commit();
    const snapshot = store.snapshot();
    let count = 0;
    for (const [, value] of snapshot.prefix(b('k'))) {
      assert.equal(Buffer.from(value).toString(), 'v0');
      count++;
      if (count % 1000 === 0) {
        await tick(); // lmdb-js resets its shared read transaction on a timer
        const writer = store.beginWrite();
        writer.put(b(`k${String(count + 1).padStart(5, '0')}`), b('v1'));
        writer.put(b(`k99999-${count}`), b('v1'));
        writer.commit();
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }
    assert.equal(count, 5000);
    snapshot.close();
    const latest = store.snapshot();
    // Five commits each overwrote one key ahead of the iterator and added one; the last overwrite (k05001) was new.
    assert.equal([...latest.prefix(b('k'))].length, 5006);
    assert.equal(latest.get(b('k01001'))?.toString(), 'v1');
    latest.close();
    store.close();
  });

  test('ranges opened at any time read their snapshot: across commits, event-loop turns and other snapshots\' ranges', async () => {
    const store = tempStore();
    commitPuts(store, { k1: 'v0', k2: 'v0', k3: 'v0' });
    const s0 = store.snapshot();
    const twin = store.snapshot(); // at the same commit
    const entries = (view: typeof s0) => text(view.prefix(b('k')));
    const old = [['k1', 'v0'], ['k2', 'v0'], ['k3', 'v0']];
    assert.deepEqual(entries(s0), old);
    const open = s0.prefix(b('k'));
    assert.equal(Buffer.from(open.next().value![0]).toString(), 'k1');
    const tx = store.beginWrite();
    tx.delete(b('k1'));
    tx.put(b('k2'), b('v1'));
    tx.put(b('k4'), b('v1'));
    tx.commit();
    const s1 = store.snapshot();
    const fresh = [['k2', 'v1'], ['k3', 'v0'], ['k4', 'v1']];
    // One range of each snapshot open at once, in turn.
    const a = s1.prefixKeys(b('k'));
    const c = s0.prefixKeys(b('k'));
    assert.deepEqual([a.next().value, c.next().value, a.next().value, c.next().value].map((k) => Buffer.from(k!).toString()), ['k2', 'k1', 'k3', 'k2']);
    assert.deepEqual(text([...open].map((e) => e)), old.slice(1));
    for (const view of [s0, twin]) assert.deepEqual(entries(view), old);
    assert.deepEqual(entries(s1), fresh);
    await tick();
    await new Promise((resolve) => setTimeout(resolve, 2));
    for (const view of [s0, twin]) assert.deepEqual(entries(view), old);
    assert.deepEqual(entries(s1), fresh);
    assert.deepEqual(Buffer.from(s0.get(b('k2'))!).toString(), 'v0');
    for (const view of [s0, twin, s1]) view.close();
    store.close();
  });

  test('a snapshot reads its ranges when every LMDB reader slot is in use', async () => {
    const store = tempStore({ maxReaders: 2 });
    commitPuts(store, ['a']);
    const first = store.snapshot();
    commitPuts(store, ['b']);
    const second = store.snapshot();
    commitPuts(store, ['c']);
    await tick();
    assert.deepEqual(keysOf(first.prefix(b(''))), ['a']);
    assert.deepEqual(keysOf(second.prefix(b(''))), ['a', 'b']);
    for (const view of [first, second]) view.close();
    store.close();
  });

  test('many snapshots at different commits can be open at once', () => {
    const store = tempStore();
    const snapshots = [];
    for (let i = 0; i < 300; i++) {
      commitPuts(store, { counter: String(i) });
      snapshots.push(store.snapshot());
    }
    snapshots.forEach((snapshot, i) => assert.equal(snapshot.get(b('counter'))?.toString(), String(i)));
    for (const snapshot of snapshots) snapshot.close();
    store.close();
  });

  test('running out of LMDB reader slots is a clear error, and closing snapshots frees them', () => {
    const store = tempStore({ maxReaders: 4 });
    const snapshots = [];
    for (let i = 0; i < 4; i++) {
      commitPuts(store, { counter: String(i) });
      snapshots.push(store.snapshot());
    }
    commitPuts(store, { counter: 'last' });
    assert.throws(() => store.snapshot(), /\[STO12\].*all 4 LMDB reader slots are in use/);
    assert.throws(() => store.beginWrite(), /\[STO12\]/);
    snapshots.shift()?.close();
    const latest = store.snapshot();
    assert.equal(latest.get(b('counter'))?.toString(), 'last');
    for (const snapshot of [...snapshots, latest]) snapshot.close();
    store.close();
  });

  test('closed snapshots and transactions refuse use, and iterators stop', () => {
    const store = tempStore();
    commitPuts(store, ['a', 'b', 'c']);
    const snapshot = store.snapshot();
    const iterator = snapshot.prefix(b(''));
    assert.equal(Buffer.from(iterator.next().value?.[0] as Uint8Array).toString(), 'a');
    snapshot.close();
    snapshot.close(); // idempotent
    assert.throws(() => iterator.next(), /\[STO03\].*read snapshot has already been closed/);
    assert.throws(() => snapshot.get(b('a')), /\[STO03\]/);

    const tx = store.beginWrite();
    tx.put(b('d'), b('d'));
    tx.commit();
    assert.throws(() => tx.put(b('e'), b('e')), /\[STO03\].*write transaction has already been closed/);
    assert.throws(() => tx.commit(), /\[STO03\]/);
    assert.throws(() => tx.get(b('a')), /\[STO03\]/);
    tx.abort(); // idempotent after commit

    const aborted = store.beginWrite();
    aborted.put(b('never'), b('x'));
    aborted.abort();
    aborted.abort();
    assert.throws(() => aborted.commit(), /\[STO03\]/);
    const check = store.snapshot();
    assert.equal(check.get(b('never')), undefined);
    assert.equal(check.get(b('d'))?.toString(), 'd');
    check.close();
    store.close();
  });

  test('breaking out of a loop releases the cursor', () => {
    const store = tempStore();
    commitPuts(store, ['a', 'b', 'c']);
    const snapshot = store.snapshot();
    for (let i = 0; i < 1000; i++) {
      for (const entry of snapshot.prefix(b(''))) {
        assert.ok(entry);
        break;
      }
    }
    assert.deepEqual(keysOf(snapshot.prefix(b(''), { limit: 2 })), ['a', 'b']);
    snapshot.close();
    store.close();
  });
});

describe('conflicts', () => {
  test('delete vs concurrent put conflicts, whichever commits first', () => {
    for (const deleterFirst of [true, false]) {
      const store = tempStore();
      commitPuts(store, ['k']);
      const deleter = store.beginWrite();
      const writer = store.beginWrite();
      deleter.delete(b('k'));
      writer.put(b('k'), b('new'));
      const [first, second] = deleterFirst ? [deleter, writer] : [writer, deleter];
      first.commit();
      assert.throws(() => second.commit(), isConflict);
      assert.throws(() => second.put(b('x'), b('x')), /\[STO03\]/, 'a failed commit closes the transaction');
      const snapshot = store.snapshot();
      assert.equal(snapshot.get(b('k'))?.toString(), deleterFirst ? undefined : 'new');
      snapshot.close();
      store.close();
    }
  });

  test('delete vs concurrent delete conflicts', () => {
    const store = tempStore();
    commitPuts(store, ['k']);
    const a = store.beginWrite();
    const c = store.beginWrite();
    a.delete(b('k'));
    c.delete(b('k'));
    a.commit();
    assert.throws(() => c.commit(), isConflict);
    store.close();
  });

  test('put vs concurrent put of the same key does not conflict', () => {
    const store = tempStore();
    const a = store.beginWrite();
    const c = store.beginWrite();
    a.put(b('attribute'), b(''));
    c.put(b('attribute'), b(''));
    c.put(b('other'), b(''));
    a.commit();
    c.commit();
    const snapshot = store.snapshot();
    assert.deepEqual(keysOf(snapshot.prefix(b(''))), ['attribute', 'other']);
    snapshot.close();
    store.close();
  });

  test('locks conflict with concurrent writes, deletes and locks of the key', () => {
    type Action = 'put' | 'delete' | 'lock';
    const act = (tx: ReturnType<typeof store.beginWrite>, action: Action) =>
      action === 'put' ? tx.put(b('k'), b('v')) : action === 'delete' ? tx.delete(b('k')) : tx.lock(b('k'));
    const store = tempStore();
    commitPuts(store, ['k']);
    const actions: Action[] = ['put', 'delete', 'lock'];
    for (const earlier of actions) {
      for (const later of actions) {
        const first = store.beginWrite();
        const second = store.beginWrite();
        act(first, earlier);
        act(second, later);
        second.put(b('unrelated'), b('x'));
        first.commit();
        const expectConflict = !(earlier === 'put' && later === 'put');
        if (expectConflict) assert.throws(() => second.commit(), isConflict, `${earlier} then ${later}`);
        else assert.doesNotThrow(() => second.commit(), `${earlier} then ${later}`);
        commitPuts(store, ['k']); // restore for the next pair
      }
    }
    store.close();
  });

  test('a required prefix fails the commit only when the commits since its snapshot and its own changes empty it', () => {
    const store = tempStore();
    commitPuts(store, ['r/a', 'r/b', 'r/c']);
    // Each removes a different entry, seeing two others: both commit, one entry is left.
    const first = store.beginWrite();
    const second = store.beginWrite();
    first.delete(b('r/a'));
    first.requireAnyWithPrefix(b('r/'));
    second.delete(b('r/b'));
    second.requireAnyWithPrefix(b('r/'));
    first.commit();
    second.commit();
    // Each removes the last one the other still sees: the second to commit fails and changes nothing.
    commitPuts(store, ['r/d']);
    const third = store.beginWrite();
    const fourth = store.beginWrite();
    third.delete(b('r/c'));
    third.requireAnyWithPrefix(b('r/'));
    fourth.delete(b('r/d'));
    fourth.requireAnyWithPrefix(b('r/'));
    fourth.put(b('unrelated'), b('x'));
    third.commit();
    assert.throws(() => fourth.commit(), (e: unknown) => isConflict(e) && /^\[TXN11\]/.test((e as Error).message));
    // A concurrent put under the prefix, or the transaction's own, keeps it satisfied.
    const fifth = store.beginWrite();
    const sixth = store.beginWrite();
    fifth.put(b('r/e'), b(''));
    sixth.delete(b('r/d'));
    sixth.requireAnyWithPrefix(b('r/'));
    fifth.commit();
    sixth.commit();
    const own = store.beginWrite();
    own.delete(b('r/e'));
    own.put(b('r/f'), b(''));
    own.requireAnyWithPrefix(b('r/'));
    own.commit();
    const snapshot = store.snapshot();
    assert.deepEqual(keysOf(snapshot.prefix(b(''))), ['r/f']);
    snapshot.close();
    store.close();
  });

  test('discarding changes keeps the snapshot, and the conflicts with commits made since it', () => {
    const store = tempStore();
    commitPuts(store, ['k']);
    const tx = store.beginWrite();
    tx.put(b('mine'), b(''));
    tx.lock(b('owner'));
    const other = store.beginWrite();
    other.delete(b('k'));
    other.put(b('theirs'), b(''));
    other.commit();
    tx.discardChanges();
    assert.deepEqual(keysOf(tx.prefix(b(''))), ['k']);
    tx.put(b('k'), b('changed'));
    assert.throws(() => tx.commit(), isConflict);
    store.close();
  });

  test('a lock-only commit still conflicts with writers that started before it', () => {
    const store = tempStore();
    const locker = store.beginWrite();
    const writer = store.beginWrite();
    locker.lock(b('owner'));
    locker.commit();
    writer.put(b('owner'), b('someone'));
    assert.throws(() => writer.commit(), isConflict);
    store.close();
  });

  test('a touch conflicts with a concurrent delete whichever commits first, a touch-only commit too', () => {
    for (const deleterFirst of [true, false]) {
      const store = tempStore();
      commitPuts(store, ['k']);
      const deleter = store.beginWrite();
      const toucher = store.beginWrite();
      deleter.delete(b('k'));
      toucher.touch(b('k'));
      const [first, second] = deleterFirst ? [deleter, toucher] : [toucher, deleter];
      first.commit();
      assert.throws(() => second.commit(), isConflict);
      store.close();
    }
  });

  test('a touch leaves the stored key as it is: a concurrent put of it stands, as put vs put', () => {
    const store = tempStore();
    commitPuts(store, { k: 'old' });
    const toucher = store.beginWrite();
    const writer = store.beginWrite();
    toucher.touch(b('k'));
    toucher.put(b('other'), b(''));
    writer.put(b('k'), b('new'));
    writer.commit();
    toucher.commit();
    const snapshot = store.snapshot();
    assert.equal(snapshot.get(b('k'))?.toString(), 'new');
    assert.deepEqual(keysOf(snapshot.prefix(b(''))), ['k', 'other']);
    snapshot.close();
    store.close();
  });

  test('a key touched and then deleted is deleted: it conflicts as a delete', () => {
    const store = tempStore();
    commitPuts(store, ['k']);
    const a = store.beginWrite();
    const c = store.beginWrite();
    a.touch(b('k'));
    a.delete(b('k'));
    c.put(b('k'), b('v'));
    c.commit();
    assert.throws(() => a.commit(), isConflict);
    store.close();
  });

  test('transactions started after a commit do not conflict with it', () => {
    const store = tempStore();
    commitPuts(store, ['k']);
    const deleter = store.beginWrite();
    deleter.delete(b('k'));
    deleter.commit();
    const later = store.beginWrite();
    later.put(b('k'), b('again'));
    later.lock(b('k'));
    later.commit();
    const snapshot = store.snapshot();
    assert.equal(snapshot.get(b('k'))?.toString(), 'again');
    snapshot.close();
    store.close();
  });

  test('disjoint keys never conflict, and a conflict leaves the store unchanged', () => {
    const store = tempStore();
    commitPuts(store, ['a', 'b']);
    const t1 = store.beginWrite();
    const t2 = store.beginWrite();
    const t3 = store.beginWrite();
    t1.delete(b('a'));
    t2.delete(b('b'));
    t3.put(b('a'), b('x'));
    t3.put(b('c'), b('x'));
    t1.commit();
    t2.commit();
    assert.throws(() => t3.commit(), isConflict);
    const snapshot = store.snapshot();
    assert.deepEqual(keysOf(snapshot.prefix(b(''))), []);
    snapshot.close();
    store.close();
  });
});
