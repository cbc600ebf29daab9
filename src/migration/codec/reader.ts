// Streaming reader of .typedb files: records are decoded chunk by chunk, so memory stays at one chunk plus the
// largest record whatever the file size. Also checks the order rules of export-format.md §3.3 / §9.

import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ChecksumCounter } from './checksums.js';
import { ItemDecoder, kindName } from './decode.js';
import { CodecError, CodecErrorCode, describeSource, describeSourceCapitalised, errorText, plural } from './errors.js';
import { RecordFramer } from './framing.js';
import type { Checksums, HeaderItem, ItemRecord } from './model.js';

/** A file path, a Node stream / async iterable of bytes, or bytes already in memory. */
export type ItemSource = string | Readable | AsyncIterable<Uint8Array> | Uint8Array;

export interface ReadOptions {
  /**
   * Require the first item to be the header (default true, as the 2.x importer does: MIG10). When false a
   * header may appear anywhere or not at all. A second header is an error either way.
   */
  readonly requireHeaderFirst?: boolean;
  /** Require a checksums item before the end of the input (default true; a complete export always has one). */
  readonly requireChecksums?: boolean;
  /** Bytes per read from a file (default 64 KiB). */
  readonly chunkSize?: number;
}

const DEFAULT_CHUNK_SIZE = 64 << 10;

/**
 * Reads the items of a .typedb input in order, each with the byte offset of its length prefix. Throws a
 * `CodecError` (MIG…) that names the offset on truncation, damage or an order-rule violation, after yielding
 * every item before the failing record. Breaking out of the loop closes the file.
 */
export async function* readItems(source: ItemSource, options: ReadOptions = {}): AsyncGenerator<ItemRecord, void> {
  const input = await openSource(source, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const framer = new RecordFramer(new ItemDecoder(input.path), input.path, input.size);
  const rules = new OrderRules(input.path, options);
  for await (const chunk of input.chunks) {
    framer.push(chunk);
    for (let record = framer.next(); record !== undefined; record = framer.next()) {
      rules.check(record);
      yield record;
    }
  }
  framer.end();
  rules.end(framer.bytesSeen);
}

/** What a whole input holds, from one streaming pass. */
export interface ItemSummary {
  readonly header: HeaderItem | undefined;
  /** The counts the checksums item declares (the first one; later ones must agree). */
  readonly declared: Checksums | undefined;
  /** The counts recounted from the items themselves. */
  readonly counted: Checksums;
  /** Number of records, header and checksums included. */
  readonly records: number;
}

/** Reads a whole input; compare `declared` with `counted` using `compareChecksums` / `checksumMismatchError`. */
export async function summarizeItems(source: ItemSource, options: ReadOptions = {}): Promise<ItemSummary> {
  const counter = new ChecksumCounter();
  let header: HeaderItem | undefined;
  let declared: Checksums | undefined;
  let records = 0;
  for await (const { item } of readItems(source, options)) {
    records++;
    if (item.kind === 'header') header = item;
    else if (item.kind === 'checksums') declared ??= item.checksums;
    else counter.add(item);
  }
  return { header, declared, counted: counter.counts, records };
}

class OrderRules {
  private seen = 0;
  private headerOffset: number | undefined;
  private checksums: { readonly offset: number; readonly counts: Checksums } | undefined;
  private readonly requireHeaderFirst: boolean;
  private readonly requireChecksums: boolean;

  constructor(
    private readonly path: string | undefined,
    options: ReadOptions,
  ) {
    this.requireHeaderFirst = options.requireHeaderFirst ?? true;
    this.requireChecksums = options.requireChecksums ?? true;
  }

  check({ item, offset }: ItemRecord): void {
    if (this.seen++ === 0 && this.requireHeaderFirst && item.kind !== 'header') {
      throw new CodecError(
        CodecErrorCode.HEADER_MISSING,
        `The data being imported is invalid - the header is missing: the first item of ` +
          `${describeSource(this.path)}, at byte offset ${offset}, is ${kindName(item.kind)}, not a header. ` +
          `A .typedb export starts with a header item; check that this file is a TypeDB data export (not a ` +
          `schema file) and that it is not damaged.`,
        offset,
      );
    }
    if (item.kind === 'header') {
      if (this.headerOffset !== undefined) {
        throw new CodecError(
          CodecErrorCode.DUPLICATE_HEADER,
          `${describeSourceCapitalised(this.path)} holds a second header item at byte offset ${offset} (the first ` +
            `is at offset ${this.headerOffset}). An export has exactly one header; the file may be two exports ` +
            `joined together.`,
          offset,
        );
      }
      this.headerOffset = offset;
    } else if (item.kind === 'checksums') {
      const first = this.checksums;
      if (first === undefined) {
        this.checksums = { offset, counts: item.checksums };
      } else if (!sameCounts(first.counts, item.checksums)) {
        throw new CodecError(
          CodecErrorCode.CONFLICTING_CHECKSUMS,
          `${describeSourceCapitalised(this.path)} holds two checksums items that disagree, at byte offsets ` +
            `${first.offset} (${formatCounts(first.counts)}) and ${offset} (${formatCounts(item.checksums)}). ` +
            `Every checksums item must hold the complete final counts; the file may be two exports joined together.`,
          offset,
        );
      }
    }
  }

  end(bytes: number): void {
    if (this.requireChecksums && this.checksums === undefined) {
      throw new CodecError(
        CodecErrorCode.CHECKSUMS_MISSING,
        `${describeSourceCapitalised(this.path)} ends at byte offset ${bytes} after ${plural(this.seen, 'item')} ` +
          `without a checksums item. A complete export ends with one, so the file was probably cut short at a ` +
          `record boundary; export or copy it again.`,
        bytes,
      );
    }
  }
}

function sameCounts(a: Checksums, b: Checksums): boolean {
  return (
    a.entities === b.entities &&
    a.attributes === b.attributes &&
    a.relations === b.relations &&
    a.roles === b.roles &&
    a.ownerships === b.ownerships
  );
}

export function formatCounts(c: Checksums): string {
  return (
    `entities ${c.entities}, attributes ${c.attributes}, relations ${c.relations}, roles ${c.roles}, ` +
    `ownerships ${c.ownerships}`
  );
}

interface OpenedSource {
  readonly path: string | undefined;
  readonly size: number | undefined;
  readonly chunks: AsyncIterable<Buffer>;
}

async function openSource(source: ItemSource, chunkSize: number): Promise<OpenedSource> {
  if (typeof source === 'string') return openFile(source, chunkSize);
  if (source instanceof Uint8Array) {
    const bytes = Buffer.from(source.buffer, source.byteOffset, source.byteLength);
    return { path: undefined, size: bytes.length, chunks: once(bytes) };
  }
  return { path: undefined, size: undefined, chunks: streamChunks(source) };
}

async function* once(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

async function openFile(path: string, chunkSize: number): Promise<OpenedSource> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw readFailure(path, e);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) {
      throw new CodecError(
        CodecErrorCode.READ_FAILED,
        `Error reading the file at '${path}': it is a directory. Give the path of the .typedb data file.`,
      );
    }
    // Only a regular file's size is final; FIFOs and devices are read to their end.
    return { path, size: stat.isFile() ? stat.size : undefined, chunks: fileChunks(handle, path, chunkSize) };
  } catch (e) {
    await handle.close();
    throw e instanceof CodecError ? e : readFailure(path, e);
  }
}

async function* fileChunks(handle: FileHandle, path: string, chunkSize: number): AsyncGenerator<Buffer> {
  const readChunk = async (): Promise<Buffer> => {
    const buf = Buffer.allocUnsafe(chunkSize);
    const { bytesRead } = await handle.read(buf, 0, chunkSize, null);
    return buf.subarray(0, bytesRead);
  };
  let next = readChunk();
  next.catch(() => undefined); // awaited below; keeps an abandoned read-ahead from being "unhandled"
  try {
    for (;;) {
      let chunk: Buffer;
      try {
        chunk = await next;
      } catch (e) {
        throw readFailure(path, e);
      }
      if (chunk.length === 0) return;
      // Read ahead while the consumer decodes this chunk.
      next = readChunk();
      next.catch(() => undefined);
      yield chunk;
    }
  } finally {
    await handle.close();
  }
}

async function* streamChunks(stream: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream as AsyncIterable<unknown>) {
      if (!(chunk instanceof Uint8Array)) {
        throw new CodecError(
          CodecErrorCode.READ_FAILED,
          `Error reading the input: the stream delivered ${typeof chunk} chunks instead of bytes (do not set an ` +
            `encoding on a stream of a .typedb file).`,
        );
      }
      yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  } catch (e) {
    if (e instanceof CodecError) throw e;
    throw new CodecError(CodecErrorCode.READ_FAILED, `Error reading the input: ${errorText(e)}`, undefined, { cause: e });
  }
}

function readFailure(path: string, e: unknown): CodecError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') {
    return new CodecError(
      CodecErrorCode.FILE_NOT_FOUND,
      `The specified file path '${path}' could not be found.`,
      undefined,
      { cause: e },
    );
  }
  if (code === 'EISDIR') {
    return new CodecError(
      CodecErrorCode.READ_FAILED,
      `Error reading the file at '${path}': it is a directory. Give the path of the .typedb data file.`,
      undefined,
      { cause: e },
    );
  }
  return new CodecError(CodecErrorCode.READ_FAILED, `Error reading the file at '${path}': ${errorText(e)}`, undefined, {
    cause: e,
  });
}
