// A transaction: a consistent view of one database (read) or a private set of changes validated and applied
// atomically at commit (write). Any error closes the transaction, as in TypeDB.
import { Deadline } from '../common/deadline.js';
import type { CommitHooks, Snapshot, WriteTransaction } from '../storage/api.js';
import { StrataError } from '../common/errors.js';
import { startLimitTimer, type LimitTimer } from '../common/limit-timer.js';
import { PENDING, runSteps, withoutPauses, type Pending, type Steps, type WaitingSteps } from '../common/steps.js';
import { parseQuery } from '../typeql/index.js';
import type { Query } from '../typeql/ast.js';
import { TypeGraph } from '../schema/index.js';
import { ThingReader } from '../concept/things.js';
import { ThingWriter } from '../concept/thing-writer.js';
import type { AttributeConcept, ThingConcept } from '../concept/concepts.js';
import { removeRelationsWithoutPlayers, requirePlayersOfKeptRelations, validateKeys } from '../concept/commit-validation.js';
import { createConceptApi, guardConceptApi, type ConceptApi } from '../concept/api/index.js';
import { validateDataAgainstSchemaChangeSteps } from '../concept/schema-change-validation.js';
import { iidFromHex, schemaKey } from '../encoding/index.js';
import { ExplainableLedger, StoredCounts, executeQuerySteps, explain, ruleBodyCompiler, type Explanation, type QueryContext } from '../query/index.js';
import { Reasoner } from '../reasoner/index.js';
import { toConcept } from '../query/answers.js';
import type { QueryOptions, QueryResult, SessionType, Transaction, TransactionOptions, TransactionType } from './api.js';
import type { Database } from './database.js';
import { ViewInstanceChecks } from './instance-checks.js';
import { applyChecked } from './answering-checks.js';
import { CheckedConceptCalls } from './checked-concept-calls.js';

/** TypeDB 2.x's text and code (a server error there); in whole seconds, rounded down, as TypeDB prints them. */
export const transactionTimeout = (millis: number) =>
  new StrataError('SRV', 29, `Transaction exceeded maximum configured duration of '${Math.floor(millis / 1000)}' seconds.`);

/** TypeDB's SESSION_SCHEMA_VIOLATION: data written in a schema session. */
const sessionSchemaViolation = () => new StrataError('TXN', 13, 'Attempted data writes when session type does not allow.');

const SCHEMA_QUERIES = new Set<Query['kind']>(['define', 'undefine']);
const DATA_WRITE_QUERIES = new Set<Query['kind']>(['insert', 'delete', 'update']);

export class TransactionImpl implements Transaction {
  private open = true;
  private readonly view: Snapshot | WriteTransaction;
  private readonly schemaAtStart: number;
  private schema: TypeGraph;
  private things: ThingReader;
  private writer?: ThingWriter;
  private conceptApi?: ConceptApi;
  /** The checks the Concept API's schema mutations are given: in conceptsInSteps, ones that may take the call out. */
  private readonly conceptChecks = new CheckedConceptCalls(
    () => this.schema,
    () => new ViewInstanceChecks(() => this.schema, () => this.things),
  );
  /** Inferred facts of this read transaction, materialised on first use (its data never changes). */
  private reasoner?: Reasoner;
  /** The explainables handed out with answers, with the `explain` option (ids count for the whole transaction). */
  private explainables?: ExplainableLedger;
  /** Closes the transaction once `transactionTimeoutMillis` has passed (TypeDB's transaction timeout). */
  private readonly timeout?: LimitTimer;
  /** Why the transaction was closed, when it was not closed by its user: the error every later call gets. */
  private closedBy?: StrataError;
  /** Stops a query still running at the timeout: a running query holds the event loop, so no timer can. */
  private readonly deadline?: Deadline;
  /**
   * While commitInSteps has handed the changes to the store: closing then waits for the commit's end, which closes
   * the transaction; until then it keeps its schema-lock share, so that no schema change starts under the write.
   */
  private storing = false;
  private closeWhenStored = false;
  /**
   * Whether the Concept API wrote things in this schema write transaction: TypeDB 2.x takes such writes at the call
   * and refuses the commit (CoreTransaction.Schema.commit: [TXN13] when the data graph was modified). As there, a
   * rollback does not reset it (ThingGraph.clear keeps its modified flag).
   */
  private schemaSessionWroteData = false;

  constructor(
    private readonly database: Database,
    readonly sessionType: SessionType,
    readonly type: TransactionType,
    readonly options: TransactionOptions,
    private readonly onClose: (tx: TransactionImpl) => void,
  ) {
    this.schemaAtStart = database.schemaVersion;
    if (type === 'read') {
      this.view = database.store.snapshot();
      this.schema = database.schema;
      this.things = new ThingReader(this.view, this.schema);
    } else {
      const write = database.store.beginWrite();
      this.view = write;
      // Schema writes work on a private copy that replaces the database's schema at commit.
      this.schema = sessionType === 'schema' ? database.schema.clone() : database.schema;
      this.writer = new ThingWriter(write, this.schema, database.sequences);
      this.things = this.writer;
    }
    const timeoutMillis = options.transactionTimeoutMillis;
    if (timeoutMillis !== undefined) this.timeout = startLimitTimer(timeoutMillis, () => this.expire(timeoutMillis));
    const deadlineMillis = timeoutMillis ?? options.queryDeadlineMillis;
    if (deadlineMillis !== undefined) {
      this.deadline = Deadline.after(deadlineMillis, () => (this.closedBy ??= transactionTimeout(deadlineMillis)));
    }
  }

  private expire(timeoutMillis: number): void {
    if (!this.open) return;
    this.closedBy = transactionTimeout(timeoutMillis);
    this.close();
  }

  isOpen(): boolean {
    return this.open && this.database.isOpen();
  }

  private assertOpen(): void {
    if (!this.open && this.closedBy !== undefined) throw this.closedBy;
    if (!this.isOpen()) {
      throw new StrataError('TXN', 5, 'The transaction has been closed and no further operation is allowed.');
    }
  }

  query(text: string, options?: QueryOptions): QueryResult {
    const result = runSteps(this.queryInSteps(text, options));
    if (result.kind !== 'get' && result.kind !== 'fetch') return result;
    return { ...result, answers: withoutPauses<unknown>(result.answers) } as QueryResult;
  }

  /**
   * The query as work in steps (common/steps.ts), for a caller that serves others while it runs: lazy answers come
   * with pause points among them. The transaction must not be used otherwise until it is done; closed meanwhile (a
   * timeout), it fails at its next step.
   */
  *queryInSteps(text: string, options: QueryOptions = {}, parsed?: Query): Steps<QueryResult<Pending>> {
    this.assertOpen();
    try {
      const query = parsed ?? parseQuery(text);
      this.checkAllowed(query);
      const steps = executeQuerySteps(this.context(options.explain ?? this.options.explain === true), query);
      for (let next = steps.next(); ; next = steps.next()) {
        if (next.done) return this.guardLazy(next.value);
        yield PENDING;
        this.assertOpen();
      }
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /** `explain`: whether get answers carry explainables (with inference on). */
  private context(explain: boolean): QueryContext {
    const schemaWrites = this.type === 'write' && this.sessionType === 'schema';
    return {
      schema: this.schema,
      things: this.things,
      writer: this.type === 'write' && this.sessionType === 'data' ? this.writer : undefined,
      schemaWriter: schemaWrites ? this.schema : undefined,
      schemaChange: schemaWrites ? (change) => applyChecked(new ViewInstanceChecks(() => this.schema, () => this.things), change) : undefined,
      statistics: this.database.statistics,
      reasoner: this.reasoning(),
      deadline: this.deadline,
      explanations: this.reasoner && explain ? (this.explainables ??= new ExplainableLedger()) : undefined,
    };
  }

  explain(explainableId: number): Explanation[] {
    this.assertOpen();
    try {
      const ledger = this.explainables ?? new ExplainableLedger();
      return explain(ledger.get(explainableId), this.schema, ledger);
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /**
   * The reasoner, when queries should see inferred facts: inference is on, the transaction reads, and the schema has
   * rules. As in TypeDB 2.x, write transactions never reason, whatever `infer` says: a `match … insert` writes what
   * the data holds, not what rules conclude. Without rules nothing is set up, so plain queries pay nothing.
   */
  private reasoning(): Reasoner | undefined {
    if (this.options.infer !== true || this.type === 'write' || this.schema.rules().size === 0) return undefined;
    this.reasoner ??= new Reasoner({
      schema: this.schema,
      view: this.view,
      compileBody: ruleBodyCompiler(this.schema, new StoredCounts(this.database.statistics, this.things), this.deadline),
    });
    return this.reasoner;
  }

  private checkAllowed(query: Query): void {
    if (SCHEMA_QUERIES.has(query.kind)) this.assertSchemaWrites();
    else if (DATA_WRITE_QUERIES.has(query.kind)) this.assertDataWrites();
  }

  private assertSchemaWrites(): void {
    if (this.sessionType !== 'schema') throw new StrataError('TXN', 12, 'Attempted schema writes when session type does not allow.');
    if (this.type !== 'write') throw new StrataError('TXN', 7, 'Attempted schema writes when transaction type does not allow.');
  }

  private assertDataWrites(): void {
    if (this.sessionType !== 'data') throw sessionSchemaViolation();
    if (this.type !== 'write') throw new StrataError('TXN', 8, 'Attempted data writes when transaction type does not allow.');
  }

  /** The Concept API over this transaction: same access rules as queries, and a failing call closes it too. */
  concepts(): ConceptApi {
    this.assertOpen();
    this.conceptApi ??= guardConceptApi(
      createConceptApi({
        schema: () => this.schema,
        // With what the transaction's queries inferred, as TypeDB's Concept API sees them.
        things: () => this.reasoner?.inferredSoFar ?? this.things,
        schemaWriter: () => {
          this.assertSchemaWrites();
          return this.schema;
        },
        dataWriter: () => {
          if (this.sessionType === 'schema' && this.type === 'write') this.schemaSessionWroteData = true;
          else this.assertDataWrites();
          return this.writer!;
        },
        assertTypeCommitted: (type) => {
          // TypeDB's TypeImpl.validateCanHaveInstances: a type still buffered in this transaction has no instances yet.
          if (this.sessionType === 'schema' && this.database.schema.byId(type.id) === undefined) throw sessionSchemaViolation();
        },
        instanceChecks: () => this.conceptChecks.checks(),
      }),
      {
        beforeCall: () => this.assertOpen(),
        // A call run in steps may be taken out and run again: conceptsInSteps closes the transaction if it fails.
        onFailure: () => {
          if (!this.conceptChecks.running) this.close();
        },
      },
    );
    return this.conceptApi;
  }

  /**
   * A Concept API call as work in steps (common/steps.ts), for a caller that serves others meanwhile: a schema
   * mutation whose check of the data reads long pauses while it reads, as a define does (answering-checks.ts), with
   * the same outcome. `call` may run more than once: it must do nothing but call the API and describe the result.
   */
  *conceptsInSteps<T>(call: (api: ConceptApi) => T): Steps<T> {
    const api = this.concepts();
    try {
      // Only a schema write transaction can change types: any other call has no check to take out.
      if (this.sessionType !== 'schema' || this.type !== 'write') return call(api);
      const steps = this.conceptChecks.run(() => call(api));
      for (let next = steps.next(); ; next = steps.next()) {
        if (next.done) return next.value;
        yield PENDING;
        this.assertOpen();
      }
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /** Lazy answers are computed while the caller iterates: an error there must close the transaction too. */
  private guardLazy(result: QueryResult<Pending>): QueryResult<Pending> {
    if (result.kind !== 'get' && result.kind !== 'fetch') return result;
    const self = this;
    const source = result.answers;
    const guarded = {
      *[Symbol.iterator]() {
        try {
          // Checked before each answer is computed: the snapshot of a closed transaction is gone.
          const answers = source[Symbol.iterator]();
          for (;;) {
            self.assertOpen();
            const next = answers.next();
            if (next.done) return;
            yield next.value;
          }
        } catch (e) {
          self.close();
          throw e;
        }
      },
    };
    return { ...result, answers: guarded } as QueryResult<Pending>;
  }

  ownedAttributes(thing: ThingConcept, options?: { keysOnly?: boolean }): AttributeConcept[] {
    this.assertOpen();
    const iid = iidFromHex(thing.iid);
    if (!iid) return [];
    const type = this.things.get(iid)?.type;
    if (!type) return [];
    const ownerships = this.schema.owns(type);
    const out: AttributeConcept[] = [];
    for (const a of this.things.ownedAttributes(iid)) {
      if (options?.keysOnly && !ownerships.get(a.type.id)?.key) continue;
      out.push(toConcept({ kind: 'thing', thing: a, value: a.value }, this.things) as AttributeConcept);
    }
    return out;
  }

  commit(): void {
    this.assertOpen();
    try {
      runSteps(this.prepareCommit()).commit(this.commitHooks());
    } catch (e) {
      this.close();
      throw e;
    }
    this.close();
  }

  /**
   * The commit as work in steps: a schema commit's check of the data pauses every few instances read, and the store
   * writes the changes off the event loop (Waiting until they are durable). No schema commit overlaps another commit:
   * the schema session holds the schema lock, so no data write transaction is open, and a schema session has one
   * write transaction; its changes are written in one LMDB transaction at the end. Closed while checking (a timeout,
   * its client gone), the transaction fails at its next step and writes nothing; closed once the store writes it, the
   * commit ends first.
   */
  *commitInSteps(): WaitingSteps<void> {
    this.assertOpen();
    try {
      const write = yield* this.prepareCommit();
      this.storing = true;
      try {
        yield* write.commitInSteps(this.commitHooks());
      } finally {
        this.storing = false;
      }
    } catch (e) {
      this.close();
      throw e;
    } finally {
      // Abandoned by its runner while the store had it: the close it put off.
      if (this.closeWhenStored) this.close();
    }
    this.close();
  }

  /** The checks of a commit that read the transaction's own view; its schema, when it changes it, staged to write. */
  private *prepareCommit(): Steps<WriteTransaction> {
    if (this.type === 'read') {
      throw new StrataError('TXN', 6, 'Only write transactions can be committed.');
    }
    if (this.schemaSessionWroteData) throw sessionSchemaViolation();
    const write = this.view as WriteTransaction;
    this.checkSchemaUnchanged();
    if (this.sessionType === 'schema') {
      yield* this.validateSchemaChange();
      write.put(schemaKey, this.schema.serialize());
    } else {
      removeRelationsWithoutPlayers(this.writer!);
      requirePlayersOfKeptRelations(this.writer!);
      validateKeys(this.writer!, this.schema);
    }
    return write;
  }

  /** What must hold, and happen, at the commit's place among the database's commits. */
  private commitHooks(): CommitHooks {
    return {
      beforeWrite: () => this.checkSchemaUnchanged(),
      afterWrite: () => {
        this.database.statistics.recordCommit();
        if (this.sessionType === 'schema') this.database.replaceSchema(this.schema);
      },
    };
  }

  /** A safeguard: the schema lock (schema-lock.ts) already keeps schema sessions and data writes apart. */
  private checkSchemaUnchanged(): void {
    if (this.database.schemaVersion !== this.schemaAtStart) {
      throw new StrataError('TXN', 20, 'The schema was changed by another transaction since this one opened; retry the transaction.');
    }
  }

  /**
   * Schema transactions write no things, so the data is checked as the latest commit has it, not as the snapshot
   * this transaction opened with: data committed before must satisfy the new schema too.
   */
  private *validateSchemaChange(): Steps<void> {
    this.schema.validateForCommit();
    const latest = this.database.store.snapshot();
    try {
      const things = new ThingReader(latest, this.schema);
      const checks = new ViewInstanceChecks(() => this.schema, () => things);
      const steps = validateDataAgainstSchemaChangeSteps(this.database.schema, this.schema, things, checks);
      for (let next = steps.next(); !next.done; next = steps.next()) {
        yield PENDING;
        this.assertOpen();
      }
      // The schema lock makes this impossible; were it not to hold, the check above would have missed data.
      const now = this.database.store.snapshot();
      const moved = now.sequence !== latest.sequence;
      now.close();
      if (moved) {
        throw new StrataError('TXN', 20, 'Data was committed while this schema transaction checked the data against its changes; retry the transaction.');
      }
    } finally {
      latest.close();
    }
  }

  rollback(): void {
    this.assertOpen();
    // A read transaction has no changes to drop: TypeDB 2.x's rollback has no read-only check, so this is no error
    // and the transaction goes on over its snapshot.
    if (this.type !== 'write') return;
    // As TypeDB's rollback (RocksDB's keeps the transaction's snapshot): the changes go, the snapshot stays, so the
    // transaction neither sees what others committed since it opened nor escapes conflicting with it.
    const write = this.view as WriteTransaction;
    write.discardChanges();
    this.schema = this.sessionType === 'schema' ? this.database.schema.clone() : this.database.schema;
    const writer = new ThingWriter(write, this.schema, this.database.sequences);
    this.writer = writer;
    this.things = writer;
  }

  close(): void {
    if (!this.open) return;
    if (this.storing) {
      this.closeWhenStored = true;
      return;
    }
    this.open = false;
    this.timeout?.cancel();
    if ('abort' in this.view) this.view.abort();
    else this.view.close();
    this.onClose(this);
  }
}
