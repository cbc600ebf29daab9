// One streamed response (query answers or a concept-API `get*s` call): answers go out in ResParts, at most
// `prefetchSize` of them before a CONTINUE marker; the client asks for more with a `stream_req` carrying the same
// request id, and the stream finishes with DONE. Answers are pulled lazily from the engine, so only one batch is
// ever held in memory. After a CONTINUE, answers are sent ahead, without a marker, while the client's request for
// more travels (TypeDB's latency compensation): one more batch, and then more for as long as the client said its
// requests take to arrive. The client then works through answers while the next are made, instead of the two
// taking turns; with a small prefetch size, the time window keeps each round trip from carrying only a few answers.
// Sending is work in steps (common/steps.ts): it pauses between answers and wherever the engine, searching for the
// next answer, gives way, so that one stream never holds the event loop the other clients need.
import { PENDING, type Pending, type Steps } from '../common/steps.js';
import {
  TransactionResPart,
  TransactionServer,
  TransactionStreamResPart,
  TransactionStreamState,
} from 'typedb-protocol/proto/transaction.js';
import { ServerErrors } from './errors.js';

/** An encoded answer and a cheap upper bound of its size on the wire. */
export interface EncodedAnswer<M> {
  readonly message: M;
  readonly size: number;
}

/**
 * Parts stay well under grpc-js's default 4 MiB receive limit on the client; one oversized answer still goes out
 * alone in its own part.
 */
export const MAX_PART_BYTES = 1 << 20;

export type Send = (message: TransactionServer) => void;

export class AnswerStream<M> {
  private lookahead: IteratorResult<EncodedAnswer<M>> | undefined;

  constructor(
    readonly reqId: Uint8Array,
    /** With the engine's pause points among them. */
    private readonly answers: Iterator<EncodedAnswer<M> | Pending>,
    /** Wraps a batch of encoded answers in the ResPart case the driver expects for this request. */
    private readonly toPart: (reqId: Uint8Array, batch: M[]) => TransactionResPart,
    private readonly prefetchSize: number,
  ) {}

  /** The next answer, or the end: found in steps, for the engine may search long before either. */
  private *peek(): Steps<IteratorResult<EncodedAnswer<M>>> {
    while (this.lookahead === undefined) {
      const next = this.answers.next();
      if (next.done !== true && next.value === PENDING) yield PENDING;
      else this.lookahead = next as IteratorResult<EncodedAnswer<M>>;
    }
    return this.lookahead;
  }

  /** Sends answers, in parts, while `more` says so (given how many were sent) and there are any. */
  private *sendWhile(send: Send, more: (sent: number) => boolean): Steps<void> {
    let batch: M[] = [];
    let bytes = 0;
    const flush = () => {
      if (batch.length === 0) return;
      send(new TransactionServer({ res_part: this.toPart(this.reqId, batch) }));
      batch = [];
      bytes = 0;
    };
    for (let sent = 0; more(sent); sent++) {
      const answer = yield* this.take();
      if (!answer) break;
      if (batch.length > 0 && bytes + answer.size > MAX_PART_BYTES) flush();
      batch.push(answer.message);
      bytes += answer.size;
      // Answers can be costly one by one too (a fetch's subqueries).
      yield PENDING;
    }
    flush();
  }

  private *take(): Steps<EncodedAnswer<M> | undefined> {
    const next = yield* this.peek();
    this.lookahead = undefined;
    return next.done ? undefined : next.value;
  }

  /**
   * Sends the next batch (none when `withAnswers` is false: the client did not ask for prefetching) followed by
   * CONTINUE or DONE. Returns true when the stream is finished. Engine errors propagate to the caller.
   */
  *sendBatch(send: Send, withAnswers: boolean): Steps<boolean> {
    if (withAnswers) yield* this.sendWhile(send, (sent) => sent < this.prefetchSize);
    const done = (yield* this.peek()).done === true;
    send(streamState(this.reqId, done ? TransactionStreamState.DONE : TransactionStreamState.CONTINUE));
    return done;
  }

  /**
   * Sends answers ahead of the client's next `stream_req`, with no CONTINUE: one batch, then more until `windowMillis`
   * have passed; DONE if that ends the answers (returns true; the `stream_req` the client still sends for the last
   * CONTINUE then finds nothing to do).
   */
  *sendAhead(send: Send, windowMillis: number): Steps<boolean> {
    const until = performance.now() + windowMillis;
    yield* this.sendWhile(send, (sent) => sent < this.prefetchSize || performance.now() < until);
    if ((yield* this.peek()).done !== true) return false;
    send(streamState(this.reqId, TransactionStreamState.DONE));
    return true;
  }
}

export function streamState(reqId: Uint8Array, state: TransactionStreamState): TransactionServer {
  return new TransactionServer({
    res_part: new TransactionResPart({ req_id: reqId, stream_res_part: new TransactionStreamResPart({ state }) }),
  });
}

/**
 * The largest answer sent: drivers (grpc-js, grpc-java, tonic) refuse a message over 4 MiB by default, and break the
 * whole transaction's stream on one ("RESOURCE_EXHAUSTED: Received message larger than max"), so a bigger answer
 * fails its query with a message saying why instead. A KiB is left for the part around it.
 */
export const MAX_ANSWER_BYTES = (4 << 20) - 1024;

/**
 * Lazily maps an engine iterable to encoded answers, passing its pause points on; an answer too large to send fails
 * with [SRV41].
 */
export function* encodeAll<A, M extends { serialize(): Uint8Array }>(
  answers: Iterable<A | Pending>,
  encode: (answer: A) => M,
  estimate: (answer: A) => number,
): Iterator<EncodedAnswer<M> | Pending> {
  for (const answer of answers) {
    if (answer === PENDING) {
      yield PENDING;
      continue;
    }
    const message = encode(answer as A);
    const size = estimate(answer as A);
    // The estimate is an upper bound: only an answer it puts over the limit is measured exactly.
    if (size > MAX_ANSWER_BYTES) {
      const bytes = message.serialize().length;
      if (bytes > MAX_ANSWER_BYTES) throw ServerErrors.answerTooLarge(bytes, MAX_ANSWER_BYTES);
    }
    yield { message, size };
  }
}
