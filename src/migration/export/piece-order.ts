// The pieces of a large export, shared by two threads through one SharedArrayBuffer: both claim pieces in order from
// the front, and each piece's bytes go into the export file at their final offset, which is known once every
// earlier piece is placed. So the file is written in one pass, with no part file and no copy, and holds the pieces
// in order whichever thread encoded them.
//
// Layout: Int32 words [claimed, placed, count, stopped, changes], then the bytes of the placed pieces as a
// BigInt64. A piece is placed by the thread that encoded it, only when `placed` equals its index: it writes the
// bytes, then moves the byte count and `placed` on, and wakes the other thread. Atomic stores and loads order the
// byte count before `placed`, so whoever sees `placed` = i reads the end of pieces 0..i-1. Waiters wait on
// `changes`, which every placement and the stop bump, so that neither wake-up can slip in between a waiter's check
// and its wait.

const CLAIMED = 0;
const PLACED = 1;
const COUNT = 2;
const STOPPED = 3;
const CHANGES = 4;
const BYTES_AT = 24;

/** Atomics.waitAsync (Node 16+), which the ES2022 library this project compiles against does not declare. */
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

export class PieceOrder {
  private readonly words: Int32Array;
  private readonly bytes: BigInt64Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer, 0, 5);
    this.bytes = new BigInt64Array(buffer, BYTES_AT, 1);
  }

  /** The order of `count` pieces, none claimed or placed yet. */
  static create(count: number): PieceOrder {
    const order = new PieceOrder(new SharedArrayBuffer(BYTES_AT + 8));
    Atomics.store(order.words, COUNT, count);
    return order;
  }

  get count(): number {
    return Atomics.load(this.words, COUNT);
  }

  /** The first unclaimed piece, now claimed; undefined when none is left or the export stopped. */
  claim(): number | undefined {
    if (this.stopped) return undefined;
    const index = Atomics.add(this.words, CLAIMED, 1);
    return index < this.count ? index : undefined;
  }

  /** How many pieces are placed: the next piece to place is this one. */
  get placed(): number {
    return Atomics.load(this.words, PLACED);
  }

  /** Bytes of the placed pieces: where the next piece starts, from the start of the first. */
  get placedBytes(): number {
    return Number(Atomics.load(this.bytes, 0));
  }

  /** Piece `index`, `bytes` long, is in the file (at placedBytes, since every earlier piece is). */
  markPlaced(index: number, bytes: number): void {
    if (this.placed !== index) throw new Error(`piece ${index} placed out of order: ${this.placed} pieces are placed`);
    Atomics.store(this.bytes, 0, BigInt(this.placedBytes + bytes));
    Atomics.store(this.words, PLACED, index + 1);
    this.changed();
  }

  /** No piece is claimed or placed after this; a thread waiting to place one wakes and gives up. */
  stop(): void {
    Atomics.store(this.words, STOPPED, 1);
    this.changed();
  }

  private changed(): void {
    Atomics.add(this.words, CHANGES, 1);
    Atomics.notify(this.words, CHANGES);
  }

  get stopped(): boolean {
    return Atomics.load(this.words, STOPPED) === 1;
  }

  /** Blocks until piece `index` can be placed (true) or the export stopped (false). For a worker thread. */
  waitToPlace(index: number): boolean {
    for (;;) {
      const changes = Atomics.load(this.words, CHANGES);
      if (this.stopped) return false;
      if (this.placed >= index) return true;
      Atomics.wait(this.words, CHANGES, changes);
    }
  }

  /** Like waitToPlace, without blocking the event loop: for the calling thread. */
  async waitToPlaceAsync(index: number): Promise<boolean> {
    for (;;) {
      const changes = Atomics.load(this.words, CHANGES);
      if (this.stopped) return false;
      if (this.placed >= index) return true;
      const waiting = waitAsync(this.words, CHANGES, changes);
      if (waiting.async) await waiting.value;
    }
  }
}
