// Reasoning for one read transaction: on the first query that needs it, the schema's rules are compiled and their
// conclusions materialised into an overlay over the transaction's view; later queries reuse it (the view of a read
// transaction never changes; write transactions do not reason).
import type { ReadView } from '../storage/api.js';
import type { SchemaReader, TypeId } from '../schema/api.js';
import type { ThingReader } from '../concept/things.js';
import { StrataError } from '../common/errors.js';
import { runSteps, type Steps } from '../common/steps.js';
import type { BodyCompiler } from './api.js';
import { conclusionOf, concludedTypes } from './conclusions.js';
import { InferredFacts } from './inferred-facts.js';
import { derivationsOf, type Derivation, type ExplainedFact } from './derivations.js';
import { Materialiser, type CompiledRule, type FactLimit, type ReasoningBudget } from './materialiser.js';
import { disjunctiveNormalForm } from './normal-form.js';
import { DemandMaterialiser } from './demand.js';
import { ruleDependencies, rulesFor, stratify } from './strata.js';

/**
 * A first budget that finite rule sets of ordinary size stay within; past it, a query with a limit may take its
 * answers from the facts inferred so far, and any other query continues with a budget four times larger.
 */
export const INITIAL_BUDGET: ReasoningBudget = { rounds: 256, facts: 50_000 };
/**
 * Past this, materialisation gives up: the rules are taken to infer without end. Inferred facts live in memory, so
 * the fact cap bounds a transaction's reasoning at ~1 GB: with bench/reasoning-memory.ts, an inferred relation keeps
 * 1.3–1.5 KB of heap and the process peaks at up to ~3 KB a fact while it reasons (an ownership: ~0.3 KB kept).
 * A round that adds a fact or two costs little, so rounds may be many: a chain of links that passes a fact along
 * takes one round per link.
 */
export const MAX_BUDGET: ReasoningBudget = { rounds: 8_192, facts: 350_000 };

const HARD_LIMIT: FactLimit = {
  facts: MAX_BUDGET.facts,
  exceeded: (rounds, inferredFacts) => reasoningExhausted({ rounds, inferredFacts }),
};

export function nextBudget(budget: ReasoningBudget): ReasoningBudget {
  return {
    rounds: Math.min(budget.rounds * 4, MAX_BUDGET.rounds),
    facts: Math.min(budget.facts * 4, MAX_BUDGET.facts),
  };
}

export function isMaxBudget(budget: ReasoningBudget): boolean {
  return budget.rounds >= MAX_BUDGET.rounds && budget.facts >= MAX_BUDGET.facts;
}

/** The data as the rules complete it, as far as reasoning has got. */
export interface ReasonedView {
  readonly things: ThingReader;
  /** False when the budget ran out before the fixpoint: some inferable facts are missing. */
  readonly complete: boolean;
  readonly rounds: number;
  readonly inferredFacts: number;
  /** How many rules the requested types need: none means the data alone answers the query. */
  readonly rules: number;
  /** How an inferred fact was concluded (found when asked: see derivations.ts). */
  readonly derivations: (fact: ExplainedFact) => Derivation[];
}

export interface ReasonerOptions {
  readonly schema: SchemaReader;
  /** The transaction's view of the data. */
  readonly view: ReadView;
  /** Compiles rule bodies (the query layer's matcher). */
  readonly compileBody: BodyCompiler;
}

/**
 * Rules are compiled on first use. A query names the types it reads; only the rules that conclude one of them (and
 * the rules those depend on) are materialised, so a query that reads nothing inferable costs nothing. Rules needed
 * later are materialised after the ones already running: nothing they depend on is left out of the earlier set,
 * which is closed under dependencies, and nothing in the earlier set depends on them.
 */
export class Reasoner {
  private state?: {
    facts: InferredFacts;
    rules: CompiledRule[];
    dependencies: Map<CompiledRule, CompiledRule[]>;
    /** Rules materialised in full (by the batches). */
    active: Set<CompiledRule>;
    batches: Materialiser[];
    /** Rules materialised as far as reads demand them (see demand.ts): never also in `active`. */
    demand: DemandMaterialiser;
  };

  constructor(private readonly options: ReasonerOptions) {}

  /**
   * The data with what reasoning has inferred so far (undefined before any query reasoned): as in TypeDB, concepts
   * a query inferred can be read through the Concept API in the same transaction.
   */
  get inferredSoFar(): ThingReader | undefined {
    return this.state?.facts.things;
  }

  /**
   * Materialises the rules the types need (all rules without `types`) within the budget, cumulative over calls,
   * and returns the merged view. Work in steps (common/steps.ts): it pauses between rounds and inside them. Rules
   * so far materialised on demand that the types need are materialised in full from now on, with every other
   * rule on demand (they may depend on each other).
   */
  *reason(budget: ReasoningBudget, types?: ReadonlySet<TypeId>): Steps<ReasonedView> {
    const state = (this.state ??= this.start());
    this.enforceDemand(false);
    const needed = types === undefined ? new Set(state.rules) : rulesFor(types, state.rules, state.dependencies);
    const promoted = [...needed].some((r) => state.demand.rules.has(r)) ? new Set(state.demand.clear()) : new Set<CompiledRule>();
    const fresh = state.rules.filter((r) => (needed.has(r) || promoted.has(r)) && !state.active.has(r));
    if (fresh.length > 0) {
      for (const r of fresh) state.active.add(r);
      state.batches.push(new Materialiser(stratify(fresh, state.dependencies), state.facts, HARD_LIMIT));
    }
    const view = yield* this.materialise(budget, needed.size);
    this.enforceDemand(view.complete);
    return view;
  }

  /**
   * As `reason`, but the rules the types need that are not yet materialised in full are materialised only as far
   * as reads have demanded (see demand.ts). Undefined when those rules cannot be: a rule negates a type one of them
   * concludes. The caller then probes: it runs its match over the view (reads record
   * new demand: `demanded` grows) and calls this again until a probe demands nothing new, then `enforceDemand`.
   */
  *reasonOnDemand(budget: ReasoningBudget, types: ReadonlySet<TypeId>): Steps<ReasonedView | undefined> {
    const state = (this.state ??= this.start());
    this.enforceDemand(false);
    const needed = rulesFor(types, state.rules, state.dependencies);
    const partial = [...needed].filter((r) => !state.active.has(r));
    const concluded = new Set(partial.flatMap((r) => r.concludes));
    const eligible = partial.every((r) => ![...r.negatedReads].some((t) => concluded.has(t)));
    if (!eligible) return undefined;
    state.demand.join(partial);
    return yield* this.materialise(budget, needed.size);
  }

  /** How many facts reasoning has inferred in this transaction so far. */
  get inferredFacts(): number {
    return this.state?.facts.count ?? 0;
  }

  /** Keys recorded by reads so far, and whether they are more than demand-driven reasoning should serve. */
  get demanded(): { readonly keys: number; readonly overflow: boolean } {
    const demand = this.state?.demand;
    return { keys: demand?.keys ?? 0, overflow: demand?.overflow ?? false };
  }

  /**
   * Once a query's probes demand nothing new, the query runs: a read it makes that demands something new all the
   * same (its plan may differ from the probe's) completes those facts before it goes on, without pausing.
   */
  enforceDemand(on: boolean): void {
    const demand = this.state?.demand;
    if (demand) demand.settle = on ? () => this.settle() : undefined;
  }

  private settle(): void {
    this.enforceDemand(false);
    const demand = this.state!.demand;
    demand.settling = true;
    try {
      const view = runSteps(this.materialise(MAX_BUDGET, 0));
      if (!view.complete) throw reasoningExhausted(view);
    } finally {
      demand.settling = false;
      this.enforceDemand(true);
    }
  }

  /** Runs the batches in order, then demand-driven materialisation, within the budget. */
  private *materialise(budget: ReasoningBudget, rules: number): Steps<ReasonedView> {
    const state = this.state!;
    let complete = true;
    let rounds = 0;
    for (const batch of state.batches) {
      if (complete) complete = yield* batch.run({ rounds: budget.rounds - rounds, facts: budget.facts });
      rounds += batch.rounds;
    }
    if (complete) complete = yield* state.demand.run({ rounds: budget.rounds - rounds, facts: budget.facts });
    rounds += state.demand.rounds;
    const derivations = (fact: ExplainedFact) => derivationsOf(fact, state.active, state.facts);
    return { things: state.facts.things, complete, rounds, inferredFacts: state.facts.count, rules, derivations };
  }

  private start() {
    const { schema, view, compileBody } = this.options;
    const facts = new InferredFacts(view, schema);
    const rules: CompiledRule[] = [];
    for (const rule of schema.rules().values()) {
      const conclusion = conclusionOf(rule, schema);
      const bodies = disjunctiveNormalForm(rule.when ?? [])
        .map((conjunction) => compileBody(conjunction, facts.things))
        .filter((body) => body.satisfiable);
      if (bodies.length === 0) continue;
      const reads = new Set<TypeId>();
      const negatedReads = new Set<TypeId>();
      // The types the `when` allows the variable the conclusion takes its type from, if it does.
      const variable =
        conclusion.kind === 'relation'
          ? conclusion.relationType.kind === 'variable' ? conclusion.relationType.name : undefined
          : conclusion.attribute.kind === 'variable' ? conclusion.attribute.name : undefined;
      const variableTypes = new Set<TypeId>();
      for (const body of bodies) {
        for (const t of body.reads) reads.add(t);
        for (const t of body.negatedReads) negatedReads.add(t);
        const variables = conclusion.kind === 'relation' ? body.typeVariables : body.thingVariables;
        if (variable !== undefined) for (const t of variables.get(variable) ?? []) variableTypes.add(t);
      }
      const concludes = concludedTypes(conclusion, [...variableTypes].map((id) => schema.byId(id)!));
      rules.push({ label: rule.label, conclusion, bodies, reads, negatedReads, concludes });
    }
    const demand = new DemandMaterialiser(facts, HARD_LIMIT);
    facts.things.demand = demand;
    return { facts, rules, dependencies: ruleDependencies(rules), active: new Set<CompiledRule>(), batches: [] as Materialiser[], demand };
  }
}

export function reasoningExhausted(view: Pick<ReasonedView, 'rounds' | 'inferredFacts'>): StrataError {
  return new StrataError(
    'RSN',
    8,
    `Reasoning stopped after ${view.rounds} rounds and ${view.inferredFacts} inferred facts without reaching a fixpoint, ` +
      `at Strata's limits for one transaction (${MAX_BUDGET.rounds} rounds, ${MAX_BUDGET.facts} inferred facts): either the ` +
      'rules infer facts without end (for example a relation that nests the relation it was inferred from), or this data ' +
      'needs more than that. Add a limit to the query (answers then come from the facts inferred so far), or change the rules.',
  );
}
