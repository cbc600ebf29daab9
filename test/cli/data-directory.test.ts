// `[SRV02]` says why the data directory cannot be used and what to do, not only that it "is not writable".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWritableDataDir } from '../../src/cli/data-directory.js';
import { moduleUrl } from '../support/processes.js';
import { lockedDirectoryIn, runUnprivileged } from '../support/unprivileged.js';

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-data-dir-'));
  test.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a data directory path that is a file is refused as a file', () => {
  const file = join(scratch(), 'data');
  writeFileSync(file, 'not a directory');
  assert.throws(() => ensureWritableDataDir(file), {
    message: `[SRV02] Invalid Server Operation: The data directory path '${file}' is not writable: it is a file, not a directory. Give another directory with --storage.data, or move the file away.`,
  });
});

test('a data directory under a file names the file in the way', () => {
  const file = join(scratch(), 'data');
  writeFileSync(file, 'not a directory');
  assert.throws(() => ensureWritableDataDir(join(file, 'sub', 'dir')), {
    message: new RegExp(`is not writable: '${file}' on its path is a file, not a directory\\. Give another directory with --storage\\.data\\.$`),
  });
});

test('a data directory the user may not write names the permission and the fix', () => {
  const dir = scratch();
  const parent = lockedDirectoryIn(dir);
  // The check runs as a user that is not root (root may write anywhere): see test/support/unprivileged.ts.
  const run = runUnprivileged(
    `import { ensureWritableDataDir } from '${moduleUrl('src/cli/data-directory')}';
     for (const dir of process.argv.slice(1)) {
       try { ensureWritableDataDir(dir); console.log('no error'); } catch (e) { console.log(e.message); }
     }`,
    [parent, join(parent, 'new')],
  );
  assert.equal(run.status, 0, run.stderr);
  const [there, below] = run.stdout.trimEnd().split('\n');
  assert.match(there!, /is not writable: the server's user \(uid \d+\) may not write there \(EACCES\)\. Let that user write/);
  assert.match(below!, /may not write in '.*locked', where it would be made \(EACCES\)/);
});

test('a missing data directory is made', () => {
  const dir = join(scratch(), 'a', 'b');
  ensureWritableDataDir(dir);
  ensureWritableDataDir(dir);
});

test('a data directory where no directory can be made (/proc) is refused at once, saying so', { skip: !existsSync('/proc/self') }, () => {
  // The launcher in a child process with a time limit: the server used to spin in Node's recursive mkdir forever.
  const run = spawnSync(
    process.execPath,
    [...(import.meta.url.endsWith('.js') ? [] : ['--import', 'tsx']), fileURLToPath(moduleUrl('src/cli/main')), 'server', '--storage.data=/proc/strata-test/data', '--server.address=127.0.0.1:0'],
    { encoding: 'utf8', timeout: 20_000 },
  );
  assert.equal(run.signal, null, 'the server was stopped by the time limit: it neither started nor failed');
  assert.equal(run.status, 1);
  assert.equal(
    run.stderr,
    "[SRV02] Invalid Server Operation: The data directory path '/proc/strata-test/data' is not writable: '/proc' does not take new directories (ENOENT): it is not on a disk, as /proc and /sys are not. Give another directory with --storage.data.\n",
  );
});
