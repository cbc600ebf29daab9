// Physical LSD radix sort of variable-length records laid out in 32-bit words:
//   [payload bytes][key word 0 … key word K-1][payload, padded to whole words]
// Keys compare word by word, most significant first. Every pass reads the records sequentially and writes each
// one, whole, at its bucket's position in the other array; after the last pass the records lie in sorted order,
// so everything that reads them afterwards reads sequentially. (Sorting indexes and then reading the records
// through them costs a random memory access per record, several times slower on the machines measured.)
//
// Digits: a pass writes to as many places at once as there are buckets. Bytes (256 buckets) stay within the caches
// and the TLB, where 16-bit digits (65536) miss on nearly every record: measured about three times faster per pass,
// which more than pays for twice the passes. For many records, 11-bit digits (2048 buckets; three to a word) still
// stay within them and save a pass in four: measured about 20% faster on a million records. For few records (the
// buckets of an in-place sort), their larger histograms cost more than the pass saves: bytes there. The
// histograms of all digits are counted in one read pass (a histogram does not depend on the order), and a digit
// that is the same in every record is skipped (type ids, small ordinals and the high bits of IIDs leave many).

/** How a key word is cut into digits, most significant first. */
interface Digits {
  readonly perWord: number;
  readonly buckets: number;
  readonly shifts: readonly number[];
  readonly masks: readonly number[];
}

const BYTE_DIGITS: Digits = { perWord: 4, buckets: 256, shifts: [24, 16, 8, 0], masks: [0xff, 0xff, 0xff, 0xff] };
const ELEVEN_BIT_DIGITS: Digits = { perWord: 3, buckets: 2048, shifts: [22, 11, 0], masks: [0x3ff, 0x7ff, 0x7ff] };
/** Records from which 11-bit digits pay. */
const ELEVEN_BIT_MIN_RECORDS = 1 << 16;

/** Words a record takes, given its first word (the payload length in bytes). */
export function recordWords(keyWords: number, payloadBytes: number): number {
  return 1 + keyWords + ((payloadBytes + 3) >>> 2);
}

/**
 * Sorts the `count` records in `records[0, used)` stably by the first `radixBits` bits of their keys (whole words:
 * a multiple of 32), using `spare` (at least `used` words) as the other buffer. Returns the array that holds the
 * sorted records (one of the two).
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
  const scheme = count >= ELEVEN_BIT_MIN_RECORDS ? ELEVEN_BIT_DIGITS : BYTE_DIGITS;
  const { buckets, perWord } = scheme;
  const digits = digitCount(scheme, radixBits);
  const histograms = countDigits(scheme, records, used, keyWords, digits);
  let from = records;
  let to = spare;
  for (let d = digits - 1; d >= 0; d--) {
    const base = d * buckets;
    if (isConstant(histograms, base, buckets, used)) continue;
    let sum = 0;
    for (let b = base; b < base + buckets; b++) {
      const words = histograms[b]!;
      histograms[b] = sum;
      sum += words;
    }
    const word = 1 + Math.floor(d / perWord);
    const shift = scheme.shifts[d % perWord]!;
    const mask = scheme.masks[d % perWord]!;
    for (let at = 0; at < used; ) {
      const end = at + 1 + keyWords + ((from[at]! + 3) >>> 2);
      const bucket = base + ((from[at + word]! >>> shift) & mask);
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
  // Bytes: the MSD pass swaps records between 256 regions, and the regions are small sorts.
  const scheme = BYTE_DIGITS;
  const buckets = scheme.buckets;
  const digits = digitCount(scheme, radixBits);
  const histograms = countDigits(scheme, records, used, keyWords, digits);
  let top = 0;
  while (top < digits && isConstant(histograms, top * buckets, buckets, used)) top++;
  if (top === digits) return;
  const word = 1 + Math.floor(top / scheme.perWord);
  const shift = scheme.shifts[top % scheme.perWord]!;
  // Bucket regions [starts[b], starts[b + 1]) and their next unfilled places.
  const starts = new Uint32Array(buckets + 1);
  for (let b = 0; b < buckets; b++) starts[b + 1] = starts[b]! + histograms[top * buckets + b]!;
  const next = starts.slice(0, buckets);
  const carried = new Uint32Array(size);
  for (let b = 0; b < buckets; b++) {
    const end = starts[b + 1]!;
    while (next[b]! < end) {
      const at = next[b]!;
      let bucket = (records[at + word]! >>> shift) & (buckets - 1);
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
          bucket = (carried[word]! >>> shift) & (buckets - 1);
        }
        for (let k = 0; k < size; k++) records[at + k] = carried[k]!;
      }
      next[b] = at + size;
    }
  }
  let largest = 0;
  for (let b = 0; b < buckets; b++) largest = Math.max(largest, starts[b + 1]! - starts[b]!);
  const spare = scratch(largest);
  // Ordered by one word's top byte, what is left is its low 24 bits (hash keys): two 12-bit passes do it where
  // bytes take three and a copy back (their odd count leaves the records in the spare). For few records, the
  // larger histograms cost more than the pass saves.
  const low24 = radixBits === 32 && top === 0;
  for (let b = 0; b < buckets; b++) {
    const start = starts[b]!;
    const words = starts[b + 1]! - start;
    if (words <= size) continue;
    if (low24 && words >= LOW24_MIN_RECORDS * size) {
      sortByLow24(records, spare, start, start + words, size);
      continue;
    }
    const bucket = records.subarray(start, start + words);
    if (radixSortRecords(bucket, spare, words, words / size, keyWords, radixBits) !== bucket) bucket.set(spare.subarray(0, words));
  }
}

/** Buckets of an in-place sort from which sortByLow24 pays (measured on the import's hash keys). */
const LOW24_MIN_RECORDS = 1024;
const low24Histograms = new Uint32Array(2 * 4096);

/**
 * Sorts the records in words [start, end) of `records`, all `size` words long, stably by the low 24 bits of their
 * first key word: two LSD passes of 12 bits, through `spare` and back.
 */
function sortByLow24(records: Uint32Array, spare: Uint32Array, start: number, end: number, size: number): void {
  const histograms = low24Histograms;
  histograms.fill(0);
  for (let at = start; at < end; at += size) {
    const word = records[at + 1]!;
    histograms[word & 0xfff]! += size;
    histograms[4096 + ((word >>> 12) & 0xfff)]! += size;
  }
  let low = 0;
  let high = 0;
  for (let d = 0; d < 4096; d++) {
    const lowWords = histograms[d]!;
    histograms[d] = low;
    low += lowWords;
    const highWords = histograms[4096 + d]!;
    histograms[4096 + d] = start + high;
    high += highWords;
  }
  for (let at = start; at < end; at += size) {
    const digit = records[at + 1]! & 0xfff;
    let dest = histograms[digit]!;
    histograms[digit] = dest + size;
    for (let k = 0; k < size; k++) spare[dest++] = records[at + k]!;
  }
  for (let at = 0, words = end - start; at < words; at += size) {
    const digit = 4096 + ((spare[at + 1]! >>> 12) & 0xfff);
    let dest = histograms[digit]!;
    histograms[digit] = dest + size;
    for (let k = 0; k < size; k++) records[dest++] = spare[at + k]!;
  }
}

/** The digits of the first `radixBits` bits of a key, which must be whole words. */
function digitCount(scheme: Digits, radixBits: number): number {
  if (radixBits % 32 !== 0) throw new Error(`radix sorts order by whole key words, not ${radixBits} bits`);
  return (radixBits / 32) * scheme.perWord;
}

/**
 * The histograms' array, reused from sort to sort: an in-place sort runs one LSD sort per bucket, and a fresh array
 * each time was most of the sorts' garbage.
 */
let histogramScratch = new Uint32Array(0);

/**
 * Per digit (most significant first), the words of the records whose digit has each value. The array returned is
 * shared: valid until the next call.
 */
function countDigits(scheme: Digits, records: Uint32Array, used: number, keyWords: number, digits: number): Uint32Array {
  const size = digits * scheme.buckets;
  if (histogramScratch.length < size) histogramScratch = new Uint32Array(size);
  const histograms = histogramScratch.subarray(0, size);
  histograms.fill(0);
  const words = digits / scheme.perWord;
  // One loop per scheme, with its shifts written out: this loop reads every record once per sort.
  if (scheme === ELEVEN_BIT_DIGITS) {
    for (let at = 0; at < used; ) {
      const size = 1 + keyWords + ((records[at]! + 3) >>> 2);
      for (let w = 0, base = 0; w < words; w++, base += 3 * 2048) {
        const word = records[at + 1 + w]!;
        histograms[base + (word >>> 22)]! += size;
        histograms[base + 2048 + ((word >>> 11) & 0x7ff)]! += size;
        histograms[base + 4096 + (word & 0x7ff)]! += size;
      }
      at += size;
    }
  } else {
    for (let at = 0; at < used; ) {
      const size = 1 + keyWords + ((records[at]! + 3) >>> 2);
      for (let w = 0, base = 0; w < words; w++, base += 4 * 256) {
        const word = records[at + 1 + w]!;
        histograms[base + (word >>> 24)]! += size;
        histograms[base + 256 + ((word >>> 16) & 0xff)]! += size;
        histograms[base + 512 + ((word >>> 8) & 0xff)]! += size;
        histograms[base + 768 + (word & 0xff)]! += size;
      }
      at += size;
    }
  }
  return histograms;
}

/** Whether one value of the digit whose histogram starts at `base` holds every record. */
function isConstant(histograms: Uint32Array, base: number, buckets: number, used: number): boolean {
  for (let b = base; b < base + buckets; b++) {
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
