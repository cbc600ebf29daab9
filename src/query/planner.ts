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
import type { Conjunction, Constraint } from './ir.js';
import { constraintText } from './constraint-text.js';
import type { Row } from './bindings.js';
import { constraintVariables, nestedScopeVariables } from './constraint-variables.js';
import { assignmentWaitsFor, branchWaits } from './branch-waits.js';
import { pushed, popped } from './plan-queue.js';
import { chooseScan, scanOrder, type ScanOrder } from './scan-choice.js';
import { lookaheadCosts } from './scan-lookahead.js';
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

export class Planner {
  private readonly generators: StepGenerators;
  constructor(
    schema: SchemaReader,
    things: ThingReader,
    statistics: InstanceStatistics,
    scopes: Scopes,
    search: SearchHooks,
    /**
     * For benchmarks and tests of the planner: the top scope's thing variables in the order its steps bind them, each
     * by the cheapest step that binds it (a constraint's or its scan), in place of the cheapest step overall.
     */
    private readonly forcedOrder?: readonly string[],
  ) {
    this.generators = new StepGenerators(schema, things, statistics, scopes, search);
  }

  /** Step plans made so far (each for one scope, set of remaining constraints and planning key). */
  plansMade = 0;
  /**
   * Constraints weighed while planning so far (checked for being checkable, or asked for their generator's cost):
   * what planning's time grows with, counted for tests.
   */
  constraintsWeighed = 0;

  /**
   * The plan of a step at `row` with the node's constraints left: the filters it checks, and whether a row passing
   * them is an answer. Made once per scope and planning inputs (step-plans.ts), not at every row.
   */
  plan(scope: Scope, row: Row, node: PlanNode): StepPlan {
    const key = node.key(row);
    let plan = node.get(key);
    if (plan === undefined) {
      const filters: Constraint[] = [];
      // Below the root only constraints naming a variable the last step bound can have become checkable.
      const pending = (d: Constraint) => node.holds(scope.plans.position(d));
      for (const c of node.candidates ?? scope.plans.all) if (this.isCheckable(c, row, scope) && !this.waitsForBranches(c, scope, pending)) filters.push(c);
      plan = { filters, pending: node.size - filters.length, answer: node.size === filters.length && allBound(scope, row) };
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
    this.constraintsWeighed++;
    if (c.kind === 'disjunction') return false;
    let needs = scope.needs.get(c);
    if (needs === undefined) {
      needs = constraintVariables(c, (v) => scope.conjunction.variables.has(v));
      scope.needs.set(c, needs);
    }
    for (const v of needs) if (!row.has(v)) return false;
    return true;
  }

  /** Per scope's conjunction, what its negations and disjunctions wait for (branch-waits.ts). */
  private readonly waits = new WeakMap<Conjunction, ReadonlyMap<Constraint, readonly Constraint[]>>();

  /** Whether a negation or disjunction waits for a disjunction beside it still pending at the node (branch-waits.ts). */
  private waitsForBranches(c: Constraint, scope: Scope, pending: (d: Constraint) => boolean): boolean {
    if ((c.kind !== 'negation' && c.kind !== 'disjunction') || scope.plans.disjunctions.length === 0) return false;
    let waits = this.waits.get(scope.conjunction);
    if (waits === undefined) this.waits.set(scope.conjunction, (waits = branchWaits(scope.conjunction)));
    return waits.get(c)?.some(pending) ?? false;
  }

  /** Each scope's scannable variables in cost order, sorted once per scope (scan-choice.ts). */
  private readonly scanOrders = new WeakMap<Scope, ScanOrder>();

  /** The scope's scannable variables, ranked by their scan's cost with the step it enables (scan-lookahead.ts). */
  private scanOrder(scope: Scope): ScanOrder {
    const g = this.generators;
    const kinds = scope.conjunction.variables;
    const costs = new Map<string, number>();
    const costOf = (v: string) => {
      let cost = costs.get(v);
      if (cost === undefined) costs.set(v, (cost = g.scanCostOf(v, scope)));
      return cost;
    };
    const ranks = () =>
      lookaheadCosts({
        variables: scope.variables.filter((v) => kinds.get(v) !== 'value'),
        isType: (v) => kinds.get(v) === 'type',
        scanCost: costOf,
        scannedTypes: (v) => g.scannedTypes(v, scope),
        naming: (v) => scope.plans.naming(v),
        generator: (c, row) => g.generator(c, row, scope),
      });
    return scanOrder(scope, costOf, ranks);
  }

  /**
   * The cheapest way to bind more variables at `row`, given the constraints the plan leaves pending: the cheapest of
   * the generators the pending constraints offer (the first in the scope's order among equal costs), unless a scan
   * of an unbound variable costs less (then the scan whose cost with the step after it is least: scan-choice.ts).
   * Below the root only the constraints naming a variable the last step bound are
   * weighed again; the others' costs come from the parent plan's queue (plan-queue.ts).
   */
  private cheapest(scope: Scope, row: Row, plan: StepPlan, node: PlanNode): NonNullable<StepPlan['extension']> {
    const plans = scope.plans;
    const filtered = new Set(plan.filters);
    const isPending = (c: Constraint) => !filtered.has(c) && node.holds(plans.position(c));
    // A disjunction waits for those it reads from (branch-waits.ts); they wait in no ring (branch-rings.ts merged
    // those), so one of them can always go.
    const offer = (c: Constraint) => {
      this.constraintsWeighed++;
      if (c.kind === 'assign' && waitsForDisjunction(c, plans.disjunctions, isPending)) return undefined;
      return this.waitsForBranches(c, scope, isPending) ? undefined : this.generators.generator(c, row, scope);
    };
    let queue = node.choice.queue;
    for (const c of node.candidates ?? plans.all) {
      if (filtered.has(c)) continue;
      const g = offer(c);
      if (g) queue = pushed(queue, { cost: g.cost, position: plans.position(c), constraint: c });
    }
    let best: StepGenerator | undefined;
    // What the best generator binds from: its constraint, or the variable it scans.
    let source: Constraint | string | undefined;
    // An entry is stale if its constraint is no longer pending or now costs otherwise (a newer entry holds that cost).
    while (queue !== undefined) {
      const { cost, constraint } = queue.top;
      const g = isPending(constraint) ? offer(constraint) : undefined;
      if (g !== undefined && g.cost === cost) {
        best = g;
        source = constraint;
        break;
      }
      queue = popped(queue);
    }
    let order = this.scanOrders.get(scope);
    if (order === undefined) this.scanOrders.set(scope, (order = this.scanOrder(scope)));
    const { choice, cursor } = chooseScan(order, node.choice.cursor, row, isPending, best?.cost);
    if (choice !== undefined) {
      // The scan itself is built only when it wins: a step offers one to every unbound variable.
      best = this.generators.scanGenerator(choice.name, scope, plans.naming(choice.name).filter(isPending));
      best.cost = choice.cost;
      source = choice.name;
    }
    if (this.forcedOrder !== undefined && scope.outer === undefined) {
      const forced = this.forcedStep(scope, row, isPending, offer);
      if (forced !== undefined) [best, source] = forced;
    }
    if (!best) {
      const stuck = plans.all.find((c) => isPending(c) && (c.kind === 'assign' || c.kind === 'compare'));
      if (stuck) {
        throw new StrataError('QRY', 21, `A value variable in this pattern can never be assigned: '${constraintText(stuck, variableKinds(scope))}'.`);
      }
      throw new StrataError('INT', 1, 'The query planner could not bind every variable.');
    }
    const consumed = best.consumes;
    // Only variables the step binds anew change anything below (the plan's key fixes which are bound already).
    const names = typeof source === 'string' ? [source] : [...constraintVariables(source!, () => true), ...nestedScopeVariables(source!)];
    const binds = names.filter((v) => !row.has(v));
    return { generator: best, next: plans.child(node, plan.filters, consumed, binds, { queue, cursor }) };
  }

  /**
   * The step forcedOrder asks for at `row`: the cheapest that binds the first of its variables still unbound (a
   * pending constraint's generator binding it, or its scan); none once they are all bound.
   */
  private forcedStep(
    scope: Scope,
    row: Row,
    isPending: (c: Constraint) => boolean,
    offer: (c: Constraint) => StepGenerator | undefined,
  ): [StepGenerator, Constraint | string] | undefined {
    const kinds = scope.conjunction.variables;
    const target = this.forcedOrder!.find((v) => kinds.get(v) === 'thing' && !row.has(v));
    if (target === undefined) return undefined;
    const pending = scope.plans.naming(target).filter(isPending);
    let best: [StepGenerator, Constraint | string] = [this.generators.scanGenerator(target, scope, pending), target];
    best[0].cost = this.generators.scanCostOf(target, scope);
    for (const c of pending) {
      if (c.kind === 'disjunction' || c.kind === 'negation' || !constraintVariables(c, () => true).includes(target)) continue;
      const g = offer(c);
      if (g !== undefined && g.cost < best[0].cost) best = [g, c];
    }
    return best;
  }
}

/** Whether an assignment waits for one of the pending disjunctions (branch-waits.ts). */
function waitsForDisjunction(
  assign: Extract<Constraint, { kind: 'assign' }>,
  disjunctions: readonly Constraint[],
  pending: (c: Constraint) => boolean,
): boolean {
  for (const d of disjunctions) if (pending(d) && assignmentWaitsFor(assign, d)) return true;
  return false;
}
