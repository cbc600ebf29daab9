// The first key and page number of every page of one level of a B-tree being built (tree-builder.ts), packed in a
// few growing arrays: the branch level above is written from it.

/** First keys and page numbers of one level of the tree, packed. */
export class LevelIndex {
  count = 0;
  private keys = Buffer.allocUnsafe(1 << 16);
  private keysUsed = 0;
  private starts = new Uint32Array(1024);
  private lengths = new Uint16Array(1024);
  private pages = new Float64Array(1024);

  add(source: Uint8Array, from: number, length: number, pgno: number): void {
    if (this.count === this.pages.length) this.grow();
    if (this.keysUsed + length > this.keys.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.keys.length * 2, this.keysUsed + length));
      this.keys.copy(bigger, 0, 0, this.keysUsed);
      this.keys = bigger;
    }
    this.keys.set(source.subarray(from, from + length), this.keysUsed);
    this.starts[this.count] = this.keysUsed;
    this.lengths[this.count] = length;
    this.pages[this.count] = pgno;
    this.keysUsed += length;
    this.count++;
  }

  keyLength(i: number): number {
    return this.lengths[i]!;
  }

  page(i: number): number {
    return this.pages[i]!;
  }

  /** Copies of the packed first keys (see BuiltLeaves). */
  packed(): { keys: Uint8Array<ArrayBuffer>; starts: Uint32Array<ArrayBuffer>; lengths: Uint16Array<ArrayBuffer> } {
    return { keys: this.keys.subarray(0, this.keysUsed).slice(), starts: this.starts.slice(0, this.count), lengths: this.lengths.slice(0, this.count) };
  }

  copyKey(i: number, target: Buffer, at: number): void {
    this.keys.copy(target, at, this.starts[i]!, this.starts[i]! + this.lengths[i]!);
  }

  /** Adds the key of `other`'s entry `i`, for page `pgno`. */
  addFrom(other: LevelIndex, i: number, pgno: number): void {
    this.add(other.keys, other.starts[i]!, other.lengths[i]!, pgno);
  }

  private grow(): void {
    const size = this.pages.length * 2;
    const starts = new Uint32Array(size);
    starts.set(this.starts);
    this.starts = starts;
    const lengths = new Uint16Array(size);
    lengths.set(this.lengths);
    this.lengths = lengths;
    const pages = new Float64Array(size);
    pages.set(this.pages);
    this.pages = pages;
  }
}
