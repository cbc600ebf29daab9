// Server-side sessions: the engine session behind each session id, its idle timeout (refreshed by pulses and use),
// the client connection it was last used over (a session ends with it), and the transaction streams opened on it. The counts are what tests and the debug-stats line report.
import { randomBytes } from 'node:crypto';
import type { DatabaseManagerApi, Session, SessionType } from '../database/api.js';
import type { StrataError } from '../common/errors.js';
import { startLimitTimer, type LimitTimer } from '../common/limit-timer.js';
import { whenSchemaLockFree } from './schema-lock-wait.js';
import { ServerErrors } from './errors.js';
import { DEFAULTS, type ClientOptions } from './options.js';
import type { ServerLog } from './transaction-stream.js';

/** What the registry needs from an open transaction stream to shut it down. */
export interface OpenTransaction {
  /** Rolls back and ends the stream with this error (the client sees it on every pending request). */
  abort(error: StrataError): void;
  /** Rolls back and completes the stream without an error: its session was closed by its client. */
  end(): void;
}

export interface ServerSession {
  readonly id: Uint8Array;
  readonly key: string;
  readonly database: string;
  readonly type: SessionType;
  readonly engine: Session;
  readonly options: ClientOptions;
  readonly transactions: Set<OpenTransaction>;
  idleTimer: LimitTimer | undefined;
  /** The client connection (grpc-js peer text) of the latest open, pulse or request; undefined in-process. */
  peer: string | undefined;
}

/** An idle timer this late was held up by a blocked event loop, not by a silent client. */
const LATE_TIMER_MILLIS = 250;
/** Time for pulses queued behind a blocked event loop to be read before an idle session is closed. */
const PULSE_GRACE_MILLIS = 1000;

export interface RegistryStats {
  readonly sessions: number;
  readonly transactions: number;
}

/** 16 bytes printed the way TypeDB prints session ids (a UUID). */
export function formatSessionId(id: Uint8Array): string {
  const hex = Buffer.from(id).toString('hex');
  if (hex.length !== 32) return hex;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, ServerSession>();
  private transactionCount = 0;
  /** Set by closeAll (shutdown): no session opens after it, a schema session still waiting for the lock included. */
  private closedWith: StrataError | undefined;
  private readonly listeners = new Set<(stats: RegistryStats) => void>();
  /** Commits the store's writer is writing, each settled once its client has been answered (see commitsWritten). */
  private readonly writing = new Set<Promise<void>>();
  /**
   * Keys of sessions closed (shutdown, database deleted) while a transaction of theirs had a commit being written:
   * their pulses still answer alive until that transaction ends. typedb-driver closes a session's transactions when a
   * pulse says it is gone, so its commit would be reported failed ([NDR5]) though the server makes it durable.
   */
  private readonly committingAfterClose = new Set<string>();

  constructor(
    private readonly manager: DatabaseManagerApi,
    /** Where idle timeouts are reported: they explain a vanished client's session ending (and its lock freed). */
    private readonly log: Pick<ServerLog, 'info'> = { info: () => {} },
  ) {}

  /** Called after every change of the session or transaction count. */
  onChange(listener: (stats: RegistryStats) => void): void {
    this.listeners.add(listener);
  }

  stats(): RegistryStats {
    return { sessions: this.sessions.size, transactions: this.transactionCount };
  }

  private changed(): void {
    const stats = this.stats();
    for (const listener of this.listeners) listener(stats);
  }

  /**
   * Opens a session; a schema session waits for the schema lock (see schema-lock-wait.ts). If `stillWanted` says no
   * once it is open (the client went away while it waited), it is closed again and the lock released.
   */
  async open(database: string, type: SessionType, options: ClientOptions, stillWanted: () => boolean = () => true, peer?: string): Promise<ServerSession> {
    if (this.closedWith) throw this.closedWith;
    const timeout = options.schemaLockAcquireTimeoutMillis ?? DEFAULTS.schemaLockAcquireTimeoutMillis;
    let engine: Session;
    try {
      const wanted = () => this.closedWith === undefined && stillWanted();
      engine = await whenSchemaLockFree(() => this.manager.session(database, type, { queueForSchemaLock: true }), timeout, wanted);
    } catch (e) {
      throw this.closedWith ?? e;
    }
    // Shut down while it waited: the lock it just took is the one the shutdown freed, and the stores close next.
    if (this.closedWith) {
      engine.close();
      throw this.closedWith;
    }
    if (!stillWanted()) {
      engine.close();
      throw ServerErrors.sessionClosed();
    }
    const id = randomBytes(16);
    const session: ServerSession = {
      id,
      key: id.toString('hex'),
      database,
      type,
      engine,
      options,
      transactions: new Set(),
      idleTimer: undefined,
      peer,
    };
    this.sessions.set(session.key, session);
    this.touch(session);
    this.changed();
    return session;
  }

  get(id: Uint8Array): ServerSession | undefined {
    return this.sessions.get(Buffer.from(id).toString('hex'));
  }

  /** The session for a client request, or SSN01 as TypeDB answers for unknown ids. */
  require(id: Uint8Array): ServerSession {
    const session = this.get(id);
    if (!session) throw ServerErrors.unknownSession(formatSessionId(id));
    return session;
  }

  /** Restarts the idle timeout: the client showed it is alive (over the connection `peer`, when known). */
  touch(session: ServerSession, peer?: string): void {
    if (peer !== undefined) session.peer = peer;
    session.idleTimer?.cancel();
    this.armIdleTimer(session, this.idleTimeout(session));
  }

  private idleTimeout(session: ServerSession): number {
    return session.options.sessionIdleTimeoutMillis ?? DEFAULTS.sessionIdleTimeoutMillis;
  }

  private armIdleTimer(session: ServerSession, millis: number): void {
    const armed = performance.now();
    session.idleTimer = startLimitTimer(millis, () => {
      // A session with a live transaction stream is in use even without pulses. Streams of vanished clients are
      // cancelled by gRPC, and every transaction has its own timeout, so this cannot keep a session forever.
      if (session.transactions.size > 0) this.touch(session);
      // Fired late: something (another client's long query) blocked the event loop, and this client's pulses may
      // be waiting unread behind due timers. A pulse read within the grace period restarts the timeout (touch).
      else if (performance.now() - armed - millis > LATE_TIMER_MILLIS) this.armIdleTimer(session, PULSE_GRACE_MILLIS);
      else {
        this.log.info(`WARNING: Session with ID ${formatSessionId(session.id)} (database '${session.database}', ${session.type}) timed out due to inactivity (no pulse for ${this.idleTimeout(session)} ms).`);
        this.closeSession(session, ServerErrors.sessionClosed());
      }
    });
  }

  /** A pulse: true (and the timeout restarted) if the session is still open. */
  pulse(id: Uint8Array, peer?: string): boolean {
    const session = this.get(id);
    if (!session || !session.engine.isOpen()) return this.committingAfterClose.has(Buffer.from(id).toString('hex'));
    this.touch(session, peer);
    return true;
  }

  /**
   * A client connection closed (its client killed or gone, or silent past the keepalive): the sessions last used
   * over it close now, their transactions rolled back and a schema session's lock freed, rather than when their idle
   * timeout passes. A client that reconnected has pulsed over its new connection by then and keeps its sessions.
   */
  connectionClosed(peer: string): void {
    for (const session of [...this.sessions.values()]) {
      if (session.peer !== peer) continue;
      const open = session.transactions.size;
      this.log.info(`WARNING: Session with ID ${formatSessionId(session.id)} (database '${session.database}', ${session.type}) closed: the connection of its client (${peer}) closed${open > 0 ? `, ${open} open transaction(s) rolled back` : ''}.`);
      this.closeSession(session, ServerErrors.sessionClosed());
    }
  }

  /**
   * The client closed the session: its transactions end as TypeDB's do then, completed without an error. (The driver
   * has closed them itself just before, but its half-closes may arrive after this request; an error sent to such a
   * transaction would reach its onClose callbacks a second time, as a failure.)
   */
  close(id: Uint8Array): void {
    this.closeSession(this.require(id), undefined);
  }

  /** Before a database is deleted: its sessions and their transactions end. */
  closeDatabase(database: string): void {
    for (const session of [...this.sessions.values()]) {
      if (session.database === database) this.closeSession(session, ServerErrors.databaseDeleted(database));
    }
  }

  /** Shutdown: every open transaction is rolled back and its client told why; sessions still opening fail too. */
  closeAll(reason: StrataError): void {
    this.closedWith = reason;
    for (const session of [...this.sessions.values()]) this.closeSession(session, reason);
  }

  /**
   * A transaction's commit waits for the store to write it until `answered` settles (the transaction stream has then
   * answered the client, or gone on to do so): shutdown waits for it (commitsWritten).
   */
  commitBeingWritten(answered: Promise<unknown>): void {
    const tracked: Promise<void> = answered.then(
      () => {
        this.writing.delete(tracked);
      },
      () => {
        this.writing.delete(tracked);
      },
    );
    this.writing.add(tracked);
  }

  /** Resolves once no commit is being written (those begun meanwhile included). */
  async commitsWritten(): Promise<void> {
    while (this.writing.size > 0) await Promise.all([...this.writing]);
  }

  addTransaction(session: ServerSession, tx: OpenTransaction): void {
    session.transactions.add(tx);
    this.transactionCount++;
    this.touch(session);
    this.changed();
  }

  removeTransaction(session: ServerSession, tx: OpenTransaction): void {
    if (!session.transactions.delete(tx)) return;
    if (session.transactions.size === 0) this.committingAfterClose.delete(session.key);
    this.transactionCount--;
    this.changed();
  }

  /** `reason` undefined: closed by its client, so its transactions complete cleanly. */
  private closeSession(session: ServerSession, reason: StrataError | undefined): void {
    if (this.sessions.get(session.key) !== session) return;
    session.idleTimer?.cancel();
    // Transactions first: each one removes itself from the session as it ends.
    for (const tx of [...session.transactions]) {
      if (reason === undefined) tx.end();
      else tx.abort(reason);
    }
    // Only a transaction whose commit is being written outlives its abort or end (its client is told the outcome).
    if (session.transactions.size > 0) this.committingAfterClose.add(session.key);
    session.engine.close();
    this.sessions.delete(session.key);
    this.changed();
  }
}
