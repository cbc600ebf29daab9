// Driving a materialisation's rounds in steps, resumably: `run` stops when the budget is spent and goes on from the
// same point when called again, and a round whose caller stopped pausing (and never resumed) goes on from there.
// Shared by full (materialiser.ts) and demand-driven (demand.ts) materialisation.
import { PENDING, type Steps } from '../common/steps.js';

export class RoundRunner {
  private current: Steps<void> | undefined;

  /** Whether a round is in progress (begun by an earlier call, not yet finished). */
  get inRound(): boolean {
    return this.current !== undefined;
  }

  /** Drops the round in progress, if any. */
  reset(): void {
    this.current = undefined;
  }

  /**
   * Runs rounds until `done`, beginning one only while `mayBegin` (the budget); `stopped` ends the run at once, even
   * with a round in progress (kept for the next call). Returns whether `done` was reached. A round is not cut by the
   * budget: it finishes even past it.
   */
  *run(done: () => boolean, mayBegin: () => boolean, round: () => Steps<void>, stopped: () => boolean = () => false): Steps<boolean> {
    while (!done()) {
      if (stopped()) return false;
      if (this.current === undefined) {
        if (!mayBegin()) return false;
        this.current = round();
      }
      try {
        for (let next = this.current.next(); !next.done; next = this.current.next()) yield PENDING;
      } catch (e) {
        this.current = undefined;
        throw e;
      }
      this.current = undefined;
      yield PENDING;
    }
    return true;
  }
}
