// The migrator's jobs carried out by the migration layer on the served databases.
import { backupDatabase, exportDatabase, importDatabase } from '../../migration/index.js';
import type { DatabaseManager } from '../../database/index.js';
import type { BackupJob, ExportJob, ImportJob, MigrationJobs, MigrationProgress } from './jobs.js';
import { emptyProgress } from './jobs.js';

export class EngineMigrationJobs implements MigrationJobs {
  constructor(private readonly manager: DatabaseManager) {}

  async exportDatabase(job: ExportJob, onProgress: (p: MigrationProgress) => void): Promise<void> {
    const database = this.manager.get(job.database);
    const progress = emptyProgress();
    progress.initialising = false;
    await exportDatabase(database, {
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
    });
  }

  async importDatabase(job: ImportJob, onProgress: (p: MigrationProgress) => void): Promise<void> {
    // The importer reports phases and item counts; until the file's checksums are verified the totals are unknown,
    // which the protocol expresses as `initialising` with only a running count.
    const progress = emptyProgress();
    const result = await importDatabase(this.manager, job.database, {
      dataFile: job.dataFile,
      schemaFile: job.schemaFile,
      onProgress: (p) => {
        progress.attributes.current = p.done;
        onProgress(progress);
      },
    });
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

  async backupDatabase(job: BackupJob): Promise<void> {
    await backupDatabase(this.manager.get(job.database), job.directory);
  }
}
