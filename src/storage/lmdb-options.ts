// How a store's LMDB environment is opened: by the store, and by its writer thread (commit-writer-thread.ts), which
// must open the same environment the same way (lmdb-js then shares one environment between the two threads).
import type { RootDatabaseOptions } from 'lmdb';

/**
 * The address space mapped for a store's data file up front. lmdb-js keeps every map a store outgrows until it closes
 * (readers may still be on it), and pages touched through each stay resident: a store grown by doubling its map
 * held up to ~2x its size in RSS more. Only address space: the file is not extended to it (no writemap). A store
 * that outgrows it still grows, by new maps.
 */
const MAP_BYTES = 16 * 1024 ** 3;

export function lmdbOptions(maxReaders: number): RootDatabaseOptions {
  return {
    keyEncoding: 'binary',
    encoding: 'binary',
    compression: false,
    // lmdb-js would treat a directory name with a dot ("shop.v2") as a file path; a store is always a directory.
    noSubdir: false,
    maxReaders,
    mapSize: MAP_BYTES,
  };
}
