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
//
// The passes run in native code (native/src/radix_sort.c), called once per sort: in JavaScript they were the
// largest single share of an import's CPU (17%).

import { nativeModule } from '../../native/index.js';

/** Words a record takes, given its first word (the payload length in bytes). */
export function recordWords(keyWords: number, payloadBytes: number): number {
  return 1 + keyWords + ((payloadBytes + 3) >>> 2);
}

/**
 * Sorts the `count` records in `records[0, used)` stably by the first `radixBits` bits of their keys (whole words:
 * a multiple of 32), using `spare` (at least `used` words) as the other buffer. Returns the array that holds the
 * sorted records (one of the two).
 */
export function radixSortRecords<T extends Uint32Array>(records: T, spare: T, used: number, count: number, keyWords: number, radixBits: number): T {
  checkRadixBits(radixBits);
  return nativeModule().radixSortRecords(records, spare, used, count, keyWords, radixBits) === 1 ? spare : records;
}

/** The region bounds of an in-place sort (reused: an import runs many). */
const regionStarts = new Uint32Array(258);

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
  checkRadixBits(radixBits);
  const native = nativeModule();
  const largest = native.radixPartition(records, used, size, keyWords, radixBits, regionStarts);
  if (largest === 0) return;
  native.radixSortBuckets(records, regionStarts, scratch(largest), size, keyWords, radixBits);
}

function checkRadixBits(radixBits: number): void {
  if (radixBits % 32 !== 0) throw new Error(`radix sorts order by whole key words, not ${radixBits} bits`);
}
