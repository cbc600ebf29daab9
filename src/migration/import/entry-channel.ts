// A one-way channel of key-value entries between two threads over shared memory: the import's producer (which
// sorts and joins) fills fixed-size slots, the store writer (which bulk-loads) drains them, so that LMDB's
// single-threaded writes overlap with the rest of the work on the other core. Both sides block (Atomics.wait)
// when the other is behind; either side can abort, and the other then fails at its next step.
//
// Shared layout: control words [producer state, consumer state, slot states…, slot lengths…], then the slots.
// An entry is [key length u16][value length u32][key][value] (little-endian); a key length of 0xffff marks a
// reference to an entry file (the value is its path), whose entries the consumer loads in its place.

/** Producer and consumer states (0, the initial value, is running). */
const ENDED = 1;
const ABORTED = 2;
const FULL = 1;
const EMPTY = 0;
const HEADER = 6;
const FILE_MARK = 0xffff;
/** Waits re-check the other side's state at least this often (ms), so that a lost wake-up only delays. */
const WAIT_MS = 100;

export interface ChannelShape {
  readonly buffer: SharedArrayBuffer;
  readonly slots: number;
  readonly slotBytes: number;
}

export class ChannelAborted extends Error {
  constructor(side: 'producer' | 'consumer') {
    super(side === 'producer' ? 'the import stopped sending entries' : 'the store writer stopped');
    this.name = 'ChannelAborted';
  }
}

export class EntryChannel {
  private readonly control: Int32Array;
  private readonly data: Uint8Array;
  private readonly view: DataView;
  private slot = 0;
  private pos = 0;

  /** 64 MiB by default: room for one edge set of a million-thing import while the next one is sorted. */
  static allocate(slots = 64, slotBytes = 1 << 20): ChannelShape {
    const buffer = new SharedArrayBuffer(4 * (2 + 2 * slots) + slots * slotBytes);
    return { buffer, slots, slotBytes };
  }

  constructor(private readonly shape: ChannelShape) {
    const controlWords = 2 + 2 * shape.slots;
    this.control = new Int32Array(shape.buffer, 0, controlWords);
    this.data = new Uint8Array(shape.buffer, 4 * controlWords);
    this.view = new DataView(shape.buffer, 4 * controlWords);
  }

  // Producer side ------------------------------------------------------------------------------------------------

  write(key: Uint8Array, value: Uint8Array): void {
    const keyLength = key.length;
    const valueLength = value.length;
    const size = HEADER + keyLength + valueLength;
    const slotBytes = this.shape.slotBytes;
    if (size > slotBytes) throw new Error(`an entry of ${size} bytes does not fit a channel slot`);
    if (this.pos + size > slotBytes) this.publish();
    const data = this.data;
    const at = this.slot * slotBytes + this.pos;
    data[at] = keyLength & 0xff;
    data[at + 1] = keyLength >>> 8;
    data[at + 2] = valueLength & 0xff;
    data[at + 3] = (valueLength >>> 8) & 0xff;
    data[at + 4] = (valueLength >>> 16) & 0xff;
    data[at + 5] = valueLength >>> 24;
    let i = at + HEADER;
    for (let k = 0; k < keyLength; k++) data[i++] = key[k]!;
    if (valueLength <= 64) for (let v = 0; v < valueLength; v++) data[i++] = value[v]!;
    else data.set(value, i);
    this.pos += size;
  }

  /** Sends the entries of an entry file (read by the consumer, in their place in the stream). */
  writeFile(path: string): void {
    const bytes = Buffer.from(path, 'utf8');
    const size = HEADER + bytes.length;
    if (this.pos + size > this.shape.slotBytes) this.publish();
    const at = this.slot * this.shape.slotBytes + this.pos;
    this.view.setUint16(at, FILE_MARK, true);
    this.view.setUint32(at + 2, bytes.length, true);
    this.data.set(bytes, at + HEADER);
    this.pos += size;
  }

  /** Hands what was written so far to the consumer now, rather than when the slot is full. */
  flush(): void {
    this.publish();
  }

  /** No more entries: the consumer finishes once it has taken what was sent. */
  end(): void {
    this.publish();
    Atomics.store(this.control, 0, ENDED);
    Atomics.notify(this.control, 2 + this.slot);
  }

  abort(): void {
    Atomics.store(this.control, 0, ABORTED);
    for (let s = 0; s < this.shape.slots; s++) Atomics.notify(this.control, 2 + s);
  }

  private publish(): void {
    if (this.pos === 0) return;
    const control = this.control;
    const slots = this.shape.slots;
    control[2 + slots + this.slot] = this.pos;
    Atomics.store(control, 2 + this.slot, FULL);
    Atomics.notify(control, 2 + this.slot);
    this.slot = (this.slot + 1) % slots;
    this.pos = 0;
    while (Atomics.load(control, 2 + this.slot) === FULL) {
      if (Atomics.load(control, 1) === ABORTED) throw new ChannelAborted('consumer');
      Atomics.wait(control, 2 + this.slot, FULL, WAIT_MS);
    }
    if (Atomics.load(control, 1) === ABORTED) throw new ChannelAborted('consumer');
  }

  // Consumer side ------------------------------------------------------------------------------------------------

  /**
   * Hands every entry sent, in order, to `onEntry` as offsets into the channel's shared bytes (valid during the
   * call), and every entry file to `onFile`. Returns when the producer ended; throws if it aborts.
   */
  drain(
    onEntry: (bytes: Uint8Array, keyAt: number, keyLength: number, valueAt: number, valueLength: number) => void,
    onFile: (path: string) => void,
  ): void {
    const control = this.control;
    const { slots, slotBytes } = this.shape;
    const data = this.data;
    let slot = 0;
    for (;;) {
      while (Atomics.load(control, 2 + slot) !== FULL) {
        const producer = Atomics.load(control, 0);
        if (producer === ABORTED) throw new ChannelAborted('producer');
        if (producer === ENDED && Atomics.load(control, 2 + slot) !== FULL) return;
        Atomics.wait(control, 2 + slot, EMPTY, WAIT_MS);
      }
      if (Atomics.load(control, 0) === ABORTED) throw new ChannelAborted('producer');
      const start = slot * slotBytes;
      const end = start + control[2 + slots + slot]!;
      for (let at = start; at < end; ) {
        const keyLength = data[at]! | (data[at + 1]! << 8);
        const valueLength = (data[at + 2]! | (data[at + 3]! << 8) | (data[at + 4]! << 16) | (data[at + 5]! << 24)) >>> 0;
        const body = at + HEADER;
        if (keyLength === FILE_MARK) {
          onFile(Buffer.from(data.buffer, data.byteOffset + body, valueLength).toString('utf8'));
          at = body + valueLength;
          continue;
        }
        onEntry(data, body, keyLength, body + keyLength, valueLength);
        at = body + keyLength + valueLength;
      }
      Atomics.store(control, 2 + slot, EMPTY);
      Atomics.notify(control, 2 + slot);
      slot = (slot + 1) % slots;
    }
  }

  /** The consumer stopped (failed): the producer's next step throws. */
  abortConsumer(): void {
    Atomics.store(this.control, 1, ABORTED);
    for (let s = 0; s < this.shape.slots; s++) Atomics.notify(this.control, 2 + s);
  }
}
