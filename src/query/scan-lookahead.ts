// Which scan starts a match (or a part of it no bound variable reaches) is weighed with the step it enables: a scan
// of n things is followed by n runs of the cheapest step from the thing scanned, and that step's cost depends on which
// variable is bound. Scans of equal cost could differ tenfold in what follows: from a player of a role with 20
// subroles, its edges are read one range per subrole, from the other player one range (test/query/range-cost-plans.test.ts).
// Friends paired through friendships are found from a scan of the friendships, each read once, rather than of the
// people, each friendship reached from both its players (test/query/lookahead-plans.test.ts). The look-ahead is one
// step deep and worked out once per scope, the first time a scan is taken (scan-choice.ts sorts the variables by
// it), so planning stays linear in the match's size.
import type { SchemaType } from '../schema/api.js';
import type { Constraint } from './ir.js';
import type { Row } from './bindings.js';
import type { StepGenerator } from './step-plans.js';
import { EDGE_COST } from './plan-costs.js';

/** What the look-ahead asks of the scope's variables and constraints. */
export interface LookaheadInputs {
  /** The scope's scannable variables (value variables left out) in its order. */
  readonly variables: readonly string[];
  /** Whether the variable is a type variable: its scan binds types, and nothing is looked ahead from it. */
  isType(variable: string): boolean;
  /** What a scan of the variable costs (StepGenerators.scanCostOf). */
  scanCost(variable: string): number;
  /** The types a scan of the thing variable reads, with their instance counts. */
  scannedTypes(variable: string): readonly { readonly type: SchemaType; readonly count: number }[];
  /** The scope's constraints naming the variable. */
  naming(variable: string): readonly Constraint[];
  /** The generator the constraint offers at the row (StepGenerators.generator). */
  generator(c: Constraint, row: Row): StepGenerator | undefined;
}

/** Past this many types of a variable, the next step is weighed from the most numerous ones only. */
const TYPES_WEIGHED = 8;

/** Whether the constraint offers a step from the variable bound alone whose cost its type says: an edge, or its type. */
function stepFrom(variable: string, c: Constraint): boolean {
  switch (c.kind) {
    case 'has':
    case 'relation':
    case 'is':
      return true;
    case 'isa':
      return c.thing === variable && c.type.kind === 'var';
    default:
      return false;
  }
}

/**
 * Each scannable variable's scan cost with what follows it: the scan and the ranges it opens, then for each thing it
 * reads the cheapest step from that thing alone (an edge step with the ranges it opens, or else a scan of another
 * variable). Type variables keep their scan cost (a few types, looked at first anyway).
 */
export function lookaheadCosts(inputs: LookaheadInputs): Map<string, number> {
  const costs = new Map<string, number>();
  for (const v of inputs.variables) costs.set(v, inputs.scanCost(v));
  // The cheapest scan of another thing variable: the step after the scan when no edge from it is cheaper. (Type
  // variables are left out: a scan of a few types, after any root alike, would hide what the edges cost.)
  let [first, second] = [Infinity, Infinity];
  for (const v of inputs.variables) {
    const cost = costs.get(v)!;
    if (inputs.isType(v)) continue;
    if (cost < first) [first, second] = [cost, first];
    else if (cost < second) second = cost;
  }
  for (const v of inputs.variables) {
    if (inputs.isType(v)) continue;
    const scan = costs.get(v)!;
    const otherScan = scan === first ? second : first;
    const steps = inputs.naming(v).filter((c) => stepFrom(v, c));
    const types = [...inputs.scannedTypes(v)].sort((a, b) => b.count - a.count);
    const instances = types.reduce((sum, t) => sum + t.count, 0);
    if (instances === 0) continue;
    let next = otherScan === Infinity ? 0 : otherScan;
    if (steps.length > 0) {
      let weighed = 0;
      let total = 0;
      for (const { type, count } of types.slice(0, TYPES_WEIGHED)) {
        weighed += count;
        total += count * cheapestFrom(v, type, steps, otherScan, inputs);
      }
      next = total / Math.max(1, weighed);
    }
    // A scan opens a range per type, weighed as the extra ranges of an edge step are.
    costs.set(v, scan + EDGE_COST * (types.length - 1) + instances * next);
  }
  return costs;
}

/** The cheapest step from a thing of `type` bound to `variable` alone: one of `steps`, else `otherScan` (none: nothing follows). */
function cheapestFrom(variable: string, type: SchemaType, steps: readonly Constraint[], otherScan: number, inputs: LookaheadInputs): number {
  // A stand-in for any thing of the type: generators read only the bound things' types while costing a step.
  const row: Row = new Map([[variable, { kind: 'thing', thing: { iid: new Uint8Array(0), type } }]]);
  // A scan of another variable is what follows only when no edge does: beside an edge step it is a cross product,
  // after which the edge step still runs, once per pair (a company's taggings were read again for each topic).
  let cheapest = Infinity;
  for (const c of steps) {
    const g = inputs.generator(c, row);
    if (g !== undefined) cheapest = Math.min(cheapest, g.cost + EDGE_COST * (g.extraRanges ?? 0));
  }
  if (cheapest === Infinity) cheapest = otherScan;
  return cheapest === Infinity ? 0 : cheapest;
}
