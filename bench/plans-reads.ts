// The work of one plan, counted at the store: ranges opened (each a cursor seek), keys read from them and point reads,
// over a read view that counts them. A plan whose work passes a budget is stopped: bench:plans needs only the least
// work among the alternatives, and a bad order over a skewed dataset can read millions.
import type { Database } from '../src/database/database.js';
import type { Bytes, Key, RangeOptions, ReadView } from '../src/storage/api.js';
import { ThingReader } from '../src/concept/things.js';
import { executeQuerySteps } from '../src/query/index.js';
import { PENDING, runSteps } from '../src/common/steps.js';
import { parseQuery } from '../src/typeql/index.js';
import type { Concept, ConceptMap } from '../src/concept/concepts.js';
import { RANGE_IN_EDGES } from '../src/query/player-edges.js';

class OverBudget extends Error {}

/** A read view counting what the engine reads through it; past `budget` units of work, a read throws OverBudget. */
class CountingView implements ReadView {
  ranges = 0;
  keys = 0;
  points = 0;
  constructor(
    private readonly view: ReadView,
    private readonly budget: number,
  ) {}
  get work(): number {
    return workOf(this);
  }
  private spend(): void {
    if (this.work > this.budget) throw new OverBudget();
  }
  private *counted<T>(items: Iterable<T>): IterableIterator<T> {
    this.ranges++;
    this.spend();
    for (const item of items) {
      this.keys++;
      this.spend();
      yield item;
    }
  }
  get(key: Key): Bytes | undefined {
    this.points++;
    this.spend();
    return this.view.get(key);
  }
  has(key: Key): boolean {
    this.points++;
    this.spend();
    return this.view.has(key);
  }
  range(start: Key, end: Key, options?: RangeOptions): IterableIterator<[Key, Bytes]> {
    return this.counted(this.view.range(start, end, options));
  }
  prefix(prefix: Key, options?: RangeOptions): IterableIterator<[Key, Bytes]> {
    return this.counted(this.view.prefix(prefix, options));
  }
  rangeKeys(start: Key, end: Key, options?: RangeOptions): IterableIterator<Key> {
    return this.counted(this.view.rangeKeys(start, end, options));
  }
  prefixKeys(prefix: Key, options?: RangeOptions): IterableIterator<Key> {
    return this.counted(this.view.prefixKeys(prefix, options));
  }
  // Counting is the statistics' work, cached across queries: not the plan's.
  countKeys(start: Key, end: Key): number {
    return this.view.countKeys(start, end);
  }
  countPrefixKeys(prefix: Key): number {
    return this.view.countPrefixKeys(prefix);
  }
}

/** A plan's work in keys read: a range opened weighs as RANGE_IN_EDGES keys (player-edges.ts), a point read as one. */
export function workOf(counts: { ranges: number; keys: number; points: number }): number {
  return counts.keys + counts.points + RANGE_IN_EDGES * counts.ranges;
}

export interface PlanRun {
  readonly work: number;
  readonly ranges: number;
  readonly keys: number;
  readonly points: number;
  /** The answers: how many, and a hash of their multiset (order-free); undefined when stopped over budget. */
  readonly answers?: { readonly count: number; readonly hash: number };
}

const conceptText = (c: Concept) => ('iid' in c ? c.iid : c.kind === 'value' ? `=${String(c.value)}` : c.label.name);
const answerText = (a: ConceptMap) =>
  [...a.entries()]
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([v, c]) => `${v}:${conceptText(c)}`)
    .join(' ');

/** FNV-1a of the text: summed over answers, a hash of the answers that does not depend on their order. */
function textHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Runs a get query over the database's latest snapshot, in `order` if given (QueryContext.planOrder), counting its work. */
export function countedRun(database: Database, query: string, order: readonly string[] | undefined, budget = Infinity): PlanRun {
  const snapshot = database.store.snapshot();
  const view = new CountingView(snapshot, budget);
  try {
    const things = new ThingReader(view, database.schema);
    const ctx = { schema: database.schema, things, statistics: database.statistics, planOrder: order };
    const result = runSteps(executeQuerySteps(ctx, parseQuery(query)));
    if (result.kind !== 'get') throw new Error(`expected a get query: ${query}`);
    let [count, hash] = [0, 0];
    for (const a of result.answers) {
      if (a === PENDING) continue;
      count++;
      hash = (hash + textHash(answerText(a as ConceptMap))) >>> 0;
    }
    return { work: view.work, ranges: view.ranges, keys: view.keys, points: view.points, answers: { count, hash } };
  } catch (e) {
    if (!(e instanceof OverBudget)) throw e;
    return { work: view.work, ranges: view.ranges, keys: view.keys, points: view.points };
  } finally {
    snapshot.close();
  }
}
