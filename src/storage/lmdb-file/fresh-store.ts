// A new store written in one pass from entries in ascending key order (import, restore): the data file is built
// page by page (TreeBuilder) rather than through lmdb-js, and openStore() opens it like any other store.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { StrataError } from '../../common/errors.js';
import type { Bytes, Key } from '../api.js';
import { freshStoreFailed } from '../errors.js';
import { DATA_FILE } from './layout.js';
import { TreeBuilder, type BuiltLeaves, type LeafLayout, type TreeBuilderOptions } from './tree-builder.js';

/** A store being written: entries in strictly ascending key order, then finish() (or abort()). */
export interface FreshStore extends LeafLayout {
  add(key: Key, value: Bytes): void;
  /** add() of key[keyAt, keyAt + keyLength) and value[valueAt, valueAt + valueLength), without views. */
  addFrom(key: Uint8Array, keyAt: number, keyLength: number, value: Uint8Array, valueAt: number, valueLength: number): void;
  /** Entries in the batch's layout, up to one that runs past `end` or needs overflow pages (TreeBuilder.addEntries). */
  addEntries(entries: Uint8Array, at: number, end: number): { readonly at: number; readonly added: number };
  /** Leaf pages built in memory for keys that follow those added so far (TreeBuilder.leavesInMemory). */
  appendLeaves(leaves: BuiltLeaves): void;
  /** Completes and syncs the store; returns the entries written. */
  finish(): number;
  /** Removes the partial store file. */
  abort(): void;
}

/** Starts the store of `directory` (created if needed; it must hold no store yet). */
export function createFreshStore(directory: string, options: TreeBuilderOptions = {}): FreshStore {
  let builder: TreeBuilder;
  try {
    mkdirSync(directory, { recursive: true });
    builder = TreeBuilder.create(join(directory, DATA_FILE), options);
  } catch (error) {
    throw freshStoreFailed(directory, error);
  }
  const failed = (error: unknown): never => {
    builder.abort();
    throw error instanceof StrataError ? error : freshStoreFailed(directory, error);
  };
  return {
    add(key, value) {
      try {
        builder.add(key, value);
      } catch (error) {
        failed(error);
      }
    },
    addFrom(key, keyAt, keyLength, value, valueAt, valueLength) {
      try {
        builder.addFrom(key, keyAt, keyLength, value, valueAt, valueLength);
      } catch (error) {
        failed(error);
      }
    },
    addEntries(entries, at, end) {
      try {
        return builder.addEntries(entries, at, end);
      } catch (error) {
        return failed(error);
      }
    },
    layLeaves(step) {
      try {
        builder.layLeaves(step);
      } catch (error) {
        failed(error);
      }
    },
    appendLeaves(leaves) {
      try {
        builder.appendLeaves(leaves);
      } catch (error) {
        failed(error);
      }
    },
    finish() {
      try {
        return builder.finish().entries;
      } catch (error) {
        return failed(error);
      }
    },
    abort() {
      builder.abort();
    },
  };
}

/** Writes the store of `directory` from `entries`; returns the entries written. */
export function writeFreshStore(directory: string, entries: Iterable<[Key, Bytes]>): number {
  const store = createFreshStore(directory);
  try {
    for (const [key, value] of entries) store.add(key, value);
  } catch (error) {
    store.abort();
    throw error;
  }
  return store.finish();
}
