// Which unbound variable a step would scan the instances (or types) of, chosen as planner.ts always chose it (the
// cheapest scan, the first in the scope's order among equal costs; the first of cost CHEAP at most, as soon as one
// is met) without weighing every variable of the scope at every step: the variables are sorted by scan cost once per
// scope, and a plan's cursors skip the prefix its ancestors found bound (along a search path bindings only grow).
import type { Constraint } from './ir.js';
import type { Row } from './bindings.js';
import type { Scope } from './match-scope.js';
import { CHEAP, UNBOUNDED } from './plan-costs.js';

/** What a role or `isa` type variable's scan costs on top, while the relation or thing that binds it for free is pending. */
export const DERIVED_TYPE_COST = UNBOUNDED / 16;

interface Candidate {
  readonly name: string;
  readonly cost: number;
  readonly index: number;
}

/** A scope's scannable variables (all but value variables) in the orders the choice reads them in. */
export interface ScanOrder {
  /** By scan cost, then the scope's order. */
  readonly byCost: readonly Candidate[];
  /** Those costing CHEAP at most, in the scope's order. */
  readonly cheap: readonly Candidate[];
  /** The pending constraints that bind each type variable for free (relations by its role, `isa` by its type). */
  readonly derivers: ReadonlyMap<string, readonly Constraint[]>;
}

/** Positions in ScanOrder's lists before which every variable is bound. */
export interface ScanCursor {
  readonly byCost: number;
  readonly cheap: number;
}

export const START: ScanCursor = { byCost: 0, cheap: 0 };

export function scanOrder(scope: Scope, costOf: (variable: string) => number): ScanOrder {
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
  return {
    byCost: [...candidates].sort((a, b) => a.cost - b.cost || a.index - b.index),
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
  const cursor = { byCost, cheap };
  if (limit !== undefined && limit <= CHEAP) return { cursor };
  // A scan of CHEAP at most ends the choice where it is met, so the first such in the scope's order is taken.
  for (let i = cheap; i < order.cheap.length; i++) {
    const c = order.cheap[i]!;
    if (!row.has(c.name) && !derived(c.name)) return { choice: c, cursor };
  }
  // Otherwise the cheapest, the first in the scope's order among equals: the first unbound variable in cost order,
  // unless a derived one before it costs less even with its surcharge.
  let best: { name: string; cost: number; index: number } | undefined;
  for (let i = byCost; i < order.byCost.length; i++) {
    const c = order.byCost[i]!;
    if (best !== undefined && c.cost > best.cost) break;
    if (row.has(c.name)) continue;
    const total = derived(c.name) ? c.cost + DERIVED_TYPE_COST : c.cost;
    if (best === undefined || total < best.cost || (total === best.cost && c.index < best.index)) best = { name: c.name, cost: total, index: c.index };
    if (total === c.cost) break;
  }
  return { choice: best !== undefined && (limit === undefined || best.cost < limit) ? best : undefined, cursor };
}
