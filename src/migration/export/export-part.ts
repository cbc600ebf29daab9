// One part of an export: the items of some ranges of THING keys, encoded from a pinned snapshot's pages
// (TreeScanner) into a file descriptor. Run on the main thread for the first part and in a worker
// (part-worker.ts) for the second, so that a large export uses both cores; the main thread's part gives the
// event loop a turn every slice of things.

import { TreeScanner, type EntryCursor, type StoredTree } from '../../storage/lmdb-file/index.js';
import type { Checksums } from '../codec/index.js';
import { FileSink } from './file-sink.js';
import { TableLabels, type LabelTable } from './labels.js';
import { ThingEncoder } from './thing-encoder.js';

/** A half-open range of THING keys. */
export type KeyRange = readonly [start: Uint8Array, end: Uint8Array];

export interface PartResult {
  readonly counts: Checksums;
  readonly dangling: number;
  readonly bytes: number;
}

/** Cursors over the THING, HAS and ROLE keyspaces of one snapshot. */
export interface PartCursors {
  readonly things: EntryCursor;
  readonly has: EntryCursor;
  readonly roles: EntryCursor;
}

export function scannerCursors(tree: StoredTree): PartCursors {
  return { things: new TreeScanner(tree), has: new TreeScanner(tree), roles: new TreeScanner(tree) };
}

/** Things encoded between two turns of the event loop, so that a server stays responsive during an export. */
const SLICE = 1 << 14;

/** Encodes `ranges`, in order, to `fd`; `onProgress` gets the items and bytes done so far after each slice. */
export async function exportPart(
  cursors: PartCursors,
  labels: LabelTable,
  ranges: readonly KeyRange[],
  fd: number,
  onProgress?: (counts: Checksums, bytes: number) => void,
): Promise<PartResult> {
  const sink = new FileSink(fd);
  const encoder = new ThingEncoder(cursors.things, cursors.has, cursors.roles, new TableLabels(labels), sink);
  try {
    for (const [start, end] of ranges) {
      encoder.begin(start, end);
      while (encoder.encodeSome(SLICE)) {
        onProgress?.({ ...encoder.counts }, sink.written + sink.position);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    sink.flush();
  } finally {
    cursors.things.close();
    cursors.has.close();
    cursors.roles.close();
  }
  return { counts: { ...encoder.counts }, dangling: encoder.dangling, bytes: sink.written };
}
