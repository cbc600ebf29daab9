// Key counts of a view that merges a buffer of changes over a base view: the base's count, corrected by each change
// inside the bounds. The correction costs a base lookup per change in range, so the count stays proportional to the
// changes, never to the base's keys.

import type { Key } from './api.js';
import type { KeyBounds } from './keys.js';
import { DELETED, type WriteBuffer } from './write-buffer.js';

export function countWithChanges(baseCount: number, baseHas: (key: Key) => boolean, changes: WriteBuffer, bounds: KeyBounds): number {
  let count = baseCount;
  for (let entry = changes.first(bounds, false); entry !== undefined; entry = changes.after(entry[0], bounds, false)) {
    const inBase = baseHas(entry[0]);
    // A put over a base key replaces it, and a tombstone over a missing key hides nothing: neither changes the count.
    if (entry[1] === DELETED) {
      if (inBase) count--;
    } else if (!inBase) {
      count++;
    }
  }
  return count;
}
