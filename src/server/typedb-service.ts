// The typedb.protocol.TypeDB service (typedb-protocol 2.28.4): connection, server list, databases, sessions, and
// the transaction stream. Every unary failure answers INTERNAL with the TypeDB-style message.
import type { ServerDuplexStream, ServerUnaryCall, sendUnaryData, UntypedServiceImplementation } from '@grpc/grpc-js';
import { ConnectionOpenRes, type ConnectionOpenReq } from 'typedb-protocol/proto/connection.js';
import { Version } from 'typedb-protocol/proto/version.js';
import { Server as ServerProto, ServerManagerAllRes } from 'typedb-protocol/proto/server.js';
import {
  DatabaseDeleteRes,
  DatabaseManagerAllRes,
  DatabaseManagerContainsRes,
  DatabaseManagerCreateRes,
  DatabaseManagerGetRes,
  DatabaseReplicas,
  DatabaseReplicasReplica,
  DatabaseRuleSchemaRes,
  DatabaseSchemaRes,
  DatabaseTypeSchemaRes,
  type DatabaseDeleteReq,
  type DatabaseManagerContainsReq,
  type DatabaseManagerCreateReq,
  type DatabaseManagerGetReq,
  type DatabaseRuleSchemaReq,
  type DatabaseSchemaReq,
  type DatabaseTypeSchemaReq,
} from 'typedb-protocol/proto/database.js';
import {
  SessionCloseRes,
  SessionOpenRes,
  SessionPulseRes,
  SessionType,
  type SessionCloseReq,
  type SessionOpenReq,
  type SessionPulseReq,
} from 'typedb-protocol/proto/session.js';
import type { TransactionClient, TransactionServer } from 'typedb-protocol/proto/transaction.js';
import type { DatabaseManagerApi } from '../database/api.js';
import { checkNotReserved } from '../database/index.js';
import { StrataError } from '../common/errors.js';
import { ServerErrors, isInternalError, errorText, toStatus } from './errors.js';
import { readOptions } from './options.js';
import { ruleSchema, typeSchema } from './schema-split.js';
import type { SessionRegistry } from './sessions.js';
import { TransactionStream, type ServerLog } from './transaction-stream.js';

/** The engine's manager; `refused` lists databases found on disk that could not be opened (and why). */
export type ServedManager = DatabaseManagerApi & { readonly refused?: ReadonlyMap<string, StrataError> };

export interface ServiceContext {
  readonly manager: ServedManager;
  readonly sessions: SessionRegistry;
  /** The address reported by servers_all and in every replica: the driver keys its server state by it. */
  readonly advertisedAddress: () => string;
  readonly log: ServerLog;
}

type Unary<Req, Res> = (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => void;

/** A unary method: the handler's response (or the promise of it), or its error as TypeDB's status. */
function unary<Req, Res>(log: ServerLog, name: string, handle: (req: Req, call: ServerUnaryCall<Req, Res>) => Res | Promise<Res>): Unary<Req, Res> {
  const failed = (e: unknown, callback: sendUnaryData<Res>) => {
    if (isInternalError(e)) log.error(`${name} failed with an internal error: ${(e as Error)?.stack ?? errorText(e)}`);
    callback(toStatus(e), null);
  };
  return (call, callback) => {
    let response: Res | Promise<Res>;
    try {
      response = handle(call.request, call);
    } catch (e) {
      failed(e, callback);
      return;
    }
    if (response instanceof Promise) response.then((r) => callback(null, r), (e: unknown) => failed(e, callback));
    else callback(null, response);
  };
}

function doesNotExist(name: string): StrataError {
  return new StrataError('DBS', 6, `The database with the name '${name}' does not exist.`);
}

export function createTypeDBService(ctx: ServiceContext): UntypedServiceImplementation {
  const { manager, sessions, log } = ctx;

  const replicas = (name: string) =>
    new DatabaseReplicas({
      name,
      replicas: [new DatabaseReplicasReplica({ address: ctx.advertisedAddress(), primary: true, preferred: true, term: 0 })],
    });

  const requireDatabase = (name: string): void => {
    checkNotReserved(name);
    if (manager.contains(name)) return;
    // A database that exists on disk but was refused at startup says why, rather than "does not exist".
    throw manager.refused?.get(name) ?? doesNotExist(name);
  };

  const cloudOnly = unary(log, 'users', () => {
    throw ServerErrors.cloudOnly();
  });

  return {
    connection_open: unary(log, 'connection_open', (req: ConnectionOpenReq) => {
      if (req.version !== Version.VERSION) throw ServerErrors.protocolMismatch(req.version);
      return new ConnectionOpenRes();
    }),
    servers_all: unary(log, 'servers_all', () => new ServerManagerAllRes({ servers: [new ServerProto({ address: ctx.advertisedAddress() })] })),

    users_contains: cloudOnly,
    users_create: cloudOnly,
    users_delete: cloudOnly,
    users_all: cloudOnly,
    users_password_set: cloudOnly,
    users_get: cloudOnly,
    user_password_update: cloudOnly,
    user_token: cloudOnly,

    databases_get: unary(log, 'databases_get', (req: DatabaseManagerGetReq) => {
      requireDatabase(req.name);
      return new DatabaseManagerGetRes({ database: replicas(req.name) });
    }),
    databases_all: unary(log, 'databases_all', () => new DatabaseManagerAllRes({ databases: manager.all().map(replicas) })),
    databases_contains: unary(log, 'databases_contains', (req: DatabaseManagerContainsReq) => {
      checkNotReserved(req.name);
      // A database on disk that could not be opened is there: the driver then asks for it, and learns why it
      // cannot be used (an incompatible encoding, a TypeDB directory) instead of "does not exist".
      return new DatabaseManagerContainsRes({ contains: manager.contains(req.name) || manager.refused?.has(req.name) === true });
    }),
    databases_create: unary(log, 'databases_create', (req: DatabaseManagerCreateReq) => {
      manager.create(req.name);
      return new DatabaseManagerCreateRes();
    }),
    database_schema: unary(log, 'database_schema', (req: DatabaseSchemaReq) => {
      requireDatabase(req.name);
      return new DatabaseSchemaRes({ schema: manager.schema(req.name) });
    }),
    database_type_schema: unary(log, 'database_type_schema', (req: DatabaseTypeSchemaReq) => {
      requireDatabase(req.name);
      return new DatabaseTypeSchemaRes({ schema: typeSchema(manager.schema(req.name)) });
    }),
    database_rule_schema: unary(log, 'database_rule_schema', (req: DatabaseRuleSchemaReq) => {
      requireDatabase(req.name);
      return new DatabaseRuleSchemaRes({ schema: ruleSchema(manager.schema(req.name)) });
    }),
    database_delete: unary(log, 'database_delete', (req: DatabaseDeleteReq) => {
      requireDatabase(req.name);
      // Open transactions on the database end with an error before its store goes away.
      sessions.closeDatabase(req.name);
      manager.delete(req.name);
      return new DatabaseDeleteRes();
    }),

    session_open: unary(log, 'session_open', async (req: SessionOpenReq, call) => {
      const started = process.hrtime.bigint();
      checkNotReserved(req.database);
      const type = req.type === SessionType.SCHEMA ? 'schema' : 'data';
      // A schema session may wait for the schema lock; a client that gives up meanwhile gets no session.
      const session = await sessions.open(req.database, type, readOptions(req.has_options ? req.options : undefined), () => !call.cancelled, call.getPeer());
      const millis = Number((process.hrtime.bigint() - started) / 1_000_000n);
      return new SessionOpenRes({ session_id: session.id, server_duration_millis: millis });
    }),
    session_close: unary(log, 'session_close', (req: SessionCloseReq) => {
      sessions.close(req.session_id);
      return new SessionCloseRes();
    }),
    session_pulse: unary(log, 'session_pulse', (req: SessionPulseReq, call) => new SessionPulseRes({ alive: sessions.pulse(req.session_id, call.getPeer()) })),

    transaction: (call: ServerDuplexStream<TransactionClient, TransactionServer>) => {
      new TransactionStream(call, sessions, log).start();
    },
  };
}
