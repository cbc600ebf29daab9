// A new store written in one pass from entries in ascending key order (import, restore): the data file is built
// page by page (TreeBuilder) rather than through lmdb-js, and openStore() opens it like any other store.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { StrataError } from '../../common/errors.js';
import type { Bytes, Key } from '../api.js';
import { freshStoreFailed } from '../errors.js';
import { TreeBuilder } from './tree-builder.js';

/** Writes the store of `directory` (created if needed; it must hold no store yet); returns the entries written. */
export function writeFreshStore(directory: string, entries: Iterable<[Key, Bytes]>): number {
  mkdirSync(directory, { recursive: true });
  let builder: TreeBuilder;
  try {
    builder = TreeBuilder.create(join(directory, 'data.mdb'));
  } catch (error) {
    throw freshStoreFailed(directory, error);
  }
  try {
    for (const [key, value] of entries) builder.add(key, value);
    return builder.finish().entries;
  } catch (error) {
    builder.abort();
    throw error instanceof StrataError ? error : freshStoreFailed(directory, error);
  }
}
