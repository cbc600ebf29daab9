// Splits a byte stream into varint-length-delimited records (export-format.md §2). Memory stays at the
// current chunk plus one record whatever the input size, and truncation is reported with exact byte offsets.

import { CodecError, CodecErrorCode, describeSourceCapitalised, plural } from './errors.js';

/** protobuf's limit for one message (2 GiB − 1); a larger length prefix can only be damage. */
export const MAX_RECORD_BYTES = 0x7fff_ffff;

const EMPTY = Buffer.alloc(0);

/** A record cut by a chunk boundary: its bytes so far, and how many it needs once its prefix is known. */
interface PendingRecord {
  readonly parts: Buffer[];
  bytes: number;
  /** Length of the length prefix; 0 while the prefix itself is unfinished. */
  prefixBytes: number;
  /** Length announced by the prefix (valid when prefixBytes > 0). */
  length: number;
}

/** One complete record: its item message is `buf[start, end)`. Reused from record to record. */
export interface RecordSpan {
  buf: Buffer;
  start: number;
  end: number;
  /** Input offsets of the record's length prefix and of its item message. */
  offset: number;
  bodyOffset: number;
}

export class RecordFramer {
  /** The buffer records are decoded from, and the position of the next record in it. */
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Input offset of `buf[0]`. */
  private bufOffset = 0;
  /** The rest of a chunk whose head completed a pending record; decoded after that record. */
  private queued: Buffer | undefined;
  private pending: PendingRecord | undefined;
  private total = 0;
  private readonly span: RecordSpan = { buf: EMPTY, start: 0, end: 0, offset: 0, bodyOffset: 0 };

  /**
   * @param path the file being read, for messages (undefined for streams)
   * @param knownSize the input offset where it ends, when known up front: a record announced past it fails at once
   *   instead of after collecting the rest of the input (so a file must not grow while it is read)
   * @param firstOffset the input offset of the first byte pushed (when reading part of a file)
   */
  constructor(
    private readonly path: string | undefined,
    private readonly knownSize?: number,
    private readonly firstOffset = 0,
  ) {
    this.bufOffset = firstOffset;
  }

  /** The input offset just past the bytes received so far. */
  get inputEnd(): number {
    return this.firstOffset + this.total;
  }

  /**
   * Adds the next chunk of input; call `next()` until it returns undefined before pushing again. From then on the
   * framer holds no reference to the chunk (what it keeps of an unfinished record, it copies), so the caller may
   * reuse the chunk's memory.
   */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.total += chunk.length;
    const pending = this.pending;
    if (pending === undefined) {
      this.bufOffset += this.buf.length;
      this.buf = chunk;
      this.pos = 0;
      return;
    }
    const before = pending.bytes;
    pending.parts.push(chunk);
    pending.bytes += chunk.length;
    if (pending.prefixBytes === 0) {
      // The prefix was cut: at most 4 of its bytes are pending, so this concatenation is tiny.
      const head = Buffer.concat([...pending.parts.slice(0, -1), chunk.subarray(0, 5)]);
      const prefix = parseLengthPrefix(head, 0, head.length);
      if (prefix === undefined) return this.keepLastPart(pending);
      pending.prefixBytes = prefix.bytes;
      pending.length = prefix.length;
      if (prefix.length > MAX_RECORD_BYTES) throw this.invalidPrefix(this.bufOffset, prefix.length);
      this.checkKnownSize(this.bufOffset, prefix.bytes, prefix.length);
    }
    const need = pending.prefixBytes + pending.length;
    if (pending.bytes < need) return this.keepLastPart(pending);
    // Stitch exactly one record; the rest of the chunk is decoded in place afterwards.
    const take = need - before;
    pending.parts[pending.parts.length - 1] = chunk.subarray(0, take);
    this.buf = Buffer.concat(pending.parts, need);
    this.pos = 0;
    this.queued = take < chunk.length ? chunk.subarray(take) : undefined;
    this.pending = undefined;
  }

  /**
   * The next complete record (the same object each time, valid until the next call), or undefined when more input
   * is needed. Records are handed out one at a time, just before the caller uses them, so what the caller makes of
   * them can die young.
   */
  next(): RecordSpan | undefined {
    if (this.pos === this.buf.length) {
      if (this.queued === undefined) return undefined;
      this.bufOffset += this.buf.length;
      this.buf = this.queued;
      this.queued = undefined;
      this.pos = 0;
    }
    const buf = this.buf;
    const len = buf.length;
    const pos = this.pos;
    // The varint length prefix, inlined: this runs once per item.
    let length = 0;
    let scale = 1;
    let p = pos;
    let b: number;
    do {
      if (p - pos === 5) throw this.invalidPrefix(this.bufOffset + pos, Infinity);
      if (p === len) return this.stash(0, 0);
      b = buf[p++]!;
      length += (b & 0x7f) * scale;
      scale *= 128;
    } while (b >= 0x80);
    if (length > MAX_RECORD_BYTES) throw this.invalidPrefix(this.bufOffset + pos, length);
    const end = p + length;
    if (end > len) {
      this.checkKnownSize(this.bufOffset + pos, p - pos, length);
      return this.stash(p - pos, length);
    }
    const span = this.span;
    span.buf = buf;
    span.start = p;
    span.end = end;
    span.offset = this.bufOffset + pos;
    span.bodyOffset = span.offset + (p - pos);
    this.pos = end;
    return span;
  }

  /** The buffer of the records next() and frameMany() hand out now. */
  get buffer(): Buffer {
    return this.buf;
  }

  /**
   * Frames up to `max` records that lie whole in the current buffer, from entry `at` of the arrays on: the item
   * message's [start, end) into spans[2i, 2i + 1], the input offsets of its length prefix and of the message into
   * offsets[i] and bodyOffsets[i]. Returns how many; it stops before a record that does not lie whole in the
   * buffer or has a prefix longer than 4 bytes (at most 256 MiB), which next() then takes (or makes its message).
   * Many records per call: one call of next() per record was a tenth of the reading threads' time.
   */
  frameMany(spans: Int32Array, offsets: Float64Array, bodyOffsets: Float64Array, at: number, max: number): number {
    const buf = this.buf;
    const len = buf.length;
    const base = this.bufOffset;
    let pos = this.pos;
    let framed = 0;
    while (framed < max) {
      let p = pos;
      let length = 0;
      let b = 0x80;
      for (let shift = 0; shift < 28 && b >= 0x80 && p < len; shift += 7) {
        b = buf[p++]!;
        length |= (b & 0x7f) << shift;
      }
      const end = p + length;
      if (b >= 0x80 || end > len) break;
      const i = at + framed++;
      spans[2 * i] = p;
      spans[2 * i + 1] = end;
      offsets[i] = base + pos;
      bodyOffsets[i] = base + p;
      pos = end;
    }
    this.pos = pos;
    return framed;
  }

  /** Signals the end of the input; throws if it ended inside a record or held nothing. */
  end(): void {
    if (this.total === 0) {
      throw new CodecError(
        CodecErrorCode.EMPTY_FILE,
        `${describeSourceCapitalised(this.path)} is empty (0 bytes). A .typedb export holds at least a header ` +
          `item and a checksums item; check that the right file was given and that the export finished.`,
        0,
      );
    }
    const pending = this.pending;
    if (pending === undefined) return;
    if (pending.prefixBytes === 0) throw this.truncatedPrefix(this.bufOffset, this.inputEnd);
    throw this.truncatedRecord(this.bufOffset, pending.prefixBytes, pending.length, this.inputEnd);
  }

  /** Keeps (a copy of) the unfinished record at `pos`, all the rest of `buf`, until more input arrives. */
  private stash(prefixBytes: number, length: number): undefined {
    const rest = Buffer.from(this.buf.subarray(this.pos));
    this.pending = { parts: [rest], bytes: rest.length, prefixBytes, length };
    this.bufOffset += this.pos;
    this.buf = EMPTY;
    this.pos = 0;
    return undefined;
  }

  /** Copies the chunk just added to a pending record, which needs more input still. */
  private keepLastPart(pending: PendingRecord): void {
    pending.parts[pending.parts.length - 1] = Buffer.from(pending.parts[pending.parts.length - 1]!);
  }

  /** Fails at once when the input's size is known and the record cannot fit in it. */
  private checkKnownSize(offset: number, prefixBytes: number, length: number): void {
    if (this.knownSize !== undefined && offset + prefixBytes + length > this.knownSize) {
      throw this.truncatedRecord(offset, prefixBytes, length, this.knownSize);
    }
  }

  private truncatedPrefix(offset: number, inputEnd: number): CodecError {
    return new CodecError(
      CodecErrorCode.TRUNCATED_LENGTH_PREFIX,
      `${describeSourceCapitalised(this.path)} is truncated: it ends at byte offset ${inputEnd}, inside the length ` +
        `prefix of the record at byte offset ${offset} (${plural(inputEnd - offset, 'byte')} of an unfinished ` +
        `varint). The file was probably cut short while being written, copied or downloaded; export or copy it ` +
        `again.`,
      offset,
    );
  }

  private truncatedRecord(offset: number, prefixBytes: number, length: number, inputEnd: number): CodecError {
    const bodyOffset = offset + prefixBytes;
    return new CodecError(
      CodecErrorCode.TRUNCATED_RECORD,
      `${describeSourceCapitalised(this.path)} is truncated: the record at byte offset ${offset} expects ` +
        `${plural(length, 'byte')} of item data at offset ${bodyOffset} (up to offset ${bodyOffset + length}), ` +
        `but the file ends at byte offset ${inputEnd}, ${plural(bodyOffset + length - inputEnd, 'byte')} short. ` +
        `The file was probably cut short while being written, copied or downloaded (or this length prefix is ` +
        `damaged); export or copy it again.`,
      offset,
    );
  }

  private invalidPrefix(offset: number, length: number): CodecError {
    const what = Number.isFinite(length)
      ? `announces ${length} bytes, more than`
      : 'is longer than 5 bytes, beyond any length allowed by';
    return new CodecError(
      CodecErrorCode.INVALID_LENGTH_PREFIX,
      `${describeSourceCapitalised(this.path)} is damaged or is not a .typedb export: the length prefix at byte ` +
        `offset ${offset} ${what} the 2 GiB protobuf message limit. Re-export the data or restore the file from a ` +
        `good copy.`,
      offset,
    );
  }
}

/**
 * Reads the varint length prefix at `buf[pos]`. Returns undefined when `end` comes first; a prefix still
 * unfinished after 5 bytes yields length Infinity (a varint32 never needs more).
 */
export function parseLengthPrefix(buf: Buffer, pos: number, end: number): { length: number; bytes: number } | undefined {
  let length = 0;
  let scale = 1;
  for (let i = 0; i < 5; i++) {
    if (pos + i >= end) return undefined;
    const b = buf[pos + i]!;
    length += (b & 0x7f) * scale;
    if (b < 0x80) return { length, bytes: i + 1 };
    scale *= 128;
  }
  return { length: Infinity, bytes: 5 };
}
