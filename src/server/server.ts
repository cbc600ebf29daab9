// The network layer: one grpc-js server carrying the typedb.protocol.TypeDB service on the configured address.
// Other services (the migrator) are added to the same port by `addService` before `start`.
import { createServer as createNetServer } from 'node:net';
import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { ConnectionListener, listenError } from './connections.js';
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
  /** HTTP/2 keepalive: how often each connection is pinged, and how long an answer may take (tests shorten them). */
  readonly keepalive?: { readonly intervalMillis: number; readonly timeoutMillis: number };
  /** How long calls in flight get to finish on shutdown, once every commit being written is answered (tests shorten it). */
  readonly shutdownGraceMillis?: number;
}

/**
 * A ping every 10 s that must be answered within 20 s: a client whose network went silent (a machine gone, a cable
 * out, a frozen process) is noticed within 30 s, its connection closed, its transactions rolled back and its sessions
 * (a schema session's lock with them) closed. Drivers answer pings without being configured for it; the long answer
 * time keeps a busy event loop (a long query step) from being taken for a silent client.
 */
export const KEEPALIVE = { intervalMillis: 10_000, timeoutMillis: 20_000 } as const;

const silentLog: ServerLog = { info: () => {}, error: () => {} };

/**
 * The largest request message the server takes: 16 times the 4 MiB TypeDB 2.x takes (grpc-java's default, which it
 * keeps), so every request TypeDB serves is served, and the Node.js driver's batches of queued queries have room.
 * Without a limit one message of any declared size is buffered whole: a client could make the server allocate
 * gigabytes. grpc-js refuses a larger message from its length prefix, before reading it.
 */
export const MAX_REQUEST_BYTES = 64 << 20;

/** How long open calls get to finish on shutdown before they are cut (commits being written are waited for first). */
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

export class StrataServer {
  readonly sessions: SessionRegistry;
  private readonly grpc: Server;
  private readonly log: ServerLog;
  private readonly listener: ConnectionListener;
  private boundAddress: string;
  private running = false;
  private readonly shutdownGraceMillis: number;

  constructor(
    readonly manager: ServedManager,
    config: ServerConfig,
  ) {
    this.log = config.log ?? silentLog;
    this.boundAddress = config.address;
    this.shutdownGraceMillis = config.shutdownGraceMillis ?? SHUTDOWN_GRACE_MILLIS;
    this.sessions = new SessionRegistry(manager, this.log);
    const keepalive = config.keepalive ?? KEEPALIVE;
    this.grpc = new Server({
      'grpc.max_receive_message_length': MAX_REQUEST_BYTES,
      'grpc.keepalive_time_ms': keepalive.intervalMillis,
      'grpc.keepalive_timeout_ms': keepalive.timeoutMillis,
    });
    // grpc-js takes connections from our listener (see connections.ts); its own ports are not used.
    const injector = this.grpc.createConnectionInjector(ServerCredentials.createInsecure());
    this.listener = new ConnectionListener(
      {
        accept: (socket) => injector.injectConnection(socket),
        closed: (peer) => this.sessions.connectionClosed(peer),
      },
      this.log,
    );
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

  /** Client connections open now (tests check that none leak). */
  get connections(): number {
    return this.listener.connections;
  }

  /**
   * TypeDB's SRV34 when something already listens on the address (port 0 is always free), and a clear SRV40 when
   * the address cannot be listened on at all: checked before the data directory is made or any store opened.
   */
  static async checkPortFree(address: string): Promise<void> {
    const { host, port } = splitAddress(address);
    const problem = await listenProblem(host, port);
    if (problem !== undefined) throw listenError(address, problem);
  }

  async start(): Promise<void> {
    const { host, port } = splitAddress(this.boundAddress);
    const boundPort = await this.listener.listen(host, port, this.boundAddress);
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
    this.listener.close();
    // A commit the store is writing cannot be taken back: its client is told its outcome before any call is cut,
    // however long the write takes (a busy machine), or it would be told of a failure whose changes are there.
    await this.sessions.commitsWritten();
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.grpc.forceShutdown();
        resolve();
      }, this.shutdownGraceMillis);
      force.unref();
      this.grpc.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }
}
