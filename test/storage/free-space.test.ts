// A commit the disk cannot hold is refused before LMDB writes any of it (see src/storage/free-space.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFreeSpace, commitBytesBound } from '../../src/storage/free-space.js';
import { WriteBuffer } from '../../src/storage/write-buffer.js';

test('a commit needing more than the free space is refused with [STO09], naming the directory; one that fits is not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-free-space-'));
  try {
    assert.doesNotThrow(() => checkFreeSpace(dir, 1));
    assert.throws(
      () => checkFreeSpace(dir, Number.MAX_SAFE_INTEGER),
      (e: Error) =>
        e.message.startsWith('[STO09] ') &&
        e.message.includes(`bytes free in '${dir}', about ${Number.MAX_SAFE_INTEGER} needed); nothing was applied. Free disk space, then retry the transaction.`),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a commit's bound covers twice its entries' bytes and a megabyte of headroom", () => {
  const changes = new WriteBuffer();
  assert.equal(commitBytesBound(changes), 1 << 20);
  changes.put(Buffer.alloc(10), Buffer.alloc(100));
  changes.delete(Buffer.alloc(20, 1));
  assert.equal(commitBytesBound(changes), 2 * (10 + 100 + 16 + 20 + 16) + (1 << 20));
});
