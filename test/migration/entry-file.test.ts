// An import's entry file (the attributes' THING entries) is laid into the store by native code straight from its
// read buffer: entries that cross the buffer's end, values just small enough for a node and just too large for one
// (overflow pages), and a value larger than the buffer make the same store file as adding the entries one by one.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENTRY_HEADER } from '../../src/storage/lmdb-file/index.js';
import { EntryFileWriter, addEntryFile } from '../../src/migration/import/entry-file.js';
import { createFreshStore, writeFreshStore } from '../../src/storage/index.js';
import { seededRandom } from '../../bench/workload.js';
import { tempDir } from './fixtures.js';

test('an entry file makes the same store as its entries added one by one', () => {
  const next = seededRandom(7);
  const entries: [Buffer, Buffer][] = [];
  // About 5 MiB: the 1 MiB read buffer ends inside entries several times. Values around a node's limit (2034
  // bytes with the key and the node's header) and beyond it, and one of 1.5 MiB.
  for (let i = 0; entries.length < 20_000; i++) {
    const key = Buffer.from(`k${String(i).padStart(8, '0')}`);
    const small = next() < 0.9;
    const length = i === 10_000 ? 1_500_000 : small ? Math.floor(next() * 40) : 2010 + Math.floor(next() * 40);
    entries.push([key, Buffer.alloc(length, i & 0xff)]);
  }
  const dir = tempDir();
  const path = join(dir, 'things.entries');
  const writer = new EntryFileWriter(path);
  for (const [key, value] of entries) writeEntry(writer, key, value);
  writer.close();

  const fromFile = createFreshStore(join(dir, 'from-file'));
  assert.equal(addEntryFile(path, fromFile), entries.length);
  assert.equal(fromFile.finish(), entries.length);
  assert.equal(writeFreshStore(join(dir, 'one-by-one'), entries), entries.length);
  const bytes = (store: string) => readFileSync(join(dir, store, 'data.mdb'));
  assert.ok(bytes('from-file').equals(bytes('one-by-one')), 'the two store files differ');
});

/** Lays one entry into the writer's buffer as the attribute ranker's kernel does (entry-file.ts's layout). */
function writeEntry(writer: EntryFileWriter, key: Buffer, value: Buffer): void {
  const size = ENTRY_HEADER + key.length + value.length;
  if (writer.meta[0]! + size > writer.buf.length) writer.makeRoom(size);
  const at = writer.meta[0]!;
  writer.buf.writeUInt16LE(key.length, at);
  writer.buf.writeUInt16LE(0, at + 2);
  writer.buf.writeUInt32LE(value.length, at + 4);
  key.copy(writer.buf, at + ENTRY_HEADER);
  value.copy(writer.buf, at + ENTRY_HEADER + key.length);
  writer.meta[0] = at + size;
  writer.meta[1]!++;
}
