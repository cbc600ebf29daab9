// Which unbound variable a step would scan the instances (or types) of: the first of cost CHEAP at most, in the scope's
// order, as soon as one is met; otherwise, if the cheapest scan costs less than the step's other generators, the scan
// whose cost with the step it enables (its rank, scan-lookahead.ts) is least, the first in the scope's order among
// equals. Every variable of the scope is not weighed at every step: the variables are sorted by cost once per scope,
// and by rank the first time a scan is taken (most matches start from a lookup and take none), and a plan's cursors
// skip the prefix its ancestors found bound (along a search path bindings only grow).
import type { Constraint } from './ir.js';
import type { Row } from './bindings.js';
import type { Scope } from './match-scope.js';
import { CHEAP, UNBOUNDED } from './plan-costs.js';

/** What a role or `isa` type variable's scan costs on top, while the relation or thing that binds it for free is pending. */
export const DERIVED_TYPE_COST = UNBOUNDED / 16;

interface Candidate {
  readonly name: string;
  /** What its scan costs: what a scan is weighed against the step's other generators with. */
  readonly cost: number;
  readonly index: number;
}

interface Ranked extends Candidate {
  /** What its scan costs with the step after it: what the scan taken is chosen by. */
  readonly rank: number;
}

/** A scope's scannable variables (all but value variables) in the orders the choice reads them in. */
export interface ScanOrder {
  /** By scan cost, then the scope's order. */
  readonly byCost: readonly Candidate[];
  /** By rank, then the scope's order: sorted when first asked for. */
  byRank(): readonly Ranked[];
  /** Those costing CHEAP at most, in the scope's order. */
  readonly cheap: readonly Candidate[];
  /** The pending constraints that bind each type variable for free (relations by its role, `isa` by its type). */
  readonly derivers: ReadonlyMap<string, readonly Constraint[]>;
}

/** Positions in ScanOrder's lists before which every variable is bound. */
export interface ScanCursor {
  readonly byCost: number;
  readonly cheap: number;
  readonly byRank: number;
}

export const START: ScanCursor = { byCost: 0, cheap: 0, byRank: 0 };

/**
 * The scope's scannable variables sorted, `costOf` giving each one's scan cost, and `ranks` (asked once, when a scan
 * is first taken) each one's rank.
 */
export function scanOrder(scope: Scope, costOf: (variable: string) => number, ranks: () => ReadonlyMap<string, number>): ScanOrder {
  const candidates: Candidate[] = [];
  scope.variables.forEach((name, index) => {
    if (scope.conjunction.variables.get(name) !== 'value') candidates.push({ name, cost: costOf(name), index });
  });
  const derivers = new Map<string, Constraint[]>();
  const derive = (v: string, c: Constraint) => {
    const list = derivers.get(v);
    if (list === undefined) derivers.set(v, [c]);
    else if (list.at(-1) !== c) list.push(c);
  };
  for (const c of scope.conjunction.constraints) {
    if (c.kind === 'relation') for (const p of c.players) if (p.role?.kind === 'var') derive(p.role.name, c);
    if (c.kind === 'isa' && c.type.kind === 'var') derive(c.type.name, c);
  }
  let byRank: Ranked[] | undefined;
  return {
    byCost: [...candidates].sort((a, b) => a.cost - b.cost || a.index - b.index),
    byRank: () => {
      if (byRank !== undefined) return byRank;
      const rankOf = ranks();
      byRank = candidates.map((c) => ({ name: c.name, cost: c.cost, index: c.index, rank: rankOf.get(c.name) ?? c.cost }));
      return byRank.sort((a, b) => a.rank - b.rank || a.index - b.index);
    },
    cheap: candidates.filter((c) => c.cost <= CHEAP),
    derivers,
  };
}

/**
 * The scan to take at `row` if it costs less than `limit` (the best other generator's cost, undefined for none),
 * with the cursors a plan below this one may start from. `pending` says whether a constraint is still pending.
 */
export function chooseScan(
  order: ScanOrder,
  from: ScanCursor,
  row: Row,
  pending: (c: Constraint) => boolean,
  limit: number | undefined,
): { readonly choice?: { readonly name: string; readonly cost: number }; readonly cursor: ScanCursor } {
  const derived = (v: string) => order.derivers.get(v)?.some(pending) ?? false;
  let cheap = from.cheap;
  while (cheap < order.cheap.length && row.has(order.cheap[cheap]!.name)) cheap++;
  let byCost = from.byCost;
  while (byCost < order.byCost.length && row.has(order.byCost[byCost]!.name)) byCost++;
  const cursor: ScanCursor = { byCost, cheap, byRank: from.byRank };
  if (limit !== undefined && limit <= CHEAP) return { cursor };
  // A scan of CHEAP at most ends the choice where it is met, so the first such in the scope's order is taken.
  for (let i = cheap; i < order.cheap.length; i++) {
    const c = order.cheap[i]!;
    if (!row.has(c.name) && !derived(c.name)) return { choice: c, cursor };
  }
  // Otherwise a scan is taken if the cheapest costs less than the limit: the cheapest, the first in the scope's order
  // among equals, is the first unbound variable in cost order, unless a derived one before it costs less even with its
  // surcharge.
  const cheapest = least(order.byCost, byCost, row, derived, false);
  if (cheapest === undefined || (limit !== undefined && cheapest.key >= limit)) return { cursor };
  // The scan taken is the least by rank, found the same way.
  const ranked = order.byRank();
  let byRank = from.byRank;
  while (byRank < ranked.length && row.has(ranked[byRank]!.name)) byRank++;
  const taken = least(ranked, byRank, row, derived, true)!;
  // Beside another step, a scan of n things is weighed with what follows it too: every step still pending then runs
  // n times over. Its own cost alone made a scan of four statuses or six topics beside a bound company's relations
  // look cheaper than following them, and the relations were read again for each (bench:plans: 4.7× the reads).
  if (limit !== undefined && taken.key >= limit) return { cursor: { byCost, cheap, byRank } };
  return { choice: { name: taken.candidate.name, cost: taken.candidate.cost + taken.surcharge }, cursor: { byCost, cheap, byRank } };
}

/**
 * The unbound variable of least key (its cost, or its rank if `ranked`, with the surcharge of a derived one) in
 * `sorted` (by that key, then the scope's order) from `from`, the first in the scope's order among equals.
 */
function least(
  sorted: readonly (Candidate | Ranked)[],
  from: number,
  row: Row,
  derived: (v: string) => boolean,
  ranked: boolean,
): { candidate: Candidate; key: number; surcharge: number } | undefined {
  let best: { candidate: Candidate; key: number; surcharge: number } | undefined;
  for (let i = from; i < sorted.length; i++) {
    const c = sorted[i]!;
    const own = ranked ? (c as Ranked).rank : c.cost;
    if (best !== undefined && own > best.key) break;
    if (row.has(c.name)) continue;
    const surcharge = derived(c.name) ? DERIVED_TYPE_COST : 0;
    const key = own + surcharge;
    if (best === undefined || key < best.key || (key === best.key && c.index < best.candidate.index)) best = { candidate: c, key, surcharge };
    if (surcharge === 0) break;
  }
  return best;
}
