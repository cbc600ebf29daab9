// The view a read query runs over when its transaction reasons: the data plus what the rules infer from it.
import type { FetchQuery, Modifiers, Pattern } from '../typeql/ast.js';
import { INITIAL_BUDGET, isMaxBudget, nextBudget, reasoningExhausted, type ReasonedView } from '../reasoner/index.js';
import type { Deadline } from '../common/deadline.js';
import { PENDING, type Steps } from '../common/steps.js';
import type { SchemaReader, TypeId } from '../schema/api.js';
import { StoredCounts } from './stored-counts.js';
import type { QueryContext } from './executor.js';
import { PatternCompiler } from './compiler.js';
import { TypeInference } from './inference.js';
import { visitTypesRead } from './types-read.js';

/**
 * The context for a read query: unchanged without reasoning; otherwise over the materialised rules (those that
 * conclude a type the `match` or `fetch` may read; all rules when neither is given). When the rules have not
 * reached a fixpoint within the first budget, `enough` (given for queries with a limit) may accept the facts
 * inferred so far if they already give the query its answers; otherwise materialisation continues, up to the
 * maximum budget, past which the query fails rather than run without end.
 */
export function* reasoningContext(
  ctx: QueryContext,
  options: {
    match?: readonly Pattern[];
    fetch?: FetchQuery;
    enough?: (partial: QueryContext) => Steps<boolean>;
    /** The query's answers over the view given, with pause points: reasoning is then demand-driven (reasoner/demand.ts). */
    probe?: (partial: QueryContext) => Iterable<unknown>;
  } = {},
): Steps<QueryContext> {
  const reasoner = ctx.reasoner;
  if (!reasoner) return ctx;
  const types =
    options.fetch !== undefined ? fetchTypesRead(ctx.schema, options.fetch, ctx.deadline)
      : options.match !== undefined ? typesRead(ctx.schema, options.match, ctx.deadline)
        : undefined;
  // A match that reads no thing type (a schema query) sees nothing a rule infers.
  if (types?.size === 0) return ctx;
  if (options.probe !== undefined && types !== undefined && storedThingsAtLeast(ctx, types, DEMAND_MIN_STORED_THINGS)) {
    const demanded = yield* demandDrivenContext(ctx, reasoner, types, options.probe, options.enough);
    if (demanded !== undefined) return demanded;
  }
  let budget = INITIAL_BUDGET;
  let view: ReasonedView = yield* reasoner.reason(budget, types);
  if (view.rules === 0) return ctx;
  const statistics = ctx.statistics && new StoredCounts(ctx.statistics, ctx.things);
  while (!view.complete) {
    const partial = { ...ctx, things: view.things, statistics };
    if (options.enough && (yield* options.enough(partial))) return partial;
    if (isMaxBudget(budget)) throw reasoningExhausted(view);
    budget = nextBudget(budget);
    view = yield* reasoner.reason(budget, types);
  }
  return { ...ctx, things: view.things, statistics, derivations: view.derivations };
}

/**
 * Below this many stored things of the types a query reads, its rules are materialised in full at once: over little
 * data that is cheap, and demand-driven reasoning would cost more, as it runs the query's match once more as a probe
 * (a query already materialised took 61 ms instead of 23) and spreads demand one thing at a time through rules whose
 * facts most things take part in (one user's permissions in the IAM benchmark: 7.9 s instead of 6.2 s).
 */
export const DEMAND_MIN_STORED_THINGS = 5_000;

/** Whether the stored instances of the types reach `limit` (statistics' counts, cached across queries). */
function storedThingsAtLeast(ctx: QueryContext, types: ReadonlySet<TypeId>, limit: number): boolean {
  if (ctx.statistics === undefined) return true;
  let stored = 0;
  for (const id of types) {
    const type = ctx.schema.byId(id);
    if (type !== undefined && (stored += ctx.statistics.count(type, ctx.things)) >= limit) return true;
  }
  return false;
}

/**
 * The context with the inferred facts the query reads, and those only: the query's match runs as a probe over what is
 * inferred so far, its reads demand facts (reasoner/demand.ts), and the probe runs again until it demands nothing
 * new. Undefined when the rules cannot be materialised on demand, or the probe (or a rule) reads every instance of
 * an inferred type or demands very many things, where materialising in full costs less: the caller then does.
 */
function* demandDrivenContext(
  ctx: QueryContext,
  reasoner: NonNullable<QueryContext['reasoner']>,
  types: ReadonlySet<TypeId>,
  probe: (partial: QueryContext) => Iterable<unknown>,
  enough: ((partial: QueryContext) => Steps<boolean>) | undefined,
): Steps<QueryContext | undefined> {
  const statistics = ctx.statistics && new StoredCounts(ctx.statistics, ctx.things);
  let budget = INITIAL_BUDGET;
  for (;;) {
    const view = yield* reasoner.reasonOnDemand(budget, types);
    if (view === undefined || reasoner.demanded.overflow) return undefined;
    const partial: QueryContext = { ...ctx, things: view.things, statistics, derivations: view.derivations };
    if (view.rules === 0) {
      reasoner.enforceDemand(true);
      return ctx;
    }
    if (!view.complete) {
      if (enough && (yield* enough(partial))) return partial;
      if (isMaxBudget(budget)) throw reasoningExhausted(view);
      budget = nextBudget(budget);
      continue;
    }
    const before = reasoner.demanded.keys;
    for (const _ of probe(partial)) {
      if (reasoner.demanded.overflow) return undefined;
      yield PENDING;
    }
    if (reasoner.demanded.overflow) return undefined;
    if (reasoner.demanded.keys === before) {
      reasoner.enforceDemand(true);
      // The probe's own context: the caller may take the answers it gave as the query's.
      return partial;
    }
  }
}

/** Ids of the types thing variables of the match may take, in every scope (negations and disjunctions too). */
function typesRead(schema: SchemaReader, match: readonly Pattern[], deadline?: Deadline): Set<TypeId> {
  const conjunction = new PatternCompiler(schema).compile(match);
  const inference = new TypeInference(schema, deadline);
  const out = new Set<TypeId>();
  visitTypesRead(inference, conjunction, inference.infer(conjunction), (type) => out.add(type));
  return out;
}

/** The types a fetch reads: those of its match and subqueries, and the attribute types it projects (with subtypes). */
function fetchTypesRead(schema: SchemaReader, query: FetchQuery, deadline?: Deadline, out = new Set<TypeId>()): Set<TypeId> {
  for (const t of typesRead(schema, query.match, deadline)) out.add(t);
  for (const p of query.projections) {
    if (p.kind === 'subquery') {
      if (p.query.kind === 'fetch') fetchTypesRead(schema, p.query, deadline, out);
      else for (const t of typesRead(schema, p.query.get.match, deadline)) out.add(t);
      continue;
    }
    for (const a of p.attributes ?? []) {
      const type = schema.get(a.type);
      if (type) for (const sub of schema.subtypes(type)) out.add(sub.id);
    }
  }
  return out;
}

/**
 * Whether answers over a partial materialisation can stand for the query's answers: only when it takes the first
 * `limit` answers in no particular order and has no negation (which could hold only for lack of inferred facts).
 */
export function acceptsPartialAnswers(match: readonly Pattern[], modifiers: Modifiers): boolean {
  return modifiers.limit !== undefined && (modifiers.sort ?? []).length === 0 && !match.some(hasNegation);
}

function hasNegation(p: Pattern): boolean {
  if (p.kind === 'negation') return true;
  if (p.kind === 'conjunction') return p.patterns.some(hasNegation);
  if (p.kind === 'disjunction') return p.branches.some((b) => b.some(hasNegation));
  return false;
}
