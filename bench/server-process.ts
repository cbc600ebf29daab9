// A real `strata server` process for the benchmarks that go through typedb-driver or kill the server: started on a
// free loopback port over a data directory (from dist/ when compiled, through tsx otherwise), stopped by its process
// id (SIGTERM, so that it closes its databases and writes any CPU profile).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * `cpuProfileDir`: the server runs with `--cpu-prof` and writes its profile there when stopped. `nodeArgs`: more
 * flags for node (e.g. `--expose-gc` for the memory soak). `stderr`: 'pipe' lets the caller read the server's errors.
 */
export async function startServer(
  dataDir: string,
  cpuProfileDir?: string,
  nodeArgs: readonly string[] = [],
  stderr: 'inherit' | 'pipe' = 'inherit',
): Promise<{ child: ChildProcess; address: string }> {
  const address = `127.0.0.1:${await freePort()}`;
  const here = dirname(fileURLToPath(import.meta.url));
  const compiled = import.meta.url.endsWith('.js');
  const main = compiled ? join(here, '..', 'src', 'cli', 'main.js') : join(here, '..', 'src', 'cli', 'main.ts');
  const profile = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [];
  const args = compiled ? [...nodeArgs, ...profile, main] : [...nodeArgs, ...profile, '--import', 'tsx', main];
  const child = spawn(process.execPath, [...args, 'server', `--server.address=${address}`, `--storage.data=${dataDir}`], { stdio: ['ignore', 'pipe', stderr] });
  await new Promise<void>((resolve, reject) => {
    let text = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      if (/bootup completed/.test(text)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before it was ready`)));
  });
  return { child, address };
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(child.pid, 'SIGTERM');
  await exited;
}

/**
 * CPU time (user + system) a process has used so far, in milliseconds, from /proc (Linux; undefined elsewhere):
 * what the server spends on a workload, steadier than wall times on a shared machine.
 */
export function processCpuMillis(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields, in clock ticks.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}
