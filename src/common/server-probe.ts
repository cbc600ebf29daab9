// Telling "no server on that port" from "something on that port that is not a TypeDB server". A gRPC client
// retries a refused connection until its deadline, and waits forever on a listener that accepts and stays silent;
// a plain TCP connection says at once whether anything listens.
import { connect } from 'node:net';

/** How long a server that accepted the connection gets to answer as a gRPC server. */
export const ANSWER_TIMEOUT_MS = 10_000;

/** Whether something accepts TCP connections at `host:port` (false: refused or unreachable). */
export function somethingListens(host: string, port: number, timeoutMs = 3_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (listening: boolean) => {
      socket.destroy();
      resolve(listening);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** `work`, or `silent()`'s error once `timeoutMs` has passed without it settling. */
export function withinAnswerTime<T>(work: Promise<T>, silent: () => Error, timeoutMs = ANSWER_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(silent()), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The text for a listener that answered, but not as a gRPC server would (an HTTP/1 server, say). */
export function notATypeDBServerAnswer(address: string): string {
  return (
    `Something is listening on ${address}, but it is not a TypeDB server: it refused the TypeDB protocol (gRPC). ` +
    `Check the port: it may belong to another program (Strata's default is 1729).`
  );
}

/** The text for a listener that is not a TypeDB server (or a server too busy to answer). */
export function notATypeDBServer(address: string, timeoutMs = ANSWER_TIMEOUT_MS): string {
  return (
    `Something is listening on ${address}, but it did not answer as a TypeDB server within ${timeoutMs / 1000} s. ` +
    `Check the port: it may belong to another program (Strata's default is 1729).`
  );
}
