// Planning a match's next step: which constraints a step checks (those whose variables are bound), whether a row
// passing them is an answer, and otherwise the cheapest way to bind more of the scope's variables among those
// step-generators.ts offers (an IID or attribute-value lookup, an edge traversal from a bound thing, a disjunction's
// branches, or a scan of a type's instances). The search (matcher.ts) asks at every row; plans are kept per scope
// and planning inputs (step-plans.ts), so only rows with inputs not met before are planned.
import type { SchemaReader } from '../schema/api.js';
import type { ThingReader } from '../concept/things.js';
import type { InstanceStatistics } from '../concept/statistics.js';
import type { Pending } from '../common/steps.js';
import { StrataError } from '../common/errors.js';
import type { Constraint } from './ir.js';
import { constraintText } from './constraint-text.js';
import type { Row } from './bindings.js';
import { variablesOf } from './expressions.js';
import { constraintVariables, derivedTypeVariables, nestedScopeVariables } from './constraint-variables.js';
import { CHEAP, UNBOUNDED } from './plan-costs.js';
import { allBound, variableKinds, type Scope, type Scopes } from './match-scope.js';
import type { PlanNode, StepGenerator, StepPlan } from './step-plans.js';
import { StepGenerators, type SearchHooks } from './step-generators.js';

export type { SearchHooks } from './step-generators.js';

/**
 * Asks the match to bind `variable` first in this order, if its plan starts by scanning that variable anyway;
 * `ordered` then says (once an answer came) that answers come in that variable's order, ascending or descending.
 */
export interface MatchOrder {
  readonly variable: string;
  readonly descending: boolean;
  ordered: boolean;
}

/** How a row is extended: what runs, and the node of the constraints left after it. */
export interface Extension {
  readonly run: (row: Row) => Iterable<Row | void | Pending>;
  readonly next: PlanNode;
}

const DERIVED_TYPE_COST = UNBOUNDED / 16;

export class Planner {
  private readonly generators: StepGenerators;
  constructor(schema: SchemaReader, things: ThingReader, statistics: InstanceStatistics, scopes: Scopes, search: SearchHooks) {
    this.generators = new StepGenerators(schema, things, statistics, scopes, search);
  }

  /** Step plans made so far (each for one scope, list of remaining constraints and planning key). */
  plansMade = 0;

  /**
   * The plan of a step at `row` with `remaining` constraints left: the filters it checks, and whether a row passing
   * them is an answer. Made once per scope and planning inputs (step-plans.ts), not at every row.
   */
  plan(scope: Scope, row: Row, node: PlanNode): StepPlan {
    const key = node.key(row);
    let plan = node.get(key);
    if (plan === undefined) {
      const remaining = node.remaining;
      const filters: Constraint[] = [];
      // Below the root only constraints naming a variable the last step bound can have become checkable.
      for (const c of node.candidates ?? remaining) if (this.isCheckable(c, row, scope)) filters.push(c);
      let pending = remaining;
      if (filters.length > 0) {
        const checked = new Set(filters);
        pending = remaining.filter((c) => !checked.has(c));
      }
      plan = { filters, pending, answer: pending.length === 0 && allBound(scope, row) };
      node.add(key, plan);
      this.plansMade++;
    }
    return plan;
  }

  /**
   * How to extend a row that passed the plan's filters: its cheapest generator, chosen at the first such row.
   * `order` asks for the plan's first step in a variable's order (MatchOrder).
   */
  extend(plan: StepPlan, node: PlanNode, scope: Scope, row: Row, order: MatchOrder | undefined): Extension {
    const { generator, next } = (plan.extension ??= this.cheapest(scope, row, plan, node));
    // The plan's first step binds the sort variable: in the sort's order, every answer extends its binding in turn.
    const read = order !== undefined && generator.inOrder?.variable === order.variable ? generator.inOrder.read() : undefined;
    if (read === undefined) return { run: generator.run, next };
    order!.ordered = true;
    return { run: (r) => this.generators.bindRead(r, order!.variable, read(order!.descending)), next };
  }

  private isCheckable(c: Constraint, row: Row, scope: Scope): boolean {
    if (c.kind === 'disjunction') return false;
    let needs = scope.needs.get(c);
    if (needs === undefined) {
      needs = constraintVariables(c, (v) => scope.conjunction.variables.has(v));
      scope.needs.set(c, needs);
    }
    for (const v of needs) if (!row.has(v)) return false;
    return true;
  }

  /** The cheapest way to bind more variables at `row`, given the constraints the plan leaves pending. */
  private cheapest(scope: Scope, row: Row, plan: StepPlan, node: PlanNode): NonNullable<StepPlan['extension']> {
    const pending = plan.pending;
    let best: StepGenerator | undefined;
    // What the best generator binds from: its constraint, or the variable it scans.
    let source: Constraint | string | undefined;
    for (const c of pending) {
      if (c.kind === 'assign' && waitsForDisjunction(c, pending)) continue;
      const g = this.generators.generator(c, row, scope);
      if (g && (!best || g.cost < best.cost)) {
        best = g;
        source = c;
      }
    }
    const derived = derivedTypeVariables(pending);
    for (const v of scope.variables) {
      if (best && best.cost <= CHEAP) break;
      if (row.has(v) || scope.conjunction.variables.get(v) === 'value') continue;
      // A role or `isa` type variable is bound for free once its relation or thing is: enumerating its types first
      // only multiplies the work that follows.
      const cost = this.generators.scanCostOf(v, scope) + (derived.has(v) ? DERIVED_TYPE_COST : 0);
      // The scan itself is built only when it wins: a step offers one to every unbound variable.
      if (!best || cost < best.cost) {
        best = this.generators.scanGenerator(v, scope, pending);
        best.cost = cost;
        source = v;
      }
    }
    if (!best) {
      const stuck = pending.find((c) => c.kind === 'assign' || c.kind === 'compare');
      if (stuck) {
        throw new StrataError('QRY', 21, `A value variable in this pattern can never be assigned: '${constraintText(stuck, variableKinds(scope))}'.`);
      }
      throw new StrataError('INT', 1, 'The query planner could not bind every variable.');
    }
    const consumed = best.consumes;
    const rest = consumed ? pending.filter((c) => c !== consumed) : pending;
    const binds = typeof source === 'string' ? [source] : [...constraintVariables(source!, () => true), ...nestedScopeVariables(source!)];
    return { generator: best, next: scope.plans.child(node, plan.filters, consumed, binds, rest) };
  }
}

/**
 * Whether an assignment waits for one of the pending disjunctions: one that narrows an operand may keep it to the one value
 * type the expression was typed with (each conjunction of the normal form is typed on its own), filtering out the
 * answers it could not be evaluated for. Not one that reads the assigned value, which needs the assignment first.
 */
function waitsForDisjunction(assign: Extract<Constraint, { kind: 'assign' }>, pending: readonly Constraint[]): boolean {
  for (const d of pending) {
    if (d.kind !== 'disjunction') continue;
    const variables = nestedScopeVariables(d);
    if (!variables.has(assign.variable) && variablesOf(assign.expression).some((v) => variables.has(v))) return true;
  }
  return false;
}
