// The scopes a match searches: a conjunction with the types inference allows each of its variables, and what the
// search works out once per scope rather than per answer. Preparing the top-level scope validates it (a pattern
// that can never match is the user's error); nested scopes (negations, disjunction branches) are inferred within
// their enclosing scope, once per body.
import type { Deadline } from '../common/deadline.js';
import type { SchemaReader, SchemaType, TypeId } from '../schema/api.js';
import { StrataError } from '../common/errors.js';
import { isInternal, type Conjunction, type Constraint, type VariableKind } from './ir.js';
import { constraintText } from './constraint-text.js';
import { TypeInference, type TypeSets } from './inference.js';
import { resolveExpressionTypes } from './expression-types.js';
import { StepPlans } from './step-plans.js';
import { disjunctionWaiters } from './branch-waits.js';
import { withoutRings } from './branch-rings.js';
import type { Row } from './bindings.js';

export interface Scope {
  /** The conjunction as it is searched: as written, but for rings of disjunctions merged into one (branch-rings.ts). */
  readonly conjunction: Conjunction;
  readonly sets: TypeSets;
  readonly variables: string[];
  readonly outer?: Scope;
  /** The variables each constraint waits for (constraintVariables), worked out once per scope, not per answer. */
  readonly needs: Map<Constraint, readonly string[]>;
  /** Per variable, the types a scan of its instances reads (concreteTypes), and the `isa` such a scan satisfies. */
  readonly scans: Map<string, { readonly types: readonly SchemaType[]; readonly satisfies: Map<Constraint, boolean> }>;
  /** The search's step plans, made once per planning inputs while the scope lives (step-plans.ts). */
  readonly plans: StepPlans;
  /** Per schema constraint, its edges reversed over the types its source variable may take (type-steps.ts). */
  readonly reversedEdges: Map<Constraint, ReadonlyMap<TypeId, readonly SchemaType[]>>;
}

/** The scope of a conjunction as it is searched: rings of its disjunctions merged into one (branch-rings.ts). */
function scopeOf(written: Conjunction, sets: TypeSets, outer?: Scope): Scope {
  const conjunction = withoutRings(written);
  const variables = [...conjunction.variables.keys()];
  return { conjunction, sets, variables, outer, needs: new Map(), scans: new Map(), plans: new StepPlans(variables, conjunction.constraints, () => disjunctionWaiters(conjunction)), reversedEdges: new Map() };
}

/** Whether the row binds every variable of the scope but its value variables (which an answer may leave unset). */
export function allBound(scope: Scope, row: Row): boolean {
  for (const v of scope.variables) {
    if (!row.has(v) && scope.conjunction.variables.get(v) !== 'value') return false;
  }
  return true;
}

const NO_VARIABLES: ReadonlySet<string> = new Set();

/** Whether a type can have instances of its own: what a scan of a variable's types reads. */
export function hasDirectInstances(type: SchemaType): boolean {
  return !type.abstract && !type.isMeta && type.root !== 'role';
}

/** A thing variable no type fits (a schema query that matches no type simply has no answers), among those checked. */
function emptyThingVariable(conjunction: Conjunction, sets: TypeSets, checked: (name: string) => boolean): string | undefined {
  for (const [name, set] of sets) if (set.size === 0 && conjunction.variables.get(name) === 'thing' && checked(name)) return name;
  return undefined;
}

export class Scopes {
  private readonly inference: TypeInference;
  constructor(
    schema: SchemaReader,
    /** The transaction's timeout: it stops a long inference, and is read between nested bodies while validating. */
    private readonly deadline?: Deadline,
  ) {
    this.inference = new TypeInference(schema, deadline);
  }

  /** The work type inference did for these scopes (TypeInference.work). */
  get inferenceWork(): number {
    return this.inference.work;
  }

  /**
   * Whether `type` is `ancestor` or under it, `thing` being above every type but roles (bindings.ts's isSubtype), in
   * one lookup: checking a match's `isa` or `sub` on each answer walked the supertype chain, as deep as 1 000 types.
   */
  isSubtype(type: SchemaType, ancestor: SchemaType): boolean {
    if (ancestor.root === 'thing') return type.root !== 'role';
    return this.inference.hierarchy.isSubtypeOf(type, ancestor);
  }

  /** The schema's isSubtypeOf (no special case for `thing`), in one lookup as isSubtype. */
  isSubtypeOf(type: SchemaType, ancestor: SchemaType): boolean {
    return this.inference.hierarchy.isSubtypeOf(type, ancestor);
  }

  /**
   * Infers types and prepares the top-level scope. With `validate`, a pattern that can never match throws, and so
   * does a negation or disjunction branch inside it that can never match (as TypeDB's type inference does), and an
   * expression no answer could evaluate (as TypeDB's expression resolution does, before matching).
   */
  prepare(conjunction: Conjunction, validate = true, external: ReadonlySet<string> = NO_VARIABLES): Scope {
    const sets = this.inference.infer(conjunction);
    if (validate) {
      const empty = emptyThingVariable(conjunction, sets, (name) => !external.has(name));
      if (empty !== undefined) throw this.unsatisfiable(conjunction, empty);
      this.validateNested(conjunction, sets, external);
      resolveExpressionTypes(conjunction, sets, this.inference, external);
    }
    return scopeOf(conjunction, sets);
  }

  /** Nested scopes (negations, disjunction branches), inferred once per body: each has one enclosing scope. */
  private readonly nestedScopes = new WeakMap<Conjunction, Scope>();

  nested(body: Conjunction, outer: Scope): Scope {
    let scope = this.nestedScopes.get(body);
    if (scope === undefined || scope.outer !== outer) {
      const sets = this.inference.infer(body, outer.sets);
      scope = scopeOf(body, sets, outer);
      this.nestedScopes.set(body, scope);
    }
    return scope;
  }

  /**
   * Throws QRY17 for the first negation or disjunction branch, however deep, that no types can satisfy. Variables
   * bound outside the query (`external`: a fetch subquery's parent's) and those the enclosing pattern uses as types
   * or values are left out: their types are not known here.
   */
  private validateNested(conjunction: Conjunction, sets: TypeSets, external: ReadonlySet<string>): void {
    const checked = (name: string) => !external.has(name) && (conjunction.variables.get(name) ?? 'thing') === 'thing';
    for (const c of conjunction.constraints) {
      const bodies = c.kind === 'negation' ? [c.body] : c.kind === 'disjunction' ? c.branches : [];
      for (const body of bodies) {
        this.deadline?.check();
        const inner = this.inference.infer(body, sets);
        const empty = emptyThingVariable(body, inner, checked);
        if (empty !== undefined) throw this.unsatisfiable(body, empty, sets);
        this.validateNested(body, inner, external);
      }
    }
  }

  /**
   * QRY16 (the pattern) or QRY17 (a negation or disjunction branch inside it, inferred within `outer`), naming the
   * constraint at which the types ran out (found by inferring again, noting where).
   */
  private unsatisfiable(conjunction: Conjunction, variable: string, outer?: TypeSets): StrataError {
    let first: { variable: string; by: Constraint } | undefined;
    this.inference.infer(conjunction, outer, (emptied, by) => (first ??= { variable: emptied, by }));
    const name = (v: string) => (isInternal(v) ? 'an anonymous variable' : `the variable '$${v}'`);
    const where =
      first === undefined
        ? ''
        : ` No type of ${name(first.variable)} satisfies '${constraintText(first.by, conjunction.variables)}' together with the rest of the pattern.` +
          (first.by.kind === 'compare' && first.by.op === '!=' && first.by.right.kind === 'var' && !isInternal(first.by.left) && !isInternal(first.by.right.name)
            ? ` Comparators compare values (of attributes and value variables); to say that two things differ, write 'not { $${first.by.left} is $${first.by.right.name}; };'.`
            : '');
    if (outer === undefined) {
      return new StrataError('QRY', 16, `The pattern can never be satisfied in the current schema: no type fits ${name(variable)}.${where}`);
    }
    return new StrataError(
      'QRY',
      17,
      `A negation or disjunction branch of the pattern can never be satisfied in the current schema: no type fits ${name(variable)} there.${where}`,
    );
  }
}

/** Whether the scope or one enclosing it declares the variable. */
export function declaredIn(scope: Scope, variable: string): boolean {
  for (let s: Scope | undefined = scope; s !== undefined; s = s.outer) if (s.conjunction.variables.has(variable)) return true;
  return false;
}

/** The kinds of the variables a scope sees: its own and its enclosing scopes'. */
export function variableKinds(scope: Scope): Map<string, VariableKind> {
  const kinds = new Map<string, VariableKind>();
  for (let s: Scope | undefined = scope; s !== undefined; s = s.outer) {
    for (const [name, kind] of s.conjunction.variables) if (!kinds.has(name)) kinds.set(name, kind);
  }
  return kinds;
}
