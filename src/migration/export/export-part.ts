// One part of an export: the items of pieces of THING key ranges, encoded from a pinned snapshot's pages
// (TreeScanner) into a file descriptor, one piece after another as `next` hands them out. Run on the main thread
// (pieces from the front, straight into the export file) and in a worker (part-worker.ts: pieces from the back,
// into a part file), so that a large export uses both cores; the main thread's part gives the event loop a turn
// every slice of things.

// The scanner's own module, not lmdb-file/index.js: the part worker then loads 19 modules instead of 31 (not the
// store builder's), and is ready ~10 ms of CPU sooner.
import type { StoredTree } from '../../storage/api.js';
import type { EntryCursor } from '../../storage/lmdb-file/entry-cursor.js';
import { TreeScanner } from '../../storage/lmdb-file/tree-scanner.js';
import type { Checksums } from '../codec/index.js';
import { FileSink } from './file-sink.js';
import { TableLabels, type LabelTable } from './labels.js';
import { ThingEncoder } from './thing-encoder.js';

/** A half-open range of THING keys. */
export type KeyRange = readonly [start: Uint8Array, end: Uint8Array];

/** Consecutive ranges of things, exported as a unit; `index` is its place among the export's pieces. */
export interface Piece {
  readonly index: number;
  readonly ranges: readonly KeyRange[];
}

/** Where a piece's items went: bytes [start, end) of what the part wrote. */
export interface WrittenPiece {
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

export interface PartResult {
  readonly counts: Checksums;
  readonly dangling: number;
  readonly bytes: number;
  /** The pieces, in the order they were written. */
  readonly pieces: readonly WrittenPiece[];
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

/**
 * Encodes the pieces `next` hands out, each whole and in order, to `fd`, until it has none; `onProgress` gets the
 * items and bytes done so far after each slice.
 */
export async function exportPart(
  cursors: PartCursors,
  labels: LabelTable,
  next: () => Piece | undefined,
  fd: number,
  onProgress?: (counts: Checksums, bytes: number) => void,
): Promise<PartResult> {
  const sink = new FileSink(fd);
  const encoder = new ThingEncoder(cursors.things, cursors.has, cursors.roles, new TableLabels(labels), sink);
  const pieces: WrittenPiece[] = [];
  try {
    for (let piece = next(); piece !== undefined; piece = next()) {
      const start = sink.written + sink.position;
      for (const [from, to] of piece.ranges) {
        encoder.begin(from, to);
        while (encoder.encodeSome(SLICE)) {
          onProgress?.({ ...encoder.counts }, sink.written + sink.position);
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      pieces.push({ index: piece.index, start, end: sink.written + sink.position });
    }
    sink.flush();
  } finally {
    cursors.things.close();
    cursors.has.close();
    cursors.roles.close();
  }
  return { counts: { ...encoder.counts }, dangling: encoder.dangling, bytes: sink.written, pieces };
}
