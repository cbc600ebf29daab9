// A limit on the time long synchronous work may take (a query, reasoning): the work calls check() every so often as
// it goes (the matcher every STEPS_PER_PAUSE steps), and past the deadline check() throws the error given. A query
// that holds the event loop (one step of it, or the embedded API, which never pauses) cannot be stopped by a timer:
// this is how a transaction's timeout stops a query still running when it expires.

export class Deadline {
  constructor(
    /** performance.now() past which work stops. */
    private readonly at: number,
    private readonly expired: () => Error,
  ) {}

  static after(millis: number, expired: () => Error): Deadline {
    return new Deadline(performance.now() + millis, expired);
  }

  /** Reads the clock: call it every so often, not at every step of the work. */
  check(): void {
    if (performance.now() > this.at) throw this.expired();
  }
}
