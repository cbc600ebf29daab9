// How failures travel to clients: always gRPC INTERNAL with the TypeDB-style text in `details`, because the driver
// mangles every other status code (UNKNOWN/UNAVAILABLE become "[NDR7] Unable to connect", others raw grpc text).
import { status, type ServiceError } from '@grpc/grpc-js';
import { Metadata } from '@grpc/grpc-js';
import { StrataError } from '../common/errors.js';
import { sendableDetails } from './status-details.js';

/** The status object grpc-js turns into the call's final status. */
export interface InternalStatus extends Partial<ServiceError> {
  code: status.INTERNAL;
  details: string;
  metadata: Metadata;
}

/** The text a client sees for an error thrown anywhere below the server. */
export function errorText(error: unknown): string {
  if (error instanceof StrataError) return error.message;
  if (error instanceof RangeError && error.message.startsWith('Maximum call stack size exceeded')) {
    // A request beyond what the engine's recursion takes (the parser already refuses nesting over 500 levels).
    return (
      '[QRY53] Invalid Query Pattern: The query is too large or too deeply nested for the server to process ' +
      '(it ran out of stack space). Split it into smaller queries.'
    );
  }
  if (error instanceof Error) {
    // Not a StrataError: a bug or an unexpected runtime failure. Say so, as TypeDB does for its null pointers.
    return `[INT01] Invalid Internal State: ${error.message || error.name}. This is a bug in Strata; please report it.`;
  }
  return `[INT01] Invalid Internal State: ${String(error)}. This is a bug in Strata; please report it.`;
}

export function toStatus(error: unknown): InternalStatus {
  const details = sendableDetails(errorText(error));
  return { name: 'StrataError', message: details, code: status.INTERNAL, details, metadata: new Metadata() };
}

/** True for errors that indicate a bug in Strata rather than a user mistake (worth logging on the server). */
export function isInternalError(error: unknown): boolean {
  return !(error instanceof StrataError);
}

// Server-level errors. Codes and texts are TypeDB 2.29's where it has the same error (SRV26/27/28/29/30/32/33/37, SSN01,
// TXN03/04/05/15/17); SRV03, SRV31, SRV40 and the SSN02 text are Strata's own.
export const ServerErrors = {
  protocolMismatch: (clientVersion: number) =>
    new StrataError(
      'SRV',
      26,
      `A protocol version mismatch was detected. This server supports version '3' but the driver supports version '${clientVersion}'. Please use a compatible driver to connect.`,
    ),
  cloudOnly: () => new StrataError('SRV', 37, 'User management is only available in TypeDB Cloud.'),
  emptyRequest: () => new StrataError('SRV', 30, 'Empty transaction request.'),
  unknownIterator: (id: string) =>
    new StrataError(
      'SRV',
      32,
      `Iteration was requested for ID '${id}', but this ID does not correspond to an existing query iterator.`,
    ),
  discardedByRollback: (id: string) =>
    new StrataError('SRV', 32, `More answers of the query with ID '${id}' were requested, but the transaction was rolled back while they were being streamed.`),
  duplicateRequest: (id: string) => new StrataError('SRV', 33, `The request with ID '${id}' is a duplicate.`),
  shuttingDown: () => new StrataError('SRV', 24, 'TypeDB server has been shutdown.'),
  databaseDeleted: (name: string) => new StrataError('DBS', 7, `Database with the name '${name}' has been deleted.`),
  unknownSession: (id: string) => new StrataError('SSN', 1, `Session with UUID '${id}' does not exist.`),
  sessionClosed: () =>
    new StrataError('SSN', 2, 'The session has been closed (by the client or an idle timeout) and no further operation is allowed.'),
  notOpened: () =>
    new StrataError('TXN', 3, 'The transaction has not been opened yet, so the only allowed operation is to open it.'),
  alreadyOpened: () => new StrataError('TXN', 4, 'Transaction has already been opened.'),
  closed: () => new StrataError('TXN', 5, 'The transaction has been closed and no further operation is allowed.'),
  badTransactionType: (type: number) => new StrataError('TXN', 15, `The transaction type '${type}' was not recognised.`),
  answerTooLarge: (bytes: number, limit: number) =>
    new StrataError(
      'SRV',
      41,
      `An answer of this query takes ${(bytes / (1 << 20)).toFixed(1)} MiB, more than the ${(limit / (1 << 20)).toFixed(1)} MiB that drivers ` +
        'accept in one message, so it cannot be sent. Make each answer smaller: insert fewer things in one query, ' +
        'or get or fetch fewer variables or attributes per answer.',
    ),
  badPrefetchSize: (size: number) =>
    new StrataError('TXN', 17, `RPC answer streaming prefetch size must be at least 1, is set to: ${size}.`),
  inferPerQuery: () => new StrataError('RSN', 1, 'Reasoning cannot be enabled/disabled per query. Try using Transaction options instead.'),
  traceInferencePerQuery: () =>
    new StrataError('RSN', 4, 'Reasoner tracing cannot be enabled/disabled per query. Try using Transaction options instead.'),
  /** TypeDB 2.x's SSN04 (session idle timeout) and TXN18 (transaction timeout). */
  notConfigurable: (what: 'session idle timeout' | 'transaction timeout', level: string) =>
    what === 'session idle timeout'
      ? new StrataError('SSN', 4, `The session idle timeout is not configurable at the '${level}' level.`)
      : new StrataError('TXN', 18, `Transaction timeout cannot be configured at the '${level}' level.`),
  /** TypeDB's answer to a Thing, Type or Rule request whose concept is not there (its services' notNull). */
  missingConcept: (kind: 'thing' | 'type' | 'rule', name: string) =>
    new StrataError('SRV', 27, `Concept does not exist. The ${kind} '${name}' was deleted, or never existed, in this transaction.`),
  /** TypeDB's ConceptService and TypeService for a value type they cannot take (`putAttributeType(label, OBJECT)`). */
  badValueType: (name: string) => new StrataError('SRV', 28, `The value type '${name}' was not recognised.`),
  missingRequest: (what: string) =>
    new StrataError('SRV', 31, `The request '${what}' was empty or of a kind this server does not know.`),
};
