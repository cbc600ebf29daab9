// The network layer: one grpc-js server carrying the typedb.protocol.TypeDB service on the configured address.
// Other services (the migrator) are added to the same port by `addService` before `start`.
import { createServer as createNetServer } from 'node:net';
import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { UnimplementedTypeDBService } from 'typedb-protocol/proto/typedb-service.js';
import { StrataError } from '../common/errors.js';
import { ServerErrors } from './errors.js';
import { SessionRegistry, type RegistryStats } from './sessions.js';
import { createTypeDBService, type ServedManager } from './typedb-service.js';
import type { ServerLog } from './transaction-stream.js';

export interface ServerConfig {
  /** `host:port`; port 0 picks a free port (see `address` after start). */
  readonly address: string;
  readonly log?: ServerLog;
}

const silentLog: ServerLog = { info: () => {}, error: () => {} };

/** How long open calls get to finish on shutdown before they are cut. */
const SHUTDOWN_GRACE_MILLIS = 2_000;

export function splitAddress(address: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(address);
  if (!match) throw new StrataError('SRV', 13, `The server address '${address}' is not of the form <host>:<port>.`);
  const port = Number(match[2]);
  if (port > 65535) throw new StrataError('SRV', 13, `The port in the server address '${address}' is out of range.`);
  return { host: match[1]!, port };
}

/** Why the address cannot be listened on (a system error code such as EADDRINUSE), or undefined if it can. */
function listenProblem(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const probe = createNetServer();
    probe.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    probe.listen({ host: host.replace(/^\[|\]$/g, ''), port, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });
}

/** What to tell the user for a listen problem other than a busy port. */
function listenAdvice(code: string): string {
  switch (code) {
    case 'EADDRNOTAVAIL':
      return 'the host is not an address of this machine. Give one of its addresses (127.0.0.1 for this machine only, 0.0.0.0 for all)';
    case 'EACCES':
      return 'permission denied: ports below 1024 need privileges. Use a port from 1024 (TypeDB uses 1729)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name could not be resolved. Give an IP address or a known host name';
    default:
      return `the system refused it (${code})`;
  }
}

export class StrataServer {
  readonly sessions: SessionRegistry;
  private readonly grpc: Server;
  private readonly log: ServerLog;
  private boundAddress: string;
  private running = false;

  constructor(
    readonly manager: ServedManager,
    config: ServerConfig,
  ) {
    this.log = config.log ?? silentLog;
    this.boundAddress = config.address;
    this.sessions = new SessionRegistry(manager, this.log);
    this.grpc = new Server({
      // The driver's batches can be large (bulk inserts); answers are split into parts on our side.
      'grpc.max_receive_message_length': -1,
    });
    this.grpc.addService(
      UnimplementedTypeDBService.definition as unknown as ServiceDefinition,
      createTypeDBService({
        manager,
        sessions: this.sessions,
        log: this.log,
        advertisedAddress: () => this.boundAddress,
      }),
    );
  }

  /** Adds another service on the same port (e.g. the migrator). Only before `start`. */
  addService(definition: ServiceDefinition, implementation: UntypedServiceImplementation): void {
    this.grpc.addService(definition, implementation);
  }

  /** The address clients use, with the real port when 0 was configured. */
  get address(): string {
    return this.boundAddress;
  }

  stats(): RegistryStats {
    return this.sessions.stats();
  }

  /**
   * TypeDB's SRV34 when something already listens on the address (port 0 is always free), and a clear SRV40 when
   * the address cannot be listened on at all (grpc-js would report either only as "No address added").
   */
  static async checkPortFree(address: string): Promise<void> {
    const { host, port } = splitAddress(address);
    const problem = await listenProblem(host, port);
    if (problem === undefined) return;
    if (problem === 'EADDRINUSE') throw new StrataError('SRV', 34, `Could not bind to the port since it is in use: '${address}'.`);
    throw new StrataError('SRV', 40, `Could not listen on '${address}': ${listenAdvice(problem)} (--server.address).`);
  }

  async start(): Promise<void> {
    const { host, port } = splitAddress(this.boundAddress);
    // grpc-js reports a busy port only as "No address added"; checking first gives TypeDB's clear message.
    await StrataServer.checkPortFree(this.boundAddress);
    const boundPort = await new Promise<number>((resolve, reject) => {
      this.grpc.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (error, actual) => {
        if (error) reject(new StrataError('SRV', 34, `Could not bind to '${this.boundAddress}': ${error.message}`));
        else resolve(actual);
      });
    });
    this.boundAddress = `${host}:${boundPort}`;
    this.running = true;
  }

  /**
   * Stops serving: open transactions are rolled back (their clients get an error saying why), sessions close,
   * calls in flight get a short grace period, then the network layer goes down. The engine is not closed here.
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.sessions.closeAll(ServerErrors.shuttingDown());
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.grpc.forceShutdown();
        resolve();
      }, SHUTDOWN_GRACE_MILLIS);
      force.unref();
      this.grpc.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }
}
