// A define or undefine checks the data it affects through InstanceChecks, synchronously, deep inside the schema
// layer, which cannot pause there. So a check that does not finish within a few steps is taken out of the change:
// it throws, the schema change is undone (TypeGraph applies define and undefine atomically), the check goes on in
// steps (common/steps.ts) while the server serves others, and the change runs again from the start, now answered
// at once. The answers are the ones the change would have got: the data does not change during a schema
// transaction's query, and a question's key holds what it read from the schema when asked (see CheckQuestion).
import type { InstanceChecks } from '../schema/api.js';
import { PENDING, type Steps } from '../common/steps.js';
import { AnsweredChecks, type CheckQuestion, type ViewInstanceChecks } from './instance-checks.js';

/** Steps a check runs within the change before it is taken out: small checks never cost a re-run. */
const STEPS_IN_PLACE = 16;
/** Checks taken out before the change runs with its checks in place instead (the answers are the same). */
const MOST_RERUNS = 1_000;

/** Thrown out of a schema change: a check that reads long, and what is left of it. Never escapes applyChecked. */
class Unanswered {
  constructor(readonly question: CheckQuestion<unknown>) {}
}

/** InstanceChecks that answer from what is known, run a check for a few steps, or throw Unanswered. */
class AnsweringChecks extends AnsweredChecks {
  constructor(
    protected readonly questions: ViewInstanceChecks,
    private readonly answers: Map<string, unknown>,
  ) {
    super();
  }

  protected answer<T>(question: CheckQuestion<T>): T {
    if (this.answers.has(question.key)) return this.answers.get(question.key) as T;
    for (let step = 0; step < STEPS_IN_PLACE; step++) {
      const next = question.steps.next();
      if (next.done) {
        this.answers.set(question.key, next.value);
        return next.value;
      }
    }
    throw new Unanswered(question);
  }
}

/**
 * Applies a schema change (a define or undefine, which must undo itself when it throws) whose checks of the data may
 * take long, as work in steps: a long check is answered in steps outside the change, which then runs again.
 */
export function* applyChecked(view: ViewInstanceChecks, change: (checks: InstanceChecks) => void): Steps<void> {
  const answers = new Map<string, unknown>();
  const checks = new AnsweringChecks(view, answers);
  for (let reruns = 0; ; reruns++) {
    try {
      change(reruns < MOST_RERUNS ? checks : view);
      return;
    } catch (e) {
      if (!(e instanceof Unanswered)) throw e;
      const { key, steps } = e.question;
      for (let next = steps.next(); ; next = steps.next()) {
        if (next.done) {
          answers.set(key, next.value);
          break;
        }
        yield PENDING;
      }
    }
  }
}
