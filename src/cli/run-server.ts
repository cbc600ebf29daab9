// Runs the server until SIGINT/SIGTERM/SIGHUP: open the data directory, bind the address, print TypeDB's startup block,
// and on a signal roll back open transactions, close every store and exit 0.
import { readLongsExactly } from '../common/exact-longs.js';
import { openDatabaseManager } from '../database/index.js';
import { StrataServer, type ServerLog } from '../server/index.js';
import { MIGRATOR_SERVICE_ALL_GENERATIONS } from '../server/migrator/protocol.js';
import { createMigratorService } from '../server/migrator/service.js';
import { EngineMigrationJobs } from '../server/migrator/engine-jobs.js';
import type { ServerSettings } from './server-options.js';
import { VERSION_TEXT } from './version-text.js';
import { ensureWritableDataDir } from './data-directory.js';
import { droppingWriter } from '../common/dropping-writer.js';

/**
 * Test hook: with STRATA_DEBUG_STATS=1 the server prints `debug-stats: sessions=<n> transactions=<n>` whenever
 * either count changes, so process-level tests can check that nothing leaks.
 */
const DEBUG_STATS = process.env.STRATA_DEBUG_STATS === '1';

/** Resolves with the exit code once the server has stopped (signals) or failed to start. */
export async function runServer(settings: ServerSettings): Promise<number> {
  const started = Date.now();
  const toStdout = droppingWriter(process.stdout);
  const toStderr = droppingWriter(process.stderr);
  const out = (line: string) => toStdout(line + '\n');
  const log: ServerLog = {
    info: out,
    error: (message) => toStderr(`ERROR: ${message}\n`),
  };

  // Longs a client sends (a Java or Python driver's attribute put or get) are taken exactly, beyond 2^53 too.
  readLongsExactly();
  // Fail on a busy port before the data directory is made or any store opened.
  await StrataServer.checkPortFree(settings.address);
  ensureWritableDataDir(settings.dataDir);
  const manager = openDatabaseManager(settings.dataDir);
  const server = new StrataServer(manager, { address: settings.address, log });
  // The migrator (export, import, backup) shares the port, as in TypeDB 2.x.
  const jobs = new EngineMigrationJobs(manager);
  server.addService(MIGRATOR_SERVICE_ALL_GENERATIONS, createMigratorService({ jobs }));
  try {
    await server.start();
  } catch (e) {
    manager.close();
    throw e;
  }
  if (DEBUG_STATS) {
    server.sessions.onChange((s) => out(`debug-stats: sessions=${s.sessions} transactions=${s.transactions}`));
  }

  out(`${VERSION_TEXT} is now running and will keep this process alive.`);
  out('You can press CTRL+C to shutdown this server.');
  out('');
  // Part of the startup log (stdout), like TypeDB's WARN lines, so it appears in order with the lines around it.
  for (const [name, error] of manager.refused) {
    out(`WARNING: database '${name}' was not loaded and is not served: ${error.message}`);
  }
  for (const notice of manager.notices) out(`WARNING: ${notice}`);
  if (settings.debug) out('Running Strata in debug mode.');
  out(`version: ${VERSION_TEXT}`);
  out(`listening to address: ${server.address}`);
  out(`data directory configured to: ${settings.dataDir}`);
  out(`bootup completed in: ${Date.now() - started} ms`);
  out('');

  return new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = async () => {
      if (stopping) return;
      stopping = true;
      try {
        out('Closing Strata server...');
        // Exports, imports and backups under way stop and clean up first; their callers hear why.
        await jobs.stopAll();
        out('Stopping network layer...');
        await server.stop();
        out('Stopping storage layer...');
        manager.close();
        out('Strata server has been closed.');
        resolve(0);
      } catch (e) {
        toStderr(`Shutting down failed: ${e instanceof Error ? e.message : String(e)}\n`);
        resolve(1);
      }
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
    // A closed terminal or a dropped ssh session: Node would die at once (no rollback for clients, no clean close),
    // where TypeDB's JVM runs its shutdown hook on SIGHUP as on SIGINT and SIGTERM.
    process.on('SIGHUP', shutdown);
  });
}
