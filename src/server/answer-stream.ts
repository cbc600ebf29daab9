// One streamed response (query answers or a concept-API `get*s` call): answers go out in ResParts, at most
// `prefetchSize` of them before a CONTINUE marker; the client asks for more with a `stream_req` carrying the same
// request id, and the stream finishes with DONE. Answers are pulled lazily from the engine, so only one batch is
// ever held in memory. After a CONTINUE, answers are sent ahead, without a marker, while the client's request for
// more travels (TypeDB's latency compensation): one more batch, and then more for as long as the client said its
// requests take to arrive. The client then works through answers while the next are made, instead of the two
// taking turns; with a small prefetch size, the time window keeps each round trip from carrying only a few answers.
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
    private readonly answers: Iterator<EncodedAnswer<M>>,
    /** Wraps a batch of encoded answers in the ResPart case the driver expects for this request. */
    private readonly toPart: (reqId: Uint8Array, batch: M[]) => TransactionResPart,
    private readonly prefetchSize: number,
  ) {}

  private peek(): IteratorResult<EncodedAnswer<M>> {
    this.lookahead ??= this.answers.next();
    return this.lookahead;
  }

  /** Sends up to `prefetchSize` answers, in parts. */
  private sendAnswers(send: Send): void {
    this.sendWhile(send, (sent) => sent < this.prefetchSize);
  }

  /** Sends answers, in parts, while `more` says so (given how many were sent) and there are any. */
  private sendWhile(send: Send, more: (sent: number) => boolean): void {
    let batch: M[] = [];
    let bytes = 0;
    const flush = () => {
      if (batch.length === 0) return;
      send(new TransactionServer({ res_part: this.toPart(this.reqId, batch) }));
      batch = [];
      bytes = 0;
    };
    for (let sent = 0; more(sent); sent++) {
      const answer = this.take();
      if (!answer) break;
      if (batch.length > 0 && bytes + answer.size > MAX_PART_BYTES) flush();
      batch.push(answer.message);
      bytes += answer.size;
    }
    flush();
  }

  private take(): EncodedAnswer<M> | undefined {
    const next = this.peek();
    this.lookahead = undefined;
    return next.done ? undefined : next.value;
  }

  /**
   * Sends the next batch (none when `withAnswers` is false: the client did not ask for prefetching) followed by
   * CONTINUE or DONE. Returns true when the stream is finished. Engine errors propagate to the caller.
   */
  sendBatch(send: Send, withAnswers: boolean): boolean {
    if (withAnswers) this.sendAnswers(send);
    const done = this.peek().done === true;
    send(streamState(this.reqId, done ? TransactionStreamState.DONE : TransactionStreamState.CONTINUE));
    return done;
  }

  /**
   * Sends answers ahead of the client's next `stream_req`, with no CONTINUE: one batch, then more until `windowMillis`
   * have passed; DONE if that ends the answers (returns true; the `stream_req` the client still sends for the last
   * CONTINUE then finds nothing to do).
   */
  sendAhead(send: Send, windowMillis: number): boolean {
    const until = performance.now() + windowMillis;
    this.sendWhile(send, (sent) => sent < this.prefetchSize || performance.now() < until);
    if (this.peek().done !== true) return false;
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

/** Lazily maps an engine iterable to encoded answers; an answer too large to send fails with [SRV41]. */
export function* encodeAll<A, M extends { serialize(): Uint8Array }>(
  answers: Iterable<A>,
  encode: (answer: A) => M,
  estimate: (answer: A) => number,
): Iterator<EncodedAnswer<M>> {
  for (const answer of answers) {
    const message = encode(answer);
    const size = estimate(answer);
    // The estimate is an upper bound: only an answer it puts over the limit is measured exactly.
    if (size > MAX_ANSWER_BYTES) {
      const bytes = message.serialize().length;
      if (bytes > MAX_ANSWER_BYTES) throw ServerErrors.answerTooLarge(bytes, MAX_ANSWER_BYTES);
    }
    yield { message, size };
  }
}
