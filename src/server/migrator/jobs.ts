// What the migrator service asks of the engine: export, import and backup jobs with progress.
// Implemented by the migration layer; the server only carries requests and progress over gRPC.

export interface Count {
  current: number;
  /** Known total, or 0 while unknown. */
  total: number;
}

export interface MigrationProgress {
  /** Import only: true until the file's checksums (the totals) are known. */
  initialising: boolean;
  attributes: Count;
  entities: Count;
  relations: Count;
  ownerships: Count;
  roles: Count;
  /** Export: whether the server counted ownerships and role players (Strata's do, TypeDB's do not). */
  edgesCounted?: boolean;
}

export function emptyProgress(): MigrationProgress {
  const zero = () => ({ current: 0, total: 0 });
  return { initialising: true, attributes: zero(), entities: zero(), relations: zero(), ownerships: zero(), roles: zero() };
}

export interface ExportJob {
  readonly database: string;
  /** Absolute path of the .typedb file to write. */
  readonly dataFile: string;
  /** Absolute path of the schema (.tql) file to write, if requested. */
  readonly schemaFile?: string;
}

export interface ImportJob {
  readonly database: string;
  readonly dataFile: string;
  /** With a schema file the database is created from it; without, it must exist with its schema and no data. */
  readonly schemaFile?: string;
}

export interface BackupJob {
  readonly database: string;
  /** Absolute path of a directory that must not exist yet (or be empty). */
  readonly directory: string;
}

/** `cancelled` aborts when the caller goes away: the job then stops and removes what it wrote. */
export interface MigrationJobs {
  exportDatabase(job: ExportJob, onProgress: (p: MigrationProgress) => void, cancelled?: AbortSignal): Promise<void>;
  importDatabase(job: ImportJob, onProgress: (p: MigrationProgress) => void, cancelled?: AbortSignal): Promise<void>;
  backupDatabase(job: BackupJob, cancelled?: AbortSignal): Promise<void>;
}
