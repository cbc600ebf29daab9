// Physical LSD radix sort of variable-length records laid out in 32-bit words:
//   [payload bytes][key word 0 … key word K-1][payload, padded to whole words]
// Keys compare word by word, most significant first. Every pass reads the records sequentially and writes each
// one, whole, at its bucket's position in the other array; after the last pass the records lie in sorted order,
// so everything that reads them afterwards reads sequentially. (Sorting indexes and then reading the records
// through them costs a random memory access per record, several times slower on the machines measured.)
// 16-bit digits; a pass whose digit is the same for every record is skipped (type ids and small ordinals leave
// many such digits).

const DIGITS = 1 << 16;

/** Words a record takes, given its first word (the payload length in bytes). */
export function recordWords(keyWords: number, payloadBytes: number): number {
  return 1 + keyWords + ((payloadBytes + 3) >>> 2);
}

/**
 * Sorts the `count` records in `records[0, used)` by their first `radixWords` key words, stably, using `spare`
 * (at least `used` words) as the other buffer. Returns the array that holds the sorted records (one of the two).
 */
export function radixSortRecords(
  records: Uint32Array,
  spare: Uint32Array,
  used: number,
  count: number,
  keyWords: number,
  radixWords: number,
): Uint32Array {
  let from = records;
  let to = spare;
  const counts = new Float64Array(DIGITS);
  for (let w = radixWords - 1; w >= 0; w--) {
    for (let shift = 0; shift <= 16; shift += 16) {
      counts.fill(0);
      let first = -1;
      let constant = true;
      for (let at = 0; at < used; ) {
        const size = 1 + keyWords + ((from[at]! + 3) >>> 2);
        const digit = (from[at + 1 + w]! >>> shift) & 0xffff;
        if (first < 0) first = digit;
        else if (digit !== first) constant = false;
        counts[digit]! += size;
        at += size;
      }
      if (constant || count < 2) continue;
      let sum = 0;
      for (let d = 0; d < DIGITS; d++) {
        const c = counts[d]!;
        counts[d] = sum;
        sum += c;
      }
      for (let at = 0; at < used; ) {
        const size = 1 + keyWords + ((from[at]! + 3) >>> 2);
        const digit = (from[at + 1 + w]! >>> shift) & 0xffff;
        let dest = counts[digit]!;
        counts[digit] = dest + size;
        for (let k = 0; k < size; k++) to[dest++] = from[at + k]!;
        at += size;
      }
      const swap = from;
      from = to;
      to = swap;
    }
  }
  return from;
}

/** Compares two keys word by word. */
export function compareWords(a: Uint32Array, aAt: number, b: Uint32Array, bAt: number, words: number): number {
  for (let w = 0; w < words; w++) {
    const x = a[aAt + w]!;
    const y = b[bAt + w]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
