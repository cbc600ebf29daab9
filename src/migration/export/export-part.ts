// One part of an export: the items of pieces of THING key ranges, encoded from a pinned snapshot's pages
// (TreeScanner) into a sink, one piece after another as `next` hands them out. Run on the main thread (the whole
// export into a FileSink, or pieces of a large one into a PieceSink) and in a worker (part-worker.ts: the other
// pieces, into the same file), so that a large export uses both cores; the main thread's part gives the event loop
// a turn every slice of things.

// The scanner's own module, not lmdb-file/index.js: the part worker then loads 19 modules instead of 31 (not the
// store builder's), and is ready ~10 ms of CPU sooner.
import type { StoredTree } from '../../storage/api.js';
import type { LeafCursor } from '../../storage/lmdb-file/leaf-cursor.js';
import { TreeScanner } from '../../storage/lmdb-file/tree-scanner.js';
import type { Checksums } from '../codec/index.js';
import { LabelFields, type LabelTable } from './labels.js';
import { ThingEncoder, type RecordSink } from './thing-encoder.js';

/** A half-open range of THING keys. */
export type KeyRange = readonly [start: Uint8Array, end: Uint8Array];

/** Consecutive ranges of things, exported as a unit; `index` is its place among the export's pieces. */
export interface Piece {
  readonly index: number;
  readonly ranges: readonly KeyRange[];
}

/** Where a part's records go, piece by piece (file-sink.ts, piece-sink.ts). */
export interface PartSink extends RecordSink {
  begin(index: number): void;
  /** The piece begun is complete; false: the export stopped, begin no more. */
  end(): boolean | Promise<boolean>;
  /** Every piece is complete: writes out what is left; false: the export stopped. */
  finish(): boolean | Promise<boolean>;
}

export interface PartResult {
  readonly counts: Checksums;
  readonly dangling: number;
  /** Whether the part gave up because the export stopped. */
  readonly stopped: boolean;
}

/** Cursors over the THING, HAS and ROLE keyspaces of one snapshot. */
export interface PartCursors {
  readonly things: LeafCursor;
  readonly has: LeafCursor;
  readonly roles: LeafCursor;
}

export function scannerCursors(tree: StoredTree): PartCursors {
  return { things: new TreeScanner(tree), has: new TreeScanner(tree), roles: new TreeScanner(tree) };
}

/** Things encoded between two turns of the event loop, so that a server stays responsive during an export. */
const SLICE = 1 << 14;

/**
 * Encodes the pieces `next` hands out, each whole and in order, to `sink`, until it has none or the sink says
 * the export stopped; `onProgress` gets the items done so far after each slice.
 */
export async function exportPart(
  cursors: PartCursors,
  labels: LabelTable,
  next: () => Piece | undefined,
  sink: PartSink,
  onProgress?: (counts: Checksums) => void,
): Promise<PartResult> {
  const encoder = new ThingEncoder(cursors.things, cursors.has, cursors.roles, new LabelFields(labels), sink);
  let going = true;
  try {
    while (going) {
      const piece = next();
      if (piece === undefined) break;
      sink.begin(piece.index);
      for (const [from, to] of piece.ranges) {
        encoder.begin(from, to);
        while (encoder.encodeSome(SLICE)) {
          onProgress?.({ ...encoder.counts });
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      going = await sink.end();
    }
    if (going) going = await sink.finish();
  } finally {
    cursors.things.close();
    cursors.has.close();
    cursors.roles.close();
  }
  return { counts: { ...encoder.counts }, dangling: encoder.dangling, stopped: !going };
}
