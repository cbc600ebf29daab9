// A database directory copied (cp -r, rsync, tar) while its server had it open may mix pages of different commits
// and still open: it is refused alone with DBS32, left untouched; a clean copy, a crash and a move are served.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseManager } from '../../src/database/index.js';
import { IN_USE_FILE } from '../../src/database/in-use-marker.js';
import { countPeople, makePeopleDatabase } from '../support/databases.js';
import { moduleUrl } from '../support/processes.js';
import { openTo, runUnprivileged } from '../support/unprivileged.js';

function withRoot(body: (root: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), 'strata-copied-open-'));
  try {
    body(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Every file under `dir` with its bytes, to show a refused directory is left as it was. */
function contents(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(join(entry.parentPath ?? entry.path, entry.name), readFileSync(join(entry.parentPath ?? entry.path, entry.name)).toString('hex'));
  }
  return files;
}

test('a database directory copied while its server has it open is refused alone, naming the fix, and left as it is', () => {
  withRoot((root) => {
    const source = openDatabaseManager(join(root, 'a'));
    try {
      makePeopleDatabase(source, 'shop', 3);
      mkdirSync(join(root, 'b'));
      cpSync(join(root, 'a', 'shop'), join(root, 'b', 'shop'), { recursive: true }); // while 'a' serves it
    } finally {
      source.close();
    }
    const clean = openDatabaseManager(join(root, 'c'));
    makePeopleDatabase(clean, 'other', 2);
    clean.close();
    cpSync(join(root, 'c', 'other'), join(root, 'b', 'other'), { recursive: true });
    const before = contents(join(root, 'b', 'shop'));

    const target = openDatabaseManager(join(root, 'b'));
    try {
      assert.deepEqual(target.all(), ['other']);
      assert.equal(countPeople(target, 'other'), 2n);
      const refusal = target.refused.get('shop');
      assert.ok(refusal, 'the copy taken while open is refused');
      assert.match(refusal.message, /^\[DBS32\]/);
      assert.ok(refusal.message.includes(join(root, 'b', 'shop')), refusal.message);
      assert.match(refusal.message, /copied while the server process \d+ on host '[^']+' .*had it open/);
      assert.match(refusal.message, /strata server backup --database=shop/);
      assert.match(refusal.message, /rsync into this copy needs --delete/);
      assert.ok(refusal.message.includes(`delete '${join(root, 'b', 'shop', IN_USE_FILE)}'`), refusal.message);
      assert.throws(() => target.session('shop', 'data'), /\[DBS32\]/);
    } finally {
      target.close();
    }
    assert.deepEqual(contents(join(root, 'b', 'shop')), before);
  });
});

test('a copy taken after the server closed the database is served, and so is one whose mark the user deleted', () => {
  withRoot((root) => {
    const source = openDatabaseManager(join(root, 'a'));
    makePeopleDatabase(source, 'shop', 3);
    assert.ok(existsSync(join(root, 'a', 'shop', IN_USE_FILE)), 'marked while open');
    mkdirSync(join(root, 'b'));
    cpSync(join(root, 'a', 'shop'), join(root, 'b', 'live'), { recursive: true });
    source.close();
    assert.ok(!existsSync(join(root, 'a', 'shop', IN_USE_FILE)), 'unmarked once closed');
    cpSync(join(root, 'a', 'shop'), join(root, 'b', 'shop'), { recursive: true });
    rmSync(join(root, 'b', 'live', IN_USE_FILE)); // the fix the refusal names, for a copy of a crashed server's
    const target = openDatabaseManager(join(root, 'b'));
    try {
      assert.deepEqual(target.all(), ['live', 'shop']);
      assert.equal(countPeople(target, 'shop'), 3n);
    } finally {
      target.close();
    }
  });
});

test('a database left marked by a crash opens again, also after its data directory was moved', () => {
  withRoot((root) => {
    const source = openDatabaseManager(join(root, 'a'));
    makePeopleDatabase(source, 'shop', 3);
    const mark = readFileSync(join(root, 'a', 'shop', IN_USE_FILE));
    source.close();
    writeFileSync(join(root, 'a', 'shop', IN_USE_FILE), mark); // as a server killed with the database open leaves it
    renameSync(join(root, 'a'), join(root, 'moved'));
    const again = openDatabaseManager(join(root, 'moved'));
    try {
      assert.deepEqual([...again.refused.keys()], []);
      assert.equal(countPeople(again, 'shop'), 3n);
    } finally {
      again.close();
    }
  });
});

test('a database copy the server may not write (a read-only copy) is refused alone, saying so and what to do', () => {
  withRoot((root) => {
    const data = join(root, 'data');
    const manager = openDatabaseManager(data);
    makePeopleDatabase(manager, 'shop', 3);
    makePeopleDatabase(manager, 'other', 2);
    manager.close();
    openTo(root);
    // 'shop' keeps its owner's modes, which the unprivileged user cannot write: a copy made by another user, or `chmod -R a-w`.
    for (const path of [data, ...[...contents(join(data, 'other')).keys()], join(data, 'other'), join(data, 'other', 'store')]) chmodSync(path, 0o777);
    const run = runUnprivileged(
      `import { openDatabaseManager } from '${moduleUrl('src/database/index')}';
       const m = openDatabaseManager(process.argv[1]);
       console.log(JSON.stringify({ all: m.all(), shop: m.refused.get('shop')?.message }));
       m.close();`,
      [data],
    );
    assert.equal(run.status, 0, run.stderr);
    const { all, shop } = JSON.parse(run.stdout) as { all: string[]; shop?: string };
    assert.deepEqual(all, ['other']);
    assert.ok(shop !== undefined, 'shop is refused');
    assert.match(shop, /^\[DBS23\] .*'shop' at '.*shop' could not be opened: the server's user \(uid \d+\) may not write its store/);
    assert.match(shop, /a read-only copy is not served/);
    assert.match(shop, /chmod -R u\+w/);
  });
});
