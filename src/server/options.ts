// Client options (proto3 `optional` fields): only fields the client actually set count, and they cascade
// session → transaction → query, with TypeDB 2.29's defaults applied last.
import type { Options } from 'typedb-protocol/proto/options.js';
import { ServerErrors } from './errors.js';

/** The options a client set explicitly; absent fields are undefined. */
export interface ClientOptions {
  readonly infer?: boolean;
  readonly traceInference?: boolean;
  readonly explain?: boolean;
  readonly prefetchSize?: number;
  readonly prefetch?: boolean;
  readonly sessionIdleTimeoutMillis?: number;
  readonly transactionTimeoutMillis?: number;
  readonly schemaLockAcquireTimeoutMillis?: number;
}

export const DEFAULTS = {
  prefetchSize: 50,
  sessionIdleTimeoutMillis: 30_000,
  transactionTimeoutMillis: 300_000,
  schemaLockAcquireTimeoutMillis: 10_000,
  /** Java caps the client's reported latency at 3 s. */
  maxNetworkLatencyMillis: 3_000,
} as const;

export function readOptions(options: Options | undefined): ClientOptions {
  if (!options) return {};
  const out: { -readonly [K in keyof ClientOptions]: ClientOptions[K] } = {};
  if (options.has_infer) out.infer = options.infer;
  if (options.has_trace_inference) out.traceInference = options.trace_inference;
  if (options.has_explain) out.explain = options.explain;
  if (options.has_prefetch_size) out.prefetchSize = options.prefetch_size;
  if (options.has_prefetch) out.prefetch = options.prefetch;
  if (options.has_session_idle_timeout_millis) out.sessionIdleTimeoutMillis = options.session_idle_timeout_millis;
  if (options.has_transaction_timeout_millis) out.transactionTimeoutMillis = options.transaction_timeout_millis;
  if (options.has_schema_lock_acquire_timeout_millis) {
    out.schemaLockAcquireTimeoutMillis = options.schema_lock_acquire_timeout_millis;
  }
  return out;
}

/**
 * Options a transaction may not set (TypeDB 2.x's Options.Transaction): the session idle timeout belongs to the
 * session.
 */
export function checkTransactionOptions(options: ClientOptions): void {
  if (options.sessionIdleTimeoutMillis !== undefined) throw ServerErrors.notConfigurable('session idle timeout', 'Options.Transaction');
}

/** Options a query may not set (TypeDB 2.x's Options.Query): reasoning, its tracing and the timeout are the transaction's. */
export function checkQueryOptions(options: ClientOptions): void {
  if (options.infer !== undefined) throw ServerErrors.inferPerQuery();
  if (options.traceInference !== undefined) throw ServerErrors.traceInferencePerQuery();
  if (options.transactionTimeoutMillis !== undefined) throw ServerErrors.notConfigurable('transaction timeout', 'Options.Query');
}

/** An answer stream needs a prefetch size of at least 1: TypeDB checks it only when a stream is made (TXN17). */
export function checkStreamPrefetchSize(options: ClientOptions): void {
  const size = options.prefetchSize ?? DEFAULTS.prefetchSize;
  if (size < 1) throw ServerErrors.badPrefetchSize(size);
}

/** `inner` wins over `outer` field by field. */
export function cascade(outer: ClientOptions, inner: ClientOptions): ClientOptions {
  const out: Record<string, unknown> = { ...outer };
  for (const [key, value] of Object.entries(inner)) if (value !== undefined) out[key] = value;
  return out as ClientOptions;
}

/**
 * Whether a stream's first batch is sent before the client asks. As in TypeDB 2.x, whose server reads `prefetch` from a
 * query's options alone, only the query's own setting counts (on a session or a transaction it changes nothing);
 * without it, reads prefetch and insert/update answers do not. Concept API streams always prefetch.
 */
export function prefetchEnabled(queryOptions: ClientOptions, byDefault: boolean): boolean {
  return queryOptions.prefetch ?? byDefault;
}
