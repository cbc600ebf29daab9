// The server's TCP listeners. Connections are accepted here and handed to grpc-js (its connection injector) once
// they have shown the HTTP/2 client preface, so that the server knows each client connection: a connection that
// sends something else is logged and closed, and when a connection closes (its client killed, its network silent
// past the keepalive) the sessions it carried are told at once instead of waiting for their idle timeout.
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { lookup } from 'node:dns/promises';
import { StrataError } from '../common/errors.js';
import type { ServerLog } from './transaction-stream.js';
import { RefusedConnectionsLog } from './refused-connections-log.js';

/** What every HTTP/2 client (every gRPC client) sends first (RFC 9113 §3.4). */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** A connection that has not sent its preface by then is closed: it holds a descriptor and serves no one. */
const PREFACE_TIMEOUT_MILLIS = 10_000;

/** The peer text grpc-js gives for a call (`ServerSurfaceCall.getPeer`): the key that ties calls to connections. */
export function peerOf(socket: Socket): string {
  return `${socket.remoteAddress}:${socket.remotePort}`;
}

/** The first bytes of a connection as printable text, for the log line that names what was refused. */
function printable(bytes: Buffer): string {
  const text = bytes.subarray(0, 24).toString('latin1').replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return bytes.length > 24 ? `${text}…` : text;
}

export interface ConnectionHandlers {
  /** Takes a connection that began with the HTTP/2 preface (the preface is still unread on it). */
  accept(socket: Socket): void;
  /** A connection handed to `accept` closed, for whatever reason. */
  closed(peer: string): void;
}

export class ConnectionListener {
  private readonly listeners: NetServer[] = [];
  /** Connections handed to grpc-js and still open. */
  private readonly open = new Set<Socket>();
  /** Connections still to show their preface. */
  private readonly pending = new Set<Socket>();
  /** Refusals are logged a few per address at a time: a flood of them does not flood the log. */
  private readonly refusals: RefusedConnectionsLog;

  constructor(
    private readonly handlers: ConnectionHandlers,
    private readonly log: ServerLog,
  ) {
    this.refusals = new RefusedConnectionsLog((line) => this.log.info(line));
  }

  get connections(): number {
    return this.open.size;
  }

  /**
   * Listens on every address the host resolves to (as grpc-js's own bind does: `localhost` is 127.0.0.1 and ::1),
   * all on one port; returns that port. Fails with SRV34 for a port in use, SRV40 for another refusal.
   */
  async listen(host: string, port: number, address: string): Promise<number> {
    const bare = host.replace(/^\[|\]$/g, '');
    let addresses: string[];
    try {
      addresses = (await lookup(bare, { all: true })).map((a) => a.address);
    } catch (e) {
      throw listenError(address, (e as NodeJS.ErrnoException).code ?? String(e));
    }
    let bound = port;
    for (const ip of addresses) {
      const server = createServer((socket) => this.onConnection(socket));
      try {
        bound = await new Promise<number>((resolve, reject) => {
          server.once('error', reject);
          server.listen({ host: ip, port: bound, exclusive: true }, () => {
            server.off('error', reject);
            const at = server.address();
            resolve(typeof at === 'object' && at ? at.port : bound);
          });
        });
      } catch (e) {
        this.close();
        throw listenError(address, (e as NodeJS.ErrnoException).code ?? String(e));
      }
      // Accepting can fail later (out of file descriptors): the server goes on and says why.
      server.on('error', (e) => this.log.error(`accepting a connection on ${address} failed: ${e.message}`));
      this.listeners.push(server);
    }
    return bound;
  }

  /**
   * Stops accepting and drops connections that have not shown their preface yet; those handed on are grpc-js's to
   * close (a listener's close completes only once they are gone, so it is not waited for).
   */
  close(): void {
    for (const listener of this.listeners.splice(0)) listener.close();
    for (const socket of this.pending) socket.destroy();
  }

  /** Reads the first bytes: the HTTP/2 preface hands the connection on, anything else is logged and refused. */
  private onConnection(socket: Socket): void {
    const peer = peerOf(socket);
    let seen = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(), PREFACE_TIMEOUT_MILLIS);
    timer.unref();
    this.pending.add(socket);
    const stop = () => {
      this.pending.delete(socket);
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onEarlyError);
      socket.off('close', stop);
    };
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const compared = Math.min(seen.length, PREFACE.length);
      if (!seen.subarray(0, compared).equals(PREFACE.subarray(0, compared))) {
        stop();
        this.refusals.refused(socket.remoteAddress ?? peer, `WARNING: Closed a connection from ${peer} that does not speak gRPC (HTTP/2): it began with "${printable(seen)}".`);
        socket.destroy();
        return;
      }
      if (seen.length < PREFACE.length) return;
      stop();
      socket.pause();
      // HTTP/2 reads what is already buffered on a socket before it takes over.
      socket.unshift(seen);
      this.open.add(socket);
      socket.once('close', () => {
        this.open.delete(socket);
        this.handlers.closed(peer);
      });
      this.handlers.accept(socket);
    };
    // A reset before the preface: nothing to serve, nothing to tell.
    const onEarlyError = () => {};
    socket.on('data', onData);
    socket.on('error', onEarlyError);
    socket.on('close', stop);
  }
}

/** SRV34 for a port in use, SRV40 naming the option for any other refusal. */
export function listenError(address: string, code: string): StrataError {
  if (code === 'EADDRINUSE') return new StrataError('SRV', 34, `Could not bind to the port since it is in use: '${address}'.`);
  return new StrataError('SRV', 40, `Could not listen on '${address}': ${listenAdvice(code)} (--server.address).`);
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
