// Opening a .typedb file for reading: in chunks, read ahead while the previous chunk is used, all of the file or
// a byte range of it; failures to open or read become the codec's errors (MIG02, MIG03).

import { open, type FileHandle } from 'node:fs/promises';
import { CodecError, CodecErrorCode, errorText, permissionAdvice } from './errors.js';

const EMPTY = Buffer.alloc(0);

/** An input being read: its path (undefined for streams), its size when final, and its bytes. */
export interface OpenedSource {
  readonly path: string | undefined;
  readonly size: number | undefined;
  readonly chunks: AsyncIterable<Buffer>;
}

/** Part of a regular file: [start, end). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Opens a file for chunked reading, all of it or (regular files only) the byte range `range`. With `reuse`, the
 * chunks come from two buffers in turn: a consumer must be done with a chunk when it asks for the next one.
 */
export async function openFile(path: string, chunkSize: number, range?: ByteRange, reuse = false): Promise<OpenedSource> {
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
    return { path, size: stat.isFile() ? stat.size : undefined, chunks: fileChunks(handle, path, chunkSize, range, reuse) };
  } catch (e) {
    await handle.close();
    throw e instanceof CodecError ? e : readFailure(path, e);
  }
}

async function* fileChunks(
  handle: FileHandle,
  path: string,
  chunkSize: number,
  range: ByteRange | undefined,
  reuse: boolean,
): AsyncGenerator<Buffer> {
  // Without a range, read from the current position (FIFOs have no other).
  let position = range?.start ?? null;
  // Fresh memory is slow to touch on some machines: with `reuse`, one buffer is read into while the other is used.
  const buffers = reuse ? [Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize)] : [];
  let turn = 0;
  const readChunk = async (): Promise<Buffer> => {
    const length = range === undefined ? chunkSize : Math.min(chunkSize, range.end - position!);
    if (length <= 0) return EMPTY;
    const buf = reuse ? buffers[turn++ & 1]! : Buffer.allocUnsafe(length);
    const { bytesRead } = await handle.read(buf, 0, length, position);
    if (position !== null) position += bytesRead;
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
  return new CodecError(CodecErrorCode.READ_FAILED, `Error reading the file at '${path}': ${errorText(e)}.${permissionAdvice(e)}`, undefined, {
    cause: e,
  });
}
