// The export's part worker places its pieces in the export file through the descriptor it is given; when it
// cannot, it stops the export (so the main thread stops waiting for its pieces) and fails with the system error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabaseManager } from '../../src/database/index.js';
import { Keyspace, ThingKind, schemaKey } from '../../src/encoding/index.js';
import { labelTable } from '../../src/migration/export/labels.js';
import { PartThread } from '../../src/migration/export/part-thread.js';
import { PieceOrder } from '../../src/migration/export/piece-order.js';
import { splitIntoPieces } from '../../src/migration/export/split.js';
import { TypeGraph } from '../../src/schema/index.js';
import { loadVaried, tempDir } from './fixtures.js';

test('a part worker that cannot write stops the export and fails with the system error', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  loadVaried(m, 'varied');
  const snapshot = m.get('varied').store.scanSnapshot();
  const path = join(dir, 'export.typedb');
  writeFileSync(path, '');
  // Opened for reading only: every write through it fails (EBADF).
  const fd = openSync(path, 'r');
  try {
    const tree = snapshot.tree!;
    const labels = labelTable(TypeGraph.deserialize(snapshot.get(schemaKey)!));
    const ranges = [Uint8Array.of(Keyspace.Thing, ThingKind.Entity), Uint8Array.of(Keyspace.Thing, ThingKind.Relation + 1)] as const;
    const pieces = splitIntoPieces(tree, [ranges], 8);
    const order = PieceOrder.create(pieces.length);
    const worker = new PartThread({ tree, labels, fd, start: 0 });
    // As the main thread would, once it holds the last piece: wait for every piece before it to be placed.
    const waiting = order.waitToPlaceAsync(pieces.length);
    worker.start(pieces, order.buffer);
    await assert.rejects(worker.result, (e: NodeJS.ErrnoException) => e.code === 'EBADF' && /EBADF/.test(e.message));
    assert.equal(await waiting, false, 'the wait ends: the worker stopped the export');
    assert.equal(order.claim(), undefined, 'no piece is claimed after the failure');
    await worker.stop();
    assert.equal(statSync(path).size, 0);
  } finally {
    closeSync(fd);
    snapshot.close();
    m.close();
  }
});
