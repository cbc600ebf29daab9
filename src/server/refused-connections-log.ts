// How often a refused connection (one that does not speak gRPC) is logged: a flood of them from one address — a
// port scanner, a misconfigured health check, an HTTP/1 client retrying — must not flood the server's log. Each
// address gets a few lines per window; the rest are counted, and the count is told in that address's next line.

/** Lines per address per window: enough to see what a client sends, and that it keeps sending it. */
const LINES_PER_WINDOW = 3;
const WINDOW_MILLIS = 10_000;
/** Addresses remembered before the ended windows are dropped: the map stays as small as the recent refusals. */
const SWEEP_AT = 1024;

interface Window {
  readonly endsAt: number;
  lines: number;
  /** Refusals not logged since the address's last line. */
  suppressed: number;
}

export class RefusedConnectionsLog {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly write: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Logs `line` for a connection refused from `address` (without its port) unless that address has had its lines. */
  refused(address: string, line: string): void {
    const now = this.now();
    let window = this.windows.get(address);
    if (window === undefined || now >= window.endsAt) {
      if (this.windows.size >= SWEEP_AT) this.sweep(now);
      window = { endsAt: now + WINDOW_MILLIS, lines: 0, suppressed: window?.suppressed ?? 0 };
      this.windows.set(address, window);
    }
    if (window.lines >= LINES_PER_WINDOW) {
      window.suppressed++;
      return;
    }
    window.lines++;
    const suppressed = window.suppressed;
    window.suppressed = 0;
    this.write(suppressed === 0 ? line : `${line} (${suppressed} more from ${address} were closed without a line: at most ${LINES_PER_WINDOW} lines per address every ${WINDOW_MILLIS / 1000} s.)`);
  }

  /** Drops the windows that have ended, telling the count of those with refusals not logged yet. */
  private sweep(now: number): void {
    for (const [address, window] of this.windows) {
      if (now < window.endsAt) continue;
      if (window.suppressed > 0) this.write(`WARNING: Closed ${window.suppressed} more connections from ${address} that do not speak gRPC (HTTP/2), without a line each.`);
      this.windows.delete(address);
    }
  }
}
