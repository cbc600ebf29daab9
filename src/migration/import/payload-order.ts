// How a sorter orders records whose keys are equal, by their payloads: as data, so that native code orders the ties
// of a sort (native/src/order_ties.c: a function cannot be called per comparison there), and as a comparison made
// from that data for the merge of sorted runs (sorted-runs.ts), which compares once per record read.

import { nativeModule } from '../../native/index.js';
import type { PayloadOrder } from './sorted-runs.js';

/**
 * By the payload's bytes, or by the bytes that follow a 16-bit little-endian length at payload offset `lengthAt`
 * (that many: an IID in an attribute's record). The shorter first when one is a prefix of the other.
 */
export type PayloadOrdering = { readonly by: 'bytes' } | { readonly by: 'lengthPrefixed'; readonly lengthAt: number };

/** The codes of orderTies. */
const ORDER_NONE = 0;
const ORDER_BYTES = 1;
const ORDER_LENGTH_PREFIXED = 2;

/**
 * Orders each group of the records in `records[0, used)` that are equal in their first `radixBits` key bits by
 * their whole keys, then by `order`, then as they lie.
 */
export function orderTies(records: Uint32Array, used: number, keyWords: number, radixBits: number, order: PayloadOrdering | undefined): void {
  const code = order === undefined ? ORDER_NONE : order.by === 'bytes' ? ORDER_BYTES : ORDER_LENGTH_PREFIXED;
  nativeModule().orderTies(records, used, keyWords, radixBits, code, order?.by === 'lengthPrefixed' ? order.lengthAt : 0);
}

/** The comparison of `order`, for merging runs. */
export function mergeOrder(order: PayloadOrdering | undefined): PayloadOrder | undefined {
  if (order === undefined) return undefined;
  if (order.by === 'bytes') return (a, aStart, aEnd, b, bStart, bEnd) => a.compare(b, bStart, bEnd, aStart, aEnd);
  const lengthAt = order.lengthAt;
  return (a, aStart, aEnd, b, bStart, bEnd) => compareLengthPrefixed(a, aStart, aEnd, b, bStart, bEnd, lengthAt);
}

/** Payloads by the bytes after their 16-bit length at `lengthAt` (a payload too short for it: by its bytes). */
function compareLengthPrefixed(a: Buffer, aStart: number, aEnd: number, b: Buffer, bStart: number, bEnd: number, lengthAt: number): number {
  if (aEnd - aStart < lengthAt + 2 || bEnd - bStart < lengthAt + 2) return a.compare(b, bStart, bEnd, aStart, aEnd);
  const aFrom = aStart + lengthAt + 2;
  const bFrom = bStart + lengthAt + 2;
  const aLength = Math.min(a[aFrom - 2]! | (a[aFrom - 1]! << 8), aEnd - aFrom);
  const bLength = Math.min(b[bFrom - 2]! | (b[bFrom - 1]! << 8), bEnd - bFrom);
  // IIDs are short: a loop beats a native compare's call.
  const common = Math.min(aLength, bLength);
  for (let i = 0; i < common; i++) {
    const x = a[aFrom + i]!;
    const y = b[bFrom + i]!;
    if (x !== y) return x - y;
  }
  return aLength - bLength;
}
