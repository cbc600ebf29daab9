// Forward chaining to a fixpoint, stratum by stratum, semi-naively: the first round of a stratum matches every
// rule body over everything known; each later round matches bodies only where they can use a fact the previous
// round added, by seeding the body's variables with that fact (a new thing binds a variable that may have its
// type; a new ownership binds the owner and attribute of a `has`). A round that adds nothing ends the stratum.
//
// Evaluation is resumable: `run` stops when a budget of rounds or facts is spent and continues from the same
// point when called again with a larger one. Rules can infer infinitely many facts (a relation that nests the
// relation it was inferred from), and the budget is what keeps such a query finite. It is also work in steps
// (common/steps.ts): it may pause between rounds and inside one, where a rule body's search gives way.
import type { Thing } from '../concept/things.js';
import { PENDING, type Steps } from '../common/steps.js';
import type { BodyPlan } from './api.js';
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
        for (const rule of rules) {
          for (const body of rule.bodies) yield* this.apply(rule.conclusion, body, EMPTY_SEED, added);
        }
      } else {
        for (const fact of this.delta) {
          for (const rule of rules) {
            for (const body of rule.bodies) {
              for (const seed of seedsFor(fact, body)) yield* this.apply(rule.conclusion, body, seed, added);
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

  private apply(conclusion: Conclusion, body: BodyPlan, seed: ReadonlyMap<string, Thing>, added: Fact[]): Steps<void> {
    return conclude(this.facts, this.limit, this.roundsRun, conclusion, body, seed, added);
  }
}

/**
 * Matches the body from the seed and adds every conclusion, in batches: facts added while the match is still
 * running may or may not be seen by it, and either way they are in `added`, so the next round uses them. Past the
 * hard fact limit, reasoning stops at once, even in the middle of a round: one round can infer a great deal.
 */
export function* conclude(
  facts: InferredFacts,
  limit: FactLimit,
  rounds: number,
  conclusion: Conclusion,
  body: BodyPlan,
  seed: ReadonlyMap<string, Thing>,
  added: Fact[],
): Steps<void> {
  let inferences: Inference[] = [];
  const flush = () => {
    for (const inference of inferences) added.push(...facts.add(inference));
    inferences = [];
    if (facts.count > limit.facts) throw limit.exceeded(rounds, facts.count);
  };
  for (const answer of body.match(seed)) {
    if (answer === PENDING) {
      yield PENDING;
      continue;
    }
    const inference = instantiate(conclusion, answer);
    if (inference) inferences.push(inference);
    if (inferences.length >= BATCH) flush();
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
