// Builds a fresh LMDB data file from entries in ascending key order, writing pages directly (layout.ts) in one
// sequential pass instead of going through lmdb-js's per-entry writes, which top out around a million keys a
// second. Leaves are filled completely, one after another; values too big for a node go to overflow pages
// written just before the leaf that refers to them; branch levels are built at the end from the first key and
// page number of every leaf. The result is one committed snapshot (transaction 1) that LMDB opens like any
// other: the next write transaction copies and frees pages as usual.
//
// Entries are gathered in a batch and laid into the leaf by native code (native/src/leaf_layout.c): the copy and
// order check of each node in JavaScript was 12% of a 1M-thing import's CPU. So a key out of order is reported
// when its batch is laid (by a later add, or by finish), not by its own add. Native code that makes keys itself
// (the import's: native/src/store_keys.c) lays them through layLeaves() without a batch. Either way full leaves
// are completed by native code straight into the output's buffer (native/src/leaf_pages.h), a buffer's worth of
// pages per call at most; this file numbers them and keeps their first keys.
//
// Memory: one output buffer (or a ring of them, written by a thread of its own: threaded-page-output.ts), a leaf
// page, a 64 KiB batch, and the first key of every leaf (about 0.5 % of the file).
//
// Leaves for a later range of keys can also be built in memory by another builder, on another thread, and
// appended (BuiltLeaves): so two threads can lay out the pages of one file.

import { closeSync, fsyncSync, openSync, unlinkSync } from 'node:fs';
import { bulkLoadOrder, invalidKey } from '../errors.js';
import { nativeModule, type NativeModule } from '../../native/index.js';
import { MAX_KEY_BYTES } from '../keys.js';
import { LevelIndex } from './level-index.js';
import {
  NODE_HEADER,
  NODE_MAX,
  OVERFLOW_REFERENCE,
  PAGE_HEADER,
  PAGE_ROOM,
  PAGE_SIZE,
  P_BRANCH,
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
/** Bytes of entries gathered before they are laid into pages (every entry fits: keys and node data are small). */
const BATCH_BYTES = 1 << 16;
/** A batched entry: key length u16 | flags u8 | pad u8 | value length u32 | key | data (layLeafNodes). */
export const ENTRY_HEADER = 8;
/** The batched entry's data is the overflow reference of a value on overflow pages. */
const ENTRY_OVERFLOW = 1;
/** Fields of the leaf state the native layout shares (native/src/leaf_pages.h). */
const LOWER = 0;
const UPPER = 1;
const PREVIOUS_LENGTH = 2;
const STATUS = 3;
const LAID = 4;
const PAGES = 5;
const NEXT_PAGE_LOW = 6;
const NEXT_PAGE_HIGH = 7;
const REFUSED_LENGTH = 8;
const NO_PREVIOUS = 0xffff_ffff;
const PAGES_FULL = 1;
const OUT_OF_ORDER = 2;
const KEY_TOO_LONG = 3;

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

/**
 * One call of a native kernel that lays keys into leaf pages (native/src/leaf_pages.h): into the leaf of `area`,
 * with `state`, completing full leaves into `pages`. It stops with status PAGES_FULL when `pages` has no free page
 * left, and is then called again with a fresh one; it keeps its own position between calls.
 */
export type LeafStep = (area: Uint8Array, state: Uint32Array, pages: Uint8Array) => void;

/**
 * Entries laid by native code that makes their keys itself (the import's: about five million per million
 * things), with no copy through a batch; they follow the entries added before, in ascending order.
 */
export interface LeafLayout {
  /** Runs `step` until it stops for another reason than a full page area. */
  layLeaves(step: LeafStep): void;
}

export interface TreeBuilderOptions {
  /** Write the pages from a thread of its own (threaded-page-output.ts) while this one builds them. */
  readonly writeThread?: boolean;
}

export class TreeBuilder implements LeafLayout {
  /** Where full pages go (none for leaves in memory); pages are gathered in its buffer, `outPages` so far. */
  private readonly output: PageOutput | undefined;
  private outPages = 0;
  /** The page number of the first page in the output's buffer. */
  private outFirst = 2;
  private nextPage = 2;
  /** The leaf being filled, the last key laid into a leaf (or appended: the order check), and a refused key. */
  private readonly area = Buffer.alloc(PAGE_SIZE + 2 * MAX_KEY_BYTES);
  private readonly previousKey = this.area.subarray(PAGE_SIZE, PAGE_SIZE + MAX_KEY_BYTES);
  /** The leaf's free space (lower, upper), the previous key's length, and the native layout's outcome. */
  private readonly state = Uint32Array.of(0, PAGE_ROOM, NO_PREVIOUS, 0, 0, 0, 0, 0, 0);
  private readonly batch = Buffer.allocUnsafe(BATCH_BYTES);
  private batchUsed = 0;
  private readonly native: NativeModule = nativeModule();
  private readonly firstKeys = new LevelIndex();
  /** Entries laid into leaves (those still in the batch not counted). */
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
    this.layBatch();
    return this.entries;
  }

  add(key: Uint8Array, value: Uint8Array): void {
    this.addFrom(key, 0, key.length, value, 0, value.length);
  }

  /** Adds the key key[keyAt, keyAt + keyLength) with the value value[valueAt, valueAt + valueLength). */
  addFrom(key: Uint8Array, keyAt: number, keyLength: number, value: Uint8Array, valueAt: number, valueLength: number): void {
    if (keyLength === 0 || keyLength > MAX_KEY_BYTES) throw invalidKey(`a key must have 1 to ${MAX_KEY_BYTES} bytes, got ${keyLength}`);
    if (NODE_HEADER + keyLength + valueLength > NODE_MAX) {
      this.addOverflowing(key.subarray(keyAt, keyAt + keyLength), value.subarray(valueAt, valueAt + valueLength));
      return;
    }
    if (this.batchUsed + ENTRY_HEADER + keyLength + valueLength > BATCH_BYTES) this.layBatch();
    const batch = this.batch;
    let at = this.batchEntry(keyLength, 0, valueLength);
    // Keys and values are mostly a few dozen bytes, where a loop beats a native copy (and the view it needs).
    if (keyLength <= 64) for (let i = keyAt, end = keyAt + keyLength; i < end; i++) batch[at++] = key[i]!;
    else at += copyInto(batch, at, key, keyAt, keyLength);
    if (valueLength <= 32) for (let i = valueAt, end = valueAt + valueLength; i < end; i++) batch[at++] = value[i]!;
    else at += copyInto(batch, at, value, valueAt, valueLength);
    this.batchUsed = at;
  }

  /**
   * Adds entries already in the batch's layout (ENTRY_HEADER), `entries[at, end)`, up to the first that runs past
   * `end` or does not fit a node (add that one with addFrom); returns where it stopped and how many it added.
   */
  addEntries(entries: Uint8Array, at: number, end: number): { readonly at: number; readonly added: number } {
    this.layBatch();
    const before = this.entries;
    const reached = this.layEntries(entries, at, end);
    return { at: reached, added: this.entries - before };
  }

  layLeaves(step: LeafStep): void {
    this.layBatch();
    this.runLeafStep(step);
  }

  /** Runs `step` with page areas until it stops for another reason than a full one, and takes its pages. */
  private runLeafStep(step: LeafStep): void {
    const state = this.state;
    do {
      const pages = this.pageArea();
      state[NEXT_PAGE_LOW] = this.nextPage >>> 0;
      state[NEXT_PAGE_HIGH] = Math.floor(this.nextPage / 0x1_0000_0000);
      state[PAGES] = 0;
      state[LAID] = 0;
      state[STATUS] = 0;
      step(this.area, state, pages);
      this.entries += state[LAID]!;
      this.leavesCompleted(pages, state[PAGES]!);
      if (state[STATUS] === OUT_OF_ORDER) {
        throw bulkLoadOrder(this.entries, this.area.subarray(PAGE_SIZE + MAX_KEY_BYTES, PAGE_SIZE + MAX_KEY_BYTES + state[REFUSED_LENGTH]!), this.previous());
      }
      if (state[STATUS] === KEY_TOO_LONG) throw invalidKey(`a key must have 1 to ${MAX_KEY_BYTES} bytes, got ${state[REFUSED_LENGTH]}`);
    } while (state[STATUS] === PAGES_FULL);
  }

  /** Where completed leaves go next: the free pages of the output's buffer (or of the last array in memory). */
  private pageArea(): Uint8Array {
    const chunks = this.chunks;
    if (chunks !== undefined) {
      if (chunks.length === 0 || this.chunkPages * PAGE_SIZE === chunks[chunks.length - 1]!.length) {
        chunks.push(new Uint8Array(CHUNK_PAGES * PAGE_SIZE));
        this.chunkPages = 0;
      }
      return chunks[chunks.length - 1]!.subarray(this.chunkPages * PAGE_SIZE);
    }
    if (this.outPages * PAGE_SIZE === this.output!.buffer.length) this.flush();
    return this.output!.buffer.subarray(this.outPages * PAGE_SIZE);
  }

  /** Takes the `count` leaves native code completed at the start of `pages`: numbers them, keeps their first keys. */
  private leavesCompleted(pages: Uint8Array, count: number): void {
    for (let i = 0, at = 0; i < count; i++, at += PAGE_SIZE) {
      const first = at + PAGE_HEADER + (pages[at + PAGE_HEADER]! | (pages[at + PAGE_HEADER + 1]! << 8));
      this.firstKeys.add(pages, first + NODE_HEADER, pages[first + 6]! | (pages[first + 7]! << 8), this.nextPage++);
    }
    this.leafPages += count;
    if (this.chunks !== undefined) this.chunkPages += count;
    else this.outPages += count;
  }

  /** Starts a batched entry's header; returns where its key goes. */
  private batchEntry(keyLength: number, flags: number, valueLength: number): number {
    const batch = this.batch;
    const at = this.batchUsed;
    batch[at] = keyLength & 0xff;
    batch[at + 1] = keyLength >>> 8;
    batch[at + 2] = flags;
    batch[at + 3] = 0;
    batch[at + 4] = valueLength & 0xff;
    batch[at + 5] = (valueLength >>> 8) & 0xff;
    batch[at + 6] = (valueLength >>> 16) & 0xff;
    batch[at + 7] = valueLength >>> 24;
    return at + ENTRY_HEADER;
  }

  /**
   * A value too big for a node: written to overflow pages just before the leaf that will refer to it, so the
   * entries before it are laid first, and the leaf completed if its node does not fit.
   */
  private addOverflowing(key: Uint8Array, value: Uint8Array): void {
    if (this.chunks !== undefined) throw new Error(`leaves built in memory hold values of at most ${NODE_MAX - NODE_HEADER} bytes with their keys`);
    this.layBatch();
    const nodeSize = evenUp(NODE_HEADER + key.length + OVERFLOW_REFERENCE);
    if (nodeSize + 2 > this.state[UPPER]! - this.state[LOWER]!) this.completeLeaf();
    const overflow = this.writeOverflow(value);
    const batch = this.batch;
    let at = this.batchEntry(key.length, ENTRY_OVERFLOW, value.length);
    at += copyInto(batch, at, key, 0, key.length);
    batch.writeUInt32LE(overflow >>> 0, at);
    batch.writeUInt32LE(Math.floor(overflow / 0x1_0000_0000), at + 4);
    batch.writeUInt32LE(TXN_ID, at + 8);
    batch.writeUInt32LE(0, at + 12);
    batch.writeUInt32LE(overflowPages(value.length), at + 16);
    batch.writeUInt32LE(0, at + 20);
    this.batchUsed = at + OVERFLOW_REFERENCE;
    this.layBatch();
  }

  /** Lays the batched entries into leaves, completing each one that fills up. */
  private layBatch(): void {
    const used = this.batchUsed;
    if (used === 0) return;
    // Emptied first: a batch with a key out of order is not laid again.
    this.batchUsed = 0;
    const at = this.layEntries(this.batch, 0, used);
    if (at !== used) throw new Error(`the tree builder's batch holds an entry that is not a node's at ${at} of ${used} bytes`);
  }

  /** Lays the batched entries of `entries[at, end)` (layLeafNodes); returns where it stopped. */
  private layEntries(entries: Uint8Array, at: number, end: number): number {
    this.runLeafStep((area, state, pages) => (at = this.native.layLeafNodes(area, state, pages, entries, at, end)));
    return at;
  }

  /** The last key laid (or appended). */
  private previous(): Buffer {
    const length = this.state[PREVIOUS_LENGTH]!;
    return this.previousKey.subarray(0, length === NO_PREVIOUS ? 0 : length);
  }

  /** The leaves built in memory, the last one completed. */
  finishLeaves(): BuiltLeaves {
    const chunks = this.chunks;
    if (chunks === undefined) throw new Error('finishLeaves() is for leaves built in memory');
    this.layBatch();
    if (this.state[LOWER]! > 0) this.completeLeaf();
    const { keys, starts, lengths } = this.firstKeys.packed();
    const lastKey = new Uint8Array(this.previous());
    return { chunks, pages: this.nextPage, entries: this.entries, firstKeys: keys, starts, lengths, lastKey };
  }

  /**
   * Appends leaves built in memory, whose keys all follow the keys added so far; the current leaf is completed
   * first (it may stay partly empty).
   */
  appendLeaves(leaves: BuiltLeaves): void {
    if (leaves.pages === 0) return;
    this.layBatch();
    const firstKey = leaves.firstKeys.subarray(0, leaves.lengths[0]);
    if (this.state[PREVIOUS_LENGTH] !== NO_PREVIOUS && Buffer.compare(firstKey, this.previous()) <= 0) {
      throw bulkLoadOrder(this.entries, firstKey, this.previous());
    }
    if (this.state[LOWER]! > 0) this.completeLeaf();
    if (this.chunks === undefined) this.writeLeaves(leaves);
    else this.copyLeaves(leaves);
    this.entries += leaves.entries;
    this.previousKey.set(leaves.lastKey);
    this.state[PREVIOUS_LENGTH] = leaves.lastKey.length;
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
    this.layBatch();
    if (this.state[LOWER]! > 0) this.completeLeaf();
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

  /** Completes the leaf being filled (it holds a node at least). */
  private completeLeaf(): void {
    this.runLeafStep((area, state, pages) => this.native.completeLeaf(area, state, pages));
  }

  /** Writes `value` to new overflow pages; returns the first one's number. */
  private writeOverflow(value: Uint8Array): number {
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

/** Copies src[start, start + length) to out[at…]; returns the bytes copied. */
function copyInto(out: Buffer, at: number, src: Uint8Array, start: number, length: number): number {
  out.set(src.subarray(start, start + length), at);
  return length;
}
