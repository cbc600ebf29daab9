// Finds the B-tree of the snapshot an LMDB read transaction sees, in the data file: the meta page written by
// the transaction it reads (its id is the environment's last one when the read transaction was just renewed),
// cross-checked against lmdb-js's statistics of that read transaction. Anything unexpected answers undefined,
// and the caller reads through lmdb-js instead.

import { closeSync, openSync, readSync } from 'node:fs';
import type { StoredTree } from '../api.js';
import { PAGE_SIZE, readMeta } from './layout.js';

/** The figures lmdb-js's getStats() reports for the shared read transaction. */
export interface ReadTransactionStats {
  readonly lastTxnId: number;
  readonly pageSize: number;
  readonly treeDepth: number;
  readonly treeBranchPageCount: number;
  readonly treeLeafPageCount: number;
  readonly overflowPages: number;
  readonly entryCount: number;
}

export function locateTree(dataFile: string, stats: ReadTransactionStats): StoredTree | undefined {
  if (stats.pageSize !== PAGE_SIZE) return undefined;
  const pages = Buffer.alloc(2 * PAGE_SIZE);
  const fd = openSync(dataFile, 'r');
  try {
    if (readSync(fd, pages, 0, pages.length, 0) !== pages.length) return undefined;
  } finally {
    closeSync(fd);
  }
  for (const at of [0, PAGE_SIZE]) {
    const meta = readMeta(pages.subarray(at, at + PAGE_SIZE));
    if (
      meta !== undefined &&
      meta.txnId === stats.lastTxnId &&
      meta.entries === stats.entryCount &&
      meta.depth === stats.treeDepth &&
      meta.branchPages === stats.treeBranchPageCount &&
      meta.leafPages === stats.treeLeafPageCount &&
      meta.overflowPages === stats.overflowPages
    ) {
      return { dataFile, root: meta.root, depth: meta.depth, entries: meta.entries };
    }
  }
  return undefined;
}
