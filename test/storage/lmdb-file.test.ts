// The page-level paths into LMDB's data file: a store written by TreeBuilder opens in lmdb-js with every entry
// and takes ordinary commits afterwards; TreeScanner reads exactly what lmdb-js reads, also from a store whose
// pages were scattered by many commits, and locates the snapshot it was given. A builder whose pages are written
// by a thread of its own makes the same file, and fails as cleanly when a write fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TreeBuilder, TreeScanner, createFreshStore, openStore, writeFreshStore, type Store } from '../../src/storage/index.js';
import { seededRandom as random } from '../../bench/workload.js';
import { tempDir } from './fixtures.js';
import { repoRoot } from '../support/paths.js';

/** Sorted distinct entries: mostly short keys and values, some keys near the size limit, some overflow values. */
function entries(count: number, seed: number): [Buffer, Buffer][] {
  const next = random(seed);
  const keys = new Map<string, Buffer>();
  while (keys.size < count) {
    const length = next() < 0.01 ? 500 + Math.floor(next() * 1400) : 1 + Math.floor(next() * 24);
    const key = Buffer.alloc(length);
    for (let i = 0; i < length; i++) key[i] = Math.floor(next() * 256);
    keys.set(key.toString('hex'), key);
  }
  return [...keys.values()].sort(Buffer.compare).map((key, i) => {
    const big = next() < 0.01;
    return [key, big ? Buffer.alloc(3000 + Math.floor(next() * 20_000), i & 0xff) : Buffer.from(`v${i}`)];
  });
}

const ALL: [Buffer, Buffer] = [Buffer.from([0]), Buffer.alloc(1978, 0xff)];

function everything(store: Store): [Buffer, Buffer][] {
  const snapshot = store.snapshot();
  try {
    return [...snapshot.range(ALL[0], ALL[1])].map(([k, v]) => [Buffer.from(k), Buffer.from(v)]);
  } finally {
    snapshot.close();
  }
}

function scanned(scanner: TreeScanner, start: Uint8Array, end: Uint8Array | undefined): [Buffer, Buffer][] {
  const out: [Buffer, Buffer][] = [];
  scanner.seek(start, end);
  while (scanner.next()) {
    out.push([
      Buffer.from(scanner.page.subarray(scanner.keyAt, scanner.keyAt + scanner.keyLength)),
      Buffer.from(scanner.value.subarray(scanner.valueAt, scanner.valueAt + scanner.valueLength)),
    ]);
  }
  return out;
}

for (const count of [0, 1, 150, 5_000]) {
  test(`a store built from ${count} sorted entries opens with all of them and takes commits`, () => {
    const dir = join(tempDir('built'), 'db');
    const input = entries(count, count + 1);
    assert.equal(writeFreshStore(dir, input), count);
    const store = openStore(dir);
    try {
      assert.deepEqual(everything(store), input);
      const tx = store.beginWrite();
      tx.put(Buffer.from('after'), Buffer.from('commit'));
      if (count > 0) tx.delete(input[0]![0]);
      tx.commit();
      const expected = input.slice(1).concat([[Buffer.from('after'), Buffer.from('commit')]]).sort((a, b) => Buffer.compare(a[0], b[0]));
      assert.deepEqual(everything(store), count > 0 ? expected : [[Buffer.from('after'), Buffer.from('commit')]]);
    } finally {
      store.close();
    }
  });
}

/** The descriptors this process has open on files under `dir` (Linux; none elsewhere). */
function descriptorsOf(dir: string): string[] {
  if (!existsSync('/proc/self/fd')) return [];
  const targets = readdirSync('/proc/self/fd').map((fd) => {
    try {
      return readlinkSync(join('/proc/self/fd', fd));
    } catch {
      return ''; // closed meanwhile (the listing's own descriptor)
    }
  });
  return targets.filter((target) => target.startsWith(dir));
}

test('pages written by a thread of their own make the same file, also with appended leaves and overflow values', () => {
  // Enough entries for several rounds of the thread's ring of buffers.
  const input = entries(60_000, 11);
  const build = (writeThread: boolean) => {
    const dir = join(tempDir('threaded'), 'db');
    mkdirSync(dir);
    const store = createFreshStore(dir, { writeThread });
    const cut = input.length - 5_000;
    for (const [key, value] of input.slice(0, cut)) store.add(key, value);
    const elsewhere = TreeBuilder.leavesInMemory();
    for (const [key, value] of input.slice(cut)) if (value.length < 100) elsewhere.add(key, value);
    const leaves = elsewhere.finishLeaves();
    store.appendLeaves(leaves);
    assert.equal(store.finish(), cut + leaves.entries);
    return dir;
  };
  const threaded = build(true);
  // The thread has ended by the time the store is finished: no descriptor of the file is left open.
  assert.deepEqual(descriptorsOf(threaded), []);
  assert.deepEqual(readFileSync(join(threaded, 'data.mdb')), readFileSync(join(build(false), 'data.mdb')));
  const opened = openStore(threaded);
  try {
    assert.equal(everything(opened).length, input.length - input.slice(-5_000).filter(([, value]) => value.length >= 100).length);
  } finally {
    opened.close();
  }
});

test('a value of more pages than the output buffer holds is stored whole, by either output', () => {
  const big = Buffer.alloc(3 << 20);
  for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i);
  const input: [Buffer, Buffer][] = [
    [Buffer.from('a'), Buffer.from('before')],
    [Buffer.from('b'), big],
    [Buffer.from('c'), Buffer.from('after')],
  ];
  const build = (writeThread: boolean) => {
    const dir = join(tempDir('big-value'), 'db');
    mkdirSync(dir);
    const store = createFreshStore(dir, { writeThread });
    for (const [key, value] of input) store.add(key, value);
    store.finish();
    return dir;
  };
  const threaded = build(true);
  assert.deepEqual(readFileSync(join(threaded, 'data.mdb')), readFileSync(join(build(false), 'data.mdb')));
  const opened = openStore(threaded);
  try {
    assert.deepEqual(everything(opened), input);
  } finally {
    opened.close();
  }
});

test('a write failing on the page-writing thread fails the store with the system error and removes its file', () => {
  const dir = tempDir('threaded-failure');
  const script = join(dir, 'build.mts');
  const storage = JSON.stringify(pathToFileURL(join(repoRoot(), 'src/storage/index.ts')).href);
  writeFileSync(
    script,
    `import { createFreshStore } from ${storage};
     const store = createFreshStore(process.argv[2], { writeThread: true });
     try {
       const key = Buffer.alloc(16);
       for (let i = 0; i < 200_000; i++) { key.writeUInt32BE(i, 12); store.add(key, key); }
       store.finish();
     } catch (e) {
       console.log(JSON.stringify({ message: e.message }));
       process.exitCode = 1;
     }`,
  );
  const target = join(dir, 'db');
  // Files may grow to 1 MiB (ulimit counts 1 KiB blocks in bash); SIGXFSZ ignored, so writes fail with EFBIG.
  const command = `ulimit -f 1024; trap '' XFSZ; exec "$0" "$@"`;
  const run = spawnSync('bash', ['-c', command, process.execPath, '--import', 'tsx', script, target], { cwd: repoRoot(), encoding: 'utf8' });
  assert.equal(run.status, 1, run.stderr);
  const { message } = JSON.parse(run.stdout.trim().split('\n').pop()!) as { message: string };
  assert.match(message, /^\[STO14\] Storage Error: Writing a new store in '.*db' failed \(.*EFBIG.*\); its partial data file was removed\./);
  assert.equal(existsSync(join(target, 'data.mdb')), false);
});

test('a fresh store refuses keys out of order and leaves no data file behind', () => {
  const dir = join(tempDir('unordered'), 'db');
  assert.throws(
    () => writeFreshStore(dir, [[Buffer.from('b'), Buffer.from('1')], [Buffer.from('a'), Buffer.from('2')]]),
    /\[STO05\]/,
  );
  assert.equal(existsSync(join(dir, 'data.mdb')), false);
  assert.throws(() => writeFreshStore(dir, [[Buffer.alloc(0), Buffer.from('1')]]), /\[STO04\]/);
});

test('leaves built in memory (some in memory given, some not) and appended make one store with every entry', () => {
  const input = entries(20_000, 7).filter(([, value]) => value.length < 100);
  for (const memory of [undefined, new Uint8Array(3 * 4096 + 100), new Uint8Array(1 << 22)]) {
    const dir = join(tempDir('appended'), 'db');
    mkdirSync(dir);
    const cut = Math.floor(input.length / 3);
    const store = createFreshStore(dir);
    for (const [key, value] of input.slice(0, cut)) store.add(key, value);
    const elsewhere = TreeBuilder.leavesInMemory(memory);
    for (const [key, value] of input.slice(cut)) elsewhere.add(key, value);
    const leaves = elsewhere.finishLeaves();
    assert.equal(leaves.entries, input.length - cut);
    store.appendLeaves(leaves);
    assert.equal(store.finish(), input.length);
    const opened = openStore(dir);
    try {
      assert.deepEqual(everything(opened), input);
    } finally {
      opened.close();
    }
  }
});

test('appended leaves must follow the keys before them; leaves in memory hold no overflow values', () => {
  const dir = join(tempDir('appended-order'), 'db');
  const store = createFreshStore(dir);
  store.add(Buffer.from('m'), Buffer.from('1'));
  const elsewhere = TreeBuilder.leavesInMemory();
  elsewhere.add(Buffer.from('a'), Buffer.from('2'));
  assert.throws(() => store.appendLeaves(elsewhere.finishLeaves()), /\[STO05\]/);
  assert.equal(existsSync(join(dir, 'data.mdb')), false);
  assert.throws(() => TreeBuilder.leavesInMemory().add(Buffer.from('a'), Buffer.alloc(5000)), /at most \d+ bytes/);
});

test('a builder does not overwrite an existing data file', () => {
  const dir = tempDir('existing');
  writeFreshStore(dir, [[Buffer.from('a'), Buffer.from('1')]]);
  assert.throws(() => TreeBuilder.create(join(dir, 'data.mdb')), /EEXIST/);
  mkdirSync(join(dir, 'other'));
  assert.throws(() => writeFreshStore(dir, [[Buffer.from('a'), Buffer.from('1')]]), /\[STO14\]/);
});

test('the scanner reads what lmdb-js reads, after commits scattered the pages, in any range', () => {
  const dir = join(tempDir('scan'), 'db');
  const input = entries(20_000, 7);
  writeFreshStore(dir, input);
  const store = openStore(dir);
  const next = random(11);
  try {
    for (let t = 0; t < 40; t++) {
      const tx = store.beginWrite();
      for (let j = 0; j < 200; j++) {
        const [key] = input[Math.floor(next() * input.length)]!;
        if (next() < 0.3) tx.delete(key);
        else tx.put(key, Buffer.from(`t${t}-${j}`));
      }
      tx.put(Buffer.from(`new-${t}`), Buffer.alloc(2500 + t, t));
      tx.commit();
    }
    const snapshot = store.scanSnapshot();
    const expected = everything(store);
    try {
      assert.ok(snapshot.tree !== undefined, 'the snapshot was located in the data file');
      assert.equal(snapshot.tree.entries, expected.length);
      const scanner = new TreeScanner(snapshot.tree);
      try {
        assert.deepEqual(scanned(scanner, ALL[0], ALL[1]), expected);
        const low = Buffer.from([0x40]);
        const high = Buffer.from([0x80, 0x07]);
        const inside = expected.filter(([k]) => Buffer.compare(k, low) >= 0 && Buffer.compare(k, high) < 0);
        assert.deepEqual(scanned(scanner, low, high), inside);
        assert.deepEqual(scanned(scanner, Buffer.from([0xff, 0xff, 0xff, 0xff]), undefined), expected.filter(([k]) => Buffer.compare(k, Buffer.from([0xff, 0xff, 0xff, 0xff])) >= 0));
        // Ranges that end at a stored key or just past one, wherever it falls in its leaf (first, last, between).
        for (let r = 0; r < 300; r++) {
          const from = Math.floor(next() * expected.length);
          const to = Math.min(expected.length - 1, from + Math.floor(next() * 600));
          const start = expected[from]![0];
          const end = r % 2 === 0 ? expected[to]![0] : Buffer.concat([expected[to]![0], Buffer.of(0)]);
          const want = expected.slice(from, r % 2 === 0 ? to : to + 1);
          assert.deepEqual(scanned(scanner, start, end), want, `the range from entry ${from} to entry ${to}`);
        }
        // Positions grow with keys, and the key near a key's position is close to it.
        const middle = expected[expected.length >> 1]![0];
        const position = scanner.position(middle);
        assert.ok(position > 0.3 && position < 0.7, `position ${position}`);
        assert.ok(scanner.position(low) < scanner.position(high));
        const near = scanner.keyNear(position)!;
        const rank = expected.findIndex(([k]) => Buffer.compare(k, near) === 0);
        assert.ok(Math.abs(rank - (expected.length >> 1)) < expected.length * 0.1, `rank ${rank}`);
      } finally {
        scanner.close();
      }
    } finally {
      snapshot.close();
    }
    // A later scan snapshot sees a later commit.
    const tx = store.beginWrite();
    tx.put(Buffer.from('latest'), Buffer.from('x'));
    tx.commit();
    const later = store.scanSnapshot();
    try {
      const scanner = new TreeScanner(later.tree!);
      assert.deepEqual(scanned(scanner, Buffer.from('latest'), Buffer.from('latesu')), [[Buffer.from('latest'), Buffer.from('x')]]);
      scanner.close();
    } finally {
      later.close();
    }
  } finally {
    store.close();
  }
});
