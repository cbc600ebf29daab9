// What the step definitions drive: an asynchronous view of a TypeDB 2.x connection, with two implementations —
// the embedded engine in this process (embedded.ts) and a real server process through typedb-driver@2.29.7
// (driver.ts). Answers always come back in the engine's own detached shapes (src/concept/concepts.ts), so the checks
// in conformance/checks/ compare the same kind of data whichever way the answers travelled.
import type { AttributeConcept, Concept, ConceptMap, ThingConcept } from '../../src/concept/concepts.js';
import type { ThingApi, TypeApi } from '../../src/concept/api/index.js';
import type { Value } from '../../src/common/values.js';
import type { JSONValue, SessionType, TransactionType } from '../../src/database/api.js';

export type { SessionType, TransactionType, JSONValue };

/** `--via=…`: how the harness reaches the engine. */
export type EngineVia = 'embedded' | 'driver';

export interface AnswerGroup {
  readonly owner: Concept;
  readonly answers: readonly ConceptMap[];
}

export interface ValueGroup {
  readonly owner: Concept;
  readonly value: Value | undefined;
}

export interface HarnessSessionOptions {
  /** The driver's; an embedded session has no idle timeout (no client to fall silent). */
  readonly sessionIdleTimeoutMillis?: number;
}

export interface HarnessTransactionOptions {
  readonly infer?: boolean;
  readonly transactionTimeoutMillis?: number;
}

/**
 * A method's result once awaited: collections of instances arrive as arrays (the embedded API's lazy iterables are
 * read to the end before the call returns; strings stay strings).
 */
type Collected<R> = R extends string ? R : R extends readonly unknown[] ? R : R extends Iterable<infer E> ? E[] : R;

/** The same methods, each returning a Promise of its collected result. */
export type Async<T> = {
  readonly [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Collected<R>> : never;
};

/** The types' part of the Concept API, as the behaviour suite's steps use it (they never ask for schema exceptions). */
export type HarnessTypeApi = Async<Omit<TypeApi, 'schemaExceptions'>>;

/**
 * The Concept API of src/concept/api/concept-api.ts (types by label, things by IID), asynchronously. Any call that
 * fails closes the transaction, as in TypeDB.
 */
export interface HarnessConceptApi {
  readonly types: HarnessTypeApi;
  readonly things: Async<ThingApi>;
}

export interface HarnessTransaction {
  readonly type: TransactionType;
  isOpen(): Promise<boolean>;
  // One method per query kind, as the driver has them: the query must be of that kind.
  define(query: string): Promise<void>;
  undefine(query: string): Promise<void>;
  delete(query: string): Promise<void>;
  insert(query: string): Promise<ConceptMap[]>;
  update(query: string): Promise<ConceptMap[]>;
  get(query: string): Promise<ConceptMap[]>;
  /** undefined: the aggregate is empty (e.g. the max of nothing). */
  getAggregate(query: string): Promise<Value | undefined>;
  getGroup(query: string): Promise<AnswerGroup[]>;
  getGroupAggregate(query: string): Promise<ValueGroup[]>;
  fetch(query: string): Promise<JSONValue[]>;
  /** The attributes the thing owns through `@key` ownerships (how answer tables identify things by key). */
  keys(thing: ThingConcept): Promise<AttributeConcept[]>;
  concepts(): HarnessConceptApi;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessSession {
  readonly type: SessionType;
  readonly databaseName: string;
  isOpen(): Promise<boolean>;
  transaction(type: TransactionType, options: HarnessTransactionOptions): Promise<HarnessTransaction>;
  close(): Promise<void>;
}

/** One open connection (`connection opens with default authentication`). */
export interface HarnessConnection {
  create(database: string): Promise<void>;
  contains(database: string): Promise<boolean>;
  all(): Promise<string[]>;
  delete(database: string): Promise<void>;
  session(database: string, type: SessionType, options?: HarnessSessionOptions): Promise<HarnessSession>;
  /** The whole schema as one `define` query. */
  schema(database: string): Promise<string>;
  /** `connection closes`: closes its sessions too. */
  close(): Promise<void>;
}

/** One per worker process. */
export interface HarnessEngine {
  readonly via: EngineVia;
  /** Before the first scenario of the worker: get ready (the driver mode starts its server process here). */
  prepare(): Promise<void>;
  /** A connection; every scenario starts with no databases. */
  connect(): Promise<HarnessConnection>;
  /** After every scenario (its connections closed): leave no databases behind for the next one. */
  endScenario(): Promise<void>;
  /** The worker is done: release everything this engine started (the driver mode's server process). */
  shutdown(): Promise<void>;
}
