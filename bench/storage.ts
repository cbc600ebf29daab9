// Storage micro-benchmarks (not part of the tests): bulk load, point reads, scans and commits.
// Run: node --import tsx bench/storage.ts

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, writeFreshStore } from '../src/storage/index.js';
import { seededRandom as random } from './workload.js';

const KEYS = 1_000_000;
const READS = 500_000;
const TX_COUNT = 40;
const TX_SIZE = 1000;

/** 16-byte keys: a 4-byte prefix and a big-endian 12-byte sequence, like a type id + sequence-numbered IID. */
function key(i: number): Buffer {
  const bytes = Buffer.allocUnsafe(16);
  bytes.writeUInt32BE(0x01000a00, 0);
  bytes.writeUInt32BE(0, 4);
  bytes.writeUInt32BE(Math.floor(i / 2 ** 32), 8);
  bytes.writeUInt32BE(i >>> 0, 12);
  return bytes;
}

function rate(count: number, ms: number): string {
  return Math.round((count * 1000) / ms).toLocaleString('en-US');
}


const directory = mkdtempSync(join(tmpdir(), 'strata-bench-'));
const rows: [string, string, string][] = [];
try {
  const value = Buffer.alloc(8, 0x11);

  // Even sequence numbers only: the odd ones are left for the random-insert commits below.
  let start = performance.now();
  writeFreshStore(
    join(directory, 'db'),
    (function* (): Generator<[Uint8Array, Uint8Array]> {
      for (let i = 0; i < KEYS; i++) yield [key(2 * i), value];
    })(),
  );
  let ms = performance.now() - start;
  rows.push([`fresh store from ${KEYS.toLocaleString('en-US')} sorted keys`, rate(KEYS, ms) + ' keys/s', `${ms.toFixed(0)} ms`]);
  const store = openStore(join(directory, 'db'));

  const next = random(42);
  const probes = Array.from({ length: READS }, () => key(2 * Math.floor(next() * KEYS)));
  const snapshot = store.snapshot();
  for (let i = 0; i < 50_000; i++) snapshot.get(probes[i] as Buffer); // warm the map
  start = performance.now();
  let found = 0;
  for (const probe of probes) if (snapshot.get(probe) !== undefined) found++;
  ms = performance.now() - start;
  if (found !== READS) throw new Error(`expected ${READS} hits, got ${found}`);
  rows.push([`random point reads (${READS.toLocaleString('en-US')})`, rate(READS, ms) + ' reads/s', `${ms.toFixed(0)} ms`]);

  start = performance.now();
  let scanned = 0;
  for (const _ of snapshot.prefix(Buffer.from([0x01]))) scanned++;
  ms = performance.now() - start;
  rows.push([`ordered scan (${scanned.toLocaleString('en-US')} keys)`, rate(scanned, ms) + ' keys/s', `${ms.toFixed(0)} ms`]);
  snapshot.close();

  // Commits of 1000 new keys each: spread over the key space (random inserts), then appended at the end.
  const scattered = () => key(2 * Math.floor(next() * KEYS) + 1);
  const appended = (t: number, j: number) => key(2 * KEYS + t * TX_SIZE + j);
  for (const [label, keyOf] of [
    ['random', scattered],
    ['appended', appended],
  ] as const) {
    start = performance.now();
    for (let t = 0; t < TX_COUNT; t++) {
      const tx = store.beginWrite();
      for (let j = 0; j < TX_SIZE; j++) tx.put(keyOf(t, j), value);
      tx.commit();
    }
    ms = performance.now() - start;
    rows.push([
      `commit ${TX_SIZE}-key write tx, ${label} keys (${TX_COUNT} tx)`,
      `${((TX_COUNT * 1000) / ms).toFixed(1)} tx/s`,
      `${(ms / TX_COUNT).toFixed(1)} ms/tx`,
    ]);
  }

  start = performance.now();
  const small = 200;
  for (let t = 0; t < small; t++) {
    const tx = store.beginWrite();
    tx.put(key(4 * KEYS + t), value);
    tx.commit();
  }
  ms = performance.now() - start;
  rows.push([`commit 1-key write tx (${small} tx)`, `${((small * 1000) / ms).toFixed(1)} tx/s`, `${(ms / small).toFixed(2)} ms/tx`]);

  const target = join(directory, 'backup');
  start = performance.now();
  await store.backup(target);
  ms = performance.now() - start;
  rows.push(['backup (compacting, fsynced)', '', `${ms.toFixed(0)} ms`]);
  store.close();
} finally {
  rmSync(directory, { recursive: true, force: true });
}

const widths = [0, 1, 2].map((c) => Math.max(...rows.map((row) => row[c]?.length ?? 0)));
const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number))).join('  ');
console.log(line(['operation', 'throughput', 'time']));
for (const row of rows) console.log(line(row));
