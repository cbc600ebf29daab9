// Reasoning for one transaction: on the first read query that needs it, the schema's rules are compiled and their
// conclusions materialised into an overlay over the transaction's view; later queries reuse it. The transaction
// drops its Reasoner when it writes, so a new one starts from the changed data.
import type { ReadView } from '../storage/api.js';
import type { SchemaReader, TypeId } from '../schema/api.js';
import type { ThingReader } from '../concept/things.js';
import { StrataError } from '../common/errors.js';
import type { BodyCompiler } from './api.js';
import { conclusionOf, concludedTypes } from './conclusions.js';
import { InferredFacts } from './inferred-facts.js';
import { Materialiser, type CompiledRule, type ReasoningBudget } from './materialiser.js';
import { disjunctiveNormalForm } from './normal-form.js';
import { stratify } from './strata.js';

/** A first budget that finite rule sets of ordinary size never reach; queries with a limit may settle for it. */
export const INITIAL_BUDGET: ReasoningBudget = { rounds: 256, facts: 100_000 };
/** Past this, materialisation gives up: the rules are taken to infer without end. */
export const MAX_BUDGET: ReasoningBudget = { rounds: 4_096, facts: 1_000_000 };

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
}

export interface ReasonerOptions {
  readonly schema: SchemaReader;
  /** The transaction's view of the data. */
  readonly view: ReadView;
  /** Compiles rule bodies (the query layer's matcher). */
  readonly compileBody: BodyCompiler;
}

export class Reasoner {
  private state?: { facts: InferredFacts; materialiser: Materialiser };

  constructor(private readonly options: ReasonerOptions) {}

  /** Materialises within the budget (cumulative over calls) and returns the merged view. */
  reason(budget: ReasoningBudget): ReasonedView {
    const { facts, materialiser } = (this.state ??= this.start());
    const complete = materialiser.run(budget);
    return { things: facts.things, complete, rounds: materialiser.rounds, inferredFacts: facts.count };
  }

  private start(): { facts: InferredFacts; materialiser: Materialiser } {
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
      const attributeTypes = new Set<TypeId>();
      for (const body of bodies) {
        for (const t of body.reads) reads.add(t);
        for (const t of body.negatedReads) negatedReads.add(t);
        if (conclusion.kind === 'has' && conclusion.attribute.kind === 'variable') {
          for (const t of body.thingVariables.get(conclusion.attribute.name) ?? []) attributeTypes.add(t);
        }
      }
      rules.push({ label: rule.label, conclusion, bodies, reads, negatedReads, concludes: concludedTypes(conclusion, attributeTypes) });
    }
    return { facts, materialiser: new Materialiser(stratify(rules), facts) };
  }
}

export function reasoningExhausted(view: ReasonedView): StrataError {
  return new StrataError(
    'RSN',
    2,
    `Reasoning stopped after ${view.rounds} rounds and ${view.inferredFacts} inferred facts without reaching a fixpoint: ` +
      'the rules seem to infer facts without end (for example a relation that nests the relation it was inferred from). ' +
      'Add a limit to the query (answers then come from the facts inferred so far), or change the rules.',
  );
}
