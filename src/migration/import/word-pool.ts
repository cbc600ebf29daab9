// Large word arrays for the sorters of one thread, recycled from sorter to sorter and phase to phase. On the
// virtual machines measured, the first touch of a fresh page costs about 15 µs (≈4 ms per MiB, against ≈0.03 ms to
// touch it again): an import that allocated every buffer anew spent seconds in page faults. Arrays are allocated
// at full size but cost nothing until touched, so the pool remembers how much of each has been written and hands
// out the most written first.

/** A free array and how many of its leading words have been written. */
export interface FreeWords {
  readonly array: Uint32Array<ArrayBuffer>;
  readonly touched: number;
}

export class WordPool {
  private free: FreeWords[] = [];
  /** The most words ever written of each array this pool has seen (an array keeps its pages while it lives). */
  private readonly written = new WeakMap<Uint32Array, number>();

  /**
   * An array of at least `minWords` words, preferably `preferredWords` (its contents are garbage). Of the free
   * arrays large enough, one of the preferred size if there is one, and of those the most written.
   */
  take(minWords: number, preferredWords = minWords): Uint32Array<ArrayBuffer> {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const candidate = this.free[i]!;
      if (candidate.array.length < minWords) continue;
      if (best < 0 || better(candidate, this.free[best]!, preferredWords)) best = i;
    }
    if (best >= 0) return this.free.splice(best, 1)[0]!.array;
    // None is large enough: let the others go, so that the pool never holds more than was in use at once.
    this.free = [];
    return new Uint32Array(preferredWords);
  }

  /** Returns an array for reuse, of which `touched` leading words have been written; the caller must not use it after. */
  give(array: Uint32Array<ArrayBuffer>, touched: number): void {
    const written = Math.max(this.written.get(array) ?? 0, Math.min(touched, array.length));
    this.written.set(array, written);
    this.free.push({ array, touched: written });
  }

  /** Takes every free array (to hand them to another thread's pool). */
  drain(): FreeWords[] {
    const free = this.free;
    this.free = [];
    return free;
  }
}

function better(a: FreeWords, b: FreeWords, preferredWords: number): boolean {
  const aLarge = a.array.length >= preferredWords;
  const bLarge = b.array.length >= preferredWords;
  if (aLarge !== bLarge) return aLarge;
  return a.touched > b.touched;
}
