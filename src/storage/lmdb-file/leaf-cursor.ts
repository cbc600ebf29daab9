// Entries as LMDB leaf pages, for code that walks a page's nodes itself (the export's native encoder): the data
// file's pages of a pinned snapshot (TreeScanner) or, when a snapshot's pages cannot be located, lmdb-js range
// reads packed into pages of the same layout as they are read (RangeLeaves).

import type { ReadView } from '../api.js';
import { NODE_HEADER, PAGE_HEADER } from './layout.js';

export interface LeafCursor {
  /** The current leaf starts at page[leafAt]: LMDB's page header, u16 node offsets at 24 + 2i, nodes. */
  readonly page: Buffer;
  readonly leafAt: number;
  /** The current leaf's nodes in the range are [first, stop); stop is its node count unless the range ends in it. */
  readonly first: number;
  readonly stop: number;
  /** Whole leaves of the range that follow the current one in `page`, a page (PAGE_SIZE) apart. */
  readonly ahead: number;
  /** Moves to the leaf holding the first entry with key >= start, for a range that ends before `end`. */
  seek(start: Uint8Array, end: Uint8Array): void;
  /**
   * Moves to the range's next leaf (first = 0) after the caller has walked `stepped` of the leaves ahead by
   * itself; false once the range has ended.
   */
  nextLeaf(stepped?: number): boolean;
  /** The value of the current leaf's node at page[nodeAt] that lives on overflow pages, from byte 0. */
  overflowValue(nodeAt: number): Buffer;
  close(): void;
}

/** Nodes per packed leaf: their offsets, u16 from the header's end, must reach the last of them. */
const PACKED_NODES = 256;
const NODES_AT = PAGE_HEADER + 2 * PACKED_NODES;
const LAST_NODE_OFFSET = 0xffff;

/** A LeafCursor over a read view's range(): the entries packed into leaves as they are read (values inline). */
export class RangeLeaves implements LeafCursor {
  page = Buffer.alloc(1 << 16);
  readonly leafAt = 0;
  readonly first = 0;
  stop = 0;
  /** One leaf at a time. */
  readonly ahead = 0;
  private entries: Iterator<[Uint8Array, Uint8Array]> | undefined;

  constructor(private readonly view: ReadView) {}

  seek(start: Uint8Array, end: Uint8Array): void {
    this.close();
    this.entries = this.view.range(start, end);
    this.pack();
  }

  nextLeaf(): boolean {
    return this.pack();
  }

  overflowValue(): Buffer {
    throw new Error('A packed leaf holds its values inline: it has no overflow value to read.');
  }

  close(): void {
    this.entries?.return?.();
    this.entries = undefined;
    this.stop = 0;
  }

  /** Packs the next entries into the page; false if there were none. */
  private pack(): boolean {
    let count = 0;
    let at = NODES_AT;
    while (count < PACKED_NODES && at - PAGE_HEADER <= LAST_NODE_OFFSET) {
      // A node may run past the last offset: only where it starts must fit in a u16.
      const entry = this.read();
      if (entry === undefined) break;
      const [key, value] = entry;
      const size = NODE_HEADER + key.length + value.length;
      if (at + size > this.page.length) {
        const larger = Buffer.alloc(Math.max(2 * this.page.length, at + size));
        this.page.copy(larger, 0, 0, at);
        this.page = larger;
      }
      const page = this.page;
      page.writeUInt16LE(at - PAGE_HEADER, PAGE_HEADER + 2 * count);
      page.writeUInt32LE(value.length, at);
      page.writeUInt16LE(0, at + 4);
      page.writeUInt16LE(key.length, at + 6);
      page.set(key, at + NODE_HEADER);
      page.set(value, at + NODE_HEADER + key.length);
      at += size;
      count++;
    }
    this.stop = count;
    return count > 0;
  }

  private read(): [Uint8Array, Uint8Array] | undefined {
    const step = this.entries?.next();
    return step === undefined || step.done === true ? undefined : step.value;
  }
}

/** The first key of the range a cursor was sought to (a copy), or undefined if the range is empty. */
export function firstKey(cursor: LeafCursor): Buffer | undefined {
  while (cursor.first >= cursor.stop) if (!cursor.nextLeaf()) return undefined;
  const page = cursor.page;
  const at = cursor.leafAt + PAGE_HEADER + page.readUInt16LE(cursor.leafAt + PAGE_HEADER + 2 * cursor.first);
  return Buffer.from(page.subarray(at + NODE_HEADER, at + NODE_HEADER + page.readUInt16LE(at + 6)));
}
