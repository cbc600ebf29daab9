// Shared helpers for the server tests: an in-process server over the fake engine, a raw gRPC client for what the
// driver cannot do (bad protocol versions, dropped connections), and a promise helper for the driver's streams.
import { after } from 'node:test';
import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { UnimplementedTypeDBService } from 'typedb-protocol/proto/typedb-service.js';
import { StrataServer } from '../../src/server/index.js';
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
