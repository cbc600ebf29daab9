// Streaming reader of .typedb files: records are decoded chunk by chunk, so memory stays at one chunk plus the
// largest record whatever the file size. Also checks the order rules of export-format.md §3.3 / §9.

import type { Readable } from 'node:stream';
import { ChecksumCounter } from './checksums.js';
import { ItemDecoder } from './decode.js';
import { CodecError, CodecErrorCode, errorText } from './errors.js';
import { openFile, type OpenedSource } from './file-input.js';
import { RecordFramer } from './framing.js';
import type { Checksums, HeaderItem, ItemRecord } from './model.js';
import { OrderRules } from './order-rules.js';

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
  const framer = new RecordFramer(input.path, input.size);
  const decoder = new ItemDecoder(input.path);
  const rules = new OrderRules(input.path, options);
  try {
    for await (const chunk of input.chunks) {
      framer.push(chunk);
      for (let span = framer.next(); span !== undefined; span = framer.next()) {
        const item = decoder.decode(span.buf, span.start, span.end, span.offset, span.bodyOffset);
        rules.check(item, span.offset);
        yield { item, offset: span.offset };
      }
    }
    framer.end();
  } catch (e) {
    throw rules.explainTrailing(e);
  }
  rules.end(framer.inputEnd);
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
