// Storage layer: an ordered key-value store on LMDB with snapshots, buffered write transactions with optimistic
// conflict detection, bulk loading and online backup.

export type { Bytes, Key, RangeOptions, ReadView, ScanSnapshot, Snapshot, Store, StoredTree, WriteTransaction } from './api.js';
export { STORAGE_ERROR } from './errors.js';
export { MAX_KEY_BYTES } from './keys.js';
export { openStore, type StoreOptions } from './lmdb-store.js';
export { OverlayView } from './overlay-view.js';
export { TreeBuilder } from './lmdb-file/tree-builder.js';
export { TreeScanner, TreeScanError } from './lmdb-file/tree-scanner.js';
export { createFreshStore, writeFreshStore, type FreshStore } from './lmdb-file/fresh-store.js';
export { RangeCursor, type EntryCursor } from './lmdb-file/entry-cursor.js';
