// Runs `strata console …` as a child process (through the same launcher command as the server tests) and
// collects its whole output, so tests can compare it with TypeDB's text byte for byte.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { cliCommand, REPO_ROOT, startServerProcess, type CliProcess } from '../server/server-process.js';

export interface ConsoleRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the console to completion; stdin is empty unless `input` is given. */
export function runConsole(args: readonly string[], options: { input?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<ConsoleRun> {
  const { command, args: prefix } = cliCommand();
  const child = spawn(command, [...prefix, 'console', ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    // Never the user's own history file, whatever the test does.
    env: { ...process.env, NO_COLOR: '1', STRATA_CONSOLE_HISTORY: join(tmpdir(), 'strata-console-test-history'), ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(options.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? 128 + (signal === 'SIGKILL' ? 9 : 15), stdout, stderr });
    });
  });
}

/**
 * Output with what varies between runs made fixed: durations become `X`, and IIDs become `<iid1>`, `<iid2>`, …
 * in order of first appearance (so equal IIDs stay equal).
 */
export function normalise(text: string): string {
  const iids = new Map<string, string>();
  return text
    .replace(/total duration: \d+ ms/g, 'total duration: X ms')
    .replace(/0x[0-9a-f]{16,}/g, (iid) => {
      if (!iids.has(iid)) iids.set(iid, `<iid${iids.size + 1}>`);
      return iids.get(iid)!;
    });
}

/** A server process that a test file's console runs talk to, and a scratch directory for their script files. */
export interface ConsoleServer {
  readonly dir: string;
  /** The server's address (known once the file's `before` hooks ran). */
  readonly address: string;
  /** Writes a file in the scratch directory; returns its path. */
  file(name: string, text: string): string;
  /** Runs the console against the server with these arguments. */
  run(args: readonly string[], options?: Parameters<typeof runConsole>[1]): Promise<ConsoleRun>;
}

/**
 * Starts a server before the file's tests and kills it by its pid after them, whatever happened. Node 20 starts a
 * file's top-level `before` hooks without waiting for the one before, so console runs wait for the start themselves.
 */
export function consoleServer(prefix: string): ConsoleServer {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let server: CliProcess | undefined;
  let address = '';
  let started: Promise<void> | undefined;
  before(() => {
    started = startServerProcess(join(dir, 'data')).then((s) => {
      server = s.server;
      address = s.address;
    });
    return started;
  });
  after(async () => {
    server?.kill('SIGKILL');
    if (server) await server.exited;
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    get address() {
      return address;
    },
    file(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    async run(args, options) {
      await started;
      return runConsole([`--core=${address}`, ...args], options);
    },
  };
}
