// Physical LSD radix sort of variable-length records laid out in 32-bit words:
//   [payload bytes][key word 0 … key word K-1][payload, padded to whole words]
// Keys compare word by word, most significant first. Every pass reads the records sequentially and writes each
// one, whole, at its bucket's position in the other array; after the last pass the records lie in sorted order,
// so everything that reads them afterwards reads sequentially. (Sorting indexes and then reading the records
// through them costs a random memory access per record, several times slower on the machines measured.)
//
// Digits are bytes: a pass writes to as many places at once as there are buckets, and 256 of them stay within
// the caches and the TLB, where 65536 (16-bit digits) miss on nearly every record: measured about three times
// faster per pass, which more than pays for twice the passes. The histograms of all digits are counted in one
// read pass (a histogram does not depend on the order), and a digit that is the same in every record is skipped
// (type ids, small ordinals and the high bytes of IIDs leave many such digits).

const DIGIT_BITS = 8;
const BUCKETS = 1 << DIGIT_BITS;

/** Words a record takes, given its first word (the payload length in bytes). */
export function recordWords(keyWords: number, payloadBytes: number): number {
  return 1 + keyWords + ((payloadBytes + 3) >>> 2);
}

/**
 * Sorts the `count` records in `records[0, used)` stably by the first `radixBits` bits of their keys (a multiple
 * of 8), using `spare` (at least `used` words) as the other buffer. Returns the array that holds the sorted records
 * (one of the two).
 */
export function radixSortRecords(
  records: Uint32Array,
  spare: Uint32Array,
  used: number,
  count: number,
  keyWords: number,
  radixBits: number,
): Uint32Array {
  if (count < 2) return records;
  const digits = radixBits / DIGIT_BITS;
  const histograms = countDigits(records, used, keyWords, digits);
  let from = records;
  let to = spare;
  for (let d = digits - 1; d >= 0; d--) {
    const base = d * BUCKETS;
    if (isConstant(histograms, base, used)) continue;
    let sum = 0;
    for (let b = base; b < base + BUCKETS; b++) {
      const words = histograms[b]!;
      histograms[b] = sum;
      sum += words;
    }
    const word = 1 + (d >>> 2);
    const shift = 24 - DIGIT_BITS * (d & 3);
    for (let at = 0; at < used; ) {
      const end = at + 1 + keyWords + ((from[at]! + 3) >>> 2);
      const bucket = base + ((from[at + word]! >>> shift) & (BUCKETS - 1));
      let dest = histograms[bucket]!;
      histograms[bucket] = dest + end - at;
      while (at < end) to[dest++] = from[at++]!;
    }
    const swap = from;
    from = to;
    to = swap;
  }
  return from;
}

/**
 * Sorts the records in `records[0, used)`, all `size` words long, by the first `radixBits` bits of their keys, in
 * place: no second buffer of their size. One MSD pass by the most significant byte that varies moves every record
 * into its bucket's region by swapping (American flag sort), then each bucket is sorted by LSD passes into
 * `scratch(words)`, an array of at least the largest bucket's words, and copied back. Not stable: the swaps bring
 * records into their buckets in an order of their own (deterministic, but not the order they came in).
 */
export function radixSortInPlace(
  records: Uint32Array,
  used: number,
  size: number,
  keyWords: number,
  radixBits: number,
  scratch: (words: number) => Uint32Array,
): void {
  const digits = radixBits / DIGIT_BITS;
  const histograms = countDigits(records, used, keyWords, digits);
  let top = 0;
  while (top < digits && isConstant(histograms, top * BUCKETS, used)) top++;
  if (top === digits) return;
  const word = 1 + (top >>> 2);
  const shift = 24 - DIGIT_BITS * (top & 3);
  // Bucket regions [starts[b], starts[b + 1]) and their next unfilled places.
  const starts = new Float64Array(BUCKETS + 1);
  for (let b = 0; b < BUCKETS; b++) starts[b + 1] = starts[b]! + histograms[top * BUCKETS + b]!;
  const next = starts.slice(0, BUCKETS);
  const carried = new Uint32Array(size);
  for (let b = 0; b < BUCKETS; b++) {
    const end = starts[b + 1]!;
    while (next[b]! < end) {
      const at = next[b]!;
      let bucket = (records[at + word]! >>> shift) & (BUCKETS - 1);
      if (bucket !== b) {
        // Carry the record to its bucket, taking the one there onwards, until one belongs here.
        for (let k = 0; k < size; k++) carried[k] = records[at + k]!;
        while (bucket !== b) {
          const dest = next[bucket]!;
          next[bucket] = dest + size;
          for (let k = 0; k < size; k++) {
            const other = records[dest + k]!;
            records[dest + k] = carried[k]!;
            carried[k] = other;
          }
          bucket = (carried[word]! >>> shift) & (BUCKETS - 1);
        }
        for (let k = 0; k < size; k++) records[at + k] = carried[k]!;
      }
      next[b] = at + size;
    }
  }
  let largest = 0;
  for (let b = 0; b < BUCKETS; b++) largest = Math.max(largest, starts[b + 1]! - starts[b]!);
  const spare = scratch(largest);
  for (let b = 0; b < BUCKETS; b++) {
    const start = starts[b]!;
    const words = starts[b + 1]! - start;
    if (words <= size) continue;
    const bucket = records.subarray(start, start + words);
    if (radixSortRecords(bucket, spare, words, words / size, keyWords, radixBits) !== bucket) bucket.set(spare.subarray(0, words));
  }
}

/** Per digit (most significant first), the words of the records whose digit has each value. */
function countDigits(records: Uint32Array, used: number, keyWords: number, digits: number): Float64Array {
  const histograms = new Float64Array(digits * BUCKETS);
  for (let at = 0; at < used; ) {
    const size = 1 + keyWords + ((records[at]! + 3) >>> 2);
    for (let d = 0; d < digits; d++) {
      const word = records[at + 1 + (d >>> 2)]!;
      histograms[d * BUCKETS + ((word >>> (24 - DIGIT_BITS * (d & 3))) & (BUCKETS - 1))]! += size;
    }
    at += size;
  }
  return histograms;
}

/** Whether one value of the digit whose histogram starts at `base` holds every record. */
function isConstant(histograms: Float64Array, base: number, used: number): boolean {
  for (let b = base; b < base + BUCKETS; b++) {
    const words = histograms[b]!;
    if (words !== 0) return words === used;
  }
  return true;
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
