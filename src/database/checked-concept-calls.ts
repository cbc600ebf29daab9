// The Concept API's schema mutations (setOwns, unsetPlays, setSupertype, …) check the data through the instance checks
// the transaction hands them, synchronously, as a define does. A server runs each call as work in steps instead: the
// call runs under applyChecked (answering-checks.ts), so a check that reads long is taken out of it, the call is
// undone and runs again once the check has its answer, and the server serves others while the check reads.
import type { InstanceChecks, TypeGraph } from '../schema/index.js';
import type { Steps } from '../common/steps.js';
import type { ViewInstanceChecks } from './instance-checks.js';
import { applyChecked } from './answering-checks.js';

/** The call under way: the checks it is given, and what undoes its changes once it has asked for them. */
interface CallUnderWay {
  readonly checks: InstanceChecks;
  undo?: () => void;
}

export class CheckedConceptCalls {
  private current: CallUnderWay | undefined;

  constructor(
    private readonly schema: () => TypeGraph,
    private readonly view: () => ViewInstanceChecks,
  ) {}

  /** Whether a call runs now: its failures are the runner's to handle, and one taken out is not a failure. */
  get running(): boolean {
    return this.current !== undefined;
  }

  /**
   * The checks a mutation is given. In a call run in steps, the graph is checkpointed first: a mutation asks for
   * its checks before it changes anything, so a call taken out leaves the schema as it found it. Not at the call's
   * start: copying the schema costs ~0.6 ms at 1 000 types, which the many calls that check nothing need not pay.
   */
  checks(): InstanceChecks {
    const current = this.current;
    if (!current) return this.view();
    current.undo ??= this.schema().checkpoint();
    return current.checks;
  }

  /** Runs `call` as work in steps: its result once its checks have their answers; its error as it would throw. */
  *run<T>(call: () => T): Steps<T> {
    let result!: T;
    yield* applyChecked(this.view(), (checks) => {
      const current: CallUnderWay = { checks };
      this.current = current;
      try {
        result = call();
      } catch (e) {
        current.undo?.();
        throw e;
      } finally {
        this.current = undefined;
      }
    });
    return result;
  }
}
