// The migrator's jobs carried out by the migration layer on the served databases.
import { backupDatabase, exportDatabase, importDatabase, jobStopped } from '../../migration/index.js';
import { ExportErrors } from '../../migration/errors.js';
import type { Database, DatabaseManager } from '../../database/index.js';
import type { BackupJob, ExportJob, ImportJob, MigrationJobs, MigrationProgress } from './jobs.js';
import { emptyProgress } from './jobs.js';

export class EngineMigrationJobs implements MigrationJobs {
  /** Stops every job when the server shuts down. */
  private readonly stopping = new AbortController();
  /** Jobs running, settled or not. */
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly manager: DatabaseManager) {}

  /**
   * Stops the jobs running and resolves once each has cleaned up (an import's staging directory, an export's
   * temporary file, a backup's partial directory): each fails with a message saying it was stopped. A backup's
   * store copy cannot be interrupted: it is awaited.
   */
  async stopAll(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.running]);
  }

  /**
   * Runs a job unless stopping, keeping track of it until it settles. Its signal aborts when the server stops or
   * when `cancelled` does (the caller went away): an import nobody waits for must not hold its database name.
   */
  private async track<T>(job: (signal: AbortSignal) => Promise<T>, cancelled?: AbortSignal): Promise<T> {
    if (this.stopping.signal.aborted) throw jobStopped('job', 'Nothing was done. Run it again once the server runs.');
    const stop = new AbortController();
    const abort = () => stop.abort();
    this.stopping.signal.addEventListener('abort', abort);
    cancelled?.addEventListener('abort', abort);
    if (cancelled?.aborted) stop.abort();
    const promise = job(stop.signal);
    this.running.add(promise);
    try {
      return await promise;
    } finally {
      this.running.delete(promise);
      this.stopping.signal.removeEventListener('abort', abort);
      cancelled?.removeEventListener('abort', abort);
    }
  }

  /** The database to export or back up: TypeDB's MIG01 when there is none (a refused one says why it is). */
  private database(name: string, job: 'export' | 'backup'): Database {
    if (!this.manager.contains(name) && !this.manager.refused.has(name)) throw ExportErrors.databaseNotFound(name, job);
    return this.manager.get(name);
  }

  async exportDatabase(job: ExportJob, onProgress: (p: MigrationProgress) => void, cancelled?: AbortSignal): Promise<void> {
    const database = this.database(job.database, 'export');
    const progress = emptyProgress();
    progress.initialising = false;
    await this.track((signal) => exportDatabase(database, {
      signal,
      dataFile: job.dataFile,
      schemaFile: job.schemaFile,
      onProgress: (p) => {
        progress.attributes.current = p.attributes;
        progress.entities.current = p.entities;
        progress.relations.current = p.relations;
        progress.ownerships.current = p.ownerships;
        progress.roles.current = p.roles;
        onProgress(progress);
      },
    }), cancelled);
  }

  async importDatabase(job: ImportJob, onProgress: (p: MigrationProgress) => void, cancelled?: AbortSignal): Promise<void> {
    // The importer reports phases and item counts; until the file's checksums are verified the totals are unknown,
    // which the protocol expresses as `initialising` with only a running count.
    const progress = emptyProgress();
    const result = await this.track((signal) => importDatabase(this.manager, job.database, {
      signal,
      dataFile: job.dataFile,
      schemaFile: job.schemaFile,
      onProgress: (p) => {
        progress.attributes.current = p.done;
        onProgress(progress);
      },
    }), cancelled);
    const c = result.checksums;
    const done = (n: number) => ({ current: n, total: n });
    onProgress({
      initialising: false,
      attributes: done(c.attributes),
      entities: done(c.entities),
      relations: done(c.relations),
      ownerships: done(c.ownerships),
      roles: done(c.roles),
    });
  }

  async backupDatabase(job: BackupJob, cancelled?: AbortSignal): Promise<void> {
    const database = this.database(job.database, 'backup');
    await this.track((signal) => backupDatabase(database, job.directory, signal), cancelled);
  }
}
