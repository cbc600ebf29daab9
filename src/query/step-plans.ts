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
  /** The cheapest generator and the node of the constraints left after it, planned at the first row that passes the filters. */
  extension?: { readonly generator: StepGenerator; readonly next: PlanNode };
}

/** Past this many plans for one node (types bound in many combinations), steps are planned per row. */
const MAX_PLANS = 1024;

/** The plans made for one list of remaining constraints, by key. */
export class PlanNode {
  private readonly plans = new Map<string, StepPlan>();

  constructor(
    /** The constraints still to check or bind, in the scope's order. */
    readonly remaining: readonly Constraint[],
    /** The variables whose being bound planning reads (see the file's comment). */
    private readonly variables: readonly string[],
    /** The variables whose bound type planning reads too. */
    private readonly typed: readonly string[],
    /** Which of the scope's constraints (by position) remain. */
    readonly members?: Uint32Array,
    /** Below the root: the remaining constraints that may have become checkable (naming a variable the step binds). */
    readonly candidates?: readonly Constraint[],
  ) {}

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

/** A scope's plan tree, and the index of its constraints by variable that children are made with. */
export class StepPlans {
  private rootNode?: PlanNode;
  private readonly positions = new Map<Constraint, number>();
  /** Positions of the constraints naming each variable (their own or their nested scopes'). */
  private readonly byVariable = new Map<string, number[]>();
  /** How many constraints read each variable's bound type. */
  private readonly typedBy = new Map<string, number>();
  /** The root's key variables: every variable a constraint names, and the scope's own. */
  private readonly keyed = new Set<string>();
  private readonly own: ReadonlySet<string>;

  constructor(
    private readonly scopeVariables: readonly string[],
    private readonly constraints: readonly Constraint[],
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
    const typed = [...this.typedBy.keys()];
    const members = new Uint32Array(Math.ceil(this.constraints.length / 32));
    for (let i = 0; i < this.constraints.length; i++) members[i >>> 5]! |= 1 << (i & 31);
    return (this.rootNode = new PlanNode(this.constraints, [...this.keyed].filter((v) => !this.typedBy.has(v)), typed, members));
  }

  /**
   * The node below `parent`'s plan whose step checked `filters`, then ran a generator that binds `binds` and consumes
   * `consumed`, leaving `rest`. A node made without the index (a test's) has no children's shortcut: its children are
   * keyed and filtered in full.
   */
  child(parent: PlanNode, filters: readonly Constraint[], consumed: Constraint | undefined, binds: Iterable<string>, rest: readonly Constraint[]): PlanNode {
    if (parent.members === undefined) return this.full(rest);
    const members = parent.members.slice();
    for (const c of consumed === undefined ? filters : [...filters, consumed]) {
      const i = this.positions.get(c)!;
      members[i >>> 5]! &= ~(1 << (i & 31));
    }
    const variables: string[] = [];
    const typed: string[] = [];
    const at = new Set<number>();
    for (const v of new Set(binds)) {
      // A variable no other constraint names (a disjunction branch's own) changes no plan below.
      const naming = this.byVariable.get(v);
      const named = naming !== undefined && naming.some((i) => (members[i >>> 5]! & (1 << (i & 31))) !== 0);
      if (!named && !this.own.has(v)) continue;
      if ((this.typedBy.get(v) ?? 0) > (consumed !== undefined && typedVariables(consumed).includes(v) ? 1 : 0)) typed.push(v);
      else variables.push(v);
      for (const i of naming ?? []) if ((members[i >>> 5]! & (1 << (i & 31))) !== 0) at.add(i);
    }
    const candidates = [...at].sort((a, b) => a - b).map((i) => this.constraints[i]!);
    return new PlanNode(rest, variables, typed, members, candidates);
  }

  /** A node keyed by every variable its constraints name, for lists not made through the tree. */
  full(remaining: readonly Constraint[]): PlanNode {
    const typed = new Set<string>();
    for (const c of remaining) for (const v of typedVariables(c)) typed.add(v);
    const variables = new Set(this.scopeVariables);
    for (const c of remaining) {
      for (const v of constraintVariables(c, () => true)) variables.add(v);
      for (const v of nestedScopeVariables(c)) variables.add(v);
    }
    return new PlanNode(remaining, [...variables].filter((v) => !typed.has(v)), [...typed]);
  }
}

/** The variables whose bound type a constraint's generator costs read. */
function typedVariables(c: Constraint): string[] {
  if (c.kind === 'has') return [c.attribute];
  if (c.kind !== 'relation') return [];
  return c.players.flatMap((p) => (p.role?.kind === 'var' ? [p.player, p.role.name] : [p.player]));
}
