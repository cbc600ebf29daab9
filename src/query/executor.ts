// Runs one parsed query against a transaction's view: match, then get / aggregate / group / insert / delete / update.
import type { Deadline } from '../common/deadline.js';
import type { GetAggregateQuery, GetQuery, Modifiers, Pattern, Query, ThingStatement, Variable } from '../typeql/ast.js';
import type { SchemaReader, SchemaWriter, InstanceChecks } from '../schema/api.js';
import type { ThingReader } from '../concept/things.js';
import type { ThingWriter } from '../concept/thing-writer.js';
import type { InstanceStatistics } from '../concept/statistics.js';
import type { ConceptMap } from '../concept/concepts.js';
import type { JSONValue, QueryResult } from './results.js';
import { StrataError } from '../common/errors.js';
import type { Value } from '../common/values.js';
import { PatternCompiler, validateNegations } from './compiler.js';
import { Matcher, type MatchOrder } from './matcher.js';
import { isInternal, type Conjunction, type RolePlayerConstraint } from './ir.js';
import { valueOf, type Row } from './bindings.js';
import { matchOrder, modified, project, sorts } from './modifiers.js';
import { aggregateSteps } from './aggregates.js';
import { groupSteps, mapSteps } from './groups.js';
import { isaCount } from './isa-count.js';
import { toConcept, toConceptMap } from './answers.js';
import { Inserter, anonymousAnswerName } from './insert.js';
import { Deleter } from './delete.js';
import { writeClauseVariableNames } from './write-variables.js';
import { checkGetFilter, checkInsertInScope, checkNamesUnique, checkSortInMatch, requireInFilter, sigil } from './typeql-checks.js';
import { validateValueVariables } from './validation.js';
import { checkNestedPatternsBounded } from './nested-bounds.js';
import { executeFetch, prepareFetch } from './fetch.js';
import { collectSteps, forEachStep, PENDING, type Pending, type Steps } from '../common/steps.js';
import { acceptsPartialAnswers, reasoningContext } from './reasoning.js';
import { foldingProbe, keptAnswers, type ProbeFold } from './probes.js';
import type { Reasoner } from '../reasoner/index.js';
import { explainablesOf, NO_EXPLAINABLES, type Derivations, type ExplainableLedger, type Explainables } from './explainables.js';

export interface QueryContext {
  readonly schema: SchemaReader;
  readonly things: ThingReader;
  /** Present in data write transactions. */
  readonly writer?: ThingWriter;
  /** Present in schema write transactions. */
  readonly schemaWriter?: SchemaWriter;
  /**
   * Present in schema write transactions: applies a define or undefine, given the checks of the data to make, as
   * work in steps (a check that reads long pauses).
   */
  readonly schemaChange?: (change: (checks: InstanceChecks) => void) => Steps<void>;
  /** Per-database instance counts for planning. */
  readonly statistics?: InstanceStatistics;
  /** Present when the transaction reasons: read queries (get, aggregate, group, fetch) see inferred facts. */
  readonly reasoner?: Pick<Reasoner, 'reason' | 'reasonOnDemand' | 'demanded' | 'enforceDemand'>;
  /** Present when the transaction explains: get answers carry explainables, registered here. */
  readonly explanations?: ExplainableLedger;
  /** Set once reasoning ran: how an inferred fact was concluded. */
  readonly derivations?: Derivations;
  /** Stops a query still running past the transaction's timeout. */
  readonly deadline?: Deadline;
  /**
   * For benchmarks and tests of the planner (bench/plans.ts): the match's own variables in the order its steps bind
   * them, each by the cheapest step that binds it, in place of the planner's choice (Planner.forcedOrder).
   */
  readonly planOrder?: readonly string[];
}

/**
 * The query as work in steps (common/steps.ts): it may pause while reasoning and while collecting the answers that
 * an aggregate, a group, a sort or a write needs before it can give any. Answers given lazily are computed as they
 * are read, with pause points (PENDING) among them while a search finds none.
 */
export function* executeQuerySteps(ctx: QueryContext, query: Query): Steps<QueryResult<Pending>> {
  switch (query.kind) {
    case 'define': {
      const writer = requireSchemaWriter(ctx);
      yield* ctx.schemaChange!((checks) => writer.define(query.definables, checks));
      return { kind: 'define' };
    }
    case 'undefine': {
      const writer = requireSchemaWriter(ctx);
      yield* ctx.schemaChange!((checks) => writer.undefine(query.definables, checks));
      return { kind: 'undefine' };
    }
    case 'get': {
      if (!ctx.reasoner) return { kind: 'get', answers: yield* runGet(ctx, query) };
      if (ctx.explanations) return explainedGet(yield* getContext(ctx, query), query, ctx.explanations);
      // With a limit, the first answers may come from a materialisation that has not (or never) reached a fixpoint.
      let found: ConceptMap[] | undefined;
      const enough = function* (partial: QueryContext): Steps<boolean> {
        const rows = yield* collectSteps(runGetRows(partial, query));
        if (rows.length < query.modifiers.limit!) return false;
        found = rows.map((row) => toConceptMap(row, partial.things));
        return true;
      };
      // Demand-driven: the match, run to its end over what is inferred so far, tells what to infer (probes.ts).
      const probing = foldingProbe((partial) => runGetRows(partial, query), keptAnswers<Row>(sorts(query.modifiers)));
      const reasoned = yield* getContext(ctx, query, acceptsPartialAnswers(query.match, query.modifiers) ? enough : undefined, probing.probe);
      const probed = probing.foldedOver(reasoned)?.answers;
      if (found === undefined && probed !== undefined) found = probed.map((row) => toConceptMap(row, reasoned.things));
      return { kind: 'get', answers: found ?? (yield* runGet(reasoned, query)) };
    }
    case 'get-aggregate': {
      checkGetVariables(ctx, query.get, [query.variable]);
      const variable = query.variable;
      // Folded as the answers come, never held: a count over a million answers keeps none of them.
      const fold: ProbeFold<Row, { count: number; values: Value[] }> = {
        start: () => ({ count: 0, values: [] }),
        step: (folded, row, at) => {
          folded.count++;
          if (variable) pushValue(at, row, variable, folded.values);
        },
      };
      const probed = yield* probedFold(ctx, query.get, true, fold);
      ctx = probed.ctx;
      let folded = probed.folded;
      if (folded === undefined) {
        const checked = checkGet(ctx, query.get);
        const counted = isaCount(query, checked.conjunction, checked.filter, checked.scope.sets, checked.matcher.isSubtype, ctx.things);
        if (counted !== undefined) return { kind: 'aggregate', value: { type: 'long', value: BigInt(counted) } };
        const acc = (folded = fold.start());
        const at = ctx;
        yield* forEachStep(runGetRows(ctx, query.get, true, checked), (row) => fold.step(acc, row, at));
      }
      return { kind: 'aggregate', value: yield* aggregateSteps(query.method, variable, folded.values, folded.count) };
    }
    case 'get-group': {
      checkGetVariables(ctx, query.get, [query.group]);
      const probed = yield* probedFold(ctx, query.get, false, ALL_ROWS);
      ctx = probed.ctx;
      const things = ctx.things;
      const groups = [];
      for (const g of yield* groupSteps(probed.folded ?? runGetRows(ctx, query.get), query.group, things)) {
        groups.push({ owner: toConcept(g.owner, things), answers: yield* mapSteps(g.rows, (r) => toConceptMap(r, things)) });
      }
      return { kind: 'group', groups };
    }
    case 'get-group-aggregate': {
      checkGetVariables(ctx, query.get, [query.group, query.variable]);
      const probed = yield* probedFold(ctx, query.get, false, ALL_ROWS);
      ctx = probed.ctx;
      const groups = [];
      for (const g of yield* groupSteps(probed.folded ?? runGetRows(ctx, query.get), query.group, ctx.things)) {
        const variable = query.variable;
        const values: Value[] = [];
        if (variable) yield* forEachStep(g.rows, (row) => pushValue(ctx, row, variable, values));
        groups.push({ owner: toConcept(g.owner, ctx.things), value: yield* aggregateSteps(query.method, variable, values, g.rows.length) });
      }
      return { kind: 'group-aggregate', groups };
    }
    case 'fetch': {
      if (!ctx.reasoner) return { kind: 'fetch', answers: yield* executeFetch(ctx, query) };
      // Checked (compiled, projections validated) before reasoning.
      prepareFetch(ctx, query).validate();
      // Demand-driven as a get (a transaction that explains materialises in full): the probe builds every answer, so
      // that the reads of projections and subqueries demand what they need too; the last probe's answers, if few
      // and unsorted, are the query's.
      const probing = foldingProbe(
        function* (partial: QueryContext): Generator<JSONValue | Pending> {
          for (const answer of yield* executeFetch(partial, query)) yield answer;
        },
        keptAnswers<JSONValue>(sorts(query.modifiers)),
      );
      const reasoned = yield* reasoningContext(ctx, { fetch: query, probe: ctx.explanations ? undefined : probing.probe });
      return { kind: 'fetch', answers: probing.foldedOver(reasoned)?.answers ?? (yield* executeFetch(reasoned, query)) };
    }
    case 'insert': {
      const writer = requireWriter(ctx);
      const inserter = new Inserter(ctx.schema, writer);
      const insertVariables = writeClauseVariableNames(query.statements);
      checkNamesUnique([...(query.match ?? []), ...query.statements]);
      // The match is projected onto the variables the insert uses: one insert per distinct binding of those.
      const matched = query.match
        ? yield* matchWithVariables(ctx, query.match, query.modifiers, insertVariables, (variables, conjunction) =>
            checkInsertInScope(query.statements, sigilsOf(variables, conjunction)),
          )
        : undefined;
      inserter.validate(query.statements, matched?.variables ?? new Set());
      const rows = matched ? matched.rows : [new Map() as Row];
      const answers: ConceptMap[] = [];
      yield* forEachStep(rows, (row) => answers.push(insertedAnswer(inserter.insert(query.statements, row), writer, insertVariables)));
      return { kind: 'insert', answers };
    }
    case 'delete': {
      const writer = requireWriter(ctx);
      const deleter = new Deleter(ctx.schema, writer);
      checkNamesUnique([...query.match, ...query.statements]);
      const { rows } = yield* matchWithVariables(ctx, query.match, query.modifiers, writeClauseVariableNames(query.statements), (variables) =>
        deleter.validate(query.statements, variables),
      );
      yield* forEachStep(rows, (row) => deleter.delete(query.statements as ThingStatement[], row));
      return { kind: 'delete' };
    }
    case 'update': {
      const writer = requireWriter(ctx);
      const used = [...new Set([...writeClauseVariableNames(query.deletes), ...writeClauseVariableNames(query.inserts)])];
      checkNamesUnique([...query.match, ...query.deletes, ...query.inserts]);
      const deleter = new Deleter(ctx.schema, writer);
      const inserter = new Inserter(ctx.schema, writer);
      const { rows } = yield* matchWithVariables(ctx, query.match, query.modifiers, used, (variables) => {
        deleter.validate(query.deletes, variables);
        inserter.validate(query.inserts, variables);
      });
      const answers: ConceptMap[] = [];
      // As TypeDB's Updater: answer by answer, its deletes and then its inserts. A thing its `isa` deleted leaves
      // the answer, so the insert sees that variable as a new one (TypeDB's Deleter edits the answer in place).
      yield* forEachStep(rows, (row) => {
        const deleted = deleter.delete(query.deletes as ThingStatement[], row);
        const remaining = deleted.size === 0 ? row : new Map([...row].filter(([name]) => !deleted.has(name)));
        // As TypeDB's Updater, an answer also shows the matched things the delete names.
        answers.push(insertedAnswer(inserter.insert(query.inserts, remaining), writer, used));
      });
      return { kind: 'update', answers };
    }
  }
}

function requireWriter(ctx: QueryContext): ThingWriter {
  if (!ctx.writer) throw new StrataError('TXN', 8, 'Attempted data writes when transaction type does not allow.');
  return ctx.writer;
}

function requireSchemaWriter(ctx: QueryContext): SchemaWriter {
  if (!ctx.schemaWriter) throw new StrataError('TXN', 7, 'Attempted schema writes when transaction type does not allow.');
  return ctx.schemaWriter;
}

export function compileMatch(ctx: QueryContext, patterns: readonly Pattern[]): { conjunction: Conjunction; matcher: Matcher } {
  // TypeQL's checks when it builds the match clause and its query, so first (a match of negations only fails it too).
  checkNestedPatternsBounded(patterns);
  checkNamesUnique(patterns);
  const conjunction = new PatternCompiler(ctx.schema).compile(patterns);
  validateValueVariables(conjunction);
  validateNegations(conjunction);
  return { conjunction, matcher: new Matcher(ctx.schema, ctx.things, ctx.statistics, ctx.deadline, ctx.planOrder) };
}

/**
 * Variables the user named in a match's own statements (nested conjunctions are compiled into them), as TypeQL 2.x's
 * `namedVariablesUnbound`: not those only a disjunction branch or a negation binds. A get returns these, and its
 * filter, sort and write clauses may name only these; a branch's answers are projected onto them.
 */
export function namedVariables(conjunction: Conjunction): Set<string> {
  return new Set([...conjunction.variables.keys()].filter((name) => !isInternal(name)));
}

/** The named variables with their sigils: `?` for the value variables of the match's top level, else `$`. */
function sigilsOf(variables: ReadonlySet<string>, conjunction: Conjunction): Map<string, '$' | '?'> {
  return new Map([...variables].map((name) => [name, conjunction.variables.get(name) === 'value' ? '?' : '$']));
}

/**
 * Matches fully before writing, so that writes never disturb the iteration of their own match. Answers are
 * projected onto the variables the write clause uses (plus the sort variables), then deduplicated.
 */
function* matchWithVariables(
  ctx: QueryContext,
  patterns: readonly Pattern[],
  modifiers: Modifiers,
  used: readonly string[],
  // Checks of the write clauses against the match's variables, made before matching, as TypeDB makes them.
  check?: (variables: ReadonlySet<string>, conjunction: Conjunction) => void,
): Steps<{ rows: Row[]; variables: Set<string> }> {
  const { conjunction, matcher } = compileMatch(ctx, patterns);
  const variables = namedVariables(conjunction);
  checkSortInMatch(modifiers, variables);
  check?.(variables, conjunction);
  const sortVariables = (modifiers.sort ?? []).map((k) => k.variable.name);
  const keep = [...variables].filter((v) => used.includes(v) || sortVariables.includes(v));
  const scope = matcher.prepare(conjunction);
  const matched = yield* collectSteps(project(matcher.match(scope), keep, ctx.things));
  const rows = yield* collectSteps(modified(matched, modifiers, ctx.things));
  return { rows, variables };
}


/** With `fold`, the caller is done with each row before it asks for the next and keeps none. */
/** `checked`: the get as checkGet compiled it over `ctx`, when the caller has it already. */
export function runGetRows(ctx: QueryContext, query: GetQuery, fold = false, checked?: CheckedGet): Iterable<Row | Pending> {
  // A sort keeps every row: those must be copies.
  return modified(matchGetRows(ctx, query, undefined, fold && !sorts(query.modifiers), checked), query.modifiers, ctx.things);
}

/** The get's answers before its modifiers. */
function matchGetRows(ctx: QueryContext, query: GetQuery, order?: MatchOrder, live = false, checked = checkGet(ctx, query)): Iterable<Row | Pending> {
  const { conjunction, matcher, filter, scope } = checked;
  return project(matcher.match(scope, new Map(), order), filter, ctx.things, needsDistinct(ctx.schema, conjunction, filter), live);
}

type CheckedGet = ReturnType<typeof checkGet>;

/** Compiles and checks a get (its match, filter and sort variables) without matching anything yet. */
function checkGet(ctx: QueryContext, query: GetQuery) {
  const { conjunction, matcher } = compileMatch(ctx, query.match);
  const filter = checkGetFilter(query, namedVariables(conjunction));
  const scope = matcher.prepare(conjunction);
  return { conjunction, matcher, filter, scope };
}

/**
 * Checks a get-aggregate as one is checked on its own, for one inside a fetch (which the fetch runs under each of
 * its answers): its aggregate variable is one the get returns, its filter and sort variables are its match's.
 */
export function checkGetAggregate(query: GetAggregateQuery, conjunction: Conjunction): void {
  requireInFilter(checkGetFilter(query.get, namedVariables(conjunction)), [query.variable]);
}

/**
 * The context a get (or an aggregate or group over one) runs in: with the rules' inferred facts when the transaction
 * reasons. The query is checked first, so a mistake in it fails before any reasoning is done.
 */
function* getContext(
  ctx: QueryContext,
  query: GetQuery,
  enough?: (partial: QueryContext) => Steps<boolean>,
  probe?: (partial: QueryContext) => Iterable<unknown>,
): Steps<QueryContext> {
  if (!ctx.reasoner) return ctx;
  checkGet(ctx, query);
  return yield* reasoningContext(ctx, { match: query.match, enough, probe });
}

/**
 * The context an aggregate or a group runs its get in, and the get's rows folded by `fold`
 * when demand-driven reasoning's last probe ran over that context: that probe read only complete facts, so its rows
 * are the query's, all of them (a fold keeps no capped list, unlike a get's probe). Undefined otherwise (no reasoning,
 * materialised in full): the caller then folds the rows itself. `live`: as runGetRows's `fold` (the step keeps no row).
 * A transaction that explains materialises in full, as a get in it does.
 */
function* probedFold<T>(ctx: QueryContext, query: GetQuery, live: boolean, fold: ProbeFold<Row, T>): Steps<{ ctx: QueryContext; folded: T | undefined }> {
  const probing = foldingProbe((partial) => runGetRows(partial, query, live), fold);
  const reasoned = yield* getContext(ctx, query, undefined, ctx.explanations ? undefined : probing.probe);
  return { ctx: reasoned, folded: probing.foldedOver(reasoned) };
}

/** Every row, for a group (which holds them all anyway). */
const ALL_ROWS: ProbeFold<Row, Row[]> = { start: () => [], step: (rows, row) => rows.push(row) };

/**
 * Answers can repeat only when variables are projected away, disjunction branches overlap, or a role player's role
 * may be more than one role type while a relation holds the player in several (`$r ($x)` meets it once per role;
 * TypeDB's answers are distinct). A role named by a label without subroles matches one edge per player: answers
 * then stream without remembering them.
 */
function needsDistinct(schema: SchemaReader, conjunction: Conjunction, filter: readonly string[]): boolean {
  const severalRoles = (player: RolePlayerConstraint) => {
    const role = player.role;
    if (role === undefined || role.kind === 'var') return true;
    const roles = role.kind === 'fixed' ? [role.type] : role.roles;
    return roles.length !== 1 || schema.subtypes(roles[0]!).length !== 1;
  };
  if (conjunction.constraints.some((c) => c.kind === 'disjunction' || (c.kind === 'relation' && c.players.some(severalRoles)))) return true;
  // A set: a match of 100 000 variables took 48 s here with filter.includes (found by fuzzing).
  const filtered = new Set(filter);
  return [...conjunction.variables.keys()].some((v) => !filtered.has(v));
}

/**
 * The get's answers, computed as they are read. A sort needs every answer first: it reads them in steps before the
 * query returns, so that its failures (incomparable values) are the query's.
 */
function* runGet(ctx: QueryContext, query: GetQuery): Steps<Iterable<ConceptMap | Pending>> {
  const order = matchOrder(query.modifiers);
  let rows = modified(matchGetRows(ctx, query, order), query.modifiers, ctx.things, order);
  if (sorts(query.modifiers)) rows = yield* collectSteps(rows);
  return conceptMaps(rows, ctx);
}

function* conceptMaps(rows: Iterable<Row | Pending>, ctx: QueryContext): Generator<ConceptMap | Pending> {
  for (const row of rows) yield row === PENDING ? PENDING : toConceptMap(row, ctx.things);
}


/**
 * A get whose answers carry explainables, found in each whole answer (anonymous relations and attributes too)
 * before it is projected onto the filter. Answers that the projection makes equal are not merged: each carries its
 * own explainables (TypeDB 2.x does not even project them).
 */
function explainedGet(ctx: QueryContext, query: GetQuery, ledger: ExplainableLedger): QueryResult<Pending> {
  const { conjunction, matcher, filter, scope } = checkGet(ctx, query);
  const { things, derivations } = ctx;
  const byRow = new WeakMap<Row, Explainables>();
  const byAnswer = new WeakMap<ConceptMap, Explainables>();
  function* projected(): Generator<Row | Pending> {
    for (const row of matcher.match(scope)) {
      if (row === PENDING) {
        yield PENDING;
        continue;
      }
      const out: Row = new Map();
      for (const name of filter) {
        const b = row.get(name);
        if (b) out.set(name, b);
      }
      if (derivations) byRow.set(out, explainablesOf(conjunction, row, things, derivations, ledger));
      yield out;
    }
  }
  function* answers(): Generator<ConceptMap | Pending> {
    for (const row of modified(projected(), query.modifiers, things)) {
      if (row === PENDING) {
        yield PENDING;
        continue;
      }
      const answer = toConceptMap(row, things);
      const explainables = byRow.get(row);
      if (explainables) byAnswer.set(answer, explainables);
      yield answer;
    }
  }
  return { kind: 'get', answers: answers(), explainables: (answer) => byAnswer.get(answer) ?? NO_EXPLAINABLES };
}

/**
 * TypeQL's checks of a group or aggregate get, made when it parses one: the get's own, then that its group and
 * aggregate variables are ones the get returns.
 */
function checkGetVariables(ctx: QueryContext, get: GetQuery, variables: readonly (Variable | undefined)[]): void {
  requireInFilter(checkGetFilter(get, namedVariables(compileMatch(ctx, get.match).conjunction)), variables);
}

/** Adds the value the row binds to the variable, if it binds it. */
function pushValue(ctx: QueryContext, row: Row, variable: Variable, out: Value[]): void {
  const b = row.get(variable.name);
  if (!b) return;
  const v = valueOf(b, ctx.things);
  if (v === undefined) {
    // TypeDB reads the concept as an attribute, and a non-attribute fails that cast ([THR03]).
    throw new StrataError('THR', 3, `The variable '${sigil(variable)}${variable.name}' cannot be aggregated: it is not an attribute or a value.`);
  }
  out.push(v);
}

/**
 * An insert's answer, as TypeDB's Inserter.Operation makes it: the things its named variables hold (types and
 * values are left out), and the things it inserted for anonymous variables, named `_0`, `_1`, ….
 */
function insertedAnswer(row: Row, things: ThingReader, variables: readonly string[]): ConceptMap {
  const answer = new Map(toConceptMap(row, things, variables.filter((name) => row.get(name)?.kind === 'thing')));
  for (const [name, binding] of row) {
    const shown = anonymousAnswerName(name);
    if (shown !== undefined) answer.set(shown, toConcept(binding, things));
  }
  return answer;
}

