// The check of a data file before lmdb-js opens it: sound stores pass; missing, empty and damaged ones are named
// with what is wrong; and openStore refuses them with STO15 instead of crashing the process (a damaged LMDB file
// kills it with SIGSEGV or SIGBUS), leaving the file as it was.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkDataFile, openStore, writeFreshStore } from '../../src/storage/index.js';
import { DATA_FILE, META, DB } from '../../src/storage/lmdb-file/layout.js';
import { b, commitPuts, tempDir } from './fixtures.js';

const PAGE = 4096;

/** A store written by lmdb-js over several commits: two valid meta pages with different transaction ids. */
function writtenStore(): string {
  const dir = join(tempDir('check'), 'store');
  const store = openStore(dir);
  for (let round = 0; round < 3; round++) {
    const keys: Record<string, string> = {};
    for (let i = 0; i < 500; i++) keys[`key-${round}-${i}`] = 'v'.repeat(100);
    commitPuts(store, keys);
  }
  store.close();
  rmSync(join(dir, 'lock.mdb')); // so that a lock file after a refused open shows that lmdb-js opened the store
  return dir;
}

const base = writtenStore();

interface Meta {
  readonly at: number;
  readonly txnId: bigint;
}

/** The two meta pages of `file`, newest first. */
function metas(file: string): [Meta, Meta] {
  const bytes = readFileSync(file);
  const [first, second] = [0, PAGE].map((at) => ({ at, txnId: bytes.readBigUInt64LE(at + META.txnId) }));
  return second!.txnId > first!.txnId ? [second!, first!] : [first!, second!];
}

/** A copy of the written store with `damage` applied to its data file; returns the store directory. */
function damaged(damage: (file: string) => void): string {
  const dir = join(tempDir('damaged'), 'store');
  cpSync(base, dir, { recursive: true });
  damage(join(dir, DATA_FILE));
  return dir;
}

function patch(file: string, at: number, write: (bytes: Buffer) => void): void {
  const bytes = readFileSync(file);
  write(bytes.subarray(at));
  writeFileSync(file, bytes);
}

function detailOf(dir: string): string {
  const problem = checkDataFile(join(dir, DATA_FILE));
  assert.ok(problem, `a problem is found in ${dir}`);
  assert.equal(problem.kind, 'damaged');
  return problem.detail;
}

const fileSize = (file: string) => readFileSync(file).length;

/** Every kind of damage the check must catch, with what it must say. */
const DAMAGES: [string, (file: string) => void, RegExp][] = [
  ['cut to 100 bytes', (f) => truncateSync(f, 100), /^is 100 bytes long, too short to hold even its first meta page$/],
  ['cut inside the second meta page', (f) => truncateSync(f, 6000), /^is 6000 bytes long, shorter than its two meta pages \(2 × 4096 bytes\)$/],
  ['cut after the meta pages', (f) => truncateSync(f, 5 * PAGE), /^is 20480 bytes long, but its newest meta page \(page [01], transaction \d+\) uses pages 0 to \d+ of 4096 bytes \(\d+ bytes\): the file was cut short$/],
  ['cut by one page', (f) => truncateSync(f, fileSize(f) - PAGE), /the file was cut short$/],
  ['first 200 bytes overwritten', (f) => patch(f, 0, (p) => p.fill(0xa5, 0, 200)), /^has a damaged first meta page \(page 0\): it is not marked as a meta page$/],
  ['first magic wrong', (f) => patch(f, 0, (p) => p.writeUInt32LE(0x12345678, META.magic)), /^has a damaged first meta page \(page 0\): its magic number is 0x12345678, not LMDB's 0xbeefc0de$/],
  ['first version wrong', (f) => patch(f, 0, (p) => p.writeUInt32LE(1, META.version)), /^has a damaged first meta page \(page 0\): its data format version is 1, not 2$/],
  ['first page size zero', (f) => patch(f, 0, (p) => p.writeUInt32LE(0, META.freeDb + DB.pad)), /^has a damaged first meta page \(page 0\): its page size, 0, is not a power of two from 512 to 65536$/],
  ['second meta zeroed', (f) => patch(f, PAGE, (p) => p.fill(0, 0, 200)), /^has a damaged second meta page \(page 1, at byte 4096\): it is not marked as a meta page; the first meta page is intact$/],
  ['second magic wrong', (f) => patch(f, PAGE, (p) => p.writeUInt32LE(0, META.magic)), /^has a damaged second meta page \(page 1, at byte 4096\): its magic number is 0x0/],
  ['page sizes disagree', (f) => patch(f, PAGE, (p) => p.writeUInt32LE(8192, META.freeDb + DB.pad)), /^has meta pages that disagree on the page size \(4096 and 8192 bytes\)$/],
  [
    'flushed-commit record newer than both meta pages',
    (f) =>
      patch(f, PAGE / 2, (p) => {
        p.writeBigUInt64LE(1n << 40n, META.txnId);
        p.writeUInt32LE(PAGE, META.freeDb + DB.pad);
      }),
    /^has a damaged record of its last flushed commit \(at byte 2048 of page 0\)$/,
  ],
  ['newest meta says no pages', (f) => patch(f, metas(f)[0].at, (p) => p.writeBigUInt64LE(0n, META.lastPage)), /^has a newest meta page \(page [01]\) whose last used page, 0, comes before the second meta page$/],
  ['newest meta says a huge file', (f) => patch(f, metas(f)[0].at, (p) => p.writeBigUInt64LE(1n << 50n, META.lastPage)), /uses pages 0 to 1125899906842624 of 4096 bytes .*: the file was cut short$/],
];

test('a store written by lmdb-js, an empty fresh store and a fresh store with entries pass the check', () => {
  assert.equal(checkDataFile(join(base, DATA_FILE)), undefined);
  const empty = join(tempDir('fresh'), 'store');
  writeFreshStore(empty, []);
  assert.equal(checkDataFile(join(empty, DATA_FILE)), undefined);
  const full = join(tempDir('fresh'), 'store');
  writeFreshStore(full, Array.from({ length: 5000 }, (_, i) => [b(`k${String(i).padStart(5, '0')}`), b('x'.repeat(i % 3000))] as [Buffer, Buffer]));
  assert.equal(checkDataFile(join(full, DATA_FILE)), undefined);
});

test('a missing or empty data file is named as such, not as damage', () => {
  assert.deepEqual(checkDataFile(join(tempDir('none'), DATA_FILE)), { kind: 'missing', detail: 'does not exist' });
  const dir = damaged((f) => truncateSync(f, 0));
  assert.deepEqual(checkDataFile(join(dir, DATA_FILE)), { kind: 'empty', detail: 'is empty (0 bytes)' });
});

for (const [name, damage, expected] of DAMAGES) {
  test(`damage found: ${name}`, () => {
    assert.match(detailOf(damaged(damage)), expected);
  });
}

test('the newest meta page decides how long the file must be, as LMDB picks it', () => {
  // The older snapshot's last page is never read by LMDB: a huge value there is no reason to refuse the file.
  const older = damaged((f) => patch(f, metas(f)[1].at, (p) => p.writeBigUInt64LE(1n << 50n, META.lastPage)));
  assert.equal(checkDataFile(join(older, DATA_FILE)), undefined);
  const newer = damaged((f) => patch(f, metas(f)[0].at, (p) => p.writeBigUInt64LE(1n << 50n, META.lastPage)));
  assert.match(detailOf(newer), /cut short/);
});

test('openStore refuses a missing, empty or damaged store with STO15, without crashing, and leaves it as it was', () => {
  const cases = DAMAGES.map(([name, damage]) => ({ name, dir: damaged(damage) }));
  cases.push({ name: 'empty', dir: damaged((f) => truncateSync(f, 0)) });
  const before = cases.map(({ dir }) => readFileSync(join(dir, DATA_FILE)));
  // In a child process: without the check, lmdb-js kills the process that opens these files.
  const here = fileURLToPath(import.meta.url);
  const compiled = here.endsWith('.js');
  const storage = pathToFileURL(resolve(dirname(here), `../../src/storage/index.${compiled ? 'js' : 'ts'}`)).href;
  const script = `
    import { openStore } from ${JSON.stringify(storage)};
    for (const dir of JSON.parse(process.argv[1])) {
      for (const options of [{ create: false }, {}]) {
        try {
          openStore(dir, options).close();
          console.log('opened ' + dir);
        } catch (e) {
          console.log(e.message);
        }
      }
    }`;
  const child = spawnSync(process.execPath, [...(compiled ? [] : ['--import', 'tsx']), '--input-type=module', '-e', script, JSON.stringify(cases.map((c) => c.dir))], {
    encoding: 'utf8',
  });
  assert.equal(child.signal, null, `the process was killed by ${child.signal}: ${child.stdout}${child.stderr}`);
  assert.equal(child.status, 0, child.stderr);
  const lines = child.stdout.trim().split('\n');
  cases.forEach(({ name, dir }, i) => {
    const file = join(dir, DATA_FILE);
    const [strict, creating] = [lines[2 * i]!, lines[2 * i + 1]!];
    assert.ok(strict.startsWith(`[STO15] Storage Error: The store data file '${file}' `), `${name}: ${strict}`);
    assert.match(strict, /The store was not opened and was left as it is\. Restore the store from a backup, or rebuild it from an export\.$/);
    if (name === 'empty') assert.equal(creating, `opened ${dir}`, 'creating may write a new store into an empty file');
    else assert.equal(creating, strict, `${name}: refused even when creating is allowed`);
  });
  // The damaged files were not touched, and lmdb-js left no lock file beside them.
  cases.forEach(({ name, dir }, i) => {
    if (name === 'empty') return;
    assert.deepEqual(readFileSync(join(dir, DATA_FILE)), before[i], name);
    assert.deepEqual(readdirSync(dir), [DATA_FILE], name);
  });
});

test('openStore with create: false never creates a store; the default creates one where there is none', () => {
  const parent = tempDir('absent');
  assert.throws(() => openStore(join(parent, 'store'), { create: false }), /\[STO15\] Storage Error: The store data file '.*store\/data\.mdb' does not exist\./);
  assert.equal(existsSync(join(parent, 'store')), false, 'no directory was made');
  openStore(join(parent, 'store')).close();
  assert.equal(checkDataFile(join(parent, 'store', DATA_FILE)), undefined);
  openStore(join(parent, 'store'), { create: false }).close();
});
