// Bytes after the checksums item that ends a complete export (zero padding from a transfer tool, a piece of
// another file) are reported as such, not only as damage or a cut: found by bench/fuzz-import.ts, where a whole
// export followed by junk was called "truncated" (MIG23) or "damaged" (MIG25), sending the user to export again
// when the export itself was intact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodecError, readItems } from '../../../src/migration/codec/index.js';
import { scanItems } from '../../../src/migration/codec/scan.js';
import { tempDir, vector } from './helpers.js';

const example = readFileSync(vector('hand-built', 'example.typedb'));
/** The hand-built export's checksums item starts here (its last record, 14 bytes). */
const CHECKSUMS_AT = example.length - 14;

async function readError(bytes: Buffer): Promise<CodecError> {
  const path = join(tempDir(), 'data.typedb');
  writeFileSync(path, bytes);
  let viaReader: unknown;
  try {
    for await (const _ of readItems(path)) {
      // reading to the error
    }
  } catch (e) {
    viaReader = e;
  }
  assert.ok(viaReader instanceof CodecError, `the reader refuses it: ${String(viaReader)}`);
  // The import's reader says the same.
  let viaScan: unknown;
  try {
    await scanItems(path, { views: (_table, _offsets, _from, to) => to, item: () => {} });
  } catch (e) {
    viaScan = e;
  }
  assert.ok(viaScan instanceof CodecError);
  assert.equal(viaScan.message, viaReader.message);
  return viaReader;
}

const NOTE = new RegExp(
  `This record follows the checksums item at byte offset ${CHECKSUMS_AT}, which ends a complete export: the bytes from ` +
    `offset ${example.length} on were probably added after the end of the export \\(padding, or another file joined to ` +
    `it\\)\\. If so, the export itself is whole: keep its first ${example.length} bytes and import again\\.$`,
);

test('zero padding after a complete export: MIG25 says the export ends before it', async () => {
  const error = await readError(Buffer.concat([example, Buffer.alloc(16)]));
  assert.equal(error.code, 'MIG25');
  assert.equal(error.byteOffset, example.length);
  assert.match(error.message, NOTE);
});

test('the start of another record after a complete export: MIG23 (or MIG21) says so too', async () => {
  const cut = await readError(Buffer.concat([example, example.subarray(0, 10)]));
  assert.equal(cut.code, 'MIG23');
  assert.match(cut.message, NOTE);
  const prefix = await readError(Buffer.concat([example, Buffer.from([0xff])]));
  assert.equal(prefix.code, 'MIG21');
  assert.match(prefix.message, NOTE);
});

test('damage before the end of the export gets no such note', async () => {
  const error = await readError(example.subarray(0, example.length - 3));
  assert.equal(error.code, 'MIG23');
  assert.doesNotMatch(error.message, /follows the checksums item/);
  const inside = Buffer.from(example);
  inside[19] = 0xff; // the entity record's length prefix
  assert.doesNotMatch((await readError(inside)).message, /follows the checksums item/);
});
