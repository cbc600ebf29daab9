// Step plans, made once per scope and planning inputs rather than at every row: which constraints a step checks,
// whether a row passing them is an answer, and the cheapest way to extend it. A plan depends only on the scope (its
// constraints, inferred types and the statistics' counts, fixed while it lives: one query, or one transaction's
// reasoning), the constraints still remaining, which variables are bound, and the types bound to the variables
// whose bindings costs read (a relation's bound players and role variables, a `has`'s bound attribute). The key
// below holds exactly those; the values bound are left to the plan's generator, which reads them at each row.
//
// Nodes form a tree: the scope's own constraints at the root, and below each plan the node of the constraints its
// step leaves. Every row reaching a child node comes from its parent's plan, so it agrees with that plan's key on
// everything but the variables the step binds: a child's key reads only those, and only constraints naming one of
// them can have become checkable. Planning a step of a match of n constraints thus never walks all n variables or
// constraints to key or filter it (found with generated matches of thousands of statements: keying, filtering and
// node set-up made planning quadratic, 61 s for a chain of 5 000 links).
import type { Pending } from '../common/steps.js';
import type { Constraint } from './ir.js';
import type { Row } from './bindings.js';
import type { InValueOrder } from './range-scan.js';
import { constraintVariables, nestedScopeVariables } from './constraint-variables.js';
import type { PlanQueue } from './plan-queue.js';
import { START, type ScanCursor } from './scan-choice.js';
import { PositionSet } from './position-set.js';
import { isRangeComparator } from './value-ranges.js';

/** A way to bind more variables: what it costs, how it runs, and the constraint it makes checking needless. */
export type StepGenerator = {
  cost: number;
  /** PENDING from a disjunction, whose branches search on their own, and from a read that skips most of what it reads. */
  run: (row: Row) => Iterable<Row | void | Pending>;
  consumes?: Constraint;
  /**
   * Ranges each run opens beyond those its cost counts (a bound player's edges read one range per subrole), left out
   * of the cost weighed against a scan at the same step (step-generators.ts) but weighed in look-ahead (scan-lookahead.ts).
   */
  extraRanges?: number;
  /** A scan of an attribute variable that can also read in value order (range-scan.ts). */
  inOrder?: { readonly variable: string; read(): InValueOrder | undefined };
};

export interface StepPlan {
  /** The constraints whose variables are all bound, checked in this order. */
  readonly filters: readonly Constraint[];
  /** How many constraints are left for the steps after (the node's remaining ones but the filters). */
  readonly pending: number;
  /** Whether a row passing the filters is an answer. */
  readonly answer: boolean;
  /** The cheapest generator and the node of the constraints left after it, planned at the first row that passes the filters. */
  extension?: { readonly generator: StepGenerator; readonly next: PlanNode };
}

/** Where a plan's choice of generator starts from: its parent plan's queue of costs and scan cursors. */
export interface ChoiceState {
  readonly queue: PlanQueue;
  readonly cursor: ScanCursor;
}

const ROOT_CHOICE: ChoiceState = { queue: undefined, cursor: START };

/** Past this many plans for one node (types bound in many combinations), steps are planned per row. */
const MAX_PLANS = 1024;

/**
 * The plans made for one set of remaining constraints, by key. The set is kept as the positions of the scope's
 * constraints gone (position-set.ts), shared with the parent's: a list or a bitset per node made every step of a long
 * match copy all the constraints it had left.
 */
export class PlanNode {
  private readonly plans = new Map<string, StepPlan>();

  constructor(
    /** How many of the scope's constraints remain. */
    readonly size: number,
    /** The variables whose being bound planning reads (see the file's comment). */
    private readonly variables: readonly string[],
    /** The variables whose bound type planning reads too. */
    private readonly typed: readonly string[],
    /** Which of the scope's constraints (by position) no longer remain. */
    readonly gone: PositionSet,
    /** Below the root: the remaining constraints that may have become checkable (naming a variable the step binds); at the root, all. */
    readonly candidates?: readonly Constraint[],
    /** Below the root: the parent plan's choice state (plan-queue.ts, scan-choice.ts). */
    readonly choice: ChoiceState = ROOT_CHOICE,
  ) {}

  /** Whether the scope's constraint at `position` remains. */
  holds(position: number): boolean {
    return !this.gone.has(position);
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

  /** The plans made so far, by key (for tests that compare the plans made). */
  entries(): IterableIterator<[string, StepPlan]> {
    return this.plans.entries();
  }
}

/** A scope's plan tree, and the index of its constraints by variable that children are made with. */
export class StepPlans {
  private rootNode?: PlanNode;
  private readonly positions = new Map<Constraint, number>();
  /** Positions of the constraints naming each variable (their own or their nested scopes'). */
  private readonly byVariable = new Map<string, number[]>();
  /**
   * Positions of the constraints whose cost reads whether the variable is bound though they do not name it (a lookup
   * of an attribute by value is weighed with the owners it leads to while the owner is unbound: step-generators.ts).
   */
  private readonly weighedBy = new Map<string, number[]>();
  /** How many constraints read each variable's bound type. */
  private readonly typedBy = new Map<string, number>();
  /** The root's key variables: every variable a constraint names, and the scope's own. */
  private readonly keyed = new Set<string>();
  private readonly own: ReadonlySet<string>;
  /** Slots the nodes' sets of constraints gone were given (PositionSet.with): what their memory grows with, counted for tests. */
  slotsAllocated = 0;
  private readonly allocated = (slots: number) => void (this.slotsAllocated += slots);

  constructor(
    private readonly scopeVariables: readonly string[],
    private readonly constraints: readonly Constraint[],
    private readonly disjunctionWaiters: () => ReadonlyMap<Constraint, readonly Constraint[]> = () => new Map(),
  ) {
    this.own = new Set(scopeVariables);
  }

  /** The node of the scope's own constraints, where every search of the scope starts. */
  root(): PlanNode {
    if (this.rootNode !== undefined) return this.rootNode;
    for (const v of this.scopeVariables) this.keyed.add(v);
    this.constraints.forEach((c, i) => {
      this.positions.set(c, i);
      for (const v of new Set([...constraintVariables(c, () => true), ...nestedScopeVariables(c)])) {
        this.keyed.add(v);
        let at = this.byVariable.get(v);
        if (at === undefined) this.byVariable.set(v, (at = []));
        at.push(i);
      }
      for (const v of typedVariables(c)) this.typedBy.set(v, (this.typedBy.get(v) ?? 0) + 1);
    });
    for (const [v, at] of lookupsWeighedBy(this.constraints, this.positions)) this.weighedBy.set(v, at);
    const typed = [...this.typedBy.keys()];
    const variables = [...this.keyed].filter((v) => !this.typedBy.has(v));
    return (this.rootNode = new PlanNode(this.constraints.length, variables, typed, PositionSet.empty(this.constraints.length)));
  }

  /** The scope's constraints in order. */
  get all(): readonly Constraint[] {
    return this.constraints;
  }

  /**
   * The node below `parent`'s plan whose step checked `filters`, then ran a generator that binds `binds` (variables
   * unbound before it) and consumes `consumed`.
   */
  child(parent: PlanNode, filters: readonly Constraint[], consumed: Constraint | undefined, binds: Iterable<string>, choice: ChoiceState): PlanNode {
    const removed = consumed === undefined ? filters : [...filters, consumed];
    const gone = parent.gone.with(removed.map((c) => this.positions.get(c)!), this.allocated);
    const variables: string[] = [];
    const typed: string[] = [];
    const at = new Set<number>();
    for (const v of new Set(binds)) {
      // A variable no other constraint names (a disjunction branch's own) changes no plan below.
      const naming = this.byVariable.get(v);
      const named = naming !== undefined && naming.some((i) => !gone.has(i));
      if (!named && !this.own.has(v)) continue;
      if ((this.typedBy.get(v) ?? 0) > (consumed !== undefined && typedVariables(consumed).includes(v) ? 1 : 0)) typed.push(v);
      else variables.push(v);
      for (const i of naming ?? []) if (!gone.has(i)) at.add(i);
      // Their cost changed with the binding: left to the parent's queue, the entry would be found stale and dropped.
      for (const i of this.weighedBy.get(v) ?? []) if (!gone.has(i)) at.add(i);
    }
    // An assignment may wait for a disjunction narrowing its operands, a negation or disjunction for one binding the
    // variables it reads (planner.ts, branch-waits.ts): gone, they are offered again (a variable another disjunction
    // bound first is not among `binds`).
    if (consumed?.kind === 'disjunction') {
      this.waiters ??= this.disjunctionWaiters();
      for (const c of this.waiters.get(consumed) ?? []) {
        const i = this.positions.get(c)!;
        if (!gone.has(i)) at.add(i);
      }
    }
    const candidates = [...at].sort((a, b) => a - b).map((i) => this.constraints[i]!);
    return new PlanNode(parent.size - removed.length, variables, typed, gone, candidates, choice);
  }

  /** The constraint's position in the scope's list. */
  position(c: Constraint): number {
    this.root();
    return this.positions.get(c)!;
  }

  /** The scope's constraints naming the variable (their own or their nested scopes'), in the scope's order. */
  naming(variable: string): Constraint[] {
    this.root();
    return (this.byVariable.get(variable) ?? []).map((i) => this.constraints[i]!);
  }

  /** The scope's disjunctions. */
  get disjunctions(): readonly Constraint[] {
    return (this.disjunctionList ??= this.constraints.filter((c) => c.kind === 'disjunction'));
  }
  private disjunctionList?: Constraint[];
  /** Per disjunction, the constraints that may wait for it (branch-waits.ts), worked out when one is first consumed. */
  private waiters?: ReadonlyMap<Constraint, readonly Constraint[]>;
}

/** The variables whose bound type a constraint's generator costs read. */
function typedVariables(c: Constraint): string[] {
  if (c.kind === 'has') return [c.attribute];
  if (c.kind !== 'relation') return [];
  return c.players.flatMap((p) => (p.role?.kind === 'var' ? [p.player, p.role.name] : [p.player]));
}

/**
 * Per owner variable, the positions of the lookups by value or range of values of attributes it owns (`$x has $n;
 * $n "n0";`, `$x has name "n0"`, `$x has age $a; $a < 33;`): each is weighed with the owners of its values while the
 * owner is unbound, and alone once bound.
 */
function lookupsWeighedBy(constraints: readonly Constraint[], positions: ReadonlyMap<Constraint, number>): Map<string, number[]> {
  const lookups = new Map<string, number[]>();
  for (const c of constraints) {
    if (c.kind !== 'compare' || c.right.kind !== 'value' || (c.op !== '==' && c.op !== '=' && !isRangeComparator(c.op))) continue;
    let at = lookups.get(c.left);
    if (at === undefined) lookups.set(c.left, (at = []));
    at.push(positions.get(c)!);
  }
  const weighed = new Map<string, number[]>();
  for (const c of constraints) {
    if (c.kind !== 'has') continue;
    const at = lookups.get(c.attribute);
    if (at === undefined) continue;
    const list = weighed.get(c.owner);
    if (list === undefined) weighed.set(c.owner, [...at]);
    else list.push(...at);
  }
  return weighed;
}
