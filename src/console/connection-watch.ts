// Noticing a connection that went silent. typedb-driver sends no keepalive pings and sets no deadlines, so when the
// network stops carrying anything (a cable out, a machine suspended, a server frozen) a query, a commit or a
// `database list` waits forever. While the console waits on the server it asks the server a cheap question (the
// database list) over the same connection every PROBE_INTERVAL_MS; one left unanswered for ANSWER_TIMEOUT_MS means
// the connection is lost. An ordinary unary call rather than an HTTP/2 ping: a TypeDB 2.x server (grpc-java) closes
// a connection that pings more often than every 5 minutes, and a server that is merely busy still answers calls
// between slices of a long query. While the console waits for the user to type, nothing is asked.
import type { TypeDBDriver } from 'typedb-driver';

export const PROBE_INTERVAL_MS = 10_000;
export const ANSWER_TIMEOUT_MS = 20_000;

export interface WatchTimings {
  readonly probeIntervalMs: number;
  readonly answerTimeoutMs: number;
}

/** The environment variable that shortens the timings (`<probe>,<answer>` in ms): for tests, which cannot wait 30 s. */
export const WATCH_TIMINGS_ENV = 'STRATA_CONSOLE_WATCH_MS';

export function watchTimings(env: NodeJS.ProcessEnv = process.env): WatchTimings {
  const match = /^(\d+),(\d+)$/.exec(env[WATCH_TIMINGS_ENV] ?? '');
  if (!match) return { probeIntervalMs: PROBE_INTERVAL_MS, answerTimeoutMs: ANSWER_TIMEOUT_MS };
  return { probeIntervalMs: Number(match[1]), answerTimeoutMs: Number(match[2]) };
}

export function silentConnection(address: string, silentMs: number): string {
  return (
    `The server at ${address} has not answered for ${Math.round(silentMs / 1000)} s: the connection is lost ` +
    '(the network to it, or the server, stopped responding). Check that the server is running and reachable, then ' +
    'run the command again. Changes of an open transaction that were not committed are lost: the server rolls them ' +
    'back when it notices the connection is gone.'
  );
}

export class ConnectionWatch {
  /** Settles (never rejects) with the text to print once the connection is found lost. */
  readonly lost: Promise<string>;
  private declareLost!: (text: string) => void;
  private timer: NodeJS.Timeout | undefined;
  private driver: TypeDBDriver | undefined;
  /** The probe in flight: when it was sent, and a token to ignore its outcome once it no longer counts. */
  private probe: { readonly sentAt: number; readonly token: object } | undefined;
  private idle = 0;

  constructor(
    private readonly address: string,
    private readonly timings: WatchTimings = watchTimings(),
  ) {
    this.lost = new Promise((resolve) => (this.declareLost = resolve));
  }

  /** Starts watching the driver's connection (after it is open). */
  start(driver: TypeDBDriver): void {
    this.driver = driver;
    const tick = Math.max(10, Math.min(this.timings.probeIntervalMs, this.timings.answerTimeoutMs) / 4);
    let lastSent = Date.now();
    let lastTick = lastSent;
    this.timer = setInterval(() => {
      const now = Date.now();
      // Time the console itself was too busy to tick (parsing a large file) does not count as the server's silence:
      // timers run before an answer waiting in the socket is read.
      const gap = now - lastTick;
      const stalledMs = gap > 2 * tick ? gap - tick : 0;
      lastTick = now;
      if (this.idle > 0) {
        lastSent = now;
        return;
      }
      if (this.probe) {
        if (stalledMs > 0) this.probe = { sentAt: this.probe.sentAt + stalledMs, token: this.probe.token };
        const silentMs = now - this.probe.sentAt;
        if (silentMs >= this.timings.answerTimeoutMs) {
          this.stop();
          this.declareLost(silentConnection(this.address, silentMs));
        }
      } else if (now - lastSent >= this.timings.probeIntervalMs) {
        lastSent = now;
        this.send();
      }
    }, tick);
    this.timer.unref();
  }

  /** Runs `body` (waiting for the user) without probing: a probe sent before is forgotten. */
  async whileIdle<T>(body: () => Promise<T>): Promise<T> {
    this.idle++;
    this.probe = undefined;
    try {
      return await body();
    } finally {
      this.idle--;
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.probe = undefined;
  }

  private send(): void {
    const token = {};
    this.probe = { sentAt: Date.now(), token };
    const answered = () => {
      if (this.probe?.token === token) this.probe = undefined;
    };
    // Any answer, an error included, shows the connection carries traffic; the operation waited on reports its
    // own failure.
    this.driver!.databases.all().then(answered, answered);
  }
}
