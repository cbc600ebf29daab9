// Executes a compiled conjunction: a backtracking search that, at each step, runs every constraint whose
// variables are all bound as a filter, then extends the answer the way the planner (planner.ts) finds cheapest.
import type { Deadline } from '../common/deadline.js';
import { PENDING, type Pending } from '../common/steps.js';
import type { SchemaReader, SchemaType } from '../schema/api.js';
import type { ThingReader } from '../concept/things.js';
import { InstanceStatistics } from '../concept/statistics.js';
import type { Conjunction, Constraint } from './ir.js';
import { sameBinding, valueOf, type Row } from './bindings.js';
import { checkTypeConstraint, isTypeConstraint } from './type-constraints.js';
import { matchPlayers } from './role-players.js';
import { compare } from './value-comparison.js';
import { allBound, Scopes, type Scope } from './match-scope.js';
import { Planner, type Extension, type MatchOrder } from './planner.js';
import type { PlanNode } from './step-plans.js';
import { assignedValue, thingOf, typeOf, valueIn } from './row-reads.js';
import { searchInPlace } from './in-place-search.js';

export type { MatchOrder } from './planner.js';
export { hasDirectInstances } from './match-scope.js';

/**
 * Search steps (a solve or an answer) between two pause points, and between two readings of the deadline's clock:
 * a step costs a microsecond or a few, so a search gives way every few milliseconds, where a pause costs a
 * generator resume per level of the query (well under a microsecond).
 */
const STEPS_PER_PAUSE = 1024;

export class Matcher {
  private readonly scopes: Scopes;
  private readonly planner: Planner;
  constructor(
    private readonly schema: SchemaReader,
    private readonly things: ThingReader,
    statistics: InstanceStatistics = new InstanceStatistics(),
    /** Stops matching that runs past it (the transaction's timeout). */
    private readonly deadline?: Deadline,
    /** The order to bind the top scope's variables in, in place of the planner's (QueryContext.planOrder). */
    planOrder?: readonly string[],
  ) {
    this.scopes = new Scopes(schema, deadline);
    this.planner = new Planner(schema, things, statistics, this.scopes, { pauseDue: this.pause, solve: (scope, row) => this.match(scope, row) }, planOrder);
  }

  /** bindings.ts's isSubtype in one lookup (Scopes.isSubtype), for checks outside the search too (isa-count.ts). */
  readonly isSubtype = (type: SchemaType, ancestor: SchemaType): boolean => this.scopes.isSubtype(type, ancestor);
  private readonly isSubtypeOf = (type: SchemaType, ancestor: SchemaType): boolean => this.scopes.isSubtypeOf(type, ancestor);

  private stepsSincePause = 0;
  /** The planner's constraintsWeighed already counted towards a pause. */
  private weighedCounted = 0;
  /** pauseDue for a search that runs outside the matcher (role-players.ts, the planner's steps). */
  private readonly pause = (): boolean => this.pauseDue();

  /**
   * Counts a search step, or `work` steps' worth; true when the search should give way (yield PENDING) here.
   */
  private pauseDue(work = 1): boolean {
    if ((this.stepsSincePause += work) < STEPS_PER_PAUSE) return false;
    this.stepsSincePause = 0;
    this.deadline?.check();
    return true;
  }

  /** How many step plans the search made: one per scope and planning inputs met (step-plans.ts), not one per row. */
  get plansMade(): number {
    return this.planner.plansMade;
  }

  /** The work type inference did for this matcher's scopes (TypeInference.work): types copied and examined. */
  get inferenceWork(): number {
    return this.scopes.inferenceWork;
  }

  /** How many constraints planning weighed (Planner.constraintsWeighed). */
  get constraintsWeighed(): number {
    return this.planner.constraintsWeighed;
  }

  /** Infers types and prepares the top-level scope (Scopes.prepare: with `validate`, a pattern that can never match throws). */
  prepare(conjunction: Conjunction, validate = true, external?: ReadonlySet<string>): Scope {
    return this.scopes.prepare(conjunction, validate, external);
  }

  /**
   * All answers of the conjunction, extending `row` (which may hold bindings from an enclosing scope).
   * Each answer is the same live Map, valid until the generator is resumed: copy what you keep. Between answers, a
   * long search yields PENDING every few milliseconds (see common/steps.ts).
   */
  match(scope: Scope, row: Row = new Map(), order?: MatchOrder): Generator<Row | Pending> {
    return this.solve(scope, row, scope.plans.root(), order);
  }

  /**
   * The search, depth first over an explicit stack of the steps' generators rather than by recursion, so that a
   * pattern of thousands of constraints (a step each) does not exhaust the call stack. Every STEPS_PER_PAUSE steps
   * it yields PENDING: a long search gives way (common/steps.ts).
   */
  private *solve(scope: Scope, row: Row, root: PlanNode, order?: MatchOrder): Generator<Row | Pending> {
    const steps: { readonly extensions: Iterator<Row | void | Pending>; readonly row: Row; readonly next: PlanNode }[] = [];
    let next: { readonly row: Row; readonly node: PlanNode } | undefined = { row, node: root };
    try {
      for (;;) {
        if (next !== undefined) {
          // A step counts as one plus the constraints planning weighed since the last one: a step of a long match can
          // weigh many (a few per constraint of the match in all: planning-work.test.ts), and only counting them keeps
          // the time between pauses bounded by work, not by steps.
          const weighed = this.planner.constraintsWeighed;
          const work = 1 + weighed - this.weighedCounted;
          this.weighedCounted = weighed;
          if (this.pauseDue(work)) yield PENDING;
          const step = yield* this.step(scope, next.row, next.node, steps.length === 0 ? order : undefined);
          if (step === 'answer') yield next.row; // the live row: callers copy what they keep
          else if (step !== 'none') steps.push({ extensions: step.run(next.row)[Symbol.iterator](), row: next.row, next: step.next });
          next = undefined;
        }
        const top = steps.at(-1);
        if (top === undefined) return;
        const extended = top.extensions.next();
        if (extended.done) {
          steps.pop();
          continue;
        }
        if (extended.value === PENDING) {
          yield PENDING;
          continue;
        }
        const r = extended.value ?? top.row;
        // What a step would do with nothing left to check, without planning one per answer (a scan's last step).
        if (top.next.size === 0 && allBound(scope, r)) {
          if (this.pauseDue()) yield PENDING;
          yield r;
        } else next = { row: r, node: top.next };
      }
    } finally {
      // Stopped early (the caller's return) or failed: close the steps' generators, innermost first, as unwinding
      // nested loops would (storage cursors among them).
      for (let i = steps.length - 1; i >= 0; i--) steps[i]!.extensions.return?.();
    }
  }

  /**
   * One step of the search at `row`: checks what it can (a negation searches, and gives way as it does), then says
   * whether the row is an answer, a dead end, or how to extend it (the cheapest generator, and the constraints left
   * after it).
   */
  private *step(
    scope: Scope,
    row: Row,
    node: PlanNode,
    order: MatchOrder | undefined,
  ): Generator<Pending, 'answer' | 'none' | Extension> {
    const plan = this.planner.plan(scope, row, node);
    // Filters: every constraint whose variables are bound.
    for (const c of plan.filters) {
      // A negation searches, and so does a relation among its players: they give way as any search does.
      const holds =
        c.kind === 'negation'
          ? yield* this.negationHolds(c.body, row, scope)
          : c.kind === 'relation'
            ? yield* this.relationHolds(c, row, scope)
            : this.check(c, row, scope);
      if (!holds) return 'none';
    }
    if (plan.answer) return 'answer';
    // The cheapest way to bind more variables.
    return this.planner.extend(plan, node, scope, row, order);
  }

  /** A negation and a relation are searches: negationHolds and relationHolds check them. */
  private check(c: Exclude<Constraint, { kind: 'negation' | 'relation' }>, row: Row, scope: Scope): boolean {
    if (isTypeConstraint(c)) return checkTypeConstraint(this.schema, c, (operand) => typeOf(operand, row), this.isSubtype);
    switch (c.kind) {
      case 'isa': {
        const thing = thingOf(c.thing, row);
        const type = typeOf(c.type, row);
        return c.explicit ? thing.type.id === type.id : this.isSubtype(thing.type, type);
      }
      case 'has':
        return this.things.ownsAttribute(thingOf(c.owner, row).iid, thingOf(c.attribute, row).iid);
      case 'iid':
        return Buffer.compare(thingOf(c.variable, row).iid, c.iid) === 0;
      case 'compare': {
        const left = row.get(c.left)!;
        if (c.right.kind === 'var' && (c.op === '=' || c.op === '==' || c.op === '!=')) {
          const right = row.get(c.right.name)!;
          if (c.op === '=' && left.kind !== 'value' && right.kind !== 'value' && (left.kind !== 'thing' || left.thing.type.root !== 'attribute')) {
            return sameBinding(left, right);
          }
        }
        const a = valueOf(left, this.things);
        const b = c.right.kind === 'value' ? c.right.value : valueIn(c.right.name, row, this.things);
        if (a === undefined || b === undefined) return false;
        return compare(a, c.op, b);
      }
      case 'substring': {
        const v = valueIn(c.variable, row, this.things);
        return v?.type === 'string' && c.regex.test(v.value);
      }
      case 'is':
        return sameBinding(row.get(c.left)!, row.get(c.right)!);
      case 'assign': {
        const value = assignedValue(c, row, this.things);
        const bound = row.get(c.variable)!;
        const existing = valueOf(bound, this.things);
        return existing !== undefined && compare(existing, '==', value);
      }
      case 'disjunction':
        return true;
    }
  }

  /** Whether the negated body has no answer extending the row, forwarding its search's pause points. */
  private *negationHolds(body: Conjunction, row: Row, scope: Scope): Generator<Pending, boolean> {
    const inner = this.scopes.nested(body, scope);
    for (const answer of searchInPlace(inner, row, (r) => this.match(inner, r), 'a negation')) {
      if (answer === PENDING) yield PENDING;
      else return false;
    }
    return true;
  }

  /** Whether the bound relation has the pattern's players, forwarding the pause points of reading its edges. */
  private *relationHolds(c: Extract<Constraint, { kind: 'relation' }>, row: Row, scope: Scope): Generator<Pending, boolean> {
    for (const answer of matchPlayers(this.schema, this.things, thingOf(c.relation, row), c.players, row, scope.sets, this.pause, this.isSubtypeOf)) {
      if (answer === PENDING) yield PENDING;
      else return true;
    }
    return false;
  }

}
