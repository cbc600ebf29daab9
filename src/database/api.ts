// The embedded API: what the conformance harness, the server and the benchmarks use.
import type { AttributeConcept, ThingConcept } from '../concept/concepts.js';
import type { ConceptApi } from '../concept/api/index.js';

export type SessionType = 'schema' | 'data';
export type TransactionType = 'read' | 'write';

export interface TransactionOptions {
  readonly infer?: boolean;
  /** With `infer`: get answers carry explainables, which `explain` explains (TypeDB's `explain` option). */
  readonly explain?: boolean;
  /** Closes the transaction this long after it opened, stopping a query still running then (`[SRV29]`). */
  readonly transactionTimeoutMillis?: number;
  /**
   * Only stops queries still running this long after the transaction opened (`[SRV29]`), with no timer: for a caller
   * that closes idle transactions itself (the server, whose timer also tells its client).
   */
  readonly queryDeadlineMillis?: number;
}

/** Options of one query; unset, the transaction's hold (TypeDB 2.x's Options.Query, whose parent is the transaction's). */
export interface QueryOptions {
  /** With the transaction's `infer`: this query's get answers carry explainables, or do not. */
  readonly explain?: boolean;
}

export type { JSONValue, QueryResult } from '../query/results.js';
import type { Pending, Steps, WaitingSteps } from '../common/steps.js';
import type { Query } from '../typeql/ast.js';
import type { QueryResult } from '../query/results.js';
export type { Explainable, Explainables, Explanation } from '../query/index.js';
import type { Explanation } from '../query/index.js';

export interface Transaction {
  readonly type: TransactionType;
  readonly sessionType: SessionType;
  isOpen(): boolean;
  /** Runs one query. Any error closes the transaction (as in TypeDB). */
  query(text: string, options?: QueryOptions): QueryResult;
  /**
   * The same query as work that may pause between steps (see common/steps.ts): for a caller that serves others
   * meanwhile, as the server does. Its lazy answers have pause points (PENDING) among them, where a search that finds
   * no answer for a while gives way. Run it, and read its answers, to the end before using the transaction
   * otherwise. `parsed`: the text's parse, when the caller has it already (the server parses a request to check its
   * kind first).
   */
  queryInSteps(text: string, options?: QueryOptions, parsed?: Query): Steps<QueryResult<Pending>>;
  /**
   * The explanations of an explainable this transaction handed out with an answer (by its id): one per rule and
   * rule answer that concluded the inferred fact. Fails for an id it did not hand out.
   */
  explain(explainableId: number): Explanation[];
  /** Attributes owned by a thing; with keysOnly, only those owned through a `@key` ownership. */
  ownedAttributes(thing: ThingConcept, options?: { keysOnly?: boolean }): AttributeConcept[];
  /**
   * The Concept API (types by label, things by IID) over this transaction; see concept/api/concept-api.ts. Schema
   * mutations need a schema write transaction, thing writes a data write transaction; a failing call closes the
   * transaction.
   */
  concepts(): ConceptApi;
  /**
   * A call of the Concept API as work that may pause between steps, for a caller that serves others meanwhile: a
   * schema mutation whose check of the data reads long (setOwns with @key over many things) pauses while it reads.
   * The outcome is the call's: its result, or its error (which closes the transaction). `call` may run more than
   * once (a mutation taken out while its check reads runs again), so it must have no other effects, and change the
   * schema through one mutation: what it changes before its first check is not undone when it is taken out.
   */
  conceptsInSteps<T>(call: (api: ConceptApi) => T): Steps<T>;
  commit(): void;
  /**
   * The same commit as work that may pause between steps (see common/steps.ts), for a caller that serves others
   * meanwhile: a schema commit checking the data pauses every few instances. The changes are written at its end, off
   * the event loop: the steps wait (Waiting) until they are durable. A store takes one such commit at a time, and
   * commit() fails ([STO16]) while one is being written.
   */
  commitInSteps(): WaitingSteps<void>;
  rollback(): void;
  close(): void;
}

export interface Session {
  readonly type: SessionType;
  readonly databaseName: string;
  isOpen(): boolean;
  transaction(type: TransactionType, options?: TransactionOptions): Transaction;
  close(): void;
}

export interface SessionOptions {
  /**
   * For a caller that retries a schema session until it gets the schema lock (as the server does): while it waits,
   * new data write transactions wait behind it, so that data writes that keep overlapping cannot keep it out.
   */
  readonly queueForSchemaLock?: boolean;
}

export interface DatabaseManagerApi {
  create(name: string): void;
  contains(name: string): boolean;
  all(): string[];
  delete(name: string): void;
  session(database: string, type: SessionType, options?: SessionOptions): Session;
  /** The whole schema as one `define` query (TypeDB 2.29 layout). */
  schema(database: string): string;
  close(): void;
}
