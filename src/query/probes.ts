// Demand-driven reasoning runs a query's answers as probes over what is inferred so far (reasoning.ts), until a probe
// demands nothing new. That last probe read only complete facts, so what it answered is the query's answer: each
// probe folds its answers as they come, and the query takes the last probe's fold rather than running again.
import { PENDING, type Pending } from '../common/steps.js';
import type { QueryContext } from './executor.js';

/** The most answers a probe keeps to give as the query's own (past them, the query runs again). */
export const PROBE_ANSWERS_KEPT = 10_000;

/** How a probe folds its answers: into what `start` makes, one `step` per answer (`at`: the probe's context). */
export interface ProbeFold<A, T> {
  start(): T;
  step(folded: T, answer: A, at: QueryContext): void;
}

export interface FoldingProbe<A, T> {
  /** For reasoningContext's `probe`: the answers over a partial context, folded as they pass. */
  readonly probe: (partial: QueryContext) => Iterable<A | Pending>;
  /** The last probe's fold, if that probe ran over `ctx` (the context reasoning returned); undefined otherwise. */
  foldedOver(ctx: QueryContext): T | undefined;
}

export function foldingProbe<A, T>(answers: (partial: QueryContext) => Iterable<A | Pending>, fold: ProbeFold<A, T>): FoldingProbe<A, T> {
  let last: { readonly ctx: QueryContext; readonly folded: T } | undefined;
  return {
    probe: function* (partial) {
      const kept = { ctx: partial, folded: fold.start() };
      last = kept;
      for (const answer of answers(partial)) {
        if (answer !== PENDING) fold.step(kept.folded, answer as A, partial);
        yield answer;
      }
    },
    foldedOver: (ctx) => (last?.ctx === ctx ? last.folded : undefined),
  };
}

/** The answers themselves, at most PROBE_ANSWERS_KEPT of them; none for a sorted query, which runs again. */
export function keptAnswers<A>(sorted: boolean): ProbeFold<A, { answers: A[] | undefined }> {
  return {
    start: () => ({ answers: sorted ? undefined : [] }),
    step: (folded, answer) => {
      if (folded.answers === undefined) return;
      if (folded.answers.length < PROBE_ANSWERS_KEPT) folded.answers.push(answer);
      else folded.answers = undefined;
    },
  };
}
