// Reads single items back from the file by byte offset. The pipeline carries only ID hashes and offsets; when
// it has something to report, the items involved are read again so that the message can name their real IDs
// (and so that a suspected duplicate is confirmed on the strings themselves, never on hashes alone).

import { closeSync, openSync, readSync } from 'node:fs';
import type { DataItem } from '../codec/index.js';
import { ItemDecoder } from '../codec/decode.js';
import { parseLengthPrefix } from '../codec/framing.js';
import type { ItemPlace } from '../errors.js';
import { hashId } from './id-hash.js';

export class ItemRereader {
  private readonly decoder: ItemDecoder;

  constructor(private readonly path: string) {
    this.decoder = new ItemDecoder(path);
  }

  /** The entity, relation or attribute item whose record starts at `offset`. */
  itemAt(offset: number): DataItem {
    const fd = openSync(this.path, 'r');
    try {
      const head = Buffer.alloc(5);
      const got = readSync(fd, head, 0, 5, offset);
      const prefix = parseLengthPrefix(head, 0, got);
      if (prefix === undefined || !Number.isFinite(prefix.length)) throw new Error(`no record at byte offset ${offset} of '${this.path}'`);
      const body = Buffer.alloc(prefix.length);
      let done = 0;
      while (done < prefix.length) {
        const n = readSync(fd, body, done, prefix.length - done, offset + prefix.bytes + done);
        if (n === 0) throw new Error(`the record at byte offset ${offset} of '${this.path}' is cut short`);
        done += n;
      }
      const item = this.decoder.decode(body, 0, body.length, offset, offset + prefix.bytes);
      if (item.kind === 'header' || item.kind === 'checksums') throw new Error(`the record at byte offset ${offset} is a ${item.kind} item`);
      return item;
    } finally {
      closeSync(fd);
    }
  }

  /**
   * The `nth` (1-based) item with this label in file order: where the entity or relation with that sequence
   * number came from. A sequential scan of the file, for error messages only.
   */
  nthWithLabel(label: string, nth: number): (ItemPlace & { item: DataItem }) | undefined {
    const fd = openSync(this.path, 'r');
    try {
      const chunk = 1 << 20;
      let buf = Buffer.alloc(chunk);
      let len = 0;
      let fileOffset = 0; // file offset of buf[0]
      let seen = 0;
      for (;;) {
        const read = readSync(fd, buf, len, buf.length - len, fileOffset + len);
        len += read;
        let pos = 0;
        for (;;) {
          const prefix = parseLengthPrefix(buf, pos, len);
          if (prefix === undefined || pos + prefix.bytes + prefix.length > len) break;
          const offset = fileOffset + pos;
          const item = this.decoder.decode(buf, pos + prefix.bytes, pos + prefix.bytes + prefix.length, offset, offset + prefix.bytes);
          pos += prefix.bytes + prefix.length;
          if (item.kind !== 'header' && item.kind !== 'checksums' && item.label === label && ++seen === nth) {
            return { kind: item.kind, id: item.id, label: item.label, offset, item };
          }
        }
        if (read === 0) return undefined;
        buf.copy(buf, 0, pos, len);
        fileOffset += pos;
        len -= pos;
        if (len === buf.length) {
          const grown = Buffer.alloc(buf.length * 2);
          buf.copy(grown, 0, 0, len);
          buf = grown;
        }
      }
    } finally {
      closeSync(fd);
    }
  }

  place(offset: number): ItemPlace & { item: DataItem } {
    const item = this.itemAt(offset);
    return { kind: item.kind, id: item.id, label: item.label, offset, item };
  }
}

/** The first of `ids` whose hash is `hash[at..at+4)`. */
export function idWithHash(ids: Iterable<string>, hash: Uint32Array, at: number): string | undefined {
  const words = new Uint32Array(4);
  for (const id of ids) {
    hashId(id, words, 0);
    if (words[0] === hash[at] && words[1] === hash[at + 1] && words[2] === hash[at + 2] && words[3] === hash[at + 3]) return id;
  }
  return undefined;
}

/** Every ID an item refers to (owned attributes and role players). */
export function referencedIds(item: DataItem): string[] {
  const ids = [...item.ownerships];
  if (item.kind === 'relation') for (const role of item.roles) ids.push(...role.players);
  return ids;
}
