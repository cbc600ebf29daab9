// What a disjunction costs as the next step of a match. Its branches run one after another, each binding the
// variables it shares with the enclosing pattern its own way, so its cost is the sum of each branch's cheapest way
// to bind one of them: a disjunction of key lookups (`{ $p has email "a"; } or { $p has email "b"; }`) binds a
// handful of things and is a far better start than scanning `$p`'s type, which a fixed last-resort cost never let
// it be.
import type { SchemaType } from '../schema/api.js';
import type { Conjunction, Constraint } from './ir.js';
import type { TypeSets } from './inference.js';
import { scopeVariables } from './constraint-variables.js';
import { CHEAP, EDGE_COST } from './plan-costs.js';

export interface BranchCostModel {
  /** The types each variable of the branch may take (the branch's own inference). */
  sets(branch: Conjunction): TypeSets;
  bound(variable: string): boolean;
  /** Whether the variable belongs to a scope enclosing the branch (so the branch shares it). */
  outside(variable: string): boolean;
  /** The cost of scanning the instances of the variable's types. */
  scan(variable: string, sets: TypeSets): number;
  ownersPerAttribute(type: SchemaType): number;
}

/**
 * The cost of running the disjunction now, or undefined when it must wait until nothing else is left: a branch
 * would otherwise meet an outer variable it cannot bind itself (a value variable, or one named only in a negation
 * or disjunction nested in it, which would then be read as local to that one).
 */
export function disjunctionCost(branches: readonly Conjunction[], model: BranchCostModel): number | undefined {
  let total = 0;
  for (const branch of branches) {
    const cost = branchCost(branch, model);
    if (cost === undefined) return undefined;
    total += cost;
  }
  return total;
}

function branchCost(branch: Conjunction, model: BranchCostModel): number | undefined {
  const shared: string[] = [];
  for (const v of scopeVariables(branch)) {
    if (model.bound(v) || !model.outside(v)) continue;
    const kind = branch.variables.get(v);
    if (kind === 'thing') shared.push(v);
    else if (kind !== 'type') return undefined;
  }
  // With every shared thing bound the branch only filters, or extends answers with its own variables.
  if (shared.length === 0) return CHEAP;
  const sets = model.sets(branch);
  return Math.min(...shared.map((v) => entryCost(v, branch, sets, model)));
}

/** The branch's cheapest way to bind `v`, as the matcher would: a lookup, an edge from a bound thing, or a scan. */
function entryCost(v: string, branch: Conjunction, sets: TypeSets, model: BranchCostModel): number {
  let best = model.scan(v, sets);
  const lookedUp = (a: string) => model.bound(a) || branch.constraints.some((c) => isValueLookup(c, a, model));
  for (const c of branch.constraints) {
    let cost = Infinity;
    if ((c.kind === 'iid' && c.variable === v) || isValueLookup(c, v, model)) cost = CHEAP;
    else if (c.kind === 'has' && c.attribute === v && model.bound(c.owner)) cost = EDGE_COST;
    else if (c.kind === 'has' && c.owner === v && lookedUp(c.attribute)) {
      let owners = 0;
      for (const t of sets.get(c.attribute) ?? []) if (t.root === 'attribute' && !t.isMeta) owners += model.ownersPerAttribute(t);
      cost = EDGE_COST * Math.max(1, owners);
    } else if (c.kind === 'relation') {
      const members = [c.relation, ...c.players.map((p) => p.player)];
      if (members.includes(v) && members.some((m) => m !== v && model.bound(m))) cost = 2 * EDGE_COST;
    }
    best = Math.min(best, cost);
  }
  return best;
}

/** `v == <literal or bound variable>`: an attribute found by its value. */
function isValueLookup(c: Constraint, v: string, model: BranchCostModel): boolean {
  return c.kind === 'compare' && c.left === v && (c.op === '==' || c.op === '=') && (c.right.kind === 'value' || model.bound(c.right.name));
}
