// The record sink of one thread of a two-thread export (piece-order.ts): the pieces it encodes go into the export
// file at their final offsets. A piece whose offset is not known yet (an earlier piece is still being encoded by
// the other thread) is held in memory, in buffers recycled from piece to piece; once every earlier piece is placed,
// what is held is written and the rest of the piece streams straight to the file. A thread holds at most two
// finished pieces: it then waits before it starts another, so memory stays bounded by a few pieces.

import { writeSync } from 'node:fs';
import type { PieceOrder } from './piece-order.js';
import type { PartSink } from './export-part.js';

/** Writes `length` bytes of `buffer` at `position` of the pieces' bytes (0 is where the first piece starts). */
export type PlaceBytes = (buffer: Buffer, length: number, position: number) => void;

/** Blocks or waits until piece `index` may be placed (true), or the export stopped (false). */
export type WaitToPlace = (index: number) => boolean | Promise<boolean>;

// As FileSink's buffer: small enough to stay in the caches, and recycled so its memory is touched once.
const BUFFER_BYTES = 1 << 20;

interface Chunk {
  readonly buffer: Buffer;
  readonly length: number;
}

interface HeldPiece {
  readonly index: number;
  readonly chunks: Chunk[];
  readonly bytes: number;
}

/** PlaceBytes into a file descriptor, its pieces starting at byte `start` of the file. */
export function placeInFile(fd: number, start: number): PlaceBytes {
  return (buffer, length, position) => {
    for (let done = 0; done < length; ) done += writeSync(fd, buffer, done, length - done, start + position + done);
  };
}

export class PieceSink implements PartSink {
  buffer: Buffer;
  position = 0;
  /** Bytes this thread has placed. */
  placedBytes = 0;
  /** The piece being encoded (-1 between pieces). */
  private current = -1;
  /** Whether the current piece's offset is known (`start`): its bytes then go straight to the file. */
  private direct = false;
  private start = 0;
  /** Bytes of the current piece moved out of the buffer so far: written when direct, else held in `chunks`. */
  private moved = 0;
  private chunks: Chunk[] = [];
  /** Finished pieces not placed yet, in order. */
  private readonly finished: HeldPiece[] = [];
  private readonly spare: Buffer[] = [];

  constructor(
    private readonly order: PieceOrder,
    private readonly place: PlaceBytes,
    private readonly wait: WaitToPlace,
    private readonly bufferBytes = BUFFER_BYTES,
  ) {
    this.buffer = Buffer.allocUnsafe(bufferBytes);
  }

  /** How many finished pieces this thread holds, unplaced. */
  get held(): number {
    return this.finished.length;
  }

  /** Piece `index` (claimed from the order) begins. */
  begin(index: number): void {
    this.current = index;
    this.direct = false;
    this.moved = 0;
    this.advance();
  }

  /**
   * The current piece is complete. Waits (through `wait`) if this thread now holds two finished pieces, until it
   * holds one; false if the export stopped meanwhile.
   */
  async end(): Promise<boolean> {
    const bytes = this.moved + this.position;
    if (this.direct) {
      this.place(this.buffer, this.position, this.start + this.moved);
      this.position = 0;
      this.order.markPlaced(this.current, bytes);
      this.placedBytes += bytes;
    } else {
      this.holdRecords(0, 0);
      this.finished.push({ index: this.current, chunks: this.chunks, bytes });
      this.chunks = [];
    }
    this.current = -1;
    this.advance();
    return this.waitWhileHolding(1);
  }

  /** After the last piece: waits until every piece held is placed; false if the export stopped first. */
  finish(): Promise<boolean> {
    return this.waitWhileHolding(0);
  }

  reserve(pending: number, bytes: number): number {
    const moved = this.position;
    this.advance();
    if (this.direct) {
      this.place(this.buffer, moved, this.start + this.moved);
      this.moved += moved;
      this.position = 0;
      const target = pending + bytes > this.buffer.length ? Buffer.allocUnsafe(Math.max(2 * this.buffer.length, pending + bytes)) : this.buffer;
      target.set(this.buffer.subarray(moved, moved + pending), 0);
      this.buffer = target;
    } else {
      this.holdRecords(pending, bytes);
    }
    return moved;
  }

  /** Places what can be placed now: held pieces whose turn it is, then the current piece once its offset is known. */
  private advance(): void {
    if (this.order.stopped) return;
    while (this.finished.length > 0 && this.order.placed === this.finished[0]!.index) {
      const piece = this.finished.shift()!;
      this.writeChunks(piece.chunks, this.order.placedBytes);
      this.order.markPlaced(piece.index, piece.bytes);
      this.placedBytes += piece.bytes;
    }
    if (this.current >= 0 && !this.direct && this.finished.length === 0 && this.order.placed === this.current) {
      this.start = this.order.placedBytes;
      this.writeChunks(this.chunks, this.start);
      this.chunks = [];
      this.direct = true;
    }
  }

  /** Keeps the finished records of the buffer as a chunk; the `pending` bytes after them move to a fresh buffer. */
  private holdRecords(pending: number, bytes: number): void {
    const old = this.buffer;
    const length = this.position;
    let target = this.spare.pop() ?? Buffer.allocUnsafe(this.bufferBytes);
    if (pending + bytes > target.length) {
      this.spare.push(target);
      target = Buffer.allocUnsafe(Math.max(2 * old.length, pending + bytes));
    }
    target.set(old.subarray(length, length + pending), 0);
    if (length > 0) this.chunks.push({ buffer: old, length });
    else this.spare.push(old);
    this.moved += length;
    this.buffer = target;
    this.position = 0;
  }

  private writeChunks(chunks: readonly Chunk[], at: number): void {
    for (const chunk of chunks) {
      this.place(chunk.buffer, chunk.length, at);
      at += chunk.length;
      // Buffers grown for one large item are not kept.
      if (chunk.buffer.length === this.bufferBytes) this.spare.push(chunk.buffer);
    }
  }

  private async waitWhileHolding(most: number): Promise<boolean> {
    while (this.finished.length > most) {
      if (!(await this.wait(this.finished[0]!.index))) return false;
      this.advance();
    }
    return !this.order.stopped;
  }
}
