// Data-directory discovery: copied databases are served, incompatible ones are refused alone with a clear message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseManager } from '../../src/database/index.js';
import { MANIFEST_FILE } from '../../src/database/manifest.js';
import { countPeople, makePeopleDatabase } from '../support/databases.js';

function makeDatabase(dataDir: string, name: string, people: number): void {
  const manager = openDatabaseManager(dataDir);
  try {
    makePeopleDatabase(manager, name, people);
  } finally {
    manager.close();
  }
}

function countPeopleAt(dataDir: string, name: string): bigint {
  const manager = openDatabaseManager(dataDir);
  try {
    return countPeople(manager, name);
  } finally {
    manager.close();
  }
}

test('a database directory copied into another data directory is served there', () => {
  const root = mkdtempSync(join(tmpdir(), 'strata-discovery-'));
  try {
    makeDatabase(join(root, 'a'), 'shop', 3);
    mkdirSync(join(root, 'b'));
    cpSync(join(root, 'a', 'shop'), join(root, 'b', 'shop'), { recursive: true });
    assert.equal(countPeopleAt(join(root, 'b'), 'shop'), 3n);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('an unsupported encoding version is refused alone, naming the database, its path, both versions and the fix', () => {
  const root = mkdtempSync(join(tmpdir(), 'strata-discovery-'));
  try {
    makeDatabase(root, 'good', 1);
    makeDatabase(root, 'future', 1);
    const manifestPath = join(root, 'future', MANIFEST_FILE);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, encodingVersion: 99 }));
    const manager = openDatabaseManager(root);
    try {
      assert.deepEqual(manager.all(), ['good']);
      const refusal = manager.refused.get('future');
      assert.ok(refusal);
      assert.match(refusal.message, /\[DBS02\].*'future'.*future.*encoding version 99.*supports encoding version 1.*export/);
      // The fix step by step, with the commands: the same name cannot be imported into while the directory is here.
      assert.match(refusal.message, /'typedb server export --database=future --schema=future\.tql --data=future\.typedb'/);
      assert.match(refusal.message, /move this directory out of the data directory, and import the files on this one \('typedb server import --database=future --schema=future\.tql --data=future\.typedb'\)\.$/);
      assert.throws(() => manager.session('future', 'data'), /DBS02/);
      // Left out of the list, yet its name is taken: creating it says why.
      assert.throws(() => manager.create('future'), {
        message: new RegExp(
          `^\\[DBS04\\] Invalid Database Operation: The database with the name 'future' already exists: its directory '${join(root, 'future')}' is there, ` +
            `but this server does not serve it: \\[DBS02\\] .* To use the name for a new database, move that directory out of the data directory first\\.$`,
        ),
      });
      assert.equal(countPeople(manager, 'good'), 1n);
    } finally {
      manager.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a manifest that is valid JSON but not a manifest is refused as unreadable, saying what it holds', () => {
  const root = mkdtempSync(join(tmpdir(), 'strata-discovery-'));
  try {
    const cases: Record<string, [string, string]> = {
      nulled: ['null', 'it holds null, not a JSON object'],
      listed: ['[1]', 'it holds [1], not a JSON object'],
      foreign: ['{"foo":1}', 'its "format" is undefined, not "strata-database"'],
      unversioned: ['{"format":"strata-database"}', 'its "encodingVersion" is missing, not a whole number'],
      texted: ['{"format":"strata-database","encodingVersion":"1"}', 'its "encodingVersion" is "1", not a whole number'],
    };
    makeDatabase(root, 'good', 1);
    for (const [name, [text]] of Object.entries(cases)) {
      makeDatabase(root, name, 1);
      writeFileSync(join(root, name, MANIFEST_FILE), text);
    }
    const manager = openDatabaseManager(root);
    try {
      assert.deepEqual(manager.all(), ['good']);
      for (const [name, [, why]] of Object.entries(cases)) {
        assert.equal(
          manager.refused.get(name)?.message,
          `[DBS22] Invalid Database Operation: Database '${name}' at '${join(root, name)}' has an unreadable manifest (${MANIFEST_FILE}): ${why}. ` +
            'Restore the directory from the server it came from, or re-import the database from an export.',
        );
      }
    } finally {
      manager.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a TypeDB 2.x RocksDB directory is refused with the export/import fix, a Strata one without its manifest as incomplete', () => {
  const root = mkdtempSync(join(tmpdir(), 'strata-discovery-'));
  try {
    for (const store of ['schema', 'data']) {
      mkdirSync(join(root, 'legacy', store), { recursive: true });
      writeFileSync(join(root, 'legacy', store, 'CURRENT'), 'MANIFEST-000001\n');
    }
    mkdirSync(join(root, 'lost+found'));
    // A TypeDB directory whose copy stopped before any file, and a Strata one that lost its manifest.
    for (const store of ['schema', 'data']) mkdirSync(join(root, 'cut-short', store), { recursive: true });
    mkdirSync(join(root, 'partial', 'store'), { recursive: true });
    const manager = openDatabaseManager(root);
    try {
      assert.deepEqual(manager.all(), []);
      assert.match(manager.refused.get('legacy')!.message, /^\[DBS24\] .*TypeDB 2\.x.*typedb server export.*strata server import/);
      assert.match(manager.refused.get('cut-short')!.message, /^\[DBS24\] /);
      assert.match(manager.refused.get('partial')!.message, /^\[DBS30\] .*'partial' at '.*partial' has a store but no strata-database\.json.*incomplete copy/);
      assert.equal(manager.refused.has('lost+found'), false);
    } finally {
      manager.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('database names: a leading underscore is reserved (DBS09); names no directory can have are refused (DBS20); others work, as in TypeDB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-names-'));
  const manager = openDatabaseManager(dir);
  try {
    assert.throws(() => manager.create('_system'), /\[DBS09\] Invalid Database Operation: Database name must not start with an underscore\./);
    for (const name of ['.', '..', '.hidden', 'a/b', 'a\\b', 'tab\there', 'nul\u0000', '']) assert.throws(() => manager.create(name), /\[DBS20\]/, JSON.stringify(name));
    assert.throws(() => manager.create('a/b'), /^StrataError: \[DBS20\] .*'a\/b' is not a valid database name: it holds '\/', '\\' or a control character, which a directory name cannot\.$/);
    assert.throws(() => manager.create('x'.repeat(201)), /^StrataError: \[DBS20\] .*'x{40}…' is not a valid database name: it takes 201 bytes in UTF-8, at most 200 are allowed\.$/);
    assert.throws(() => manager.create('é'.repeat(101)), /it takes 202 bytes in UTF-8/);
    manager.create('y'.repeat(200));
    assert.equal(manager.contains('y'.repeat(200)), true);
    manager.delete('y'.repeat(200));
    for (const name of ['ok-name_1.2', 'my db', 'café', 'a@b', 'Données 2026']) manager.create(name);
    assert.deepEqual(manager.all().sort(), ['Données 2026', 'a@b', 'café', 'my db', 'ok-name_1.2']);
    manager.close();
    // Found again at start-up.
    const reopened = openDatabaseManager(dir);
    assert.deepEqual(reopened.all().sort(), ['Données 2026', 'a@b', 'café', 'my db', 'ok-name_1.2']);
    reopened.close();
  } finally {
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a closed database manager refuses every use with TypeDB's [DBS03]", () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-closed-manager-'));
  try {
    const manager = openDatabaseManager(dir);
    manager.create('db');
    manager.close();
    const message = '[DBS03] Invalid Database Operation: Attempted to use database manager when it has been closed.';
    assert.throws(() => manager.create('other'), { message });
    assert.throws(() => manager.session('db', 'data'), { message });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a database that cannot be written is not created: [DBS31] with the cause and the fix, nothing left behind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-create-fails-'));
  const manager = openDatabaseManager(dir);
  try {
    // The data directory is gone under the running manager: creating in it fails, as a full disk does.
    rmSync(dir, { recursive: true, force: true });
    assert.throws(
      () => manager.create('shop'),
      {
        message: new RegExp(
          `^\\[DBS31\\] Invalid Database Operation: Cannot create database 'shop': writing it in '${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' failed \\(ENOENT: .*\\)\\. Free disk space or fix the directory's permissions, then try again\\.$`,
        ),
      },
    );
    assert.deepEqual(manager.all(), []);
  } finally {
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('creating a database whose directory was copied in while the server runs says to restart, not "not a database"', () => {
  const root = mkdtempSync(join(tmpdir(), 'strata-discovery-'));
  try {
    makeDatabase(join(root, 'a'), 'shop', 1);
    const running = join(root, 'b');
    mkdirSync(running);
    const manager = openDatabaseManager(running);
    try {
      cpSync(join(root, 'a', 'shop'), join(running, 'shop'), { recursive: true });
      mkdirSync(join(running, 'junk'));
      assert.throws(() => manager.create('shop'), (e: Error) => {
        assert.match(e.message, /\[DBS21\]/);
        assert.match(e.message, new RegExp(`'${join(running, 'shop')}' holds a database directory`));
        assert.match(e.message, /Restart the server to serve it/);
        return true;
      });
      assert.throws(() => manager.create('junk'), /already exists but is not a database/);
    } finally {
      manager.close();
    }
    assert.equal(countPeopleAt(running, 'shop'), 1n);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a database directory copied onto an existing one (nested inside it by cp -r) is named in a notice, and nothing changes', () => {
  const root = mkdtempSync(join(tmpdir(), 'strata-discovery-'));
  try {
    makeDatabase(join(root, 'a'), 'shop', 3);
    makeDatabase(join(root, 'b'), 'shop', 5);
    // `cp -r a/shop b/shop` when b/shop exists: the copy lands in b/shop/shop.
    cpSync(join(root, 'a', 'shop'), join(root, 'b', 'shop', 'shop'), { recursive: true });
    const manager = openDatabaseManager(join(root, 'b'));
    try {
      assert.deepEqual(manager.all(), ['shop']);
      assert.equal(countPeople(manager, 'shop'), 5n);
      assert.equal(manager.notices.length, 1);
      const notice = manager.notices[0]!;
      assert.ok(notice.includes(`'${join(root, 'b', 'shop', 'shop')}', a database directory itself, which is not served`), notice);
      assert.match(notice, /cp -r/);
      assert.ok(notice.includes(`to replace database 'shop'`), notice);
    } finally {
      manager.close();
    }
    assert.equal(countPeopleAt(join(root, 'a'), 'shop'), 3n);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
