// The generators a plan may choose from, by cost, as a persistent priority queue (a leftist heap): a child plan
// starts from its parent's queue and adds only the costs of constraints naming a variable the parent's step bound,
// so choosing a step no longer weighs every constraint left. Entries go stale (their constraint checked, consumed
// or its cost changed since) and are dropped where they surface; a child's drops leave its parent's queue intact.
import type { Constraint } from './ir.js';

export interface QueuedCost {
  readonly cost: number;
  /** The constraint's position in its scope: among equal costs the first constraint wins, as a scan in order would pick. */
  readonly position: number;
  readonly constraint: Constraint;
}

export type PlanQueue = { readonly top: QueuedCost; readonly left: PlanQueue; readonly right: PlanQueue; readonly rank: number } | undefined;

function before(a: QueuedCost, b: QueuedCost): boolean {
  return a.cost < b.cost || (a.cost === b.cost && a.position < b.position);
}

/** Both queues as one, sharing their nodes (neither changes). */
function merge(a: PlanQueue, b: PlanQueue): PlanQueue {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (before(b.top, a.top)) [a, b] = [b, a];
  const merged = merge(a.right, b);
  const left = a.left;
  const leftRank = left?.rank ?? 0;
  const mergedRank = merged!.rank;
  return leftRank >= mergedRank ? { top: a.top, left, right: merged, rank: mergedRank + 1 } : { top: a.top, left: merged, right: left, rank: leftRank + 1 };
}

export function pushed(queue: PlanQueue, entry: QueuedCost): PlanQueue {
  return merge(queue, { top: entry, left: undefined, right: undefined, rank: 1 });
}

/** The queue without its top entry. */
export function popped(queue: NonNullable<PlanQueue>): PlanQueue {
  return merge(queue.left, queue.right);
}
