// Sorting of fixed-width keys (arrays of unsigned 32-bit words, most significant first) by LSD radix sort with
// 16-bit digits. Comparison sorts with a JavaScript comparator managed about 1M keys/s here; the radix passes
// run at tens of millions of keys per second, and a pass whose digit is the same for every key is skipped (type
// ids and small sequence numbers leave many of them constant).

const DIGITS = 1 << 16;

/**
 * Returns the indexes 0..n-1 ordered by the first `radixWords` words of each key (`keys[i * stride + w]`),
 * stable. Records whose radix words are equal keep their insertion order; `ties` may reorder each such group.
 */
export function sortedOrder(
  keys: Uint32Array,
  stride: number,
  n: number,
  radixWords: number,
  ties?: (order: Uint32Array, from: number, to: number) => void,
): Uint32Array {
  // Records are copied as (radix words…, index) so that every pass reads sequentially.
  const width = radixWords + 1;
  let from = new Uint32Array(n * width);
  for (let i = 0, at = 0; i < n; i++, at += width) {
    const base = i * stride;
    for (let w = 0; w < radixWords; w++) from[at + w] = keys[base + w]!;
    from[at + radixWords] = i;
  }
  let to = new Uint32Array(n * width);
  const counts = new Uint32Array(DIGITS);
  for (let w = radixWords - 1; w >= 0; w--) {
    for (let shift = 0; shift <= 16; shift += 16) {
      counts.fill(0);
      for (let at = w; at < from.length; at += width) counts[(from[at]! >>> shift) & 0xffff]!++;
      if (counts[(from[w]! >>> shift) & 0xffff] === n) continue; // every key has this digit
      let sum = 0;
      for (let d = 0; d < DIGITS; d++) {
        const c = counts[d]!;
        counts[d] = sum;
        sum += c;
      }
      for (let at = 0; at < from.length; at += width) {
        const dest = counts[(from[at + w]! >>> shift) & 0xffff]!++ * width;
        for (let k = 0; k < width; k++) to[dest + k] = from[at + k]!;
      }
      const swap = from;
      from = to;
      to = swap;
    }
  }
  const order = new Uint32Array(n);
  for (let i = 0, at = radixWords; i < n; i++, at += width) order[i] = from[at]!;
  if (ties !== undefined && n > 1) {
    // Groups of records equal in every radix word.
    let start = 0;
    for (let i = 1; i <= n; i++) {
      if (i < n && sameWords(from, (i - 1) * width, i * width, radixWords)) continue;
      if (i - start > 1) ties(order, start, i);
      start = i;
    }
  }
  return order;
}

function sameWords(words: Uint32Array, a: number, b: number, count: number): boolean {
  for (let w = 0; w < count; w++) if (words[a + w] !== words[b + w]) return false;
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
