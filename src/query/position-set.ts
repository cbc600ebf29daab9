// A persistent set of positions (a scope's constraints, by index), as a trie of 32-bit words: a set made from another
// shares it but for the paths to the words it changes. A plan node's constraints left are its parent's minus the few
// its step checked or consumed (step-plans.ts); a copy of a bitset per node made a match of n constraints hold n²/32
// words (a chain of 20 000 links: 40 000 constraints, 25 million words, 100 MB of array buffers outside the JS heap;
// `npm run bench:planner` peaked at 504 MiB resident for it, 414 MiB with the trie, which adds ~8 MB to the JS heap).

/** Bits of a word index each level of the trie reads: 8 slots an array. */
const BITS = 3;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

/** An array of WIDTH: words (32 positions each) at the last level, arrays of the level below above it; absent: empty. */
type Trie = readonly (Trie | number | undefined)[] | undefined;

export class PositionSet {
  private constructor(
    private readonly trie: Trie,
    /** Levels of arrays from the root to the words: enough for every position below the capacity. */
    private readonly levels: number,
  ) {}

  /** The empty set of positions below `capacity`. */
  static empty(capacity: number): PositionSet {
    let levels = 1;
    for (let covered = WIDTH * 32; covered < capacity; covered *= WIDTH) levels++;
    return new PositionSet(undefined, levels);
  }

  has(position: number): boolean {
    const word = position >>> 5;
    let node = this.trie;
    for (let level = this.levels - 1; level > 0 && node !== undefined; level--) node = node[(word >>> (level * BITS)) & MASK] as Trie;
    const bits = node?.[word & MASK] as number | undefined;
    return bits !== undefined && (bits & (1 << (position & 31))) !== 0;
  }

  /**
   * This set and `positions` (below the capacity), copying only the arrays on their paths. `allocated` is told how
   * many slots the copies hold, for tests that count the memory planning takes.
   */
  with(positions: readonly number[], allocated?: (slots: number) => void): PositionSet {
    if (positions.length === 0) return this;
    const sorted = [...positions].sort((a, b) => a - b);
    const trie = added(this.trie, this.levels - 1, sorted, 0, sorted.length, allocated);
    return new PositionSet(trie, this.levels);
  }
}

/** A copy of `node` (at `level` above the words) with sorted[from..to), all of whose paths pass through it. */
function added(node: Trie, level: number, sorted: readonly number[], from: number, to: number, allocated?: (slots: number) => void): Trie {
  const copy = node === undefined ? new Array<Trie | number | undefined>(WIDTH).fill(level === 0 ? 0 : undefined) : node.slice();
  allocated?.(WIDTH);
  if (level === 0) {
    for (let i = from; i < to; i++) {
      const p = sorted[i]!;
      copy[(p >>> 5) & MASK] = (copy[(p >>> 5) & MASK] as number) | (1 << (p & 31));
    }
    return copy;
  }
  const slot = (p: number) => ((p >>> 5) >>> (level * BITS)) & MASK;
  // Sorted, the positions under one slot are consecutive: each child on their paths is copied once.
  for (let start = from; start < to; ) {
    const s = slot(sorted[start]!);
    let end = start + 1;
    while (end < to && slot(sorted[end]!) === s) end++;
    copy[s] = added(copy[s] as Trie, level - 1, sorted, start, end, allocated);
    start = end;
  }
  return copy;
}
