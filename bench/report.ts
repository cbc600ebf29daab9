// Small helpers shared by the benchmarks: percentiles, memory, CPU time, and a two-column table.
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export function rssMiB(): number {
  return Math.round(process.memoryUsage().rss / 1024 / 1024);
}

export function formatTable(title: string, rows: Record<string, unknown>): string {
  const width = Math.max(...Object.keys(rows).map((k) => k.length));
  const lines = Object.entries(rows).map(([k, v]) => `  ${k.padEnd(width)}  ${String(v)}`);
  return `${title}\n${lines.join('\n')}`;
}

/** CPU milliseconds (user + system, all threads of the process) that `body` took. */
export function cpuMillis(body: () => void): number {
  const start = process.cpuUsage();
  body();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** The same for asynchronous work (anything else the process runs meanwhile counts too). */
export async function cpuMillisAsync(body: () => Promise<void>): Promise<number> {
  const start = process.cpuUsage();
  await body();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
