// Runs `strata server` as a real child process: from the TypeScript sources through tsx, or from dist/ when the
// tests themselves run compiled. Output lines are collected so tests can wait for the startup line or the
// STRATA_DEBUG_STATS counters; the process is always killed by its pid when a test is done with it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after } from 'node:test';
import { TypeDB, type TypeDBDriver } from 'typedb-driver';

const here = dirname(fileURLToPath(import.meta.url));
/** Compiled tests live in dist/test/server; sources in test/server. */
const compiled = /[\\/]dist[\\/]test[\\/]server$/.test(here);
export const REPO_ROOT = compiled ? resolve(here, '../../..') : resolve(here, '../..');

/** The command that runs the CLI: `node dist/src/cli/main.js` or `node --import tsx src/cli/main.ts`. */
export function cliCommand(): { command: string; args: string[] } {
  if (compiled) return { command: process.execPath, args: [join(REPO_ROOT, 'dist/src/cli/main.js')] };
  const main = join(REPO_ROOT, 'src/cli/main.ts');
  if (!existsSync(main)) throw new Error(`cannot find the CLI at ${main}`);
  return { command: process.execPath, args: ['--import', 'tsx', main] };
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface CliProcess {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves with the first stdout line matching, rejects if the process exits first or on timeout. */
  waitForLine(pattern: RegExp, timeoutMillis?: number): Promise<string>;
  /** The latest `debug-stats:` counts (needs STRATA_DEBUG_STATS=1), e.g. `sessions=0 transactions=0`. */
  stats(): string | undefined;
  /** Resolves with the exit code (signal exits as 128 + n). */
  readonly exited: Promise<number>;
  /** Kills by pid if still running. */
  kill(signal?: NodeJS.Signals): void;
}

export function runCli(args: readonly string[], env: Record<string, string> = {}): CliProcess {
  const { command, args: prefix } = cliCommand();
  const child = spawn(command, [...prefix, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let exitCode: number | undefined;
  const exited = new Promise<number>((resolveExit) => {
    child.on('exit', (code, signal) => {
      exitCode = code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : 2);
      resolveExit(exitCode);
    });
  });
  const collect = (target: string[], stream: NodeJS.ReadableStream, checkWaiters: boolean) => {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        target.push(line);
        if (!checkWaiters) continue;
        for (const w of [...waiters]) {
          if (w.pattern.test(line)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(line);
          }
        }
      }
    });
  };
  collect(stdout, child.stdout!, true);
  collect(stderr, child.stderr!, false);

  return {
    child,
    stdout,
    stderr,
    exited,
    stats() {
      for (let i = stdout.length - 1; i >= 0; i--) {
        const m = /^debug-stats: (.*)$/.exec(stdout[i]!);
        if (m) return m[1];
      }
      return undefined;
    },
    waitForLine(pattern, timeoutMillis = 30_000) {
      const seen = stdout.find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolveLine, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; stdout:\n${stdout.join('\n')}\nstderr:\n${stderr.join('\n')}`)), timeoutMillis);
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolveLine(line);
          },
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`the process exited (${code}) before printing ${pattern}; stdout:\n${stdout.join('\n')}\nstderr:\n${stderr.join('\n')}`));
        });
      });
    },
    kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (exitCode === undefined && child.pid !== undefined) {
        try {
          process.kill(child.pid, signal);
        } catch {
          // already gone
        }
      }
    },
  };
}

/** Starts a server on a free port with a data directory; resolves once it is listening. */
export async function startServerProcess(dataDir: string, port?: number): Promise<{ server: CliProcess; address: string }> {
  const chosen = port ?? (await freePort());
  const address = `127.0.0.1:${chosen}`;
  const server = runCli(['server', `--server.address=${address}`, `--storage.data=${dataDir}`], { STRATA_DEBUG_STATS: '1' });
  await server.waitForLine(/^listening to address: /);
  await server.waitForLine(/^bootup completed in: \d+ ms$/);
  return { server, address };
}

/** A test file's scratch: its data directory, and the processes and drivers it started (see useProcessScratch). */
export interface ProcessScratch {
  readonly dataDir: string;
  readonly processes: CliProcess[];
  readonly drivers: TypeDBDriver[];
  /** A driver connected to `address`, closed after the file's tests. */
  connect(address: string): Promise<TypeDBDriver>;
}

/**
 * A test file's scratch data directory, and the processes and drivers it starts: after the file's tests every
 * process is killed by its pid and awaited, every driver closed, and the directory removed.
 */
export function useProcessScratch(name: string): ProcessScratch {
  const scratch: ProcessScratch = {
    dataDir: mkdtempSync(join(tmpdir(), `strata-${name}-`)),
    processes: [],
    drivers: [],
    async connect(address) {
      const driver = await TypeDB.coreDriver(address);
      scratch.drivers.push(driver);
      return driver;
    },
  };
  after(async () => {
    for (const d of scratch.drivers) await d.close();
    for (const p of scratch.processes) p.kill('SIGKILL');
    await Promise.all(scratch.processes.map((p) => p.exited));
    rmSync(scratch.dataDir, { recursive: true, force: true });
  });
  return scratch;
}
