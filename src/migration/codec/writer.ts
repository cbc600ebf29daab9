// Writes a .typedb file safely: items are encoded into a large buffer (no syscall per item) and written to a
// temporary file beside the target, which replaces the target only when finish() has written the checksums and
// fsynced file and directory. Until then an existing file at the target is untouched; abort() or any failure
// deletes the temporary file (a crash can leave `.<name>.<pid>-<random>.tmp` behind).

import { syncPath } from '../../common/sync-path.js';
import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { BackgroundWriteback } from '../../common/background-writeback.js';
import { ChecksumCounter } from './checksums.js';
import { ItemEncoder } from './encode.js';
import { CodecError, CodecErrorCode, errorText } from './errors.js';
import type { Checksums, DataItem, HeaderItem } from './model.js';
import { checkTargetFile, checkWriteTarget, writeFailure } from './target-file.js';
import type { FileRole } from './file-role.js';

export interface WriterOptions {
  /** Size of the write buffer (default 4 MiB); items larger than it are written on their own. */
  readonly bufferSize?: number;
  /** What the file is to the command that writes it, and what a failure leaves: for its messages. */
  readonly role?: FileRole;
  readonly outcome?: string;
}

export interface FinishedFile {
  /** Absolute path of the written file. */
  readonly path: string;
  /** File size in bytes. */
  readonly bytes: number;
  /** The counts written in the checksums item. */
  readonly checksums: Checksums;
}

/** A complete file still under its temporary name (seal()). */
export interface SealedFile extends FinishedFile {
  /** Where the file is until the caller renames it to `path`. */
  readonly temporary: string;
}

type State = 'open' | 'finishing' | 'finished' | 'aborted' | 'failed';

const DEFAULT_BUFFER_SIZE = 4 << 20;
const RESOLVED: Promise<void> = Promise.resolve();

export class ItemWriter {
  private state: State = 'open';
  private failure: CodecError | undefined;
  private handle: FileHandle | undefined;
  private buf: Buffer;
  private pos = 0;
  private flushed = 0;
  /** Set while the buffer is being written out; later writes queue behind it, in order. */
  private flushing: Promise<void> | undefined;
  private readonly encoder = new ItemEncoder();
  private readonly counter = new ChecksumCounter();
  /** Syncs the temporary file to disk while it is written (its own writes, and appendDirect's: writtenDirect). */
  private readonly writeback: BackgroundWriteback;

  private constructor(
    /** Absolute path the file will have after finish(). */
    readonly path: string,
    private readonly tempPath: string,
    handle: FileHandle,
    bufferSize: number,
  ) {
    this.handle = handle;
    this.buf = Buffer.allocUnsafe(bufferSize);
    this.writeback = new BackgroundWriteback(tempPath);
  }

  /**
   * Starts a file at `path` (created or, on finish(), replaced) and writes the header first. Refuses a target
   * that exists and is not a regular file (directory, symbolic link, FIFO, socket, device).
   */
  static async open(
    path: string,
    header: Omit<HeaderItem, 'kind'>,
    options: WriterOptions = {},
  ): Promise<ItemWriter> {
    const existing = await checkWriteTarget(path, options.role, options.outcome);
    const target = resolve(path);
    const dir = dirname(target);
    const tempPath = join(dir, `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    let handle: FileHandle;
    try {
      handle = await open(tempPath, 'wx', 0o666);
    } catch (e) {
      throw writeFailure(target, `cannot create a temporary file in '${dir}': ${errorText(e)}`, e, options.role, options.outcome);
    }
    const writer = new ItemWriter(target, tempPath, handle, Math.max(options.bufferSize ?? DEFAULT_BUFFER_SIZE, 1024));
    try {
      // Replacing a file keeps its permissions: an export someone made private stays private.
      if (existing !== undefined) await handle.chmod(existing.mode & 0o7777);
      const item: HeaderItem = { kind: 'header', typedbVersion: header.typedbVersion, originalDatabase: header.originalDatabase };
      const size = writer.encoder.measure(item);
      if (size > writer.buf.length) writer.buf = Buffer.allocUnsafe(size);
      writer.pos = writer.encoder.write(writer.buf, 0);
    } catch (e) {
      await writer.fail(e);
      throw writer.failure;
    }
    return writer;
  }

  /** The counts of the items written so far (what finish() will write as checksums). */
  get counts(): Checksums {
    return this.counter.counts;
  }

  /** Bytes written so far, buffered ones included. */
  get bytesWritten(): number {
    return this.flushed + this.pos;
  }

  /**
   * Appends an entity, relation or attribute. Usually completes without I/O (the returned promise is already
   * resolved); when the buffer is full it is written out first. Calls may be issued without awaiting each
   * one: they are applied in call order.
   */
  write(item: DataItem): Promise<void> {
    if (this.flushing !== undefined) return this.flushing.then(() => this.write(item));
    try {
      this.assertOpen();
      if (item?.kind !== 'entity' && item?.kind !== 'relation' && item?.kind !== 'attribute') {
        throw new CodecError(
          CodecErrorCode.INVALID_ITEM_TO_WRITE,
          `ItemWriter.write() takes entity, relation and attribute items, not ${JSON.stringify((item as { kind?: unknown } | undefined)?.kind)}: ` +
            `the header is written by ItemWriter.open() and the checksums by finish().`,
        );
      }
      const size = this.encoder.measure(item);
      if (size <= this.buf.length - this.pos) {
        this.pos = this.encoder.write(this.buf, this.pos);
        this.counter.add(item);
        return RESOLVED;
      }
      return this.flushThenWrite(item);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Appends records encoded elsewhere: `append` gets the file descriptor and the offset where what was written so
   * far ends, writes complete items from there on with positioned writes (the writer itself writes at explicit
   * offsets too, so the descriptor's own position means nothing), and returns how many bytes and items it wrote
   * (they count towards the checksums item). Nothing else may write until it has settled; nothing may write to the
   * descriptor after that (it is closed when the writer ends).
   */
  async appendDirect(
    append: (fd: number, position: number) => Promise<{ readonly bytes: number; readonly counts: Checksums }>,
  ): Promise<void> {
    while (this.flushing !== undefined) await this.flushing;
    this.assertOpen();
    try {
      await this.flushBuffer();
      const { bytes, counts } = await append(this.handle!.fd, this.flushed);
      this.flushed += bytes;
      this.counter.addCounts(counts);
    } catch (e) {
      await this.fail(e);
      throw this.failure;
    }
  }

  /**
   * Tells how many bytes appendDirect's callback has written so far, so that the file is synced to disk in the
   * background meanwhile (and finish()'s fsync has little left).
   */
  writtenDirect(bytes: number): void {
    this.writeback.written(this.flushed + bytes);
  }

  /**
   * Writes the checksums item, flushes and fsyncs the file, renames it over the target and fsyncs the
   * directory. On failure the temporary file is removed and any previous file at the target is untouched.
   */
  async finish(): Promise<FinishedFile> {
    const { path, bytes, checksums } = await this.complete(true);
    return { path, bytes, checksums };
  }

  /**
   * Like finish(), but leaves the complete, fsynced file under its temporary name and hands it over: the caller
   * renames it into place or removes it. For a file published together with another (an export's schema and
   * data, replaced all or nothing).
   */
  seal(): Promise<SealedFile> {
    return this.complete(false);
  }

  private async complete(publish: boolean): Promise<SealedFile> {
    while (this.flushing !== undefined) await this.flushing;
    this.assertOpen();
    this.state = 'finishing';
    const checksums = this.counter.counts;
    let renamed = false;
    try {
      const size = this.encoder.measure({ kind: 'checksums', checksums });
      if (size > this.buf.length - this.pos) await this.flushBuffer();
      this.pos = this.encoder.write(this.buf, this.pos);
      await this.flushBuffer();
      const handle = this.handle!;
      await handle.sync();
      this.handle = undefined;
      await handle.close();
      this.writeback.close();
      if (!publish) {
        this.state = 'finished';
        return { path: this.path, temporary: this.tempPath, bytes: this.flushed, checksums };
      }
      // The target may have changed since open(); never rename over a directory or a link.
      await checkTargetFile(this.path);
      await rename(this.tempPath, this.path);
      renamed = true;
      await syncPath(dirname(this.path));
      this.state = 'finished';
      return { path: this.path, temporary: this.tempPath, bytes: this.flushed, checksums };
    } catch (e) {
      if (renamed) {
        this.state = 'failed';
        this.failure = writeFailure(
          this.path,
          `the file was written and renamed into place, but syncing its directory failed, so the rename may not ` +
            `survive a crash: ${errorText(e)}`,
          e,
        );
      } else {
        await this.fail(e);
      }
      throw this.failure;
    }
  }

  /** Discards everything written: closes and deletes the temporary file. A no-op after finish(), seal() or a failure. */
  async abort(): Promise<void> {
    if (this.state === 'finished' || this.state === 'aborted' || this.state === 'failed') return;
    while (this.flushing !== undefined) {
      try {
        await this.flushing;
      } catch {
        // the failed flush has cleaned up already
      }
    }
    if (this.state !== 'open') return;
    this.state = 'aborted';
    await this.discard();
  }

  private flushThenWrite(item: DataItem): Promise<void> {
    const done = (async () => {
      try {
        await this.flushBuffer();
        const size = this.encoder.measure(item);
        if (size > this.buf.length) {
          const own = Buffer.allocUnsafe(size);
          await this.writeOut(own, this.encoder.write(own, 0));
        } else {
          this.pos = this.encoder.write(this.buf, 0);
        }
        this.counter.add(item);
      } catch (e) {
        await this.fail(e);
        throw this.failure;
      } finally {
        this.flushing = undefined;
      }
    })();
    this.flushing = done;
    return done;
  }

  private async flushBuffer(): Promise<void> {
    if (this.pos === 0) return;
    const length = this.pos;
    this.pos = 0;
    await this.writeOut(this.buf, length);
  }

  private async writeOut(buf: Buffer, length: number): Promise<void> {
    let done = 0;
    while (done < length) {
      const { bytesWritten } = await this.handle!.write(buf, done, length - done, this.flushed + done);
      done += bytesWritten;
    }
    this.flushed += length;
    this.writeback.written(this.flushed);
  }

  private assertOpen(): void {
    if (this.state === 'open') return;
    const why =
      this.state === 'failed'
        ? `it failed earlier (${this.failure?.message ?? 'unknown error'})`
        : this.state === 'finishing'
          ? 'finish() is in progress'
          : `${this.state === 'finished' ? 'finish()' : 'abort()'} was already called`;
    throw new CodecError(CodecErrorCode.WRITER_CLOSED, `The writer for '${this.path}' cannot be used: ${why}.`);
  }

  /** Records the first failure and removes the temporary file. */
  private async fail(e: unknown): Promise<void> {
    if (this.state !== 'failed') {
      this.state = 'failed';
      this.failure = e instanceof CodecError ? e : writeFailure(this.path, errorText(e), e);
      await this.discard();
    }
  }

  private async discard(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (handle !== undefined) await handle.close().catch(() => undefined);
    this.writeback.close();
    await unlink(this.tempPath).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw writeFailure(this.path, `cannot remove the temporary file '${this.tempPath}'`, e);
    });
  }
}
