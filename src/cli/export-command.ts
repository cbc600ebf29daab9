// `strata server export --database=X --file=F.typedb [--port=P]`  (data only, TypeDB 2.6–2.18)
// `strata server export --database=X --schema=S.tql --data=D.typedb [--port=P]`  (TypeDB 2.19+)
// `strata server export X F.typedb`  (TypeDB 2.0–2.5)
import { migrationSubcommand, runTransfer } from './migration-command.js';

const HELP = `Usage: strata server export --database=<name> (--file=<data.typedb> | --schema=<schema.tql> --data=<data.typedb>) [--port=<port>]
       strata server export <database> <data.typedb>

Exports a database of the running server on localhost:<port> (default 1729) from one consistent snapshot.
The server writes the files (paths are made absolute here); the files are replaced only when the export
succeeded, both together.

  --database=<name>   Database to export.
  --file=<path>       Path to file to export data to (using .typedb format).
  --data=<path>       Same as --file (TypeDB 2.19+ name).
  --schema=<path>     Path to file to export schema to (using .tql format).
  --port=<port>       The server's gRPC port (default 1729).
`;

export const exportCommand = migrationSubcommand('export', 'strata server export --database=<db> (--file=<file> | --schema=<file> --data=<file>)', 'Export a database to a .typedb file (and its schema to a .tql file)', HELP, (args) =>
  runTransfer('Export', args, (m) => `Exported database '${m.database}': ${m.counts} to ${m.dataFile}${m.schemaFile ? ` (schema: ${m.schemaFile})` : ''}.`),
);
