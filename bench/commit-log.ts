// What the commit log costs a large commit made while another write transaction is open, and what it costs a
// second transaction's conflict check against that commit (not part of the tests).
// Run: npm run bench:commit-log [-- KEYS ROUNDS] (defaults 400000 and 3), after a build

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Waiting, type WaitingSteps } from '../src/common/steps.js';
import { openStore, type Store, type WriteTransaction } from '../src/storage/index.js';
import { benchArguments } from './arguments.js';
import { cpuMillis, cpuMillisAsync } from './report.js';

const { positional } = benchArguments({
  command: 'npm run bench:commit-log',
  summary:
    'What the commit log costs: CPU of a commit of KEYS raw store puts (default 400000) alone, with another write\n' +
    "transaction open, and of a second transaction's conflict check against it; ROUNDS times (default 3).",
  options: {},
  positional: ['KEYS', 'ROUNDS'],
});
const KEYS = Number(positional[0] ?? 400_000);
const ROUNDS = Number(positional[1] ?? 3);
const SECOND_PUTS = 1000;

/** 16-byte keys: a 4-byte prefix and a big-endian sequence, like a type id + sequence-numbered IID. */
function key(prefix: number, i: number): Buffer {
  const bytes = Buffer.alloc(16);
  bytes.writeUInt32BE(prefix, 0);
  bytes.writeUInt32BE(i >>> 0, 12);
  return bytes;
}

async function runSteps(steps: WaitingSteps<void>): Promise<void> {
  for (let next = steps.next(); !next.done; next = steps.next()) {
    if (next.value instanceof Waiting) await next.value.until;
  }
}

function bigTransaction(store: Store, round: number): WriteTransaction {
  const tx = store.beginWrite();
  const value = Buffer.alloc(8, 0x11);
  for (let i = 0; i < KEYS; i++) tx.put(key(0x0100 + round, i), value);
  return tx;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const results = new Map<string, number[]>();
const note = (label: string, ms: number): void => void (results.get(label) ?? results.set(label, []).get(label)!).push(ms);

const directory = mkdtempSync(join(tmpdir(), 'strata-bench-commit-log-'));
try {
  const store = openStore(join(directory, 'db'));
  for (let round = 0; round < ROUNDS; round++) {
    // Alone: nobody can need the commit's keys.
    const alone = bigTransaction(store, 3 * round);
    note('commit() alone', cpuMillis(() => alone.commit()));

    // With another writer open: the commit is recorded for it.
    const deleter = store.beginWrite();
    const other = store.beginWrite();
    const big = bigTransaction(store, 3 * round + 1);
    note('commit() with another writer open', cpuMillis(() => big.commit()));

    // A second transaction's check against that record: a key deep inside it deleted → conflict.
    for (let i = 0; i < SECOND_PUTS; i++) deleter.put(key(0x0200, round * SECOND_PUTS + i), Buffer.alloc(8));
    deleter.delete(key(0x0100 + 3 * round + 1, Math.floor(KEYS / 3)));
    note('conflict check, conflicting (1 000 puts + 1 delete)', cpuMillis(() => {
      try {
        deleter.commit();
        throw new Error('expected a conflict');
      } catch (error) {
        if (!/TXN10/.test(String(error))) throw error;
      }
    }));
    // And a large disjoint one: committed after the check (its keys are all new).
    const second = store.beginWrite();
    for (let i = 0; i < KEYS / 4; i++) other.put(key(0x0300 + round, i), Buffer.alloc(8));
    note(`commit() of ${KEYS / 4} disjoint puts checked against it`, cpuMillis(() => other.commit()));

    // commitInSteps (the server's path; CPU of all threads, the writer thread's LMDB write included).
    const steps = bigTransaction(store, 3 * round + 2);
    note('commitInSteps with another writer open', await cpuMillisAsync(() => runSteps(steps.commitInSteps())));
    second.abort();
  }
  store.close();
} finally {
  rmSync(directory, { recursive: true, force: true });
}
console.log(`${KEYS} keys per large commit, ${ROUNDS} rounds; CPU ms, median [all]`);
for (const [label, values] of results) {
  console.log(`${label.padEnd(58)} ${median(values).toFixed(0).padStart(6)}  [${values.map((v) => v.toFixed(0)).join(', ')}]`);
}
