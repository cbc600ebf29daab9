// A file of key-value entries in the order they will be stored, written sequentially through a buffer (by
// native/src/attribute_rank.c) and added to a fresh store the same way (addEntryFile). The import spools the
// attributes' storage entries to one, so that the store writer (possibly in another thread) can load them while the
// join runs. An entry is laid out as the store builder batches entries ([key length u16][flags u8: 0][pad u8][value
// length u32][key][value]), so that native code lays them into leaf pages straight from the read buffer
// (TreeBuilder.addEntries).

import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { ENTRY_HEADER, type FreshStore } from '../../storage/lmdb-file/index.js';

// 1 MiB: less fresh memory to touch than 4 MiB (which was no faster).
const BUFFER = 1 << 20;
const HEADER = ENTRY_HEADER;

/**
 * Writes an entry file. The entries are laid into `buf` by native code (the attribute ranker's kernel), which
 * keeps `meta` = [bytes used, entries] and asks for room (makeRoom) when an entry does not fit.
 */
export class EntryFileWriter {
  private readonly fd: number;
  buf = Buffer.allocUnsafe(BUFFER);
  readonly meta = new Uint32Array(2);
  private written = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'wx');
  }

  /** Entries written so far. */
  get entries(): number {
    return this.meta[1]!;
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.written + this.meta[0]!;
  }

  /** Writes out the buffer, and grows it if one entry needs more than all of it. */
  makeRoom(bytes: number): void {
    this.flush();
    if (bytes > this.buf.length) this.buf = Buffer.allocUnsafe(bytes);
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    const used = this.meta[0]!;
    let done = 0;
    while (done < used) done += writeSync(this.fd, this.buf, done, used - done);
    this.written += used;
    this.meta[0] = 0;
  }
}

/**
 * Adds each entry of an entry file to `store`, in the file's order, from one read buffer: a buffer's worth at a
 * time, except an entry whose value needs overflow pages, added alone. Returns the number of entries.
 */
export function addEntryFile(path: string, store: Pick<FreshStore, 'addEntries' | 'addFrom'>): number {
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(BUFFER);
    let pos = 0;
    let len = 0;
    let filePos = 0;
    let entries = 0;
    /** Makes n bytes available at pos; false at the end of the file. */
    const ensure = (n: number): boolean => {
      if (len - pos >= n) return true;
      const rest = len - pos;
      if (n > buf.length) {
        const grown = Buffer.allocUnsafe(n);
        buf.copy(grown, 0, pos, len);
        buf = grown;
      } else buf.copy(buf, 0, pos, len);
      pos = 0;
      len = rest;
      for (;;) {
        if (len >= n) return true;
        const read = readSync(fd, buf, len, buf.length - len, filePos);
        if (read === 0) return false;
        len += read;
        filePos += read;
      }
    };
    for (;;) {
      if (!ensure(HEADER)) {
        if (len > pos) throw new Error(`entry file '${path}' ends inside an entry`);
        return entries;
      }
      const keyLength = buf.readUInt16LE(pos);
      const valueLength = buf.readUInt32LE(pos + 4);
      if (!ensure(HEADER + keyLength + valueLength)) throw new Error(`entry file '${path}' ends inside an entry`);
      const laid = store.addEntries(buf, pos, len);
      if (laid.added > 0) {
        entries += laid.added;
        pos = laid.at;
        continue;
      }
      // Not a node's (a value for overflow pages), or not a key at all: added alone, which says which.
      const keyStart = pos + HEADER;
      store.addFrom(buf, keyStart, keyLength, buf, keyStart + keyLength, valueLength);
      entries++;
      pos = keyStart + keyLength + valueLength;
    }
  } finally {
    closeSync(fd);
  }
}
