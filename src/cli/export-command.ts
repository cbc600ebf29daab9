// `strata server export --database=X --file=F.typedb [--port=P]`  (data only, TypeDB 2.6–2.18)
// `strata server export --database=X --schema=S.tql --data=D.typedb [--port=P]`  (TypeDB 2.19+)
// `strata server export X F.typedb`  (TypeDB 2.0–2.5)
import { StrataError } from '../common/errors.js';
import { callMigrator, fromProgressMessage } from './migrator-client.js';
import { migrationSubcommand } from './migration-command.js';
import { absolute, parseMigrationArguments, portOption, requireOption } from './migration-options.js';
import { ProgressView } from './migration-progress.js';

const HELP = `Usage: strata server export --database=<name> (--file=<data.typedb> | --schema=<schema.tql> --data=<data.typedb>) [--port=<port>]
       strata server export <database> <data.typedb>

Exports a database of the running server on localhost:<port> (default 1729) from one consistent snapshot.
The server writes the files (paths are made absolute here); a file is replaced only when the export succeeded.

  --database=<name>   Database to export.
  --file=<path>       Path to file to export data to (using .typedb format).
  --data=<path>       Same as --file (TypeDB 2.19+ name).
  --schema=<path>     Path to file to export schema to (using .tql format).
  --port=<port>       The server's gRPC port (default 1729).
`;

export const exportCommand = migrationSubcommand('export', 'strata server export --database=<db> --file=<file>', 'Export a database to a .typedb file', HELP, async (args) => {
  const values = parseMigrationArguments(args, ['database', 'file', 'data', 'schema', 'port'], ['database', 'file']);
  const database = requireOption(values, 'database');
  if (values.has('file') && values.has('data')) throw new StrataError('SRV', 13, "Give the data file once: '--file' or '--data'.");
  const dataFile = absolute(values.get('data') ?? values.get('file'));
  if (!dataFile) throw new StrataError('SRV', 12, "Missing required command line option: 'file' (or 'data').");
  const schemaFile = absolute(values.get('schema'));
  const view = new ProgressView('Export');
  try {
    await callMigrator(portOption(values), 'ExportDatabase', { database, data_file: dataFile, schema_file: schemaFile ?? '' }, (m) =>
      view.update(fromProgressMessage(m)),
    );
  } catch (e) {
    view.fail();
    throw e;
  }
  view.finish(`Exported database '${database}': ${view.summaryCounts()} to ${dataFile}${schemaFile ? ` (schema: ${schemaFile})` : ''}.`);
});
