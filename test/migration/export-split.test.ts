// A large export is cut into pieces, the first few by the work in the THING, HAS and ROLE keyspaces, finer ones by
// THING keys only: either way the pieces cover the THING ranges in order, with no gap and no overlap, and encoding
// them one after another writes the same bytes as encoding the whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabaseManager } from '../../src/database/index.js';
import { Keyspace, ThingKind, schemaKey } from '../../src/encoding/index.js';
import { exportPart, scannerCursors, type KeyRange } from '../../src/migration/export/export-part.js';
import { FileSink } from '../../src/migration/export/file-sink.js';
import { labelTable } from '../../src/migration/export/labels.js';
import { splitIntoPieces } from '../../src/migration/export/split.js';
import { importDatabase } from '../../src/migration/index.js';
import { TypeGraph } from '../../src/schema/index.js';
import { tempDir } from './fixtures.js';

const KIND_RANGES: KeyRange[] = [ThingKind.Attribute, ThingKind.Entity, ThingKind.Relation].map(
  (kind) => [Uint8Array.of(Keyspace.Thing, kind), Uint8Array.of(Keyspace.Thing, kind + 1)] as const,
);

/** The ranges, adjoining ones joined, as hex. */
function rejoin(ranges: readonly KeyRange[]): string[][] {
  const joined: KeyRange[] = [];
  for (const [start, end] of ranges) {
    const last = joined[joined.length - 1];
    if (last !== undefined && Buffer.compare(last[1], start) === 0) joined[joined.length - 1] = [last[0], end];
    else joined.push([start, end]);
  }
  return joined.map(([s, e]) => [Buffer.from(s).toString('hex'), Buffer.from(e).toString('hex')]);
}

test('fine pieces cover the THING ranges in order and encode to the same bytes as the whole', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  const { generateSocialDataset, SOCIAL_SCHEMA } = await import('../../bench/social-dataset.js');
  await generateSocialDataset(join(dir, 'social.typedb'), 20_000, 5);
  await importDatabase(m, 'social', { dataFile: join(dir, 'social.typedb'), schemaText: SOCIAL_SCHEMA, threads: false });
  const snapshot = m.get('social').store.scanSnapshot();
  try {
    const tree = snapshot.tree!;
    const labels = labelTable(TypeGraph.deserialize(snapshot.get(schemaKey)!));
    const encode = async (name: string, pieces: readonly (readonly KeyRange[])[]) => {
      const fd = openSync(join(dir, name), 'w');
      try {
        const queue = pieces.map((ranges, index) => ({ index, ranges })).reverse();
        await exportPart(scannerCursors(tree), labels, () => queue.pop(), new FileSink(fd, 4096));
      } finally {
        closeSync(fd);
      }
      return readFileSync(join(dir, name));
    };
    const whole = await encode('whole', [KIND_RANGES]);
    for (const [count, balanced] of [[8, 8], [64, 8], [64, 1]] as const) {
      const pieces = splitIntoPieces(tree, KIND_RANGES, count, balanced);
      assert.ok(pieces.length > count / 2, `${count}/${balanced}: ${pieces.length} pieces`);
      // Consecutive ranges, each starting where the one before ended (or where a kind's range begins).
      for (const [start, end] of pieces.flat()) assert.ok(Buffer.compare(start, end) < 0, 'no empty range');
      assert.deepEqual(rejoin(pieces.flat()), rejoin(KIND_RANGES), `${count}/${balanced}: the pieces cover the ranges`);
      assert.ok((await encode(`pieces-${count}-${balanced}`, pieces)).equals(whole), `${count}/${balanced}: same bytes`);
    }
  } finally {
    snapshot.close();
    m.close();
  }
});
