// Value types of a pattern's expressions, worked out from the schema before anything is matched, as TypeDB 2.x's
// ExpressionResolver does: a query whose expression can never be evaluated fails whatever the data holds. Each
// conjunction of the pattern's disjunctive normal form is typed on its own (a disjunction branch narrows what it
// constrains), a negation with its enclosing conjunction's types. A concept variable's value type is that of the
// attribute types it may be, which must be one ([EXP01], even for a long and a double: TypeDB's getThingValueType);
// a value variable's that of its assignment. An operation's or function's operands are brought to one value type, a
// long widening to a double ([EXP04] when they cannot be), which it must take ([EXP06]), with its number of
// arguments ([EXP07]).
import type { Expression } from '../typeql/ast.js';
import { printExpression } from '../typeql/index.js';
import type { ValueType } from '../common/values.js';
import { StrataError } from '../common/errors.js';
import type { Conjunction, Constraint } from './ir.js';
import type { TypeInference, TypeSets } from './inference.js';
import { checkArgumentCount } from './expressions.js';

/** A value type, or undefined where it cannot be told here (a variable bound outside the query): nothing is refused for it. */
type Resolved = ValueType | undefined;
type Assignment = Extract<Constraint, { kind: 'assign' }>;

/** Beyond this many conjunctions in a scope's normal form, its expressions are left to be checked as they are evaluated. */
const MAX_CONJUNCTIONS = 64;

/**
 * Throws TypeDB's error for the first expression of the pattern that no answer could evaluate. `sets` are the
 * pattern's inferred types; variables in `unknown` (bound by an enclosing query) are not typed here. A subquery (one
 * with such variables) is typed by TypeDB once per answer of its parent, its variables narrowed by that answer: an
 * ambiguity seen here may not be one there, so only a certain type mismatch is refused for it.
 */
export function resolveExpressionTypes(pattern: Conjunction, sets: TypeSets, inference: TypeInference, unknown: ReadonlySet<string> = new Set()): void {
  if (hasAssignment(pattern)) resolveScope(pattern, { sets }, inference, unknown, new Map());
}

function resolveScope(
  scope: Conjunction,
  known: { sets?: TypeSets; outer?: TypeSets },
  inference: TypeInference,
  unknown: ReadonlySet<string>,
  outerValues: ReadonlyMap<string, Resolved>,
): void {
  const conjunctions = normalForm(scope);
  if (conjunctions === undefined) return;
  for (const conjunction of conjunctions) {
    const sets = conjunction === scope && known.sets ? known.sets : inference.infer(conjunction, known.outer);
    // A conjunction no types satisfy never runs (and is refused as unsatisfiable where it must be).
    if ([...conjunction.variables].some(([name, kind]) => kind === 'thing' && !unknown.has(name) && sets.get(name)?.size === 0)) continue;
    const values = new ConjunctionTyper(conjunction, sets, unknown, outerValues).resolve();
    for (const c of conjunction.constraints) {
      if (c.kind === 'negation' && hasAssignment(c.body)) resolveScope(c.body, { outer: sets }, inference, unknown, values);
    }
  }
}

/** The scope's conjunctions with one branch of each disjunction merged in; undefined past MAX_CONJUNCTIONS. */
function normalForm(scope: Conjunction): Conjunction[] | undefined {
  const disjunctions = scope.constraints.filter((c) => c.kind === 'disjunction');
  if (disjunctions.length === 0) return [scope];
  let conjunctions: Conjunction[] = [{ constraints: scope.constraints.filter((c) => c.kind !== 'disjunction'), variables: scope.variables }];
  for (const d of disjunctions) {
    const alternatives: Conjunction[] = [];
    for (const branch of d.branches) {
      const forms = normalForm(branch);
      if (forms === undefined) return undefined;
      alternatives.push(...forms);
    }
    if (conjunctions.length * alternatives.length > MAX_CONJUNCTIONS) return undefined;
    conjunctions = conjunctions.flatMap((c) =>
      alternatives.map((a) => ({ constraints: [...c.constraints, ...a.constraints], variables: new Map([...a.variables, ...c.variables]) })),
    );
  }
  return conjunctions;
}

function hasAssignment(c: Conjunction): boolean {
  return c.constraints.some(
    (k) => k.kind === 'assign' || (k.kind === 'negation' && hasAssignment(k.body)) || (k.kind === 'disjunction' && k.branches.some(hasAssignment)),
  );
}

/** Types the assignments of one conjunction (no disjunctions left in it). */
class ConjunctionTyper {
  private readonly assignments = new Map<string, Assignment>();
  private readonly values = new Map<string, Resolved>();
  private readonly resolving = new Set<string>();

  constructor(
    conjunction: Conjunction,
    private readonly sets: TypeSets,
    private readonly unknown: ReadonlySet<string>,
    private readonly outerValues: ReadonlyMap<string, Resolved>,
  ) {
    for (const c of conjunction.constraints) if (c.kind === 'assign') this.assignments.set(c.variable, c);
  }

  /** The value type of every value variable this conjunction sees. */
  resolve(): ReadonlyMap<string, Resolved> {
    for (const name of this.assignments.keys()) this.valueVariable(name);
    return new Map([...this.outerValues, ...this.values]);
  }

  private valueVariable(name: string): Resolved {
    if (this.values.has(name)) return this.values.get(name);
    const assignment = this.assignments.get(name);
    // Assigned in an enclosing scope; a cycle is refused elsewhere ([QRY23]).
    if (assignment === undefined) return this.outerValues.get(name);
    if (this.resolving.has(name)) return undefined;
    this.resolving.add(name);
    const type = assignment.owned ? this.ownedValue(assignment) : this.expression(assignment.expression);
    this.values.set(name, type);
    return type;
  }

  /** `$x has age ?v`: the attribute's value type when it has one only (TypeQL assigns no expression here). */
  private ownedValue(assignment: Assignment): Resolved {
    if (assignment.expression.kind !== 'var') return undefined;
    const types = this.valueTypesOf(assignment.expression.variable.name);
    return types?.size === 1 ? [...types][0] : undefined;
  }

  /** The value types of a concept variable's possible types (undefined for a non-attribute one); undefined when unknown. */
  private valueTypesOf(name: string): Set<ValueType | undefined> | undefined {
    const types = this.unknown.has(name) ? undefined : this.sets.get(name);
    if (types === undefined || types.size === 0) return undefined;
    return new Set([...types].map((t) => (t.root === 'attribute' ? t.valueType : undefined)));
  }

  private conceptVariable(name: string, expression: Expression): Resolved {
    const valueTypes = this.valueTypesOf(name);
    if (valueTypes === undefined) return undefined;
    if (valueTypes.size > 1) {
      if (this.unknown.size > 0) return undefined;
      const listed = [...valueTypes].filter((t) => t !== undefined).sort();
      const noValue = valueTypes.has(undefined) ? ' (and entity or relation types, which hold none)' : '';
      throw new StrataError(
        'EXP',
        1,
        `The variable '$${name}' has ambiguous value types: '${listed.join(', ')}'${noValue}. A variable in an expression must have one value type (even longs and doubles are ambiguous): narrow it, e.g. with 'isa'.`,
      );
    }
    const [type] = valueTypes;
    if (type === undefined) {
      // TypeDB fails here with an internal error ([INT01]); this says why.
      throw new StrataError('EXP', 4, `The variable '$${name}' is not an attribute, so it holds no value to use in the expression '${printExpression(expression)}'.`);
    }
    return type;
  }

  private expression(e: Expression, within: Expression = e): Resolved {
    switch (e.kind) {
      case 'literal':
        return e.value.kind;
      case 'var':
        return e.variable.kind === 'value-var' ? this.valueVariable(e.variable.name) : this.conceptVariable(e.variable.name, within);
      case 'binary': {
        const common = commonType(e, [e.left, e.right], [this.expression(e.left, e), this.expression(e.right, e)]);
        if (common === undefined) return undefined;
        if (!isNumeric(common)) throw illegalArgumentType(e.op, common);
        return e.op === '/' ? 'double' : common;
      }
      case 'call': {
        const common = commonType(e, e.args, e.args.map((a) => this.expression(a, e)));
        checkArgumentCount(e.fn, e.args);
        if (common === undefined) return undefined;
        if (!isNumeric(common)) throw illegalArgumentType(e.fn, common);
        return e.fn === 'floor' || e.fn === 'ceil' || e.fn === 'round' ? 'long' : common;
      }
    }
  }
}

const isNumeric = (t: ValueType) => t === 'long' || t === 'double';

/** Whether a value of type `from` converts to `to` in an expression (a long to a double). */
const assignable = (from: ValueType, to: ValueType) => from === to || (from === 'long' && to === 'double');

/**
 * The one value type the operands are brought to, as TypeDB's ExpressionResolver.commonValueType: each may widen the
 * type so far (a long to a double), or be widened to it; undefined when an operand's type is unknown.
 */
function commonType(e: Expression, operands: readonly Expression[], types: readonly Resolved[]): Resolved {
  if (types.some((t) => t === undefined)) return undefined;
  let common: { type: ValueType; source: Expression } | undefined;
  operands.forEach((operand, i) => {
    const type = types[i]!;
    if (common === undefined || assignable(common.type, type)) common = { type, source: operand };
    else if (!assignable(type, common.type)) {
      throw new StrataError(
        'EXP',
        4,
        `The expression '${printExpression(e)}' has arguments with incompatible value types: '${printExpression(common.source)} : ${common.type}' and '${printExpression(operand)} : ${type}'.`,
      );
    }
  });
  return common?.type;
}

function illegalArgumentType(operation: string, type: ValueType): StrataError {
  return new StrataError('EXP', 6, `The expression function '${operation}' cannot accept arguments of value type '${type}'.`);
}
