// `[SRV02]` says why the data directory cannot be used and what to do, not only that it "is not writable".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureWritableDataDir } from '../../src/cli/data-directory.js';

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

test('a data directory the user may not write names the permission and the fix', { skip: process.getuid?.() === 0 && 'root writes anywhere' }, () => {
  const parent = join(scratch(), 'locked');
  mkdirSync(parent);
  chmodSync(parent, 0o555);
  try {
    assert.throws(() => ensureWritableDataDir(parent), { message: /is not writable: the server's user \(uid \d+\) may not write there \(EACCES\)\. Let that user write/ });
    assert.throws(() => ensureWritableDataDir(join(parent, 'new')), { message: /may not write in '.*locked', where it would be made \(EACCES\)/ });
  } finally {
    chmodSync(parent, 0o755);
  }
});

test('a missing data directory is made', () => {
  const dir = join(scratch(), 'a', 'b');
  ensureWritableDataDir(dir);
  ensureWritableDataDir(dir);
});
