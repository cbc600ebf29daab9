// The first `count` answers in sort order, kept while the match runs (a heap whose root is the last of them), so
// that `sort … limit n` holds and orders n answers, not every answer.
import { PENDING, type Pending, type Steps } from '../common/steps.js';
import type { Row } from './bindings.js';
import type { RowOrder, SortEntry } from './sort-order.js';

/** Items between two pause points, as collectSteps. */
const ITEMS_PER_STEP = 64;

/**
 * The first `count` rows in order, sorted. Every row is compared with the heap's root at least, so rows whose values
 * cannot be compared with those kept still fail the sort. When `sortedByFirstKey` says the rows come in the order of
 * the first sort variable (planner.ts, MatchOrder), the first row after the last one kept by that variable alone ends
 * the read: every row after it comes after it too, and would not be kept.
 */
export function* topRowsSteps(rows: Iterable<Row | Pending>, order: RowOrder, count: number, sortedByFirstKey = () => false): Steps<Row[]> {
  const heap: SortEntry[] = [];
  // The root is the entry that comes last: it leaves first.
  const after = (i: number, j: number) => order.compare(heap[i]!, heap[j]!) > 0;
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j]!, heap[i]!]);
  let seen = 0;
  for (const row of rows) {
    if (row === PENDING) {
      yield PENDING;
      continue;
    }
    const entry = order.entry(row);
    if (heap.length < count) {
      heap.push(entry);
      for (let i = heap.length - 1; i > 0 && after(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    } else if (sortedByFirstKey() && order.afterByFirstKey(entry, heap[0]!)) {
      break;
    } else if (order.compare(entry, heap[0]!) < 0) {
      heap[0] = entry;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let last = i;
        if (l < heap.length && after(l, last)) last = l;
        if (r < heap.length && after(r, last)) last = r;
        if (last === i) break;
        swap(i, last);
        i = last;
      }
    }
    if (++seen % ITEMS_PER_STEP === 0) yield PENDING;
  }
  return order.sorted(heap);
}
