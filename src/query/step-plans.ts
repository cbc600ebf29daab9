// Step plans, made once per scope and planning inputs rather than at every row: which constraints a step checks,
// whether a row passing them is an answer, and the cheapest way to extend it. A plan depends only on the scope (its
// constraints, inferred types and the statistics' counts, fixed while it lives: one query, or one transaction's
// reasoning), the constraints still remaining, which variables are bound, and the types bound to the variables
// whose bindings costs read (a relation's bound players and role variables, a `has`'s bound attribute). The key
// below holds exactly those; the values bound are left to the plan's generator, which reads them at each row.
import type { Pending } from '../common/steps.js';
import type { Constraint } from './ir.js';
import type { Row } from './bindings.js';
import type { InValueOrder } from './range-scan.js';
import { constraintVariables, nestedScopeVariables } from './constraint-variables.js';

/** A way to bind more variables: what it costs, how it runs, and the constraint it makes checking needless. */
export type StepGenerator = {
  cost: number;
  /** PENDING from a disjunction, whose branches search on their own, and from a read that skips most of what it reads. */
  run: (row: Row) => Iterable<Row | void | Pending>;
  consumes?: Constraint;
  /** A scan of an attribute variable that can also read in value order (range-scan.ts). */
  inOrder?: { readonly variable: string; read(): InValueOrder | undefined };
};

export interface StepPlan {
  /** The constraints whose variables are all bound, checked in this order. */
  readonly filters: readonly Constraint[];
  /** The constraints left for the steps after. */
  readonly pending: readonly Constraint[];
  /** Whether a row passing the filters is an answer. */
  readonly answer: boolean;
  /** The cheapest generator and the constraints left after it, planned at the first row that passes the filters. */
  extension?: { readonly generator: StepGenerator; readonly rest: readonly Constraint[] };
}

/** Past this many plans for one list of remaining constraints (types bound in many combinations), steps are planned per row. */
const MAX_PLANS = 1024;

/** The plans made for one list of remaining constraints, by key. */
export class PlanNode {
  /** The variables whose being bound planning reads. */
  private readonly variables: string[];
  /** The variables whose bound type planning reads too (see the file's comment). */
  private readonly typed: string[];
  private readonly plans = new Map<string, StepPlan>();

  constructor(scopeVariables: readonly string[], remaining: readonly Constraint[]) {
    const typed = new Set<string>();
    for (const c of remaining) {
      if (c.kind === 'has') typed.add(c.attribute);
      else if (c.kind === 'relation') {
        for (const p of c.players) {
          typed.add(p.player);
          if (p.role?.kind === 'var') typed.add(p.role.name);
        }
      }
    }
    const variables = new Set(scopeVariables);
    for (const c of remaining) {
      for (const v of constraintVariables(c, () => true)) variables.add(v);
      for (const v of nestedScopeVariables(c)) variables.add(v);
    }
    this.typed = [...typed];
    this.variables = [...variables].filter((v) => !typed.has(v));
  }

  /** The planning inputs the row gives: which variables are bound and, for the typed ones, to what kind and type. */
  key(row: Row): string {
    let key = '';
    for (const v of this.variables) key += row.has(v) ? '1' : '0';
    for (const v of this.typed) {
      const b = row.get(v);
      key += b === undefined ? '|' : b.kind === 'thing' ? `|${b.thing.type.id}` : b.kind === 'type' ? `|t${b.type.id}` : '|v';
    }
    return key;
  }

  get(key: string): StepPlan | undefined {
    return this.plans.get(key);
  }

  add(key: string, plan: StepPlan): void {
    if (this.plans.size < MAX_PLANS) this.plans.set(key, plan);
  }
}

/** A scope's plan nodes, by the remaining constraints' list: the conjunction's own, then each plan's `rest`. */
export class StepPlans {
  private readonly nodes = new WeakMap<readonly Constraint[], PlanNode>();
  constructor(private readonly scopeVariables: readonly string[]) {}

  node(remaining: readonly Constraint[]): PlanNode {
    let node = this.nodes.get(remaining);
    if (node === undefined) this.nodes.set(remaining, (node = new PlanNode(this.scopeVariables, remaining)));
    return node;
  }
}
