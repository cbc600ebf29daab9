// match … fetch: one JSON tree per match answer, in TypeDB 2.x's shape (ReadableConceptTree):
// types as { label, root[, value_type] }, attributes as { value, type }, values as { value, value_type },
// attribute projections as lists per requested attribute type, subqueries as nested lists or aggregate values.
import type { FetchProjection, FetchQuery, GetAggregateQuery, Pattern } from '../typeql/ast.js';
import type { SchemaType } from '../schema/api.js';
import type { JSONValue } from './results.js';
import { StrataError } from '../common/errors.js';
import { formatDatetime, type Value } from '../common/values.js';
import { labelOf } from '../concept/things.js';
import { checkGetAggregate, compileMatch, namedVariables, type QueryContext } from './executor.js';
import { checkSortInMatch } from './typeql-checks.js';
import { collectSteps, PENDING, type Pending, type Steps } from '../common/steps.js';
import { isInternal, type Conjunction } from './ir.js';
import { TypeInference, type TypeSets } from './inference.js';
import { valueOf, type Binding, type Row } from './bindings.js';
import { modified, project, sorts } from './modifiers.js';
import { aggregateSteps } from './aggregates.js';

/**
 * The answers, computed as they are read, with pause points among them while the match finds none. A sort needs every
 * match answer first: it reads them in steps before the query returns, so that its failures are the query's.
 */
export function* executeFetch(ctx: QueryContext, query: FetchQuery): Steps<Iterable<JSONValue | Pending>> {
  const prepared = prepareFetch(ctx, query);
  prepared.validate();
  let rows = modified(prepared.matched(new Map()), query.modifiers, ctx.things);
  if (sorts(query.modifiers)) rows = yield* collectSteps(rows);
  return {
    *[Symbol.iterator]() {
      for (const row of rows) {
        if (row === PENDING) {
          yield PENDING;
          continue;
        }
        // One answer's subqueries may read much: they pause too, and the answer comes when its tree is done.
        const tree = prepared.tree(row);
        for (let next = tree.next(); ; next = tree.next()) {
          if (next.done) {
            yield next.value;
            break;
          }
          yield PENDING;
        }
      }
    },
  };
}

interface PreparedFetch {
  /**
   * Checks its attribute projections against the types the match infers, as TypeDB's Fetcher does each time it
   * runs: before the first answer of the query, and for a subquery once there is a parent answer to run it for.
   */
  validate(): void;
  /** The match's answers under the parent's, before the modifiers, with its pause points. */
  matched(parent: Row): Iterable<Row | Pending>;
  /** Validated, then matched and modified, with its pause points: a subquery's rows under its parent's answer. */
  rows(parent: Row): Iterable<Row | Pending>;
  /** The answer's JSON tree, as work in steps: its subqueries pause while they match. */
  tree(row: Row): Steps<{ [key: string]: JSONValue }>;
  /** The variables its match names, and those of its subqueries, however deep. */
  readonly uses: ReadonlySet<string>;
  /** The variables its match's statements name: what binds it to the queries around it. */
  readonly statements: ReadonlySet<string>;
}

interface PreparedProjection {
  readonly key: string;
  /** A variable's projection is computed at once; a subquery's, in steps. */
  value(row: Row): JSONValue | SubqueryValue;
  /** The variables a subquery's match names (however deep); none for a variable's projection. */
  readonly uses: ReadonlySet<string>;
  /** Checks an attribute projection against the variable's types ([PRO06]); nothing for the others. */
  validate(): void;
}

/**
 * Compiles a fetch (or nested fetch) once and checks what can be checked before running it. Its answers
 * are those of the match on the variables it projects, sorts by, or passes to subqueries, each once (TypeDB's
 * fetch filters and de-duplicates the same way).
 */
export function prepareFetch(ctx: QueryContext, query: FetchQuery, parentVariables: ReadonlySet<string> = new Set()): PreparedFetch {
  if (query.projections.length === 0) throw new StrataError('PRO', 50, 'A fetch query must project at least one variable or subquery.');
  const { conjunction, matcher } = compileMatch(ctx, query.match);
  const variables = namedVariables(conjunction);
  checkSortInMatch(query.modifiers, statementVariables(conjunction));
  const scope = matcher.prepare(conjunction, true, parentVariables);
  const visible = new Set([...variables, ...parentVariables]);
  const types = (name: string) => variableTypes(ctx, scope.sets, conjunction, name);
  const projections = query.projections.map((p) => prepareProjection(ctx, p, types, variables, visible, conjunction.variables));
  const uses = new Set(mentionedVariables(conjunction));
  const filter = new Set((query.modifiers.sort ?? []).map((k) => k.variable.name));
  for (const p of query.projections) if (p.kind === 'variable') filter.add(p.variable.name);
  for (const projection of projections) {
    for (const name of projection.uses) {
      uses.add(name);
      if (variables.has(name)) filter.add(name);
    }
  }
  const matched = (parent: Row) => {
    // Every named binding of the parent is visible here, also inside nested negations.
    const start: Row = new Map([...parent].filter(([name]) => !isInternal(name)));
    return project(matcher.match(scope, start), [...filter], ctx.things);
  };
  let validated = false;
  const validate = () => {
    if (validated) return;
    for (const p of projections) p.validate();
    validated = true;
  };
  return {
    validate,
    matched,
    rows: (parent) => {
      validate();
      return modified(matched(parent), query.modifiers, ctx.things);
    },
    *tree(row) {
      const out: { [key: string]: JSONValue } = {};
      for (const p of projections) {
        const value = p.value(row);
        out[p.key] = value instanceof SubqueryValue ? yield* value.steps : value;
      }
      return out;
    },
    uses,
    statements: statementVariables(conjunction),
  };
}

/**
 * The types a variable of the match may take: inferred for the match, or, for a variable only its disjunction's
 * branches name, the union of theirs.
 */
function variableTypes(ctx: QueryContext, sets: TypeSets, conjunction: Conjunction, name: string): SchemaType[] {
  if (conjunction.variables.has(name)) return [...(sets.get(name) ?? [])];
  const out = new Set<SchemaType>();
  const inference = new TypeInference(ctx.schema, ctx.deadline);
  for (const c of conjunction.constraints) {
    if (c.kind !== 'disjunction') continue;
    for (const branch of c.branches) {
      for (const t of variableTypes(ctx, inference.infer(branch, sets), branch, name)) out.add(t);
    }
  }
  return [...out];
}

function prepareProjection(
  ctx: QueryContext,
  p: FetchProjection,
  typesOf: (name: string) => SchemaType[],
  own: ReadonlySet<string>,
  visible: ReadonlySet<string>,
  kinds: ReadonlyMap<string, string>,
): PreparedProjection {
  if (p.kind === 'subquery') {
    if (p.query.kind === 'fetch') {
      const nested = prepareFetch(ctx, p.query, visible);
      checkBounded(p.key, nested.statements, visible);
      return {
        key: p.key,
        uses: nested.uses,
        validate: NO_CHECK,
        value: (row) =>
          new SubqueryValue(
            (function* (): Steps<JSONValue> {
              const trees: JSONValue[] = [];
              for (const r of yield* collectSteps(nested.rows(row))) trees.push(yield* nested.tree(new Map([...row, ...r])));
              return trees;
            })(),
          ),
      };
    }
    if (p.query.kind !== 'get-aggregate') throw new StrataError('PRO', 51, 'A fetch subquery must be a match-fetch or a match-get-aggregate query.');
    const aggregate = prepareAggregateSubquery(ctx, p.query, visible);
    checkBounded(p.key, aggregate.statements, visible);
    return { key: p.key, uses: aggregate.uses, validate: NO_CHECK, value: aggregate.value };
  }
  const name = p.variable.name;
  const sigil = p.variable.kind === 'value-var' ? '?' : '$';
  if (name === '_') throw new StrataError('PRO', 1, `Projection variable '${sigil}_' must be named.`);
  // As TypeDB's: a projected variable is one of this match's, not only of a parent's.
  if (!own.has(name)) throw new StrataError('PRO', 2, `Projection variable '${sigil}${name}' is not bound in the preceding match clause.`);
  const key = p.as ?? name;
  const isTypeVar = kinds.get(name) === 'type';
  if (!p.attributes) {
    return {
      key,
      uses: NONE,
      validate: NO_CHECK,
      value: (row) => {
        const b = row.get(name);
        // Checked per answer, as TypeDB does: a match without answers fetches nothing and fails nothing.
        // TypeDB names the projection by its key here: the relabel, or the variable's name without its sigil.
        if (b?.kind === 'thing' && b.thing.type.root !== 'attribute') {
          throw new StrataError('PRO', 3, `The variable projection '${key}' cannot be used to fetch entity or relation instances. Entities and relations must be mapped to attributes.`);
        }
        return conceptJSON(ctx, b);
      },
    };
  }
  if (isTypeVar || p.variable.kind === 'value-var') throw new StrataError('PRO', 4, `Illegal attribute projection from type variable '${sigil}${name}'.`);
  const types = typesOf(name).filter((t) => !t.abstract && !t.isMeta);
  const attributeProjections = p.attributes.map((a) => {
    const type = ctx.schema.get(a.type);
    const text = a.type.scope === undefined ? a.type.name : `${a.type.scope}:${a.type.name}`;
    if (!type || type.root !== 'attribute') throw new StrataError('PRO', 5, `Attribute projection from '${sigil}${name}' maps to an invalid attribute type '${text}'.`);
    return { key: a.as ?? text, subtypes: ctx.schema.subtypes(type) };
  });
  // Every type the variable may take must own each attribute type or a subtype of it (TypeDB's Fetcher, which
  // names the attribute by its key: the relabel when there is one).
  const validate = () => {
    for (const a of attributeProjections) {
      for (const t of types) {
        if (a.subtypes.some((s) => ctx.schema.owns(t).has(s.id))) continue;
        throw new StrataError(
          'PRO',
          6,
          `Projection from '${sigil}${name}' to attribute type '${a.key}' is illegal, since '${sigil}${name}' could be of type '${labelOf(t)}' which does not own the attribute type or any of its subtypes. ` +
            "Constrain the 'match' clause such that all types can own the attribute type or its subtypes.",
        );
      }
    }
  };
  return {
    key,
    uses: NONE,
    validate,
    value: (row) => {
      const b = row.get(name);
      if (!b || b.kind !== 'thing') return null;
      const out: { [key: string]: JSONValue } = { type: typeJSON(b.thing.type) };
      for (const a of attributeProjections) {
        const list: JSONValue[] = [];
        for (const t of a.subtypes) {
          if (t.isMeta) continue;
          for (const attr of ctx.things.ownedAttributes(b.thing.iid, t)) list.push({ value: valueJSON(attr.value), type: typeJSON(attr.type) });
        }
        out[a.key] = list;
      }
      return out;
    },
  };
}

/** A subquery's value under one answer, as work in steps. */
class SubqueryValue {
  constructor(readonly steps: Steps<JSONValue>) {}
}

const NONE: ReadonlySet<string> = new Set();
const NO_CHECK = (): void => {};

/** The named variables of a match, those inside its negations and disjunctions included: what it takes from outside. */
function mentionedVariables(conjunction: Conjunction, out = new Set<string>()): Set<string> {
  for (const name of conjunction.variables.keys()) if (!isInternal(name)) out.add(name);
  for (const c of conjunction.constraints) {
    if (c.kind === 'negation') mentionedVariables(c.body, out);
    else if (c.kind === 'disjunction') for (const branch of c.branches) mentionedVariables(branch, out);
  }
  return out;
}

/**
 * The named variables of a match's own statements, not those only its negations or disjunctions name: TypeQL's
 * `namedVariables` of the match, by which TypeDB decides whether a subquery is bounded.
 */
function statementVariables(conjunction: Conjunction): Set<string> {
  return new Set([...conjunction.variables.keys()].filter((name) => !isInternal(name)));
}

/** A subquery's statements must use a variable of the queries around it. */
function checkBounded(key: string, uses: ReadonlySet<string>, visible: ReadonlySet<string>): void {
  if (![...uses].some((v) => visible.has(v))) throw new StrataError('PRO', 7, `Subquery labeled '${key}' is not bounded by any parent match clause.`);
}

function prepareAggregateSubquery(
  ctx: QueryContext,
  query: GetAggregateQuery,
  parentVariables: ReadonlySet<string>,
): { value: (row: Row) => SubqueryValue; uses: ReadonlySet<string>; statements: ReadonlySet<string> } {
  const { conjunction, matcher } = compileMatch(ctx, query.get.match as readonly Pattern[]);
  checkGetAggregate(query, conjunction);
  const variables = namedVariables(conjunction);
  const scope = matcher.prepare(conjunction, true, parentVariables);
  const filter = query.get.filter.length > 0 ? query.get.filter.map((v) => v.name) : [...variables];
  const value = function* (row: Row): Steps<JSONValue> {
    const start: Row = new Map([...row].filter(([name]) => !isInternal(name)));
    const rows = yield* collectSteps(modified(project(matcher.match(scope, start), filter, ctx.things), query.get.modifiers, ctx.things));
    const values: Value[] = [];
    if (query.variable) {
      for (const r of rows) {
        const b = r.get(query.variable.name);
        const v = b && valueOf(b, ctx.things);
        if (v !== undefined) values.push(v);
      }
    }
    const result = yield* aggregateSteps(query.method, query.variable, values, rows.length);
    return result === undefined ? null : { value: valueJSON(result), value_type: result.type };
  };
  return { value: (row) => new SubqueryValue(value(row)), uses: mentionedVariables(conjunction), statements: statementVariables(conjunction) };
}

export function typeJSON(type: SchemaType): { [key: string]: JSONValue } {
  const root = type.root === 'role' ? 'relation:role' : type.root;
  // The root attribute type holds values of every type: TypeDB's value type 'object'.
  const valueType = type.valueType ?? (type.root === 'attribute' ? 'object' : undefined);
  return valueType ? { label: labelOf(type), root, value_type: valueType } : { label: labelOf(type), root };
}

export function valueJSON(v: Value): JSONValue {
  switch (v.type) {
    case 'long':
      return exactLong(v.value);
    case 'datetime':
      return formatDatetime(v.value);
    default:
      return v.value;
  }
}

/** A long as a number when the number is exact, else as the bigint (see JSONValue). */
function exactLong(value: bigint): number | bigint {
  return value >= -MAX_EXACT && value <= MAX_EXACT ? Number(value) : value;
}

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

function conceptJSON(ctx: QueryContext, b: Binding | undefined): JSONValue {
  if (!b) return null;
  if (b.kind === 'type') return typeJSON(b.type);
  if (b.kind === 'value') return { value: valueJSON(b.value), value_type: b.value.type };
  if (b.thing.type.root === 'attribute') return { value: valueJSON(valueOf(b, ctx.things)!), type: typeJSON(b.thing.type) };
  return { type: typeJSON(b.thing.type) };
}
