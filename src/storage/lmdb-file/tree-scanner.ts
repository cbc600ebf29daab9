// Reads the entries of one LMDB snapshot in key order straight from the data file (layout.ts), for scans that
// touch most of the store (export): no lmdb-js call and no allocation per entry. The snapshot must stay pinned
// by an open LMDB read transaction while a scanner reads it, so that LMDB does not reuse its pages; any thread
// or process may scan it, from the file's path and the snapshot's root page (StoredTree).
//
// The current entry is exposed through fields (page bytes and offsets) valid until the next call to next(); or,
// as a LeafCursor, the current leaf page, whose nodes the caller walks itself (the export's native encoder).

import { closeSync, openSync, readSync } from 'node:fs';
import type { StoredTree } from '../api.js';
import type { EntryCursor } from './entry-cursor.js';
import type { LeafCursor } from './leaf-cursor.js';
import { F_BIGDATA, NODE_HEADER, PAGE_HEADER, PAGE_SIZE, P_BRANCH, P_LEAF, P_OVERFLOW } from './layout.js';


export class TreeScanError extends Error {
  constructor(dataFile: string, detail: string) {
    super(`The store file '${dataFile}' cannot be read as the snapshot expected: ${detail}`);
    this.name = 'TreeScanError';
  }
}

/** Pages read at once when a branch page's children are consecutive (a freshly built or compacted file). */
const LEAF_RUN = 32;
/** Branch pages position() and keyNear() keep (4 MiB at most). */
const BRANCH_CACHE_PAGES = 1024;

export class TreeScanner implements EntryCursor, LeafCursor {
  /** The current entry: key bytes at page[keyAt, keyAt + keyLength), value at value[valueAt, valueAt + valueLength). */
  page: Buffer = Buffer.alloc(0);
  keyAt = 0;
  keyLength = 0;
  value: Buffer = Buffer.alloc(0);
  valueAt = 0;
  valueLength = 0;

  private readonly fd: number;
  /** Branch pages from the root down, and the index of the child being read in each. */
  private readonly branches: Buffer[] = [];
  private readonly indices: number[] = [];
  /** Leaves read ahead: `run` holds `runPages` consecutive pages from `runFirst`. */
  private run = Buffer.allocUnsafe(LEAF_RUN * PAGE_SIZE);
  private runFirst = -1;
  private runPages = 0;
  /** The current leaf is page[leafAt, leafAt + PAGE_SIZE); its nodes in the range are [first, stopAt). */
  leafAt = 0;
  first = 0;
  /** Leaves of the run after the current one whose keys are all in the range. */
  ahead = 0;
  private nodes = 0;
  private node = -1;
  /** The first node of the current leaf at or past the range's end (nodes when the end is further on). */
  private stopAt = 0;
  private end: Uint8Array | undefined;
  private done = false;
  private closed = false;
  private readonly branchCache = new Map<number, Buffer>();
  /** The leaf page position() and keyNear() read last. */
  private readonly estimateLeaf = Buffer.allocUnsafe(PAGE_SIZE);

  constructor(private readonly tree: StoredTree) {
    this.fd = openSync(tree.dataFile, 'r');
    for (let level = 1; level < tree.depth; level++) this.branches.push(Buffer.allocUnsafe(PAGE_SIZE));
  }

  /** Positions before the first entry with key >= start; next() stops at the first key >= end. */
  seek(start: Uint8Array, end: Uint8Array | undefined): void {
    this.end = end;
    this.done = this.tree.root === undefined;
    if (this.done) {
      this.first = this.nodes = this.stopAt = this.ahead = 0;
      return;
    }
    let pgno = this.tree.root!;
    for (let level = 0; level < this.branches.length; level++) {
      const branch = this.branches[level]!;
      this.readPage(pgno, branch, 0, P_BRANCH);
      const index = this.childFor(branch, start);
      this.indices[level] = index;
      pgno = childPage(branch, index);
    }
    this.loadLeaf(pgno);
    // The first node whose key is >= start.
    let low = 0;
    let high = this.nodes;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.compareNodeKey(this.page, this.leafAt, middle, start) < 0) low = middle + 1;
      else high = middle;
    }
    this.node = low - 1;
    this.first = low;
  }

  /** LeafCursor: where the range stops in the current leaf. */
  get stop(): number {
    return this.stopAt;
  }

  /** LeafCursor: moves to the range's next leaf after the `stepped` leaves ahead the caller walked; false at the end. */
  nextLeaf(stepped = 0): boolean {
    if (stepped > 0) {
      // Catch up with the caller: the last leaf it walked is the current one, and it was whole.
      this.indices[this.branches.length - 1]! += stepped;
      this.leafAt += stepped * PAGE_SIZE;
      this.nodes = this.stopAt = this.run.readUInt16LE(this.leafAt + 20) >>> 1;
      this.ahead -= stepped;
    }
    if (this.done || this.stopAt < this.nodes || !this.stepLeaf()) {
      this.done = true;
      return false;
    }
    this.first = 0;
    return true;
  }

  /** The value of the current leaf's node at page[nodeAt], read from its overflow pages. */
  overflowValue(nodeAt: number): Buffer {
    const page = this.page;
    const keyEnd = nodeAt + NODE_HEADER + page.readUInt16LE(nodeAt + 6);
    return this.readOverflow(page.readUInt32LE(keyEnd) + page.readUInt32LE(keyEnd + 4) * 0x1_0000_0000, page.readUInt32LE(nodeAt));
  }

  /** Moves to the next entry; false at the end of the range. */
  next(): boolean {
    if (this.done) return false;
    this.node++;
    while (this.node >= this.nodes) {
      if (!this.stepLeaf()) {
        this.done = true;
        return false;
      }
      this.node = 0;
    }
    const page = this.page;
    const pointer = this.leafAt + PAGE_HEADER + 2 * this.node;
    const at = this.leafAt + PAGE_HEADER + (page[pointer]! | (page[pointer + 1]! << 8));
    if (this.node >= this.stopAt) {
      this.done = true;
      return false;
    }
    const keyLength = page[at + 6]! | (page[at + 7]! << 8);
    this.keyAt = at + NODE_HEADER;
    this.keyLength = keyLength;
    const size = page[at]! | (page[at + 1]! << 8) | (page[at + 2]! << 16) | (page[at + 3]! << 24);
    if ((page[at + 4]! & F_BIGDATA) !== 0) {
      this.value = this.overflowValue(at);
      this.valueAt = 0;
    } else {
      this.value = page;
      this.valueAt = this.keyAt + keyLength;
    }
    this.valueLength = size;
    return true;
  }

  /**
   * Where `key` falls in the whole tree, from 0 (first entry) to 1 (after the last), estimated from the child
   * indexes on the way down as if sibling subtrees were equally full. For splitting scans into equal parts.
   */
  position(key: Uint8Array): number {
    if (this.tree.root === undefined) return 0;
    let page: Buffer;
    let pgno = this.tree.root;
    let position = 0;
    let width = 1;
    for (let level = 0; level < this.branches.length; level++) {
      page = this.branchPage(pgno);
      const index = this.childFor(page, key);
      const count = branchCount(page);
      position += (width * index) / count;
      width /= count;
      pgno = childPage(page, index);
    }
    page = this.estimateLeaf;
    this.readPage(pgno, page, 0, P_LEAF);
    const nodes = page.readUInt16LE(20) >>> 1;
    let low = 0;
    let high = nodes;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.compareNodeKey(page, 0, middle, key) < 0) low = middle + 1;
      else high = middle;
    }
    return position + (width * low) / Math.max(1, nodes);
  }

  /** A copy of the key of the entry at about `position` (0..1) of the tree (see position()). */
  keyNear(position: number): Buffer | undefined {
    if (this.tree.root === undefined) return undefined;
    let page: Buffer;
    let pgno = this.tree.root;
    let rest = Math.min(Math.max(position, 0), 1);
    for (let level = 0; level < this.branches.length; level++) {
      page = this.branchPage(pgno);
      const count = branchCount(page);
      const index = Math.min(count - 1, Math.floor(rest * count));
      rest = rest * count - index;
      pgno = childPage(page, index);
    }
    page = this.estimateLeaf;
    this.readPage(pgno, page, 0, P_LEAF);
    const nodes = page.readUInt16LE(20) >>> 1;
    const at = PAGE_HEADER + page.readUInt16LE(PAGE_HEADER + 2 * Math.min(nodes - 1, Math.floor(rest * nodes)));
    return Buffer.from(page.subarray(at + NODE_HEADER, at + NODE_HEADER + page.readUInt16LE(at + 6)));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private stepLeaf(): boolean {
    // Climb to the lowest branch with a next child, then descend along first children.
    let level = this.branches.length - 1;
    while (level >= 0 && this.indices[level]! + 1 >= branchCount(this.branches[level]!)) level--;
    if (level < 0) return false;
    this.indices[level]!++;
    let pgno = childPage(this.branches[level]!, this.indices[level]!);
    for (level++; level < this.branches.length; level++) {
      this.readPage(pgno, this.branches[level]!, 0, P_BRANCH);
      this.indices[level] = 0;
      pgno = childPage(this.branches[level]!, 0);
    }
    this.loadLeaf(pgno);
    return true;
  }

  private loadLeaf(pgno: number): void {
    if (pgno < this.runFirst || pgno >= this.runFirst + this.runPages) this.readRun(pgno);
    this.page = this.run;
    this.leafAt = (pgno - this.runFirst) * PAGE_SIZE;
    const flags = this.run.readUInt16LE(this.leafAt + 18);
    if ((flags & P_LEAF) === 0) throw new TreeScanError(this.tree.dataFile, `page ${pgno} is not a leaf (flags 0x${flags.toString(16)})`);
    this.nodes = this.run.readUInt16LE(this.leafAt + 20) >>> 1;
    // The range's end is looked for once per leaf, not compared with every key: only the leaf it falls in stops early.
    this.stopAt = this.nodes;
    const end = this.end;
    if (end !== undefined && this.nodes > 0 && this.compareNodeKey(this.run, this.leafAt, this.nodes - 1, end) >= 0) {
      let low = 0;
      let high = this.nodes - 1;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (this.compareNodeKey(this.run, this.leafAt, middle, end) < 0) low = middle + 1;
        else high = middle;
      }
      this.stopAt = low;
    }
    this.ahead = this.stopAt === this.nodes ? this.wholeLeavesAfter(this.leafAt / PAGE_SIZE + 1) : 0;
  }

  /** How many of the run's leaves from index `next` on lie wholly before the range's end (their last key < end). */
  private wholeLeavesAfter(next: number): number {
    const end = this.end;
    let low = next;
    let high = this.runPages;
    if (end === undefined) return high - low;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const leafAt = middle * PAGE_SIZE;
      const nodes = this.run.readUInt16LE(leafAt + 20) >>> 1;
      if (nodes === 0 || this.compareNodeKey(this.run, leafAt, nodes - 1, end) < 0) low = middle + 1;
      else high = middle;
    }
    return low - next;
  }

  /** Reads leaf `pgno` and, when the bottom branch's next children follow it in the file, those too. */
  private readRun(pgno: number): void {
    let pages = 1;
    const bottom = this.branches.length - 1;
    if (bottom >= 0) {
      const branch = this.branches[bottom]!;
      const count = branchCount(branch);
      for (let i = this.indices[bottom]! + 1; i < count && pages < LEAF_RUN; i++) {
        if (childPage(branch, i) !== pgno + pages) break;
        pages++;
      }
    }
    this.readPage(pgno, this.run, 0, -1, pages);
    this.runFirst = pgno;
    this.runPages = pages;
  }

  private readOverflow(pgno: number, size: number): Buffer {
    const header = Buffer.allocUnsafe(PAGE_HEADER);
    this.readBytes(header, 0, PAGE_HEADER, pgno * PAGE_SIZE);
    if ((header.readUInt16LE(18) & P_OVERFLOW) === 0) throw new TreeScanError(this.tree.dataFile, `page ${pgno} is not an overflow page`);
    const value = Buffer.allocUnsafe(size);
    this.readBytes(value, 0, size, pgno * PAGE_SIZE + PAGE_HEADER);
    return value;
  }

  /**
   * A branch page for position() and keyNear(), kept once read (a pinned snapshot's pages never change): the
   * many estimates that cut an export into pieces then read little more than leaves.
   */
  private branchPage(pgno: number): Buffer {
    let page = this.branchCache.get(pgno);
    if (page === undefined) {
      page = Buffer.allocUnsafe(PAGE_SIZE);
      this.readPage(pgno, page, 0, P_BRANCH);
      if (this.branchCache.size < BRANCH_CACHE_PAGES) this.branchCache.set(pgno, page);
    }
    return page;
  }

  private readPage(pgno: number, into: Buffer, at: number, expected: number, pages = 1): void {
    this.readBytes(into, at, pages * PAGE_SIZE, pgno * PAGE_SIZE);
    if (expected >= 0 && (into.readUInt16LE(at + 18) & expected) === 0) {
      throw new TreeScanError(this.tree.dataFile, `page ${pgno} is not of the expected kind`);
    }
  }

  private readBytes(into: Buffer, at: number, length: number, position: number): void {
    for (let done = 0; done < length; ) {
      const read = readSync(this.fd, into, at + done, length - done, position + done);
      if (read === 0) throw new TreeScanError(this.tree.dataFile, `it ends before byte ${position + length}`);
      done += read;
    }
  }

  /** The child of a branch page whose subtree holds `key`: the last node with a key <= key (node 0 has none). */
  private childFor(branch: Buffer, key: Uint8Array): number {
    let low = 1;
    let high = branchCount(branch);
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.compareNodeKey(branch, 0, middle, key) <= 0) low = middle + 1;
      else high = middle;
    }
    return low - 1;
  }

  private compareNodeKey(page: Buffer, pageAt: number, node: number, key: Uint8Array): number {
    const at = pageAt + PAGE_HEADER + page.readUInt16LE(pageAt + PAGE_HEADER + 2 * node);
    return compareBytes(page, at + NODE_HEADER, page.readUInt16LE(at + 6), key);
  }
}

function branchCount(branch: Buffer): number {
  return branch.readUInt16LE(20) >>> 1;
}

function childPage(branch: Buffer, index: number): number {
  const at = PAGE_HEADER + branch.readUInt16LE(PAGE_HEADER + 2 * index);
  return branch.readUInt16LE(at) + branch.readUInt16LE(at + 2) * 0x1_0000 + branch.readUInt16LE(at + 4) * 0x1_0000_0000;
}

/** Compares bytes[at, at + length) with key, as unsigned bytes. */
function compareBytes(bytes: Buffer, at: number, length: number, key: Uint8Array): number {
  const shared = Math.min(length, key.length);
  for (let i = 0; i < shared; i++) {
    const difference = bytes[at + i]! - key[i]!;
    if (difference !== 0) return difference;
  }
  return length - key.length;
}
