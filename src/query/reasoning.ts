// The view a read query runs over when its transaction reasons: the data plus what the rules infer from it.
import type { Modifiers, Pattern } from '../typeql/ast.js';
import { INITIAL_BUDGET, isMaxBudget, nextBudget, reasoningExhausted, type ReasonedView } from '../reasoner/index.js';
import type { QueryContext } from './executor.js';

/**
 * The context for a read query: unchanged without reasoning; otherwise over the materialised rules. When the
 * rules have not reached a fixpoint within the first budget, `enough` (given for queries with a limit) may accept
 * the facts inferred so far if they already give the query its answers; otherwise materialisation continues, up
 * to the maximum budget, past which the query fails rather than run without end.
 */
export function reasoningContext(ctx: QueryContext, enough?: (partial: QueryContext) => boolean): QueryContext {
  const reasoner = ctx.reasoner;
  if (!reasoner) return ctx;
  let budget = INITIAL_BUDGET;
  let view: ReasonedView = reasoner.reason(budget);
  while (!view.complete) {
    const partial = { ...ctx, things: view.things };
    if (enough?.(partial)) return partial;
    if (isMaxBudget(budget)) throw reasoningExhausted(view);
    budget = nextBudget(budget);
    view = reasoner.reason(budget);
  }
  return { ...ctx, things: view.things };
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
