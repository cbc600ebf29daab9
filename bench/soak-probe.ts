// What bench/soak.ts reads from the server process: a hook loaded into it with --import that, on SIGWINCH (unused by
// the server), collects garbage and prints one `soak-probe: {…}` line — the V8 heap after a full GC (its compiled code
// apart: V8 keeps compiling and optimising functions for minutes, which is not held data), external memory, the live
// libuv resources by kind (sockets, handles, timers that keep the process alive), and the timers pending, unref'd
// ones included (an idle or transaction timeout not cancelled keeps what it closes over until it fires): the hook
// wraps the global setTimeout/setInterval to count them. When the file `snapshotRequest` exists, it first writes a
// heap snapshot to the path that file names. Also: the parsing of that line, figures from /proc, the heap's slope.
import { readFileSync } from 'node:fs';

export function probeHook(snapshotRequest: string): string {
  return `import { existsSync, readFileSync, rmSync } from 'node:fs';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
const pending = new Map();
const { setTimeout: set, clearTimeout: clear, setInterval: every, clearInterval: stop } = globalThis;
globalThis.setTimeout = function (callback, millis, ...args) {
  const timer = set(function (...a) { pending.delete(timer); return callback.apply(this, a); }, millis, ...args);
  pending.set(timer, millis);
  return timer;
};
globalThis.setInterval = function (callback, millis, ...args) {
  const timer = every(callback, millis, ...args);
  pending.set(timer, -1);
  return timer;
};
globalThis.clearTimeout = function (timer) { pending.delete(timer); return clear(timer); };
globalThis.clearInterval = function (timer) { pending.delete(timer); return stop(timer); };
process.on('SIGWINCH', () => {
  for (let i = 0; i < 3; i++) globalThis.gc();
  const request = ${JSON.stringify(snapshotRequest)};
  if (existsSync(request)) {
    writeHeapSnapshot(readFileSync(request, 'utf8'));
    rmSync(request);
  }
  const m = process.memoryUsage();
  let code = 0;
  for (const space of getHeapSpaceStatistics()) if (space.space_name.startsWith('code_')) code += space.space_used_size;
  const resources = {};
  for (const kind of process.getActiveResourcesInfo()) resources[kind] = (resources[kind] ?? 0) + 1;
  const timers = { timeouts: 0, long: 0, intervals: 0 };
  for (const millis of pending.values()) {
    if (millis < 0) timers.intervals++;
    else if (millis >= 60000) timers.long++;
    else timers.timeouts++;
  }
  process.stdout.write('soak-probe: ' + JSON.stringify({ heapUsed: m.heapUsed - code, code, external: m.external, resources, timers }) + '\\n');
});
`;
}

export interface ProbeSample {
  /** Seconds since the workload started. */
  readonly at: number;
  /** V8 heap used after a full GC, compiled code (`code`) left out. */
  readonly heapUsed: number;
  readonly code: number;
  readonly external: number;
  /** Resident anonymous memory (heap, malloc) and file pages (the LMDB maps), bytes. */
  readonly rssAnon: number;
  readonly rssFile: number;
  /** The server's threads (the main one, libuv's pool, V8's, and worker threads). */
  readonly threads: number;
  /** Live libuv resources by kind (`Timeout`, `TCPSocketWrap`, `FSReqCallback`…). */
  readonly resources: Readonly<Record<string, number>>;
  /** Timers pending: under a minute, of a minute or more (transaction timeouts), intervals. */
  readonly timers: { readonly timeouts: number; readonly long: number; readonly intervals: number };
  /** Open sessions and transactions (the server's debug-stats line). */
  readonly sessions: number;
  readonly transactions: number;
}

/** A figure from /proc/<pid>/status (Linux): kB ones in bytes. */
export function procStatus(pid: number, field: 'RssAnon' | 'RssFile' | 'Threads'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+)( kB)?`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status: bench:soak needs Linux`);
  return Number(m[1]) * (m[2] ? 1024 : 1);
}

/**
 * Least-squares slope of heap used over time, in KiB per minute, and how well a line fits (r², 0–1): a leak grows
 * the heap steadily (a high r²); caches filling and garbage left by the last operations make it jump around.
 */
export function heapSlope(samples: readonly ProbeSample[]): { kibPerMinute: number; r2: number } {
  const n = samples.length;
  if (n < 3) return { kibPerMinute: 0, r2: 0 };
  const xs = samples.map((s) => s.at / 60);
  const ys = samples.map((s) => s.heapUsed / 1024);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { kibPerMinute: slope, r2: sxx === 0 || syy === 0 ? 0 : (sxy * sxy) / (sxx * syy) };
}
