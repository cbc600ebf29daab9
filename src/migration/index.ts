// Migration and backup: the .typedb codec, export of a database from one snapshot, atomic import into a new or
// schema-only database, and online backup of a live database.

export * from './codec/index.js';
export { exportDatabase, type ExportOptions, type ExportProgress, type ExportResult } from './exporter.js';
export { importDatabase, type ImportOptions, type ImportProgress, type ImportResult } from './importer.js';
export { backupDatabase, type BackupResult } from './backup.js';
export { schemaFromText } from './schema-text.js';
export { MigrationError, MigrationErrorCode, jobStopped } from './errors.js';
