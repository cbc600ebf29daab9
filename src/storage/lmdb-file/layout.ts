// The on-disk layout of an LMDB data file as the lmdb-js package (3.x, LMDB data format version 2) writes it,
// for the paths that work on pages directly: building a fresh store from sorted entries (import), scanning a
// pinned snapshot's B-tree (export), and checking a data file before lmdb-js opens it. Everything else goes
// through lmdb-js.
//
// A file is a sequence of pages. Pages 0 and 1 are meta pages; the one with the higher transaction id is the
// current snapshot. Every other page starts with a 24-byte header:
//   pgno u64 | txnid u64 | pad u16 | flags u16 | lower u16 | upper u16      (little-endian)
// Branch and leaf pages hold u16 node offsets at 24 + 2i (sorted by key), nodes packed from the page's end.
// `lower` and `upper` bound the free space and, like the offsets, count from the end of the header.
// A node is lo u16 | hi u16 | flags u16 | key size u16 | key | data, 2-byte aligned. In a leaf, lo/hi is the data
// size; in a branch, lo/hi/flags is the child's page number and the first node's key is empty.
// A value too big for a node lives on overflow pages; its node holds {pgno u64, txnid u64, pages u64}.

export const PAGE_SIZE = 4096;
export const PAGE_HEADER = 24;
/** Usable bytes of a branch or leaf page. */
export const PAGE_ROOM = PAGE_SIZE - PAGE_HEADER;
export const NODE_HEADER = 8;
/** Largest node (header, key and data) kept in a leaf; bigger data goes to overflow pages. */
export const NODE_MAX = (((PAGE_SIZE - PAGE_HEADER) / 2) & -2) - 2;
/** The reference an overflowing leaf node holds instead of its data. */
export const OVERFLOW_REFERENCE = 24;

export const P_BRANCH = 0x01;
export const P_LEAF = 0x02;
export const P_OVERFLOW = 0x04;
export const P_META = 0x08;
export const F_BIGDATA = 0x01;

export const MAGIC = 0xbeefc0de;
export const DATA_VERSION = 2;
/** MDB_INTEGERKEY: the free-page database's flags, which double as the persistent environment flags. */
export const FREE_DB_FLAGS = 0x08;

/** The file of an LMDB environment in its directory. */
export const DATA_FILE = 'data.mdb';
/** Where the flags sit in every page header. */
export const PAGE_FLAGS = 18;
/** The page sizes LMDB accepts: powers of two up to its MAX_PAGESIZE. */
export const MIN_PAGE_SIZE = 512;
export const MAX_PAGE_SIZE = 0x10000;

/** Offsets inside a meta page (the meta record follows the page header). */
export const META = {
  magic: PAGE_HEADER,
  version: PAGE_HEADER + 4,
  mapSize: PAGE_HEADER + 16,
  freeDb: PAGE_HEADER + 24,
  mainDb: PAGE_HEADER + 72,
  lastPage: PAGE_HEADER + 120,
  txnId: PAGE_HEADER + 128,
} as const;
/** Bytes from the start of a meta page up to the end of the fields above. */
export const META_END = META.txnId + 8;

/** Offsets inside one database record of a meta page (MDB_db). */
export const DB = {
  pad: 0,
  flags: 4,
  depth: 6,
  branchPages: 8,
  leafPages: 16,
  overflowPages: 24,
  entries: 32,
  root: 40,
} as const;

/** "No page": the root of an empty tree. */
export const INVALID_PAGE = 0xffff_ffff_ffff_ffffn;

export function evenUp(n: number): number {
  return (n + 1) & ~1;
}

/** Pages taken by an overflow value of `size` bytes (one header, then the data). */
export function overflowPages(size: number): number {
  return Math.floor((PAGE_HEADER - 1 + size) / PAGE_SIZE) + 1;
}

/** The main tree of one meta page. */
export interface TreeMeta {
  readonly txnId: number;
  readonly root: number | undefined;
  readonly depth: number;
  readonly entries: number;
  readonly branchPages: number;
  readonly leafPages: number;
  readonly overflowPages: number;
  readonly lastPage: number;
}

/** What stops LMDB (data format 2) from taking `page` as a meta page, or undefined if nothing does. */
export function metaPageProblem(page: Buffer): string | undefined {
  if ((page.readUInt16LE(PAGE_FLAGS) & P_META) === 0) return 'it is not marked as a meta page';
  const magic = page.readUInt32LE(META.magic);
  if (magic !== MAGIC) return `its magic number is 0x${magic.toString(16)}, not LMDB's 0x${MAGIC.toString(16)}`;
  const version = page.readUInt32LE(META.version) & 0xffff;
  if (version !== DATA_VERSION) return `its data format version is ${version}, not ${DATA_VERSION}`;
  const size = metaPageSize(page);
  if (size < MIN_PAGE_SIZE || size > MAX_PAGE_SIZE || (size & (size - 1)) !== 0) {
    return `its page size, ${size}, is not a power of two from ${MIN_PAGE_SIZE} to ${MAX_PAGE_SIZE}`;
  }
  return undefined;
}

/** The page size a meta page records (in the free-page database's pad field, as LMDB keeps it). */
export function metaPageSize(page: Buffer): number {
  return page.readUInt32LE(META.freeDb + DB.pad);
}

/** Reads a meta page; undefined when it is not one of the format this module knows. */
export function readMeta(page: Buffer): TreeMeta | undefined {
  if (metaPageProblem(page) !== undefined || metaPageSize(page) !== PAGE_SIZE) return undefined;
  const db = META.mainDb;
  const root = page.readBigUInt64LE(db + DB.root);
  return {
    txnId: Number(page.readBigUInt64LE(META.txnId)),
    root: root === INVALID_PAGE ? undefined : Number(root),
    depth: page.readUInt16LE(db + DB.depth),
    entries: Number(page.readBigUInt64LE(db + DB.entries)),
    branchPages: Number(page.readBigUInt64LE(db + DB.branchPages)),
    leafPages: Number(page.readBigUInt64LE(db + DB.leafPages)),
    overflowPages: Number(page.readBigUInt64LE(db + DB.overflowPages)),
    lastPage: Number(page.readBigUInt64LE(META.lastPage)),
  };
}

/** Writes a complete meta page (a zeroed page-size buffer) for `tree`, or for an empty tree. */
export function writeMeta(page: Buffer, pageNumber: 0 | 1, tree: TreeMeta | undefined, mapSize: number): void {
  page.fill(0);
  page.writeBigUInt64LE(BigInt(pageNumber), 0);
  page.writeUInt16LE(P_META, PAGE_FLAGS);
  page.writeUInt32LE(MAGIC, META.magic);
  page.writeUInt32LE(DATA_VERSION, META.version);
  page.writeBigUInt64LE(BigInt(mapSize), META.mapSize);
  page.writeUInt32LE(PAGE_SIZE, META.freeDb + DB.pad);
  page.writeUInt16LE(FREE_DB_FLAGS, META.freeDb + DB.flags);
  page.writeBigUInt64LE(INVALID_PAGE, META.freeDb + DB.root);
  const db = META.mainDb;
  if (tree === undefined) {
    page.writeBigUInt64LE(INVALID_PAGE, db + DB.root);
    page.writeBigUInt64LE(1n, META.lastPage);
    return;
  }
  page.writeUInt16LE(tree.depth, db + DB.depth);
  page.writeBigUInt64LE(BigInt(tree.branchPages), db + DB.branchPages);
  page.writeBigUInt64LE(BigInt(tree.leafPages), db + DB.leafPages);
  page.writeBigUInt64LE(BigInt(tree.overflowPages), db + DB.overflowPages);
  page.writeBigUInt64LE(BigInt(tree.entries), db + DB.entries);
  page.writeBigUInt64LE(tree.root === undefined ? INVALID_PAGE : BigInt(tree.root), db + DB.root);
  page.writeBigUInt64LE(BigInt(tree.lastPage), META.lastPage);
  page.writeBigUInt64LE(BigInt(tree.txnId), META.txnId);
}

/** Writes a page header; `lower`/`upper` are ignored for overflow pages, which store their page count there. */
export function writePageHeader(page: Buffer, at: number, pgno: number, txnId: number, flags: number): void {
  page.writeUInt32LE(pgno >>> 0, at);
  page.writeUInt32LE(Math.floor(pgno / 0x1_0000_0000), at + 4);
  page.writeUInt32LE(txnId, at + 8);
  page.writeUInt32LE(0, at + 12);
  page.writeUInt16LE(0, at + 16);
  page.writeUInt16LE(flags, at + PAGE_FLAGS);
}
