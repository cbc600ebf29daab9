// Byte-level helpers for keys: ordering, range bounds, validation, and hashable tokens for conflict sets.

import type { Key } from './api.js';
import { invalidKey } from './errors.js';

/**
 * LMDB's limit with lmdb-js's default 4 KiB pages. Checked when a change is buffered so that a bad key fails at
 * the call that made it, not later at commit.
 */
export const MAX_KEY_BYTES = 1978;

/** A half-open key interval: lower <= key < upper; a missing bound is unbounded on that side. */
export interface KeyBounds {
  readonly lower: Buffer | undefined;
  readonly upper: Buffer | undefined;
}

/**
 * Byte order of keys, by sign. A loop in JavaScript: keys are short, and Buffer.compare's call into C++ cost more
 * than the comparison itself (the in-memory trees compare ~20 times per insert or seek).
 */
export function compareKeys(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** The smallest storable key (LMDB has no empty keys). */
export const SMALLEST_KEY: Buffer = Buffer.from([0]);

/** A private copy as a Buffer: callers may reuse their arrays after handing them to the store. */
export function copyBytes(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes);
}

/** Throws unless the key can be stored: a non-empty byte array of at most MAX_KEY_BYTES. */
export function checkKey(key: unknown): asserts key is Key {
  if (!(key instanceof Uint8Array)) throw invalidKey(`expected a Uint8Array, got ${typeof key}.`);
  if (key.length === 0) throw invalidKey('keys must not be empty.');
  if (key.length > MAX_KEY_BYTES) {
    throw invalidKey(`a key of ${key.length} bytes exceeds the maximum of ${MAX_KEY_BYTES} bytes.`);
  }
}

export function checkValue(value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw invalidKey(`values must be Uint8Arrays, got ${typeof value}.`);
}

/** True when no stored key can equal `key`, so a lookup can answer without touching LMDB. */
export function isUnstorableKey(key: Uint8Array): boolean {
  return key.length === 0 || key.length > MAX_KEY_BYTES;
}

/**
 * A string with one char per byte, used as a Set member for conflict detection. latin1 maps bytes 0–255 to
 * code points 0–255 one to one, so distinct keys give distinct tokens.
 */
export function keyToken(key: Buffer): string {
  return key.toString('latin1');
}

export function rangeBounds(start: Uint8Array, end: Uint8Array): KeyBounds {
  checkBound(start);
  checkBound(end);
  // The empty key sorts before every storable key, so as a start it is the same as no lower bound.
  return { lower: start.length === 0 ? undefined : copyBytes(start), upper: copyBytes(end) };
}

export function prefixBounds(prefix: Uint8Array): KeyBounds {
  checkBound(prefix);
  return { lower: prefix.length === 0 ? undefined : copyBytes(prefix), upper: prefixEnd(prefix) };
}

/** LMDB cannot position on a key longer than it can store. */
function checkBound(bound: Uint8Array): void {
  if (!(bound instanceof Uint8Array)) throw invalidKey(`range bounds must be Uint8Arrays, got ${typeof bound}.`);
  if (bound.length > MAX_KEY_BYTES) {
    throw invalidKey(`a range bound of ${bound.length} bytes exceeds the maximum key size of ${MAX_KEY_BYTES} bytes.`);
  }
}

/** The smallest key greater than every key starting with prefix, or undefined when there is none (all 0xff). */
export function prefixEnd(prefix: Uint8Array): Buffer | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i] !== 0xff) {
      // Copied byte by byte: a subarray of a small array costs more than the copy (it moves it off the heap).
      const end = Buffer.allocUnsafe(i + 1);
      for (let j = 0; j < i; j++) end[j] = prefix[j]!;
      end[i] = prefix[i]! + 1;
      return end;
    }
  }
  return undefined;
}

export function isEmptyBounds(bounds: KeyBounds): boolean {
  const { lower, upper } = bounds;
  if (upper === undefined) return false;
  // Nothing sorts below the empty key; lmdb-js would also read an empty end as "no end".
  return upper.length === 0 || (lower !== undefined && compareKeys(lower, upper) >= 0);
}

export function belowUpper(key: Uint8Array, bounds: KeyBounds): boolean {
  return bounds.upper === undefined || compareKeys(key, bounds.upper) < 0;
}

export function atOrAboveLower(key: Uint8Array, bounds: KeyBounds): boolean {
  return bounds.lower === undefined || compareKeys(key, bounds.lower) >= 0;
}
