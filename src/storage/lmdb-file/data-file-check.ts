// The check of an existing data file before lmdb-js opens it, with plain reads of its first two pages. lmdb-js
// maps the file and trusts it: a damaged first meta page, a second meta page that is garbage (taken when its
// transaction id looks newer), or a file shorter than its meta says, kill the process with SIGSEGV or SIGBUS
// instead of raising an error. So the file must pass what LMDB's own open reads, before it reads it:
//   - both meta pages valid (flag, magic, data format version, page size), with the same page size;
//   - the record of the last flushed commit, half-way into page 0, not newer than both meta pages;
//   - the file at least as long as the newest meta page's last used page implies.
// An empty file is not damaged, but opening it would make LMDB write a new, empty store over it.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { META, META_END, metaPageProblem, metaPageSize } from './layout.js';

export type DataFileProblemKind = 'missing' | 'empty' | 'unreadable' | 'damaged';

/** What is wrong with a data file, as words that follow its name ("'…/data.mdb' <detail>"). */
export interface DataFileProblem {
  readonly kind: DataFileProblemKind;
  readonly detail: string;
}

/** Undefined when the data file may be handed to lmdb-js. */
export function checkDataFile(file: string): DataFileProblem | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    const error = e as NodeJS.ErrnoException;
    if (error.code === 'ENOENT') return { kind: 'missing', detail: 'does not exist' };
    return { kind: 'unreadable', detail: `could not be opened for reading (${error.message})` };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { kind: 'damaged', detail: 'is not a regular file' };
    if (stats.size === 0) return { kind: 'empty', detail: 'is empty (0 bytes)' };
    return checkPages(fd, stats.size);
  } catch (e) {
    return { kind: 'unreadable', detail: `could not be read (${(e as Error).message})` };
  } finally {
    closeSync(fd);
  }
}

function checkPages(fd: number, size: number): DataFileProblem | undefined {
  const damaged = (detail: string): DataFileProblem => ({ kind: 'damaged', detail });
  if (size < META_END) return damaged(`is ${size} bytes long, too short to hold even its first meta page`);
  const first = readAt(fd, 0);
  const firstProblem = metaPageProblem(first);
  if (firstProblem !== undefined) return damaged(`has a damaged first meta page (page 0): ${firstProblem}`);
  const pageSize = metaPageSize(first);
  if (size < 2 * pageSize) {
    return damaged(`is ${size} bytes long, shorter than its two meta pages (2 × ${pageSize} bytes)`);
  }
  const second = readAt(fd, pageSize);
  const secondProblem = metaPageProblem(second);
  if (secondProblem !== undefined) {
    return damaged(`has a damaged second meta page (page 1, at byte ${pageSize}): ${secondProblem}; the first meta page is intact`);
  }
  if (metaPageSize(second) !== pageSize) {
    return damaged(`has meta pages that disagree on the page size (${pageSize} and ${metaPageSize(second)} bytes)`);
  }
  const [firstTxn, secondTxn] = [txnId(first), txnId(second)];
  // LMDB keeps the first meta page on a tie.
  const [newest, newestPage, newestTxn] = secondTxn > firstTxn ? [second, 1, secondTxn] : [first, 0, firstTxn];
  // lmdb-js also reads a copy of the last flushed commit's meta record half-way into page 0 (all zeros until it
  // writes one), and takes it when it looks newest.
  const flushed = readAt(fd, pageSize / 2);
  const flushedTxn = txnId(flushed);
  if (flushedTxn !== 0n && (flushedTxn > newestTxn || metaPageSize(flushed) !== pageSize)) {
    return damaged(`has a damaged record of its last flushed commit (at byte ${pageSize / 2} of page 0)`);
  }
  const lastPage = newest.readBigUInt64LE(META.lastPage);
  if (lastPage < 1n) return damaged(`has a newest meta page (page ${newestPage}) whose last used page, ${lastPage}, comes before the second meta page`);
  const needed = (lastPage + 1n) * BigInt(pageSize);
  if (BigInt(size) < needed) {
    return damaged(
      `is ${size} bytes long, but its newest meta page (page ${newestPage}, transaction ${newestTxn}) uses pages 0 to ${lastPage} ` +
        `of ${pageSize} bytes (${needed} bytes): the file was cut short`,
    );
  }
  return undefined;
}

function txnId(meta: Buffer): bigint {
  return meta.readBigUInt64LE(META.txnId);
}

/** The meta record of the page starting at `offset` (zeros past the end of the file). */
function readAt(fd: number, offset: number): Buffer {
  const buffer = Buffer.alloc(META_END);
  readSync(fd, buffer, 0, META_END, offset);
  return buffer;
}
