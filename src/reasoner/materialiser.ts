// Forward chaining to a fixpoint, stratum by stratum, semi-naively: the first round of a stratum matches every
// rule body over everything known; each later round matches bodies only where they can use a fact the previous
// round added, by seeding the body's variables with that fact (a new thing binds a variable that may have its
// type; a new ownership binds the owner and attribute of a `has`). A round that adds nothing ends the stratum.
// Matches see the relations inferred up to a horizon (see `conclude`), so that each answer is found once.
//
// Evaluation is resumable: `run` stops when a budget of rounds or facts is spent and continues from the same
// point when called again with a larger one. Rules can infer infinitely many facts (a relation that nests the
// relation it was inferred from), and the budget is what keeps such a query finite. It is also work in steps
// (common/steps.ts): it may pause between rounds and inside one, where a rule body's search gives way.
import type { Thing } from '../concept/things.js';
import { PENDING, type Pending, type Steps } from '../common/steps.js';
import type { BodyPlan, RuleBinding } from './api.js';
import { instantiate, type Conclusion, type Inference } from './conclusions.js';
import type { Fact, InferredFacts } from './inferred-facts.js';
import type { StratifiableRule } from './strata.js';
import { RoundRunner } from './rounds.js';

export interface CompiledRule extends StratifiableRule {
  readonly conclusion: Conclusion;
  /** The `when` in disjunctive normal form, one plan per conjunction (unsatisfiable ones dropped). */
  readonly bodies: readonly BodyPlan[];
}

/** Limits on the total work of one materialisation. */
export interface ReasoningBudget {
  readonly rounds: number;
  readonly facts: number;
}

export class Materialiser {
  private stratum = 0;
  /** Facts the last round of the current stratum added; undefined before its first round. */
  private delta: Fact[] | undefined;
  private roundsRun = 0;
  private readonly runner = new RoundRunner();

  constructor(
    private readonly strata: readonly (readonly CompiledRule[])[],
    private readonly facts: InferredFacts,
    private readonly limit: FactLimit,
  ) {}

  get complete(): boolean {
    return this.stratum >= this.strata.length;
  }

  get rounds(): number {
    return this.roundsRun;
  }

  /**
   * Runs rounds until the fixpoint or until the budget is spent; returns whether the fixpoint was reached. A round
   * is not cut by the budget: it finishes even past it.
   */
  *run(budget: ReasoningBudget): Steps<boolean> {
    return yield* this.runner.run(
      () => this.complete,
      () => this.roundsRun < budget.rounds && this.facts.count < budget.facts,
      () => this.round(),
    );
  }

  private *round(): Steps<void> {
    this.roundsRun++;
    const rules = this.strata[this.stratum]!;
    const added: Fact[] = [];
    // Scans leave out what this round infers (the next round is seeded with it): see InferredThingReader.
    this.facts.things.beginRound();
    try {
      if (this.delta === undefined) {
        // What this round infers is seeded in the next one.
        const horizon = this.facts.count;
        for (const rule of rules) {
          for (const body of rule.bodies) yield* this.apply(rule.conclusion, body, EMPTY_SEED, horizon, added);
        }
      } else {
        for (const fact of this.delta) {
          for (const rule of rules) {
            for (const body of rule.bodies) {
              for (const seed of seedsFor(fact, body)) yield* this.apply(rule.conclusion, body, seed, fact.seq, added);
            }
          }
        }
      }
    } finally {
      this.facts.things.endRound();
    }
    if (added.length === 0) {
      this.stratum++;
      this.delta = undefined;
    } else {
      this.delta = added;
    }
  }

  private apply(conclusion: Conclusion, body: BodyPlan, seed: ReadonlyMap<string, Thing>, horizon: number, added: Fact[]): Steps<void> {
    return conclude(this.facts, this.limit, this.roundsRun, conclusion, body, seed, horizon, added);
  }
}

/**
 * Matches the body from the seed and adds every conclusion, in batches. Past the hard fact limit, reasoning stops at
 * once, even in the middle of a round: one round can infer a great deal.
 *
 * The match reads a player's relations only up to `horizon` (a fact's seq): a body seeded with a fact sees the
 * relations inferred before it and no later one. An answer that uses inferred relations is then found once, when
 * seeded with the last of them (every rule body is seeded with every fact inferred: the next round's delta), and
 * not again with each of the others, nor with a fact of its round: a transitive closure matched 1.4–1.6 times as
 * many answers (test/reasoner/horizons.test.ts). A round passes facts on one step at a time, no longer as far as
 * the facts inferred earlier in the same round reach (a transitive closure takes as many rounds as its longest
 * path, not its logarithm). Only relations are left out; what else a match sees past the horizon finds answers again, no fewer.
 * A seed that is no fact (a round over everything, demand) sees what was inferred before the round or the rule's
 * turn, the horizon its caller gives: what comes after is seeded in turn.
 */
export function* conclude(
  facts: InferredFacts,
  limit: FactLimit,
  rounds: number,
  conclusion: Conclusion,
  body: BodyPlan,
  seed: ReadonlyMap<string, Thing>,
  horizon: number,
  added: Fact[],
): Steps<void> {
  let inferences: Inference[] = [];
  const flush = () => {
    for (const inference of inferences) added.push(...facts.add(inference));
    inferences = [];
    if (facts.count > limit.facts) throw limit.exceeded(rounds, facts.count);
  };
  const answers = body.match(seed)[Symbol.iterator]();
  const things = facts.things;
  try {
    for (;;) {
      // Set only while the match runs: between its steps, other reads (the query's, a flush) see everything.
      things.horizon = horizon;
      let step: IteratorResult<ReadonlyMap<string, RuleBinding> | Pending>;
      try {
        step = answers.next();
      } finally {
        things.horizon = Infinity;
      }
      if (step.done === true) break;
      const answer = step.value;
      if (answer === PENDING) {
        yield PENDING;
        continue;
      }
      const inference = instantiate(conclusion, answer);
      if (inference) inferences.push(inference);
      if (inferences.length >= BATCH) flush();
    }
  } finally {
    // As a for-of would: a match left early (the fact limit, a dropped round) closes what it holds open.
    answers.return?.();
  }
  flush();
}

/** Conclusions collected from a match before they are added. */
const BATCH = 1024;

/** The most facts a materialisation may hold, and the error it fails with beyond them. */
export interface FactLimit {
  readonly facts: number;
  exceeded(rounds: number, facts: number): Error;
}

export const EMPTY_SEED: ReadonlyMap<string, Thing> = new Map();

/** The bindings under which a body can use the fact. */
export function* seedsFor(fact: Fact, body: BodyPlan): Generator<ReadonlyMap<string, Thing>> {
  if (fact.kind === 'thing') {
    for (const [name, types] of body.thingVariables) {
      if (types.has(fact.thing.type.id)) yield new Map([[name, fact.thing]]);
    }
    return;
  }
  for (const { owner, attribute } of body.ownerships) {
    if (owner === attribute) continue;
    if (!body.thingVariables.get(owner)?.has(fact.owner.type.id)) continue;
    if (!body.thingVariables.get(attribute)?.has(fact.attribute.type.id)) continue;
    yield new Map([
      [owner, fact.owner],
      [attribute, fact.attribute],
    ]);
  }
}
