// Sorting as work in steps (common/steps.ts): Array.prototype.sort cannot pause, and sorting a million answers
// takes seconds here. Runs of RUN items are sorted on their own, then merged pairwise, pass after pass (a bottom-up
// merge sort), with a pause point after each run and every RUN items merged.
import { PENDING, type Steps } from './steps.js';

/** Items per sorted run, and items merged between two pause points: a few milliseconds of work. */
const RUN = 4096;

/**
 * The items in order, sorted in place as far as the runs go. Stable, as Array.prototype.sort is: of two items the
 * comparison ties, the earlier stays first.
 */
export function* sortSteps<T>(items: T[], compare: (a: T, b: T) => number): Steps<T[]> {
  if (items.length <= RUN) return items.sort(compare);
  for (let start = 0; start < items.length; start += RUN) {
    const run = items.slice(start, start + RUN).sort(compare);
    for (let i = 0; i < run.length; i++) items[start + i] = run[i]!;
    yield PENDING;
  }
  let from = items;
  let to = new Array<T>(items.length);
  for (let width = RUN; width < items.length; width *= 2) {
    for (let left = 0; left < items.length; left += 2 * width) {
      yield* mergeSteps(from, to, left, Math.min(left + width, items.length), Math.min(left + 2 * width, items.length), compare);
    }
    [from, to] = [to, from];
  }
  return from;
}

/** Merges the sorted ranges [left, middle) and [middle, end) of `from` into the same places of `to`. */
function* mergeSteps<T>(from: T[], to: T[], left: number, middle: number, end: number, compare: (a: T, b: T) => number): Steps<void> {
  let i = left;
  let j = middle;
  for (let k = left; k < end; k++) {
    to[k] = i < middle && (j >= end || compare(from[i]!, from[j]!) <= 0) ? from[i++]! : from[j++]!;
    if ((k - left) % RUN === RUN - 1) yield PENDING;
  }
}
