// The driver mode's server: one real `strata server` process per worker, on a free loopback port, over a data
// directory of its own. It is started through the same CLI launcher the server tests use (tsx sources or dist/),
// and always stopped by its pid. The runner is told the pid too, so that a worker killed by the watchdog does not
// leave its server behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runCli, type CliProcess } from '../../test/server/server-process.js';
import type { WorkerMessage } from '../runner/messages.js';

const STARTUP_TIMEOUT_MS = 60_000;

export class ServerProcess {
  private reported = { stdout: 0, stderr: 0 };

  private constructor(
    private readonly process: CliProcess,
    readonly address: string,
    private readonly dataDir: string,
  ) {}

  static async start(): Promise<ServerProcess> {
    const base = process.env['STRATA_CONFORMANCE_TMP'] || tmpdir();
    const dataDir = mkdtempSync(join(base, 'server-'));
    let lastError: unknown;
    // a free port can be taken by someone else before the server binds it: try a few
    for (let attempt = 0; attempt < 3; attempt++) {
      const address = `127.0.0.1:${await freePort()}`;
      const child = runCli(['server', `--server.address=${address}`, `--storage.data=${dataDir}`]);
      const server = new ServerProcess(child, address, dataDir);
      if (child.child.pid !== undefined) {
        const message: WorkerMessage = { type: 'server', pid: child.child.pid };
        process.send?.(message);
      }
      try {
        await child.waitForLine(/^bootup completed in: \d+ ms$/, STARTUP_TIMEOUT_MS);
        return server;
      } catch (error) {
        lastError = error;
        await server.stop(false);
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`cannot start a strata server for the driver mode: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
  }

  get pid(): number | undefined {
    return this.process.child.pid;
  }

  /** Whether the process is still running (a crashed server is replaced before the next scenario). */
  get running(): boolean {
    return this.process.child.exitCode === null && this.process.child.signalCode === null;
  }

  /** Server output since the last call (errors the server logged while a scenario ran), for the worker's log. */
  newOutput(): string {
    const out = this.process.stdout.slice(this.reported.stdout);
    const err = this.process.stderr.slice(this.reported.stderr);
    this.reported = { stdout: this.process.stdout.length, stderr: this.process.stderr.length };
    return [...out.filter((l) => /ERROR|WARN/.test(l)), ...err].filter((l) => l.trim().length > 0).join('\n');
  }

  /** Kills the process by its pid and waits for it; drops its data directory unless told to keep it. */
  async stop(dropData = true): Promise<void> {
    this.process.kill('SIGKILL');
    await this.process.exited;
    const pid = this.process.child.pid;
    if (pid !== undefined) {
      const message: WorkerMessage = { type: 'server-stopped', pid };
      // delivered before the worker may exit, so the runner never kills a pid that is no longer this server's
      await new Promise<void>((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));
    }
    if (dropData) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
