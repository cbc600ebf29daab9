// Cuts an export's THING key ranges into pieces of about equal work, for two threads. The work of a range is
// estimated from where its bounds fall in the snapshot's B-tree (TreeScanner.position) in the three keyspaces
// the export reads: THING, HAS and ROLE keys all start with the IID they belong to, so a range of things maps to
// the same range of IIDs in each.

import { Keyspace } from '../../encoding/index.js';
import { TreeScanner, type StoredTree } from '../../storage/lmdb-file/index.js';
import type { KeyRange } from './export-part.js';
import { inKeyspace } from './thing-encoder.js';

const KEYSPACES = [Keyspace.Thing, Keyspace.Has, Keyspace.Role] as const;
const BISECTIONS = 12;

/**
 * The ranges in order, cut into about `count` pieces (a power of two) of about equal work, by halving; pieces that
 * cannot be cut further stay whole, so there may be fewer. The first `balanced` halvings weigh the work in all three
 * keyspaces (12 bisections a cut); finer ones only halve the THING keys (one look-up a cut), as threads that claim
 * pieces in order need the pieces small, not equal: on the 1M-thing store, 128 balanced pieces took 30–60 ms to
 * cut, about as long as encoding 10 of them.
 */
export function splitIntoPieces(tree: StoredTree, ranges: readonly KeyRange[], count: number, balanced = count): KeyRange[][] {
  // One scanner for every cut: it keeps the branch pages it has read.
  const scanner = new TreeScanner(tree);
  try {
    let pieces: KeyRange[][] = [[...ranges]];
    for (let n = 1; n < count; n *= 2) {
      const halve = n < balanced ? splitInTwo : halveThings;
      pieces = pieces.flatMap((piece) => halve(scanner, piece).filter((half) => half.length > 0));
    }
    return pieces;
  } finally {
    scanner.close();
  }
}

/** The ranges in order, as two parts of about as many THING keys (either may be empty). */
function halveThings(scanner: TreeScanner, ranges: readonly KeyRange[]): [KeyRange[], KeyRange[]] {
  const bounds = ranges.map(([start, end]) => [scanner.position(start), scanner.position(end)] as const);
  let half = bounds.reduce((sum, [from, to]) => sum + (to - from), 0) / 2;
  for (let r = 0; r < ranges.length; r++) {
    const [from, to] = bounds[r]!;
    if (to - from < half) {
      half -= to - from;
      continue;
    }
    const [start, end] = ranges[r]!;
    const cut = scanner.keyNear(from + half);
    if (cut === undefined || Buffer.compare(cut, start) <= 0 || Buffer.compare(cut, end) >= 0) return [ranges.slice(0, r + 1), ranges.slice(r + 1)];
    return [
      [...ranges.slice(0, r), [start, cut]],
      [[cut, end], ...ranges.slice(r + 1)],
    ];
  }
  return [[...ranges], []];
}

/** The ranges in order, as a first part and a second part (either may be empty). */
function splitInTwo(scanner: TreeScanner, ranges: readonly KeyRange[]): [KeyRange[], KeyRange[]] {
  const work = (start: Uint8Array, end: Uint8Array): number => {
    let total = 0;
    for (const keyspace of KEYSPACES) total += scanner.position(inKeyspace(keyspace, end)) - scanner.position(inKeyspace(keyspace, start));
    return total;
  };
  const works = ranges.map(([start, end]) => work(start, end));
  const half = works.reduce((a, b) => a + b, 0) / 2;
  let before = 0;
  for (let r = 0; r < ranges.length; r++) {
    if (before + works[r]! < half) {
      before += works[r]!;
      continue;
    }
    const [start, end] = ranges[r]!;
    const cut = cutKey(scanner, start, end, half - before, work);
    if (cut === undefined) return [ranges.slice(0, r + 1), ranges.slice(r + 1)];
    return [
      [...ranges.slice(0, r), [start, cut]],
      [[cut, end], ...ranges.slice(r + 1)],
    ];
  }
  return [[...ranges], []];
}

/** A THING key inside (start, end) where the work from start is about `target`, by bisection on tree positions. */
function cutKey(
  scanner: TreeScanner,
  start: Uint8Array,
  end: Uint8Array,
  target: number,
  work: (start: Uint8Array, end: Uint8Array) => number,
): Uint8Array | undefined {
  let low = scanner.position(start);
  let high = scanner.position(end);
  let best: Uint8Array | undefined;
  for (let i = 0; i < BISECTIONS && high > low; i++) {
    const middle = (low + high) / 2;
    const key = scanner.keyNear(middle);
    if (key === undefined || Buffer.compare(key, start) <= 0 || Buffer.compare(key, end) >= 0) break;
    best = key;
    if (work(start, key) < target) low = middle;
    else high = middle;
  }
  return best;
}
