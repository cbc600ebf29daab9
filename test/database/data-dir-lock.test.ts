// The data directory lock: one database manager at a time per data directory (two lose each other's commits).
// A live holder, here or in another process, is named in a clear refusal; a stale lock is taken over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { processStartTime } from '../../src/common/process-liveness.js';
import { openDatabaseManager } from '../../src/database/index.js';
import { LOCK_FILE } from '../../src/database/data-dir-lock.js';
import { deadPid, firstLine, hasProcStates, killAndWait, makeZombie, moduleUrl, spawnScript } from '../support/processes.js';

function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'strata-lock-'));
}

/** Opens and closes a manager on `dir`: it must succeed. */
function opens(dir: string): void {
  openDatabaseManager(dir).close();
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('a second manager on a data directory in the same process is refused; close releases the lock', () => {
  const dir = tempDataDir();
  try {
    const first = openDatabaseManager(dir);
    first.create('shop');
    const lock = join(dir, LOCK_FILE);
    assert.equal(JSON.parse(readFileSync(lock, 'utf8')).pid, process.pid);
    const inThisProcess = new RegExp(
      `^\\[DBS27\\] Invalid Database Operation: The data directory '.*' is already open in this process \\(pid ${process.pid}\\)\\. Close its database manager before opening another one on it\\.$`,
    );
    assert.throws(() => openDatabaseManager(dir), (e: Error) => inThisProcess.test(e.message));
    // Another path to the same directory is the same directory.
    symlinkSync(dir, `${dir}-link`);
    assert.throws(() => openDatabaseManager(`${dir}-link`), (e: Error) => inThisProcess.test(e.message));
    assert.deepEqual(first.all(), ['shop'], 'the refused opener changed nothing');
    first.close();
    assert.equal(existsSync(lock), false, 'closing removes the lock file');
    const again = openDatabaseManager(dir);
    assert.deepEqual(again.all(), ['shop']);
    again.close();
  } finally {
    rmSync(`${dir}-link`, { force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a data directory held by another process is refused, naming it, the pid and the fix; once that process dies its lock is taken over', async () => {
  const dir = tempDataDir();
  const holder = spawnScript(
    `import { openDatabaseManager } from ${JSON.stringify(moduleUrl('src/database/index'))};
     const manager = openDatabaseManager(process.argv[1]);
     manager.create('shop');
     console.log('ready');
     setInterval(() => {}, 1000);`,
    [dir],
  );
  try {
    assert.equal(await firstLine(holder), 'ready');
    const lock = join(dir, LOCK_FILE);
    const held = readFileSync(lock, 'utf8');
    assert.throws(
      () => openDatabaseManager(dir),
      (e: Error) =>
        new RegExp(
          `^\\[DBS27\\] Invalid Database Operation: The data directory '${escaped(dir)}' is in use by another Strata server \\(process ${holder.pid}, since [^)]+\\)\\. ` +
            `Two servers on one data directory would lose each other's commits\\. Stop that server, or start this one on another data directory \\(--storage\\.data\\)\\. ` +
            `If process ${holder.pid} is not a Strata server using this directory, delete the lock file '${escaped(lock)}' and start again\\.$`,
        ).test(e.message),
    );
    assert.equal(readFileSync(lock, 'utf8'), held, 'the holder keeps its lock');
    await killAndWait(holder);
    const manager = openDatabaseManager(dir);
    try {
      assert.deepEqual(manager.all(), ['shop']);
      assert.equal(JSON.parse(readFileSync(lock, 'utf8')).pid, process.pid);
    } finally {
      manager.close();
    }
  } finally {
    await killAndWait(holder);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stale locks are taken over: a reaped holder, a zombie, an earlier process with our pid, a reused pid, a lock never written', async () => {
  const zombie = hasProcStates ? await makeZombie() : undefined;
  const host = hostname();
  try {
    const stale: [string, string][] = [
      ['reaped holder', JSON.stringify({ pid: deadPid(), host, since: 'then' })],
      ['an earlier process with our pid', JSON.stringify({ pid: process.pid, host, since: 'then' })],
      ['never written, left by a crash long ago', ''],
    ];
    // Start times and zombies can only be seen in /proc.
    if (hasProcStates) stale.push(['a reused pid', JSON.stringify({ pid: process.ppid, host, started: '1', since: 'then' })]);
    if (zombie) stale.push(['zombie holder', JSON.stringify({ pid: zombie.pid, host, since: 'then' })]);
    for (const [name, content] of stale) {
      const dir = tempDataDir();
      try {
        const lock = join(dir, LOCK_FILE);
        writeFileSync(lock, content);
        const past = new Date(Date.now() - 60_000);
        utimesSync(lock, past, past);
        assert.doesNotThrow(() => opens(dir), name);
        assert.equal(existsSync(lock), false, `${name}: released after use`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await zombie?.release();
  }
});

test('live or unknowable holders are respected: a live pid, a holder on another host, a lock being written', () => {
  const host = hostname();
  const cases: [string, string, RegExp][] = [
    ['live pid', JSON.stringify({ pid: process.ppid, host, since: 'then' }), new RegExp(`in use by another Strata server \\(process ${process.ppid}, since then\\)`)],
    [
      'live pid with its start time',
      JSON.stringify({ pid: process.ppid, host, started: processStartTime(process.ppid), since: 'then' }),
      new RegExp(`in use by another Strata server \\(process ${process.ppid}, since then\\)`),
    ],
    [
      'another host',
      JSON.stringify({ pid: process.pid, host: 'elsewhere.example', since: 'then' }),
      new RegExp(`in use by another Strata server \\(process ${process.pid} on host 'elsewhere\\.example', since then\\)\\..*If process ${process.pid} on host 'elsewhere\\.example' is not a Strata server using this directory, delete the lock file`),
    ],
    ['being written', '', /is being locked by another process right now \(its lock file '.*' names no process yet\)\. .*Wait and try again\./],
  ];
  for (const [name, content, expected] of cases) {
    const dir = tempDataDir();
    try {
      const lock = join(dir, LOCK_FILE);
      writeFileSync(lock, content);
      assert.throws(() => openDatabaseManager(dir), (e: Error) => e.message.startsWith('[DBS27] ') && expected.test(e.message), name);
      assert.equal(readFileSync(lock, 'utf8'), content, `${name}: the lock is left as it was`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('the lock file is never taken for a database, nor can a database take its name', () => {
  const dir = tempDataDir();
  try {
    const manager = openDatabaseManager(dir);
    try {
      assert.deepEqual(manager.all(), []);
      assert.deepEqual([...manager.refused.keys()], []);
      assert.equal(manager.contains(LOCK_FILE), false);
      assert.throws(() => manager.create(LOCK_FILE), /\[DBS20\] .*'strata\.lock' is not a valid database name: it is the name of the data directory's lock file\./);
    } finally {
      manager.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lock copied along with its data directory (cp -r while the server runs) does not hold the copy', () => {
  const dir = tempDataDir();
  const copy = `${dir}-copy`;
  try {
    const { dev, ino } = statSync(dir);
    const content = JSON.stringify({ pid: process.ppid, host: hostname(), dir: `${dev}:${ino}`, since: 'then' });
    writeFileSync(join(dir, LOCK_FILE), content);
    assert.throws(() => openDatabaseManager(dir), { message: /^\[DBS27\] .*in use by another Strata server/ }, 'the original is held');
    cpSync(dir, copy, { recursive: true });
    assert.doesNotThrow(() => opens(copy));
    assert.equal(existsSync(join(copy, LOCK_FILE)), false);
    assert.equal(readFileSync(join(dir, LOCK_FILE), 'utf8'), content, "the original's lock is untouched");
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(copy, { recursive: true, force: true });
  }
});

test('a directory where the lock file goes is named, with the fix', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-lock-'));
  try {
    mkdirSync(join(dir, LOCK_FILE));
    assert.throws(() => openDatabaseManager(dir), {
      message: `[DBS27] Invalid Database Operation: Cannot lock the data directory: '${join(dir, LOCK_FILE)}' is a directory, where the server keeps its lock file. Move it away, then start again.`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
