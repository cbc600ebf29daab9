// The pieces of a large export, claimed by two threads: the exporting thread takes pieces from the front and writes
// them straight into the file, the part worker takes them from the back into its part file, until they meet. So
// neither waits for the other, however late the worker starts, and the file still holds the pieces in order (the
// worker's are appended after the exporting thread's). One shared word holds both ends, changed by
// compare-and-swap, so each piece is claimed exactly once.

/** Pieces [front, back] are unclaimed: the word holds front in its low 16 bits and back + 1 in its high 16. */
export class PieceClaims {
  private readonly word: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.word = new Int32Array(buffer);
  }

  /** Claims for `count` pieces (at most 65 535), none claimed yet. */
  static create(count: number): PieceClaims {
    if (count > 0xffff) throw new Error(`at most 65535 pieces, not ${count}`);
    const claims = new PieceClaims(new SharedArrayBuffer(4));
    Atomics.store(claims.word, 0, count << 16);
    return claims;
  }

  /** The first unclaimed piece, now claimed; undefined when none is left. */
  front(): number | undefined {
    for (;;) {
      const word = Atomics.load(this.word, 0);
      const front = word & 0xffff;
      const back = (word >>> 16) - 1;
      if (front > back) return undefined;
      if (Atomics.compareExchange(this.word, 0, word, ((back + 1) << 16) | (front + 1)) === word) return front;
    }
  }

  /** Claims every piece still unclaimed (to stop the other thread after its current piece). */
  takeAll(): void {
    while (this.front() !== undefined) {
      // taken
    }
  }

  /** The last unclaimed piece, now claimed; undefined when none is left. */
  back(): number | undefined {
    for (;;) {
      const word = Atomics.load(this.word, 0);
      const front = word & 0xffff;
      const back = (word >>> 16) - 1;
      if (front > back) return undefined;
      if (Atomics.compareExchange(this.word, 0, word, (back << 16) | front) === word) return back;
    }
  }
}
