// Read-only sets of keys for conflict detection, and their intersection test. A commit's sets are views of its own
// change buffer, so that a large commit is never copied into a second structure just to be checked against.

import { keyToken } from './keys.js';

export interface KeySet {
  /** At least the number of keys: the intersection test iterates the side with the smaller bound. */
  readonly sizeBound: number;
  has(key: Buffer): boolean;
  keys(): Iterable<Buffer>;
}

/** Whether the two sets share a key: the smaller side is iterated and each of its keys looked up in the other. */
export function intersects(a: KeySet, b: KeySet): boolean {
  if (a.sizeBound === 0 || b.sizeBound === 0) return false;
  const [small, large] = a.sizeBound <= b.sizeBound ? [a, b] : [b, a];
  for (const key of small.keys()) if (large.has(key)) return true;
  return false;
}

/** A hashed set of keys (by keyToken), for the sets a transaction fills one key at a time: locks, deletes, touches. */
export class TokenKeySet implements KeySet {
  private readonly byToken = new Map<string, Buffer>();

  get sizeBound(): number {
    return this.byToken.size;
  }

  get size(): number {
    return this.byToken.size;
  }

  /** Keeps `key` itself: the caller hands over a private copy. */
  add(key: Buffer): void {
    this.byToken.set(keyToken(key), key);
  }

  has(key: Buffer): boolean {
    return this.byToken.has(keyToken(key));
  }

  keys(): IterableIterator<Buffer> {
    return this.byToken.values();
  }

  clear(): void {
    this.byToken.clear();
  }
}
