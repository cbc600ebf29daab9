// A limit on the time long synchronous work may take (a query, reasoning): the work calls tick() as it goes, and past
// the deadline tick() throws the error given. Queries run on the event loop, so no timer can stop them: this is how
// a transaction's timeout stops a query still running when it expires.

/** Calls between two readings of the clock: a tick must cost next to nothing. */
const TICKS_PER_READING = 1024;

export class Deadline {
  private ticks = 0;

  constructor(
    /** performance.now() past which work stops. */
    private readonly at: number,
    private readonly expired: () => Error,
  ) {}

  static after(millis: number, expired: () => Error): Deadline {
    return new Deadline(performance.now() + millis, expired);
  }

  tick(): void {
    if (++this.ticks % TICKS_PER_READING !== 0) return;
    if (performance.now() > this.at) throw this.expired();
  }
}
