// The embedded API: what the conformance harness, the server and the benchmarks use.
import type { Concept, ConceptMap, AttributeConcept, ThingConcept } from '../concept/concepts.js';
import type { Value } from '../common/values.js';
import type { ConceptApi } from '../concept/api/index.js';

export type SessionType = 'schema' | 'data';
export type TransactionType = 'read' | 'write';

export interface TransactionOptions {
  readonly infer?: boolean;
  readonly transactionTimeoutMillis?: number;
}

export type JSONValue = null | boolean | number | string | JSONValue[] | { [key: string]: JSONValue };

/** The result of running one TypeQL query, by query kind. Lazy results fail while being iterated. */
export type QueryResult =
  | { readonly kind: 'define' | 'undefine' }
  | { readonly kind: 'delete' }
  | { readonly kind: 'insert' | 'update'; readonly answers: readonly ConceptMap[] }
  | { readonly kind: 'get'; readonly answers: Iterable<ConceptMap> }
  | { readonly kind: 'aggregate'; readonly value: Value | undefined }
  | { readonly kind: 'group'; readonly groups: readonly { owner: Concept; answers: readonly ConceptMap[] }[] }
  | { readonly kind: 'group-aggregate'; readonly groups: readonly { owner: Concept; value: Value | undefined }[] }
  | { readonly kind: 'fetch'; readonly answers: Iterable<JSONValue> };

export interface Transaction {
  readonly type: TransactionType;
  readonly sessionType: SessionType;
  isOpen(): boolean;
  /** Runs one query. Any error closes the transaction (as in TypeDB). */
  query(text: string): QueryResult;
  /** Attributes owned by a thing; with keysOnly, only those owned through a `@key` ownership. */
  ownedAttributes(thing: ThingConcept, options?: { keysOnly?: boolean }): AttributeConcept[];
  /**
   * The Concept API (types by label, things by IID) over this transaction; see concept/api/concept-api.ts. Schema
   * mutations need a schema write transaction, thing writes a data write transaction; a failing call closes the
   * transaction.
   */
  concepts(): ConceptApi;
  commit(): void;
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

export interface DatabaseManagerApi {
  create(name: string): void;
  contains(name: string): boolean;
  all(): string[];
  delete(name: string): void;
  session(database: string, type: SessionType): Session;
  /** The whole schema as one `define` query (TypeDB 2.29 layout). */
  schema(database: string): string;
  close(): void;
}
