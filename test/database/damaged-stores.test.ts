// Databases whose store is damaged, missing or empty: each is refused alone with a message naming the database,
// its data file, what is wrong and what to do; the others are served; nothing on disk is changed (no new store
// is written over the evidence).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseManager, type DatabaseManager } from '../../src/database/index.js';
import { IMPORT_STAGING_PREFIX } from '../../src/database/manager.js';
import { writeManifest } from '../../src/database/manifest.js';
import { writeFreshStore } from '../../src/storage/index.js';
import { countPeople, makePeopleDatabase } from '../support/databases.js';

/** Every file under `dir` with its bytes, to show that nothing was changed. */
function snapshotOf(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, entry);
    if (statSync(path).isFile()) files.set(entry, readFileSync(path));
  }
  return files;
}

const DAMAGES: Record<string, (store: string) => void> = {
  cut: (store) => truncateSync(join(store, 'data.mdb'), 100),
  garbled: (store) => {
    const bytes = readFileSync(join(store, 'data.mdb'));
    bytes.fill(0x5a, 0, 200);
    writeFileSync(join(store, 'data.mdb'), bytes);
  },
  emptied: (store) => truncateSync(join(store, 'data.mdb'), 0),
  storeless: (store) => rmSync(store, { recursive: true }),
};

test('damaged, empty and missing stores are refused alone, named with the fix, and left untouched', () => {
  const root = mkdtempSync(join(tmpdir(), 'strata-damaged-'));
  try {
    let manager = openDatabaseManager(root);
    makePeopleDatabase(manager, 'good', 3);
    for (const name of Object.keys(DAMAGES)) makePeopleDatabase(manager, name, 2);
    manager.close();
    for (const [name, damage] of Object.entries(DAMAGES)) damage(join(root, name, 'store'));
    const before = new Map(Object.keys(DAMAGES).map((name) => [name, snapshotOf(join(root, name))]));

    manager = openDatabaseManager(root);
    try {
      assert.deepEqual(manager.all(), ['good']);
      assert.equal(countPeople(manager, 'good'), 3n);
      const fix = (name: string) =>
        `It was left as it is\\. Move the directory '${join(root, name)}' away, then restore it from a backup, or re-import the database from an export \\(strata server import --database=${name} `;
      const file = (name: string) => `its data file '${join(root, name, 'store', 'data.mdb')}'`;
      const expected: Record<string, RegExp> = {
        cut: new RegExp(`^\\[DBS29\\] Invalid Database Operation: Database 'cut' at '${join(root, 'cut')}' has a damaged store: ${file('cut')} is 100 bytes long, too short to hold even its first meta page\\. It was not opened, as opening a damaged store can crash the server\\. ${fix('cut')}`),
        garbled: new RegExp(`^\\[DBS29\\] .*Database 'garbled' .* has a damaged store: ${file('garbled')} has a damaged first meta page \\(page 0\\): its magic number is 0x5a5a5a5a, not LMDB's 0xbeefc0de\\. .*${fix('garbled')}`),
        emptied: new RegExp(`^\\[DBS28\\] Invalid Database Operation: Database 'emptied' at '${join(root, 'emptied')}' has no store: ${file('emptied')} is empty \\(0 bytes\\)\\. ${fix('emptied')}`),
        storeless: new RegExp(`^\\[DBS28\\] .*Database 'storeless' .* has no store: ${file('storeless')} does not exist\\. ${fix('storeless')}`),
      };
      for (const [name, pattern] of Object.entries(expected)) {
        const refusal = manager.refused.get(name);
        assert.ok(refusal, `${name} is refused`);
        assert.match(refusal.message, pattern);
        // A client asking for it hears why, not that it does not exist; its name stays taken.
        assert.throws(() => manager.session(name, 'data'), (e: Error) => e === refusal);
        assert.throws(() => manager.create(name), /\[DBS04\]/);
      }
    } finally {
      manager.close();
    }
    for (const [name, files] of before) assert.deepEqual(snapshotOf(join(root, name)), files, `${name} was not changed`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('publishing a staged database whose store is damaged is refused before the current one is moved aside', () => {
  const root = mkdtempSync(join(tmpdir(), 'strata-damaged-'));
  const manager = openDatabaseManager(root);
  try {
    makePeopleDatabase(manager, 'shop', 4);
    const staged = join(root, `${IMPORT_STAGING_PREFIX}shop-${process.pid}-0badf00d`);
    mkdirSync(staged);
    writeManifest(staged);
    writeFreshStore(join(staged, 'store'), []);
    truncateSync(join(staged, 'store', 'data.mdb'), 6000);
    assert.throws(
      () => manager.publishStaged('shop', staged),
      /\[DBS29\] Invalid Database Operation: The store built for database 'shop' in '.*\.importing-shop-.*' cannot be opened: its data file '.*' is 6000 bytes long, shorter than its two meta pages \(2 × 4096 bytes\)\. Nothing was published: database 'shop' is as it was\./,
    );
    assert.deepEqual(manager.all(), ['shop']);
    assert.equal(countPeople(manager, 'shop'), 4n);
  } finally {
    manager.close();
    rmSync(root, { recursive: true, force: true });
  }
});
