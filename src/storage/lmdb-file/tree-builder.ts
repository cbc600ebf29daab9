// Builds a fresh LMDB data file from entries in ascending key order, writing pages directly (layout.ts) in one
// sequential pass instead of going through lmdb-js's per-entry writes, which top out around a million keys a
// second. Leaves are filled completely, one after another; values too big for a node go to overflow pages
// written just before the leaf that refers to them; branch levels are built at the end from the first key and
// page number of every leaf. The result is one committed snapshot (transaction 1) that LMDB opens like any
// other: the next write transaction copies and frees pages as usual.
//
// Memory: one output buffer (or a ring of them, written by a thread of its own: threaded-page-output.ts), two
// leaf pages, and the first key of every leaf (about 0.5 % of the file).
//
// Leaves for a later range of keys can also be built in memory by another builder, on another thread, and
// appended (BuiltLeaves): so two threads can lay out the pages of one file.

import { closeSync, fsyncSync, openSync, unlinkSync } from 'node:fs';
import { bulkLoadOrder, invalidKey } from '../errors.js';
import { MAX_KEY_BYTES } from '../keys.js';
import { LevelIndex } from './level-index.js';
import {
  F_BIGDATA,
  NODE_HEADER,
  NODE_MAX,
  OVERFLOW_REFERENCE,
  PAGE_HEADER,
  PAGE_ROOM,
  PAGE_SIZE,
  P_BRANCH,
  P_LEAF,
  P_OVERFLOW,
  evenUp,
  overflowPages,
  writeMeta,
  writePageHeader,
  type TreeMeta,
} from './layout.js';
import { SyncPageOutput, writeAll, type PageOutput } from './page-output.js';
import { ThreadedPageOutput } from './threaded-page-output.js';

/** The one transaction the built file holds. */
const TXN_ID = 1;
/** Pages per array of a run of leaves built in memory, beyond the memory it was given. */
const CHUNK_PAGES = 1024;

/**
 * Leaf pages built in memory (TreeBuilder.leavesInMemory) for a range of keys, to be appended to a data file's
 * builder (appendLeaves), possibly on another thread: the arrays and the index move without a copy.
 * Their page numbers are provisional (0…); appendLeaves renumbers them.
 */
export interface BuiltLeaves {
  /** The pages, in arrays of whole pages (the last one partly used). */
  readonly chunks: readonly Uint8Array<ArrayBuffer>[];
  readonly pages: number;
  readonly entries: number;
  /** The first key of each page: bytes firstKeys[starts[i], starts[i] + lengths[i]). */
  readonly firstKeys: Uint8Array<ArrayBuffer>;
  readonly starts: Uint32Array<ArrayBuffer>;
  readonly lengths: Uint16Array<ArrayBuffer>;
  /** The last key added. */
  readonly lastKey: Uint8Array<ArrayBuffer>;
}

/** The arrays of `leaves`, for a transfer list. */
export function builtLeavesTransfer(leaves: BuiltLeaves): ArrayBuffer[] {
  return [...leaves.chunks.map((chunk) => chunk.buffer), leaves.firstKeys.buffer, leaves.starts.buffer, leaves.lengths.buffer];
}

export interface TreeBuilderOptions {
  /** Write the pages from a thread of its own (threaded-page-output.ts) while this one builds them. */
  readonly writeThread?: boolean;
}

export class TreeBuilder {
  /** Where full pages go (none for leaves in memory); pages are gathered in its buffer, `outPages` so far. */
  private readonly output: PageOutput | undefined;
  private outPages = 0;
  /** The page number of the first page in the output's buffer. */
  private outFirst = 2;
  private nextPage = 2;
  /** Two leaf pages, alternating, so that the previous key stays readable in the one just completed. */
  private readonly leaves = [Buffer.alloc(PAGE_SIZE), Buffer.alloc(PAGE_SIZE)];
  private leaf = this.leaves[0]!;
  private lower = 0;
  private upper = PAGE_ROOM;
  private readonly firstKeys = new LevelIndex();
  private previousPage: Buffer | undefined;
  private previousAt = 0;
  private previousLength = 0;
  private entries = 0;
  private leafPages = 0;
  private branchPages = 0;
  private overflowPageCount = 0;
  private closed = false;
  /** In memory (leavesInMemory): the arrays of pages so far, and the pages used in the last one. */
  private readonly chunks: Uint8Array<ArrayBuffer>[] | undefined;
  private chunkPages = 0;

  private constructor(
    private readonly path: string,
    private readonly fd: number,
    memory?: Uint8Array<ArrayBuffer>,
    options: TreeBuilderOptions = {},
  ) {
    if (fd >= 0) {
      try {
        this.output = options.writeThread ? new ThreadedPageOutput(path) : new SyncPageOutput(fd, path);
      } catch (e) {
        closeSync(fd);
        unlinkSync(path);
        throw e;
      }
    } else {
      this.chunks = [];
      const pages = Math.floor((memory?.length ?? 0) / PAGE_SIZE);
      if (pages > 0) this.chunks.push(memory!.subarray(0, pages * PAGE_SIZE));
      this.nextPage = 0;
    }
  }

  /** Starts a new data file at `path`, which must not exist. */
  static create(path: string, options: TreeBuilderOptions = {}): TreeBuilder {
    return new TreeBuilder(path, openSync(path, 'wx', 0o644), undefined, options);
  }

  /**
   * Builds leaf pages in memory, for keys that will follow those of a data file's builder (appendLeaves), in
   * `memory` as far as it goes (memory already written is cheaper than fresh memory), then in arrays of its own.
   * Values must fit in their nodes (no overflow pages). Ends with finishLeaves().
   */
  static leavesInMemory(memory?: Uint8Array<ArrayBuffer>): TreeBuilder {
    return new TreeBuilder('', -1, memory);
  }

  get entryCount(): number {
    return this.entries;
  }

  add(key: Uint8Array, value: Uint8Array): void {
    this.addFrom(key, 0, key.length, value, 0, value.length);
  }

  /** Adds the key key[keyAt, keyAt + keyLength) with the value value[valueAt, valueAt + valueLength). */
  addFrom(key: Uint8Array, keyAt: number, keyLength: number, value: Uint8Array, valueAt: number, valueLength: number): void {
    if (keyLength === 0 || keyLength > MAX_KEY_BYTES) throw invalidKey(`a key must have 1 to ${MAX_KEY_BYTES} bytes, got ${keyLength}`);
    // Long keys are checked against the previous key here; short ones while they are copied into the page (below).
    if (keyLength > 64 && this.previousPage !== undefined && this.compareToPrevious(key, keyAt, keyLength) <= 0) this.outOfOrder(key, keyAt, keyLength);
    const big = NODE_HEADER + keyLength + valueLength > NODE_MAX;
    const nodeSize = evenUp(NODE_HEADER + keyLength + (big ? OVERFLOW_REFERENCE : valueLength));
    if (nodeSize + 2 > this.upper - this.lower) this.completeLeaf();
    const overflow = big ? this.writeOverflow(value.subarray(valueAt, valueAt + valueLength)) : 0;

    const leaf = this.leaf;
    const upper = (this.upper -= nodeSize);
    const at = PAGE_HEADER + upper;
    // The node's padding byte, if any (the page is not cleared between uses: see completeLeaf).
    leaf[at + nodeSize - 1] = 0;
    const pointer = PAGE_HEADER + this.lower;
    leaf[pointer] = upper & 0xff;
    leaf[pointer + 1] = upper >>> 8;
    this.lower += 2;
    leaf[at] = valueLength & 0xff;
    leaf[at + 1] = (valueLength >>> 8) & 0xff;
    leaf[at + 2] = (valueLength >>> 16) & 0xff;
    leaf[at + 3] = valueLength >>> 24;
    leaf[at + 4] = big ? F_BIGDATA : 0;
    leaf[at + 5] = 0;
    leaf[at + 6] = keyLength & 0xff;
    leaf[at + 7] = keyLength >>> 8;
    const nodeKeyAt = at + NODE_HEADER;
    // Keys are mostly a few dozen bytes, where a loop beats a native copy (and the view it needs). The loop also
    // compares the key with the previous one, over their common prefix: keys must come in ascending order. (An
    // error then leaves a half-written node behind, in a store that is abandoned anyway.)
    if (keyLength <= 64) {
      let i = 0;
      const previous = this.previousPage;
      if (previous !== undefined) {
        const previousAt = this.previousAt;
        const shared = Math.min(keyLength, this.previousLength);
        let order = 0;
        for (; i < shared && order === 0; i++) {
          const byte = key[keyAt + i]!;
          leaf[nodeKeyAt + i] = byte;
          order = byte - previous[previousAt + i]!;
        }
        if ((order === 0 ? keyLength - this.previousLength : order) <= 0) this.outOfOrder(key, keyAt, keyLength);
      }
      for (; i < keyLength; i++) leaf[nodeKeyAt + i] = key[keyAt + i]!;
    } else {
      leaf.set(key.subarray(keyAt, keyAt + keyLength), nodeKeyAt);
    }
    const dataAt = nodeKeyAt + keyLength;
    if (big) {
      leaf.writeUInt32LE(overflow >>> 0, dataAt);
      leaf.writeUInt32LE(Math.floor(overflow / 0x1_0000_0000), dataAt + 4);
      leaf.writeUInt32LE(TXN_ID, dataAt + 8);
      leaf.writeUInt32LE(0, dataAt + 12);
      leaf.writeUInt32LE(overflowPages(valueLength), dataAt + 16);
      leaf.writeUInt32LE(0, dataAt + 20);
    } else if (valueLength <= 32) {
      for (let i = 0; i < valueLength; i++) leaf[dataAt + i] = value[valueAt + i]!;
    } else {
      leaf.set(value.subarray(valueAt, valueAt + valueLength), dataAt);
    }
    this.previousPage = leaf;
    this.previousAt = nodeKeyAt;
    this.previousLength = keyLength;
    this.entries++;
  }

  /** The leaves built in memory, the last one completed. */
  finishLeaves(): BuiltLeaves {
    const chunks = this.chunks;
    if (chunks === undefined) throw new Error('finishLeaves() is for leaves built in memory');
    if (this.lower > 0) this.completeLeaf();
    const { keys, starts, lengths } = this.firstKeys.packed();
    const lastKey = this.previousPage === undefined ? new Uint8Array(0) : this.previousPage.subarray(this.previousAt, this.previousAt + this.previousLength).slice();
    return { chunks, pages: this.nextPage, entries: this.entries, firstKeys: keys, starts, lengths, lastKey };
  }

  /**
   * Appends leaves built in memory, whose keys all follow the keys added so far; the current leaf is completed
   * first (it may stay partly empty).
   */
  appendLeaves(leaves: BuiltLeaves): void {
    if (leaves.pages === 0) return;
    const firstKey = leaves.firstKeys.subarray(0, leaves.lengths[0]);
    if (this.previousPage !== undefined && this.compareToPrevious(firstKey, 0, firstKey.length) <= 0) {
      throw bulkLoadOrder(this.entries, firstKey, this.previousPage.subarray(this.previousAt, this.previousAt + this.previousLength));
    }
    if (this.lower > 0) this.completeLeaf();
    if (this.chunks === undefined) this.writeLeaves(leaves);
    else this.copyLeaves(leaves);
    this.entries += leaves.entries;
    this.previousPage = Buffer.from(leaves.lastKey);
    this.previousAt = 0;
    this.previousLength = leaves.lastKey.length;
  }

  /** Copies built leaves into the output, renumbered, after the pages before them. */
  private writeLeaves(leaves: BuiltLeaves): void {
    let p = 0;
    for (const chunk of leaves.chunks) {
      const pages = Math.min(leaves.pages - p, chunk.length / PAGE_SIZE);
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, pages * PAGE_SIZE);
      for (let i = 0; i < pages; i++, p++) {
        const pgno = this.nextPage++;
        bytes.writeUInt32LE(pgno >>> 0, i * PAGE_SIZE);
        bytes.writeUInt32LE(Math.floor(pgno / 0x1_0000_0000), i * PAGE_SIZE + 4);
        this.firstKeys.add(leaves.firstKeys, leaves.starts[p]!, leaves.lengths[p]!, pgno);
        this.leafPages++;
      }
      this.appendPages(bytes, pages);
      if (p === leaves.pages) break;
    }
  }

  /** Copies built leaves into this builder's own (in memory), renumbered. */
  private copyLeaves(leaves: BuiltLeaves): void {
    let chunk = 0;
    let at = 0;
    for (let p = 0; p < leaves.pages; p++, at += PAGE_SIZE) {
      if (at === leaves.chunks[chunk]!.length) {
        chunk++;
        at = 0;
      }
      const bytes = leaves.chunks[chunk]!;
      const page = Buffer.from(bytes.buffer, bytes.byteOffset + at, PAGE_SIZE);
      const pgno = this.nextPage++;
      page.writeUInt32LE(pgno >>> 0, 0);
      page.writeUInt32LE(Math.floor(pgno / 0x1_0000_0000), 4);
      this.appendPage(page);
      this.firstKeys.add(leaves.firstKeys, leaves.starts[p]!, leaves.lengths[p]!, pgno);
      this.leafPages++;
    }
  }

  /** Writes the branch levels and the meta pages, syncs and closes the file; returns the tree it holds. */
  finish(): TreeMeta {
    if (this.chunks !== undefined) throw new Error('leaves built in memory end with finishLeaves()');
    if (this.lower > 0) this.completeLeaf();
    let level = this.firstKeys;
    let depth = level.count === 0 ? 0 : 1;
    while (level.count > 1) {
      level = this.writeBranchLevel(level);
      depth++;
    }
    this.flush();
    const tree: TreeMeta = {
      txnId: TXN_ID,
      root: level.count === 0 ? undefined : level.page(0),
      depth,
      entries: this.entries,
      branchPages: this.branchPages,
      leafPages: this.leafPages,
      overflowPages: this.overflowPageCount,
      lastPage: this.nextPage - 1,
    };
    const metas = Buffer.alloc(2 * PAGE_SIZE);
    const mapSize = this.nextPage * PAGE_SIZE;
    writeMeta(metas.subarray(0, PAGE_SIZE), 0, undefined, mapSize);
    writeMeta(metas.subarray(PAGE_SIZE), 1, tree, mapSize);
    this.output!.drain();
    writeAll(this.fd, metas, metas.length, 0);
    fsyncSync(this.fd);
    this.close();
    return tree;
  }

  /** Stops and removes the partial file. */
  abort(): void {
    if (this.closed || this.fd < 0) return;
    this.close();
    unlinkSync(this.path);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    this.output?.close();
  }

  private outOfOrder(key: Uint8Array, keyAt: number, keyLength: number): never {
    throw bulkLoadOrder(this.entries, key.subarray(keyAt, keyAt + keyLength), this.previousPage!.subarray(this.previousAt, this.previousAt + this.previousLength));
  }

  private compareToPrevious(key: Uint8Array, keyAt: number, keyLength: number): number {
    const page = this.previousPage!;
    const at = this.previousAt;
    const length = this.previousLength;
    const shared = Math.min(keyLength, length);
    for (let i = 0; i < shared; i++) {
      const difference = key[keyAt + i]! - page[at + i]!;
      if (difference !== 0) return difference;
    }
    return keyLength - length;
  }

  private completeLeaf(): void {
    const leaf = this.leaf;
    const pgno = this.nextPage++;
    writePageHeader(leaf, 0, pgno, TXN_ID, P_LEAF);
    leaf.writeUInt16LE(this.lower, 20);
    leaf.writeUInt16LE(this.upper, 22);
    // Every other byte was written for this page (header, pointers, nodes and their padding): clearing the free
    // space between pointers and nodes is enough for a page that holds nothing of the page before.
    leaf.fill(0, PAGE_HEADER + this.lower, PAGE_HEADER + this.upper);
    const first = PAGE_HEADER + leaf.readUInt16LE(PAGE_HEADER);
    this.firstKeys.add(leaf, first + NODE_HEADER, leaf.readUInt16LE(first + 6), pgno);
    this.appendPage(leaf);
    this.leafPages++;
    this.leaf = this.leaf === this.leaves[0] ? this.leaves[1]! : this.leaves[0]!;
    this.lower = 0;
    this.upper = PAGE_ROOM;
  }

  /** Writes `value` to new overflow pages; returns the first one's number. */
  private writeOverflow(value: Uint8Array): number {
    if (this.chunks !== undefined) throw new Error(`leaves built in memory hold values of at most ${NODE_MAX - NODE_HEADER} bytes with their keys`);
    const pages = overflowPages(value.length);
    const pgno = this.nextPage;
    this.nextPage += pages;
    this.overflowPageCount += pages;
    const bytes = Buffer.alloc(pages * PAGE_SIZE);
    writePageHeader(bytes, 0, pgno, TXN_ID, P_OVERFLOW);
    bytes.writeUInt32LE(pages, 20);
    bytes.set(value, PAGE_HEADER);
    this.appendPages(bytes, pages);
    return pgno;
  }

  /**
   * Writes one level of branch pages over `children` and returns the level above. Pages are filled greedily;
   * LMDB wants at least two children per branch page, so a lone last child joins its neighbour's page.
   */
  private writeBranchLevel(children: LevelIndex): LevelIndex {
    const groups: number[] = [0];
    let used = 0;
    for (let i = 0; i < children.count; i++) {
      const first = i === groups[groups.length - 1];
      const size = evenUp(NODE_HEADER + (first ? 0 : children.keyLength(i))) + 2;
      if (!first && used + size > PAGE_ROOM) {
        groups.push(i);
        used = evenUp(NODE_HEADER) + 2;
      } else {
        used += size;
      }
    }
    groups.push(children.count);
    const last = groups.length - 2;
    if (last > 0 && groups[last + 1]! - groups[last]! === 1) {
      // Three children always fit one page (an empty first key and two keys of the largest size).
      if (groups[last]! - groups[last - 1]! > 2) groups[last]!--;
      else groups.splice(last, 1);
    }
    const parents = new LevelIndex();
    const page = Buffer.alloc(PAGE_SIZE);
    for (let g = 0; g + 1 < groups.length; g++) {
      page.fill(0);
      let lower = 0;
      let upper = PAGE_ROOM;
      for (let i = groups[g]!; i < groups[g + 1]!; i++) {
        const keyLength = i === groups[g] ? 0 : children.keyLength(i);
        upper -= evenUp(NODE_HEADER + keyLength);
        const at = PAGE_HEADER + upper;
        page.writeUInt16LE(upper, PAGE_HEADER + lower);
        lower += 2;
        const child = children.page(i);
        page.writeUInt16LE(child & 0xffff, at);
        page.writeUInt16LE((child >>> 16) & 0xffff, at + 2);
        page.writeUInt16LE(Math.floor(child / 0x1_0000_0000), at + 4);
        page.writeUInt16LE(keyLength, at + 6);
        if (keyLength > 0) children.copyKey(i, page, at + NODE_HEADER);
      }
      const pgno = this.nextPage++;
      writePageHeader(page, 0, pgno, TXN_ID, P_BRANCH);
      page.writeUInt16LE(lower, 20);
      page.writeUInt16LE(upper, 22);
      this.appendPage(page);
      this.branchPages++;
      parents.addFrom(children, groups[g]!, pgno);
    }
    return parents;
  }

  private appendPage(page: Buffer): void {
    const chunks = this.chunks;
    if (chunks !== undefined) {
      if (chunks.length === 0 || this.chunkPages * PAGE_SIZE === chunks[chunks.length - 1]!.length) {
        chunks.push(new Uint8Array(CHUNK_PAGES * PAGE_SIZE));
        this.chunkPages = 0;
      }
      chunks[chunks.length - 1]!.set(page.subarray(0, PAGE_SIZE), this.chunkPages++ * PAGE_SIZE);
      return;
    }
    if (this.outPages * PAGE_SIZE === this.output!.buffer.length) this.flush();
    page.copy(this.output!.buffer, this.outPages * PAGE_SIZE, 0, PAGE_SIZE);
    this.outPages++;
  }

  /** Appends `count` whole pages, through the output's buffer as many at a time as it holds. */
  private appendPages(pages: Buffer, count: number): void {
    const output = this.output!;
    const capacity = output.buffer.length / PAGE_SIZE;
    for (let done = 0; done < count; ) {
      if (this.outPages === capacity) this.flush();
      const taken = Math.min(count - done, capacity - this.outPages);
      pages.copy(output.buffer, this.outPages * PAGE_SIZE, done * PAGE_SIZE, (done + taken) * PAGE_SIZE);
      this.outPages += taken;
      done += taken;
    }
  }

  private flush(): void {
    if (this.outPages === 0) return;
    this.output!.submit(this.outPages * PAGE_SIZE, this.outFirst * PAGE_SIZE);
    this.outFirst += this.outPages;
    this.outPages = 0;
  }
}
