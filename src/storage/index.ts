// Storage layer: an ordered key-value store on LMDB with snapshots, buffered write transactions with optimistic
// conflict detection, bulk loading and online backup.

export type { Bytes, Key, RangeOptions, ReadView, ScanSnapshot, Snapshot, Store, StoredTree, WriteTransaction } from './api.js';
export { STORAGE_ERROR, StoreFileError } from './errors.js';
export { MAX_KEY_BYTES } from './keys.js';
export { checkStoreFiles, openStore, type StoreOptions } from './lmdb-store.js';
export { checkDataFile, type DataFileProblem, type DataFileProblemKind } from './lmdb-file/data-file-check.js';
export { DATA_FILE } from './lmdb-file/layout.js';
export { OverlayView } from './overlay-view.js';
export { TreeBuilder, TreeScanner, TreeScanError, createFreshStore, writeFreshStore, RangeLeaves, type FreshStore, type EntryCursor, type LeafCursor } from './lmdb-file/index.js';
