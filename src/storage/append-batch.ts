// One bulk-load batch, packed into a single reusable byte arena.
//
// Holding a batch of 100k entries as separate Buffers makes them survive young-generation GC and get promoted,
// which cost more than the LMDB writes themselves; one arena plus an offset table keeps the heap flat and lets
// the caller's iterator reuse its buffers.

export class AppendBatch {
  private arena: Buffer;
  /** Per entry: key start, value start (= key end), value end. */
  private offsets: Uint32Array;
  private used = 0;
  private entries = 0;

  constructor(private readonly capacity: number) {
    this.arena = Buffer.allocUnsafe(1 << 20);
    this.offsets = new Uint32Array(Math.min(capacity, 1 << 16) * 3);
  }

  get count(): number {
    return this.entries;
  }

  get isFull(): boolean {
    return this.entries >= this.capacity;
  }

  add(key: Uint8Array, value: Uint8Array): void {
    const needed = this.used + key.length + value.length;
    if (needed > this.arena.length) this.growArena(needed);
    if ((this.entries + 1) * 3 > this.offsets.length) this.growOffsets();
    const at = this.entries * 3;
    this.offsets[at] = this.used;
    this.arena.set(key, this.used);
    this.used += key.length;
    this.offsets[at + 1] = this.used;
    this.arena.set(value, this.used);
    this.used += value.length;
    this.offsets[at + 2] = this.used;
    this.entries++;
  }

  /** Calls write with views into the arena, valid only during the call. */
  forEach(write: (key: Buffer, value: Buffer) => void): void {
    const { arena, offsets } = this;
    for (let i = 0, at = 0; i < this.entries; i++, at += 3) {
      const keyStart = offsets[at] as number;
      const valueStart = offsets[at + 1] as number;
      write(arena.subarray(keyStart, valueStart), arena.subarray(valueStart, offsets[at + 2] as number));
    }
  }

  clear(): void {
    this.used = 0;
    this.entries = 0;
  }

  private growArena(needed: number): void {
    const grown = Buffer.allocUnsafe(Math.max(needed, this.arena.length * 2));
    this.arena.copy(grown, 0, 0, this.used);
    this.arena = grown;
  }

  private growOffsets(): void {
    const grown = new Uint32Array(Math.min(this.capacity * 3, this.offsets.length * 2) || 3);
    grown.set(this.offsets);
    this.offsets = grown;
  }
}
