// match … fetch: one JSON tree per match answer, in TypeDB 2.x's shape (ReadableConceptTree):
// types as { label, root[, value_type] }, attributes as { value, type }, values as { value, value_type },
// attribute projections as lists per requested attribute type, subqueries as nested lists or aggregate values.
import type { FetchProjection, FetchQuery, GetAggregateQuery, Pattern } from '../typeql/ast.js';
import type { SchemaType } from '../schema/api.js';
import type { JSONValue } from './results.js';
import { StrataError } from '../common/errors.js';
import { formatDatetime, type Value } from '../common/values.js';
import { labelOf } from '../concept/things.js';
import { compileMatch, namedVariables, sorts, type QueryContext } from './executor.js';
import { collectSteps, type Steps } from '../common/steps.js';
import { isInternal } from './ir.js';
import { valueOf, type Binding, type Row } from './bindings.js';
import { applyModifiers, project } from './modifiers.js';
import { aggregate } from './aggregates.js';

/** The answers, computed as they are read; a sort needs every match answer first: those are collected in steps. */
export function* executeFetch(ctx: QueryContext, query: FetchQuery): Steps<Iterable<JSONValue>> {
  const prepared = prepareFetch(ctx, query);
  const matched = prepared.matched(new Map());
  const rows = sorts(query.modifiers) ? yield* collectSteps(matched) : matched;
  return {
    *[Symbol.iterator]() {
      for (const row of applyModifiers(rows, query.modifiers, ctx.things)) yield prepared.tree(row);
    },
  };
}

interface PreparedFetch {
  /** The match's answers under the parent's, before the modifiers. */
  matched(parent: Row): Iterable<Row>;
  rows(parent: Row): Iterable<Row>;
  tree(row: Row): { [key: string]: JSONValue };
}

/** Compiles a fetch (or nested fetch) once and validates its projections against the inferred types. */
export function prepareFetch(ctx: QueryContext, query: FetchQuery, parentVariables: ReadonlySet<string> = new Set()): PreparedFetch {
  if (query.projections.length === 0) throw new StrataError('PRO', 1, 'A fetch query must project at least one variable or subquery.');
  const { conjunction, matcher } = compileMatch(ctx, query.match);
  const variables = namedVariables(conjunction);
  if (parentVariables.size > 0 && ![...variables].some((v) => parentVariables.has(v))) {
    throw new StrataError('PRO', 2, 'A fetch subquery must use at least one variable of its parent query.');
  }
  const scope = matcher.prepare(conjunction);
  const visible = new Set([...variables, ...parentVariables]);
  const projections = query.projections.map((p) => prepareProjection(ctx, p, scope.sets, visible, conjunction.variables));
  const matched = (parent: Row) => {
    // Every named binding of the parent is visible here, also inside nested negations.
    const start: Row = new Map([...parent].filter(([name]) => !isInternal(name)));
    return project(matcher.match(scope, start), [...variables], ctx.things);
  };
  return {
    matched,
    rows: (parent) => applyModifiers(matched(parent), query.modifiers, ctx.things),
    tree: (row) => {
      const out: { [key: string]: JSONValue } = {};
      for (const p of projections) out[p.key] = p.value(row);
      return out;
    },
  };
}

function prepareProjection(
  ctx: QueryContext,
  p: FetchProjection,
  sets: Map<string, Set<SchemaType>>,
  visible: ReadonlySet<string>,
  kinds: ReadonlyMap<string, string>,
): { key: string; value: (row: Row) => JSONValue } {
  if (p.kind === 'subquery') {
    if (p.query.kind === 'fetch') {
      const nested = prepareFetch(ctx, p.query, visible);
      return { key: p.key, value: (row) => [...nested.rows(row)].map((r) => nested.tree(new Map([...row, ...r]))) };
    }
    if (p.query.kind !== 'get-aggregate') throw new StrataError('PRO', 3, 'A fetch subquery must be a match-fetch or a match-get-aggregate query.');
    return { key: p.key, value: prepareAggregateSubquery(ctx, p.query, visible) };
  }
  const name = p.variable.name;
  if (!visible.has(name)) throw new StrataError('PRO', 4, `The fetched variable '${name}' is not bound in the match clause.`);
  const key = p.as ?? name;
  const types = [...(sets.get(name) ?? [])];
  const isTypeVar = kinds.get(name) === 'type';
  if (!p.attributes) {
    if (!isTypeVar && p.variable.kind === 'concept-var' && types.some((t) => t.root === 'entity' || t.root === 'relation')) {
      throw new StrataError('PRO', 5, `The variable '$${name}' can hold entities or relations, which cannot be fetched without attribute projections (write '$${name}: attribute-type, …;').`);
    }
    return { key, value: (row) => conceptJSON(ctx, row.get(name)) };
  }
  if (isTypeVar || p.variable.kind === 'value-var') {
    throw new StrataError('PRO', 6, `Attributes can only be fetched from things, but '${name}' holds ${isTypeVar ? 'types' : 'values'}.`);
  }
  const attributeProjections = p.attributes.map((a) => {
    const type = ctx.schema.get(a.type);
    const text = a.type.scope === undefined ? a.type.name : `${a.type.scope}:${a.type.name}`;
    if (!type || type.root !== 'attribute') throw new StrataError('PRO', 7, `'${text}' is not an attribute type, so it cannot be fetched as an attribute.`);
    const subtypes = ctx.schema.subtypes(type);
    const ownable = types.some((t) => subtypes.some((s) => ctx.schema.owns(t).has(s.id)));
    if (!ownable) throw new StrataError('PRO', 8, `No type that '$${name}' can have owns the attribute type '${text}' (or a subtype of it).`);
    return { key: a.as ?? text, subtypes };
  });
  return {
    key,
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

function prepareAggregateSubquery(ctx: QueryContext, query: GetAggregateQuery, visible: ReadonlySet<string>): (row: Row) => JSONValue {
  const { conjunction, matcher } = compileMatch(ctx, query.get.match as readonly Pattern[]);
  const variables = namedVariables(conjunction);
  if (![...variables].some((v) => visible.has(v))) {
    throw new StrataError('PRO', 2, 'A fetch subquery must use at least one variable of its parent query.');
  }
  const scope = matcher.prepare(conjunction);
  const filter = query.get.filter.length > 0 ? query.get.filter.map((v) => v.name) : [...variables];
  return (row) => {
    const start: Row = new Map([...row].filter(([name]) => !isInternal(name)));
    const rows = [...applyModifiers(project(matcher.match(scope, start), filter, ctx.things), query.get.modifiers, ctx.things)];
    const values: Value[] = [];
    if (query.variable) {
      for (const r of rows) {
        const b = r.get(query.variable.name);
        const v = b && valueOf(b, ctx.things);
        if (v !== undefined) values.push(v);
      }
    }
    const result = aggregate(query.method, values, rows.length);
    return result === undefined ? null : { value: valueJSON(result), value_type: result.type };
  };
}

export function typeJSON(type: SchemaType): { [key: string]: JSONValue } {
  const root = type.root === 'role' ? 'relation:role' : type.root;
  return type.valueType ? { label: labelOf(type), root, value_type: type.valueType } : { label: labelOf(type), root };
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
