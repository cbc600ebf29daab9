// Long synchronous work written as a generator that yields between pieces of it, so that whoever runs it decides
// whether to pause there: the embedded API runs it to the end at once; the server runs it in slices of time and
// serves other clients in between (a large aggregate or the first reasoning query of a transaction would otherwise
// hold the event loop until it is done).

/** Work in steps: each `yield` is a place where it may pause; the return value is its result. */
export type Steps<T> = Generator<void, T, void>;

/** Runs the work to its end, without pausing. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Items between two pause points of collectSteps: a pause point costs a generator resume and a clock reading. */
const ITEMS_PER_STEP = 64;

/** Collects the items of a lazy iterable into an array, with a pause point every few items. */
export function* collectSteps<T>(items: Iterable<T>): Steps<T[]> {
  const out: T[] = [];
  for (const item of items) {
    if (out.push(item) % ITEMS_PER_STEP === 0) yield;
  }
  return out;
}

/** Runs `body` for each item, with a pause point every few items. */
export function* forEachStep<T>(items: Iterable<T>, body: (item: T) => void): Steps<void> {
  let done = 0;
  for (const item of items) {
    body(item);
    if (++done % ITEMS_PER_STEP === 0) yield;
  }
}
