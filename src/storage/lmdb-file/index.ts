// LMDB's data file, read and written page by page without lmdb-js: bulk builds of fresh stores and scans of a
// pinned snapshot. Worker threads import this entry rather than the storage layer's, so that they do not load
// lmdb-js and its native module (about a tenth of a second per thread).

export type { StoredTree } from '../api.js';
export { ENTRY_HEADER, TreeBuilder, builtLeavesTransfer, type BuiltLeaves, type LeafLayout, type LeafStep, type TreeBuilderOptions } from './tree-builder.js';
export { TreeScanner, TreeScanError } from './tree-scanner.js';
export { createFreshStore, writeFreshStore, type FreshStore } from './fresh-store.js';
export type { EntryCursor } from './entry-cursor.js';
export { RangeLeaves, firstKey, type LeafCursor } from './leaf-cursor.js';
