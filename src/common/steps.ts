// Long synchronous work written as generators that yield PENDING where they may pause, so that whoever runs them
// decides whether to pause there: the embedded API runs them to the end at once; the server runs them in slices of
// time and serves other clients in between. Lazy answers use the same sentinel: an iterable of `T | Pending` yields
// PENDING while it searches long without finding an answer (a filter that rejects everything, a sort or a count
// collecting), and every consumer either forwards it up (so the server can pause) or skips it (withoutPauses).

/** The sentinel of a pause point: not an answer. Unique, so that no answer can be mistaken for it. */
export const PENDING: unique symbol = Symbol('pending');
export type Pending = typeof PENDING;

/** Work in steps: each PENDING is a place where it may pause; the return value is its result. */
export type Steps<T> = Generator<Pending, T, void>;

/**
 * A pause until work done elsewhere (another thread) settles: the runner resumes the steps once `until` has settled,
 * and serves others meanwhile. Its outcome is for the steps to read, not the runner: `until` never rejects.
 */
export class Waiting {
  constructor(readonly until: Promise<void>) {}
}

/** Steps that may also wait for work done elsewhere: only a runner that can wait (the server) runs them. */
export type WaitingSteps<T> = Generator<Pending | Waiting, T, void>;

/** Runs the work to its end, without pausing. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** The items without the pause points: for a caller that wants plain answers and never pauses. */
export function* withoutPauses<T>(items: Iterable<T | Pending>): Generator<T> {
  for (const item of items) if (item !== PENDING) yield item;
}

/** Items between two pause points of collectSteps: a pause point costs a generator resume and a clock reading. */
const ITEMS_PER_STEP = 64;

/** Collects the items of a lazy iterable into an array, with a pause point every few items and at each of its own. */
export function* collectSteps<T>(items: Iterable<T | Pending>): Steps<T[]> {
  const out: T[] = [];
  for (const item of items) {
    if (item === PENDING) yield PENDING;
    else if (out.push(item) % ITEMS_PER_STEP === 0) yield PENDING;
  }
  return out;
}

/** Runs `body` for each item, with a pause point every few items and at each of its own. */
export function* forEachStep<T>(items: Iterable<T | Pending>, body: (item: T) => void): Steps<void> {
  let done = 0;
  for (const item of items) {
    if (item === PENDING) {
      yield PENDING;
      continue;
    }
    body(item);
    if (++done % ITEMS_PER_STEP === 0) yield PENDING;
  }
}
