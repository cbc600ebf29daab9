// Shared helpers for the server tests: an in-process server over the fake engine or over the real engine with a
// driver connected to it, a raw gRPC client for what the driver cannot do (bad protocol versions, dropped
// connections), and a promise helper for the driver's streams.
import { after } from 'node:test';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { TypeDB, type SessionType, type TransactionType, type TypeDBDriver, type TypeDBOptions, type TypeDBTransaction } from 'typedb-driver';
import { UnimplementedTypeDBService } from 'typedb-protocol/proto/typedb-service.js';
import { openDatabaseManager } from '../../src/database/index.js';
import { StrataServer, type ServerConfig } from '../../src/server/index.js';
import { FakeEngine } from './fake-engine.js';

export interface FakeServer {
  readonly engine: FakeEngine;
  readonly server: StrataServer;
  readonly address: string;
  readonly errors: string[];
}

export async function startFakeServer(): Promise<FakeServer> {
  const engine = new FakeEngine();
  const errors: string[] = [];
  const server = new StrataServer(engine, { address: '127.0.0.1:0', log: { info: () => {}, error: (m) => errors.push(m) } });
  await server.start();
  return { engine, server, address: server.address, errors };
}

export interface EngineServer {
  readonly server: StrataServer;
  /** Connected by `start`. */
  readonly driver: TypeDBDriver;
  /** What the server logged as errors. */
  readonly errors: string[];
  /** What the server logged on its info channel (warnings about clients that went away, timeouts). */
  readonly infos: string[];
  /** Starts the server and connects the driver (in the file's `before`). */
  start(): Promise<void>;
}

/**
 * An in-process server over the real engine in a temporary data directory, and a driver connected to it, for the
 * tests of one file: started by `start`, stopped (and the directory removed) after the file's tests.
 */
export function useEngineServer(name: string, config: Pick<ServerConfig, 'keepalive'> = {}): EngineServer {
  const dir = mkdtempSync(join(tmpdir(), `strata-${name}-`));
  const manager = openDatabaseManager(dir);
  const errors: string[] = [];
  const infos: string[] = [];
  const server = new StrataServer(manager, { ...config, address: '127.0.0.1:0', log: { info: (m) => infos.push(m), error: (m) => errors.push(m) } });
  let driver: TypeDBDriver | undefined;
  after(async () => {
    await driver?.close();
    await server.stop();
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    server,
    errors,
    infos,
    async start() {
      await server.start();
      driver = await TypeDB.coreDriver(server.address);
    },
    get driver() {
      if (driver === undefined) throw new Error('the server has not started yet');
      return driver;
    },
  };
}

/** Runs `body` in a new session and transaction of the database, closing both afterwards (also on failure). */
export async function inTransaction(
  driver: TypeDBDriver,
  database: string,
  sessionType: SessionType,
  transactionType: TransactionType,
  body: (tx: TypeDBTransaction) => Promise<void>,
  options?: TypeDBOptions,
): Promise<void> {
  const session = await driver.session(database, sessionType);
  try {
    const tx = await session.transaction(transactionType, options);
    try {
      await body(tx);
    } finally {
      if (tx.isOpen()) await tx.close();
    }
  } finally {
    await session.close();
  }
}

/**
 * typedb-driver@2.29.7 keeps a 5 s pulse timer per open session and never closes its channels: a test that fails
 * half-way would leave the test process running forever. The timer is unref'd, so a clean run exits by itself.
 */
export function exitWhenDone(): void {
  after(() => {
    setTimeout(() => process.exit(), 3_000).unref();
  });
}

type RawClient = grpc.Client & Record<string, (...args: unknown[]) => unknown>;

export function rawClient(address: string): RawClient {
  const Client = grpc.makeGenericClientConstructor(UnimplementedTypeDBService.definition as unknown as grpc.ServiceDefinition, 'TypeDB');
  return new Client(address, grpc.credentials.createInsecure()) as unknown as RawClient;
}

export function unaryCall<Res>(client: RawClient, method: string, request: unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    (client[method] as (req: unknown, cb: (e: grpc.ServiceError | null, r: Res) => void) => void).call(client, request, (e, r) => (e ? reject(e) : resolve(r)));
  });
}

export function requestId(): Uint8Array {
  return new Uint8Array(randomBytes(16));
}

/** Polls until `condition` holds, failing after `timeoutMillis`. */
export async function eventually(condition: () => boolean, timeoutMillis = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
