// Damaged files through the whole import. The codec's tests damage files byte by byte (reader.test.ts,
// item-view.test.ts); here random damage to a random dataset (random-dataset.ts) goes through everything after
// the codec too: the item views, the indexer, the joins and the schema's checks, in one thread and with threads.
// Damage that still decodes changes IDs, labels and values, so the import meets unknown types, IDs that no item
// defines or that two items define, broken keys. Every import must either succeed or fail with a coded message
// (never an internal error), and a failed one must leave nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../bench/workload.js';
import { StrataError } from '../../src/common/errors.js';
import { openDatabaseManager, type DatabaseManager } from '../../src/database/index.js';
import { importDatabase } from '../../src/migration/index.js';
import { hiddenEntries, tempDir, writeItems } from './fixtures.js';
import { RANDOM_SCHEMA, randomItems } from './random-dataset.js';

type Damage = (bytes: Buffer, random: () => number) => Buffer;

const below = (random: () => number, n: number) => Math.floor(random() * n);
const isPrintable = (byte: number) => byte > 0x20 && byte < 0x7f;

const DAMAGE: Record<string, Damage> = {
  /** One to three bytes anywhere set to anything: mostly framing and decoding errors. */
  bytes: (bytes, random) => {
    const out = Buffer.from(bytes);
    for (let k = 0, n = 1 + below(random, 3); k < n; k++) out[below(random, out.length)] = below(random, 256);
    return out;
  },
  /** One printable character (of an ID, a label or a string value) changed into another: the file still decodes. */
  character: (bytes, random) => {
    const out = Buffer.from(bytes);
    for (let tries = 0; tries < 1000; tries++) {
      const at = below(random, out.length);
      if (!isPrintable(out[at]!)) continue;
      const byte = 0x21 + below(random, 0x5e);
      if (byte === out[at]) continue;
      out[at] = byte;
      return out;
    }
    return out;
  },
  /** Cut short anywhere. */
  cut: (bytes, random) => bytes.subarray(0, below(random, bytes.length)),
};

/**
 * The tests' time limit catches a hang, not a slow machine: each takes 9-16 s here, and took 55-75 s beside two busy
 * loops, too close to the 120 s limit they had.
 */
const HANG_MILLIS = 600_000;

/** Imports a file and checks that it either succeeded or failed cleanly; returns the error message, if any. */
async function importOrRefuse(manager: DatabaseManager, name: string, file: string, threads: boolean, what: string): Promise<string | undefined> {
  try {
    await importDatabase(manager, name, { dataFile: file, schemaText: RANDOM_SCHEMA, threads });
    manager.delete(name);
    return undefined;
  } catch (e) {
    assert.ok(e instanceof StrataError, `${what}: not a coded error: ${(e as Error).stack}`);
    assert.match(e.message, /^\[MIG\d\d\] /, what);
    assert.doesNotMatch(e.message, /internal error|please report/i, what);
    assert.equal(manager.contains(name), false, `${what}: no database is left`);
    return e.message;
  } finally {
    assert.deepEqual(hiddenEntries(manager.dataDir), [], `${what}: nothing staged is left`);
  }
}

test('random damage to a random file: every import succeeds or fails with a coded message, and a failed one leaves nothing', { timeout: HANG_MILLIS }, async () => {
  const dir = tempDir();
  const file = join(dir, 'random.typedb');
  await writeItems(file, randomItems(11, 400));
  const original = readFileSync(file);
  const manager = openDatabaseManager(join(dir, 'data'));
  const random = seededRandom(12);
  const damaged = join(dir, 'damaged.typedb');
  const refusals = new Map<string, number>();
  try {
    for (let round = 0; round < 150; round++) {
      const kind = Object.keys(DAMAGE)[round % 3]!;
      writeFileSync(damaged, DAMAGE[kind]!(original, random));
      const message = await importOrRefuse(manager, 'x', damaged, round % 4 === 3, `round ${round} (${kind})`);
      const code = message?.slice(0, 7) ?? 'imported';
      refusals.set(code, (refusals.get(code) ?? 0) + 1);
    }
  } finally {
    manager.close();
  }
  // The damage reached past the codec: schema and reference errors, not only framing ones.
  for (const code of ['[MIG05]', '[MIG41]', '[MIG2']) {
    assert.ok([...refusals.keys()].some((c) => c.startsWith(code)), `some damage gave ${code}: ${JSON.stringify([...refusals])}`);
  }
});

test('damage in the second half of a file read in two halves is refused as a one-thread import refuses it', { timeout: HANG_MILLIS }, async () => {
  const dir = tempDir();
  const file = join(dir, 'random.typedb');
  await writeItems(file, randomItems(13, 35_000, 1024));
  const original = readFileSync(file);
  assert.ok(original.length >= 16 << 20, 'large enough to be read in two halves');
  const manager = openDatabaseManager(join(dir, 'data'));
  const random = seededRandom(14);
  const damaged = join(dir, 'damaged.typedb');
  const outcomes: string[] = [];
  try {
    for (let round = 0; round < 4; round++) {
      // Characters past the middle (most are the persons' long texts: 20, so that some hit IDs and labels), then
      // the same file imported both ways.
      const from = Math.floor(original.length * 0.6);
      let second: Buffer = original.subarray(from, original.length - 100);
      for (let k = 0; k < 20; k++) second = DAMAGE.character!(second, random);
      writeFileSync(damaged, Buffer.concat([original.subarray(0, from), second, original.subarray(original.length - 100)]));
      const one = await importOrRefuse(manager, 'x', damaged, false, `round ${round}, one thread`);
      const two = await importOrRefuse(manager, 'y', damaged, true, `round ${round}, two halves`);
      // The same outcome; messages that name the target database name their own.
      assert.equal(two?.replaceAll("database 'y'", "database 'x'"), one, `round ${round}: the same outcome`);
      outcomes.push(one?.slice(0, 7) ?? 'imported');
    }
  } finally {
    manager.close();
  }
  assert.ok(outcomes.some((o) => o !== 'imported'), `some damage was refused: ${outcomes.join(', ')}`);
});
