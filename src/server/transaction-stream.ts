// One `transaction` bidi stream = one engine transaction. Requests arrive in batches and are processed strictly in
// order; every response echoes its request id. Any failure ends this stream (and only this transaction) with an
// INTERNAL status, which is TypeDB's only per-transaction error channel. The stream ends with OK only after a commit
// or after the client half-closed, because the driver cannot see an OK completion while it still waits for answers.
import type { ServerDuplexStream } from '@grpc/grpc-js';
import {
  TransactionClient,
  TransactionCommitRes,
  TransactionOpenRes,
  TransactionRes,
  TransactionRollbackRes,
  TransactionServer,
  TransactionType,
  type TransactionReq,
} from 'typedb-protocol/proto/transaction.js';
import type { Transaction } from '../database/api.js';
import type { StrataError } from '../common/errors.js';
import { ServerErrors, errorText, isInternalError, toStatus } from './errors.js';
import { cascade, checkQueryOptions, checkTransactionOptions, DEFAULTS, readOptions, checkStreamPrefetchSize, prefetchEnabled, type ClientOptions } from './options.js';
import { formatSessionId, type OpenTransaction, type ServerSession, type SessionRegistry } from './sessions.js';
import { queryRequestSteps, type RequestOutcome } from './query-requests.js';
import { Waiting, type Steps, type WaitingSteps } from '../common/steps.js';
import { runConceptRequest } from './concept-requests.js';
import type { AnswerStream } from './answer-stream.js';
import { isSchemaLockBusy, transactionTimeout } from '../database/index.js';
import { startLimitTimer, type LimitTimer } from '../common/limit-timer.js';
import { whenSchemaLockFree } from './schema-lock-wait.js';

export type TransactionCall = ServerDuplexStream<TransactionClient, TransactionServer>;

export interface ServerLog {
  info(message: string): void;
  error(message: string): void;
}

/**
 * `opening`: a write transaction waits for the schema lock; `busy`: a query is computing in slices of time. Requests
 * that arrive meanwhile are queued.
 */
type State = 'unopened' | 'opening' | 'open' | 'busy' | 'committed' | 'ended';

/**
 * How long a query computes before the event loop serves others (other clients, pulses, this client's timeout):
 * long enough that the pauses cost little, short enough that other clients' requests are not held noticeably.
 */
const SLICE_MILLIS = 20;

const NOTHING_MORE = (): void => {};

/** Request ids are 16-byte UUIDs; formatted as such in messages. */
function requestIdText(id: Uint8Array): string {
  const hex = Buffer.from(id).toString('hex');
  return hex.length === 32 ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` : hex;
}

/** The protocol's transaction type; any other number is refused, as TypeDB does, rather than read as a default. */
function transactionType(type: TransactionType): 'read' | 'write' {
  if (type === TransactionType.READ) return 'read';
  if (type === TransactionType.WRITE) return 'write';
  throw ServerErrors.badTransactionType(type);
}

export class TransactionStream implements OpenTransaction {
  private state: State = 'unopened';
  private session: ServerSession | undefined;
  private tx: Transaction | undefined;
  private options: ClientOptions = {};
  private timeout: LimitTimer | undefined;
  /** How long answers are sent ahead after a CONTINUE (see AnswerStream.sendAhead): the client's reported latency. */
  private aheadMillis = 0;
  /** Answer streams waiting for the client's `stream_req` after a CONTINUE, by request id (hex). */
  private readonly streams = new Map<string, AnswerStream<unknown>>();
  /** Streams cut short by a rollback: asking for more of them is an error, not a silent end. */
  private readonly discarded = new Set<string>();
  /** Streams that sent DONE ahead of the client's `stream_req` for their last CONTINUE (see AnswerStream.sendAhead). */
  private readonly endedAhead = new Set<string>();
  /** Requests that arrived while the transaction waited for the schema lock, a query or the client, in order. */
  private queued: TransactionReq[] = [];
  /**
   * The client is not reading what was sent (HTTP/2 flow control holds it here): requests wait, and the stream reads
   * no more of them, until it has taken what is buffered. Without this, a client that asks for more answers and never
   * reads them would make the server hold every answer in memory.
   */
  private waitingForReader = false;
  /**
   * The work in slices waits for work done elsewhere: a commit's changes being written by the store's writer thread
   * (or waiting for another commit to be). Its outcome decides how the transaction ends: an abort, a timeout or the
   * client going away meanwhile is not acted on, so that a client is never told that a commit failed that is durable.
   */
  private waitingElsewhere = false;

  /** The client connection this stream runs over. */
  private readonly peer: string;

  constructor(
    private readonly call: TransactionCall,
    private readonly sessions: SessionRegistry,
    private readonly log: ServerLog,
  ) {
    this.peer = call.getPeer();
  }

  start(): void {
    this.call.on('data', (message: TransactionClient) => this.onBatch(message));
    // The client half-closed: `tx.close()`, session close, or the end of a commit.
    this.call.on('end', () => this.onHalfClose());
    // The client went away (cancelled call, dropped connection): clean up without writing anything.
    // A close before this stream ended it (finish, fail) is the same: the connection went.
    this.call.on('cancelled', () => this.clientGone());
    this.call.on('close', () => this.clientGone());
  }

  private isEnded(): boolean {
    return this.state === 'ended';
  }

  private send = (message: TransactionServer): void => {
    if (this.state === 'ended') return;
    if (!this.call.write(message) && !this.waitingForReader) {
      this.waitingForReader = true;
      this.call.pause();
      this.call.once('drain', () => this.readerCaughtUp());
    }
  };

  private readerCaughtUp(): void {
    this.waitingForReader = false;
    if (this.state === 'ended') return;
    this.call.resume();
    if (this.state === 'open') this.processQueued();
  }

  private onBatch(message: TransactionClient): void {
    if (this.state === 'ended') return;
    if (message.reqs.length === 0) return this.fail(ServerErrors.emptyRequest());
    this.process(message.reqs);
  }

  private process(reqs: readonly TransactionReq[]): void {
    for (let i = 0; i < reqs.length; i++) {
      // A request can end the stream (a failed commit, an abort from the registry): drop the rest of the batch.
      if (this.isEnded()) return;
      // Waiting for the schema lock, a query or the client: the rest runs once the transaction is free.
      if (this.state === 'opening' || this.state === 'busy' || this.waitingForReader) {
        this.queued.push(...reqs.slice(i));
        return;
      }
      try {
        this.handle(reqs[i]!);
      } catch (e) {
        return this.fail(e);
      }
    }
    // After a commit the call completes, as in TypeDB; the driver half-closes its side on its own.
    if (this.state === 'committed') this.finish();
  }

  private handle(req: TransactionReq): void {
    const reqId = req.req_id;
    if (req.req === 'open_req') return this.open(req);
    if (this.state === 'unopened') throw ServerErrors.notOpened();
    if (this.state !== 'open') throw ServerErrors.closed();
    const tx = this.tx!;
    if (this.session) this.sessions.touch(this.session, this.peer);
    switch (req.req) {
      case 'stream_req': {
        const key = Buffer.from(reqId).toString('hex');
        const stream = this.streams.get(key);
        if (!stream && this.endedAhead.delete(key)) return;
        if (!stream && this.discarded.has(key)) throw ServerErrors.discardedByRollback(requestIdText(reqId));
        if (!stream) throw ServerErrors.unknownIterator(requestIdText(reqId));
        return this.runInSlices(stream.sendBatch(this.send, true), (done) => {
          if (done) this.streams.delete(key);
          else this.scheduleAhead(key, stream);
        });
      }
      case 'commit_req':
        this.streams.clear();
        // A schema commit checks the data in slices, and the store writes the changes off the event loop; the call
        // completes once the commit is durable (process or processQueued).
        return this.runInSlices(tx.commitInSteps(), () => {
          this.state = 'committed';
          this.call.write(new TransactionServer({ res: new TransactionRes({ req_id: reqId, commit_res: new TransactionCommitRes() }) }));
        });
      case 'rollback_req':
        // Answers of queries issued before the rollback were computed over the discarded changes. A read transaction
        // has none, and its rollback changes nothing: its streams go on.
        if (tx.type === 'write') {
          for (const key of this.streams.keys()) this.discarded.add(key);
          this.streams.clear();
        }
        tx.rollback();
        this.send(new TransactionServer({ res: new TransactionRes({ req_id: reqId, rollback_res: new TransactionRollbackRes() }) }));
        return;
      case 'query_manager_req': {
        this.checkNewRequestId(reqId);
        const queryOptions = readOptions(req.query_manager_req.has_options ? req.query_manager_req.options : undefined);
        checkQueryOptions(queryOptions);
        const options = cascade(this.options, queryOptions);
        const explain = options.explain === undefined ? {} : { explain: options.explain };
        const steps = queryRequestSteps(tx, reqId, req.query_manager_req, options.prefetchSize ?? DEFAULTS.prefetchSize, explain);
        return this.runInSlices(this.deliver(reqId, steps, options, queryOptions), NOTHING_MORE);
      }
      case 'concept_manager_req':
      case 'thing_req':
      case 'type_req':
      case 'logic_manager_req':
      case 'rule_req': {
        this.checkNewRequestId(reqId);
        const prefetchSize = this.options.prefetchSize ?? DEFAULTS.prefetchSize;
        // In steps: a schema mutation whose check of the data reads long gives way to other clients meanwhile.
        const outcome = tx.conceptsInSteps(() => runConceptRequest(tx, req, prefetchSize));
        return this.runInSlices(this.deliver(reqId, outcome, this.options, {}), NOTHING_MORE);
      }
      default:
        throw ServerErrors.missingRequest(req.req);
    }
  }

  private open(req: TransactionReq): void {
    if (this.state !== 'unopened') throw ServerErrors.alreadyOpened();
    const openReq = req.open_req;
    const session = this.sessions.require(openReq.session_id);
    this.sessions.touch(session, this.peer);
    const transactionOptions = readOptions(openReq.has_options ? openReq.options : undefined);
    checkTransactionOptions(transactionOptions);
    this.options = cascade(session.options, transactionOptions);
    const type = transactionType(openReq.type);
    // TypeDB compensates for the latency the client reports, up to 3 s, on a thread of its own. Here the answers are
    // computed on the event loop, which serves every client: a window is at most one slice.
    this.aheadMillis = Math.min(openReq.network_latency_millis, DEFAULTS.maxNetworkLatencyMillis, SLICE_MILLIS);
    // The timeout's timer is this stream's (opened): it must tell the client, and closes the engine's transaction
    // with it (between a query's slices too). The engine's own deadline stops work that holds the event loop so
    // long that no timer can fire (one long step of a query, a batch of lazily computed answers).
    const begin = () =>
      session.engine.transaction(type, {
        ...(this.options.infer !== undefined ? { infer: this.options.infer } : {}),
        ...(this.options.explain !== undefined ? { explain: this.options.explain } : {}),
        queryDeadlineMillis: this.options.transactionTimeoutMillis ?? DEFAULTS.transactionTimeoutMillis,
      });
    let tx: Transaction;
    try {
      tx = begin();
    } catch (e) {
      if (!isSchemaLockBusy(e)) throw e;
      this.waitForSchemaLock(req, session, begin);
      return;
    }
    this.opened(req, session, tx);
  }

  /** A data write transaction waits (as in TypeDB) while a schema session holds the schema lock. */
  private waitForSchemaLock(req: TransactionReq, session: ServerSession, begin: () => Transaction): void {
    this.state = 'opening';
    // One of its session's transactions already, as TypeDB registers it before it waits: the session's idle timeout
    // spares it, and closing the session or deleting the database ends the wait.
    this.register(session);
    const timeout = this.options.schemaLockAcquireTimeoutMillis ?? DEFAULTS.schemaLockAcquireTimeoutMillis;
    whenSchemaLockFree(begin, timeout, () => this.state === 'opening').then(
      (tx) => {
        if (this.state !== 'opening') {
          tx.close();
          return;
        }
        this.opened(req, session, tx);
        this.processQueued();
      },
      (e: unknown) => {
        if (this.state === 'opening') this.fail(e);
      },
    );
  }

  private opened(req: TransactionReq, session: ServerSession, tx: Transaction): void {
    const timeoutMillis = this.options.transactionTimeoutMillis ?? DEFAULTS.transactionTimeoutMillis;
    this.tx = tx;
    this.state = 'open';
    this.register(session);
    this.timeout = startLimitTimer(timeoutMillis, () => this.fail(transactionTimeout(timeoutMillis)));
    this.send(new TransactionServer({ res: new TransactionRes({ req_id: req.req_id, open_res: new TransactionOpenRes() }) }));
  }

  private register(session: ServerSession): void {
    if (this.session === session) return;
    this.session = session;
    this.sessions.addTransaction(session, this);
  }

  private processQueued(): void {
    const queued = this.queued;
    this.queued = [];
    this.process(queued);
  }

  /**
   * Runs the work until it is done or its slice of time is spent; then the transaction is busy (its requests wait)
   * and the work goes on once the event loop has served the others, or once what it waits for (Waiting) has settled.
   * It stops when the transaction ends meanwhile. `done` must not start other work in slices: compose such work into
   * `steps` instead.
   */
  private runInSlices<T>(steps: WaitingSteps<T>, done: (result: T) => void): void {
    /** True once done; false when the slice is spent; a Waiting when the work waits for something. */
    const slice = (): boolean | Waiting => {
      const until = performance.now() + SLICE_MILLIS;
      for (;;) {
        const next = steps.next();
        if (next.done) {
          done(next.value);
          return true;
        }
        if (next.value instanceof Waiting) return next.value;
        if (performance.now() >= until) return false;
      }
    };
    const pause = (paused: false | Waiting): void => {
      if (paused === false) {
        setImmediate(resume);
        return;
      }
      this.waitingElsewhere = true;
      const resumed = paused.until.then(() => {
        this.waitingElsewhere = false;
        resume();
      });
      // Settles after resume has run: by then the commit's answer is sent, or its last quick slices are scheduled.
      this.sessions.commitBeingWritten(resumed);
    };
    const resume = (): void => {
      if (this.state !== 'busy') return this.abandon(steps);
      try {
        const paused = slice();
        if (paused !== true) return pause(paused);
        // Unless the work ended the transaction's use (a commit).
        if (this.state === 'busy') this.state = 'open';
      } catch (e) {
        return this.fail(e);
      }
      this.processQueued();
    };
    const first = slice();
    if (first === true) return;
    this.state = 'busy';
    pause(first);
  }

  /** Ends work the transaction no longer waits for (it ended meanwhile): what it was reading is already closed. */
  private abandon<T>(steps: WaitingSteps<T>): void {
    try {
      steps.return(undefined as T);
    } catch {
      // Its iterators' clean-up met the closed snapshot: nothing is left to clean.
    }
  }

  private checkNewRequestId(reqId: Uint8Array): void {
    if (this.streams.has(Buffer.from(reqId).toString('hex'))) throw ServerErrors.duplicateRequest(requestIdText(reqId));
  }

  /**
   * Works out the request's outcome and sends it: its response, or its first batch of answers. `options`: the
   * request's, cascaded from the session's; `queryOptions`: those the request itself set.
   */
  private *deliver(
    reqId: Uint8Array,
    work: RequestOutcome | Steps<RequestOutcome>,
    options: ClientOptions,
    queryOptions: ClientOptions,
  ): Steps<void> {
    const outcome = 'kind' in work ? work : yield* work;
    if (outcome.kind === 'single') {
      this.send(new TransactionServer({ res: outcome.res }));
      return;
    }
    checkStreamPrefetchSize(options); // before the stream sends anything
    const prefetch = prefetchEnabled(queryOptions, outcome.prefetchByDefault);
    if (!(yield* outcome.stream.sendBatch(this.send, prefetch))) {
      const key = Buffer.from(reqId).toString('hex');
      this.streams.set(key, outcome.stream);
      if (prefetch) this.scheduleAhead(key, outcome.stream);
    }
  }

  /**
   * Sends the stream's next batch ahead once the requests already received are handled, unless the stream is gone by
   * then (finished, rolled back, committed, or the transaction ended) or another request is being worked on.
   */
  private scheduleAhead(key: string, stream: AnswerStream<unknown>): void {
    setImmediate(() => {
      // A client that is not reading gets nothing ahead: it asks for the next batch when it wants it.
      if (this.state !== 'open' || this.streams.get(key) !== stream || this.waitingForReader) return;
      try {
        this.runInSlices(stream.sendAhead(this.send, this.aheadMillis), (done) => {
          if (!done) return;
          this.streams.delete(key);
          this.endedAhead.add(key);
        });
      } catch (e) {
        this.fail(e);
      }
    });
  }

  /** Called by the session registry (session timed out, database deleted, server shutdown). */
  abort(error: StrataError): void {
    this.fail(error);
  }

  /** Called by the session registry when the client closed the session: completed as TypeDB's session close does. */
  end(): void {
    // A commit being written decides how the call ends (see waitingElsewhere), as for an abort.
    if (this.waitingElsewhere) return;
    // Still waiting for the schema lock, its client waits for the open answer: a clean end would leave it waiting.
    if (this.state === 'opening') return this.fail(ServerErrors.sessionClosed());
    this.finish();
  }

  /** Ends the transaction with an error: rolled back, every pending client request rejects with this text. */
  private fail(error: unknown): void {
    if (this.state === 'ended' || this.waitingElsewhere) return;
    if (isInternalError(error)) this.log.error(`transaction failed with an internal error: ${(error as Error)?.stack ?? errorText(error)}`);
    this.release();
    this.call.emit('error', toStatus(error));
  }

  /** The call was cancelled under a transaction still in use: its client was killed or its connection lost. */
  private clientGone(): void {
    // The commit's outcome comes first (see waitingElsewhere); the call then ends, as any does after a commit.
    if (this.waitingElsewhere) return;
    const session = this.session;
    if (session && (this.state === 'open' || this.state === 'busy' || this.state === 'opening')) {
      this.log.info(`WARNING: A ${this.tx?.type ?? 'write'} transaction of session ${formatSessionId(session.id)} (database '${session.database}', ${session.type}) was rolled back: its client went away (${this.peer}).`);
    }
    this.release();
  }

  /** Completes the call with OK (after a commit, or after the client half-closed). */
  private finish(): void {
    if (this.state === 'ended') return;
    this.release();
    this.call.end();
  }

  private onHalfClose(): void {
    if (this.state === 'ended') return;
    // A connection that is lost ends the stream's input too, and grpc-js says it was cancelled only a moment later:
    // wait for that, so that a client that went away is told from one that closed its transaction.
    setImmediate(() => {
      if (this.call.cancelled) this.clientGone();
      // TypeDB rolls back an uncommitted transaction when its stream is closed.
      else this.finish();
    });
  }

  /** Closes the engine transaction (rolling back uncommitted changes) and forgets this stream. Idempotent. */
  private release(): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.timeout?.cancel();
    this.streams.clear();
    try {
      if (this.tx?.isOpen()) this.tx.close();
    } catch (e) {
      this.log.error(`closing a transaction failed: ${errorText(e)}`);
    }
    if (this.session) this.sessions.removeTransaction(this.session, this);
  }
}
