// Making a directory and its missing parents: what `mkdir -p` does, and a refusal reported instead of Node's
// recursive mkdir spinning forever where a parent exists but takes no new entries (/proc, /sys).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDirectories, makeDirectoriesNow } from '../../src/common/make-directories.js';
import { moduleUrl } from '../support/processes.js';

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-mkdirs-'));
  test.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

for (const [name, make] of [
  ['makeDirectoriesNow', async (path: string) => makeDirectoriesNow(path)],
  ['makeDirectories', makeDirectories],
] as const) {
  test(`${name} makes the missing levels and returns the first one it made`, async () => {
    const dir = scratch();
    assert.equal(await make(join(dir, 'a', 'b', 'c')), join(dir, 'a'));
    assert.ok(statSync(join(dir, 'a', 'b', 'c')).isDirectory());
    assert.equal(await make(join(dir, 'a', 'b', 'c')), undefined);
    assert.equal(await make(join(dir, 'a', 'b', 'd')), join(dir, 'a', 'b', 'd'));
  });

  test(`${name} refuses a file in the place of the directory or on its path`, async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'file'), '');
    await assert.rejects(async () => make(join(dir, 'file')), { code: 'EEXIST' });
    await assert.rejects(async () => make(join(dir, 'file', 'sub', 'dir')), { code: 'ENOTDIR' });
    assert.equal(existsSync(join(dir, 'sub')), false);
  });
}

test('a parent that takes no new entries (/proc) fails at once with ENOENT, synchronously and not', { skip: !existsSync('/proc/self') }, () => {
  // In a child process with a time limit: Node's recursive mkdir never returns there, and would hang this file.
  const run = spawnSync(
    process.execPath,
    [
      ...(import.meta.url.endsWith('.js') ? [] : ['--import', 'tsx']),
      '--input-type=module',
      '-e',
      `import { makeDirectories, makeDirectoriesNow } from '${moduleUrl('src/common/make-directories')}';
       try { makeDirectoriesNow('/proc/strata-test/a'); } catch (e) { console.log('sync', e.code, e.path); }
       await makeDirectories('/proc/strata-test/a').catch((e) => console.log('async', e.code, e.path));`,
    ],
    { encoding: 'utf8', timeout: 20_000 },
  );
  assert.equal(run.signal, null, 'the child was stopped by the time limit: making the directories did not return');
  assert.equal(run.stdout, 'sync ENOENT /proc/strata-test\nasync ENOENT /proc/strata-test\n', run.stderr);
});
