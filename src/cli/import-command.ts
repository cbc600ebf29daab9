// `strata server import --database=X --file=F.typedb [--port=P]`  (into an existing database with its schema)
// `strata server import --database=X --schema=S.tql --data=D.typedb [--port=P]`  (creates the database)
// `strata server import X F.typedb`  (TypeDB 2.0–2.5)
import { StrataError } from '../common/errors.js';
import { callMigrator, fromProgressMessage } from './migrator-client.js';
import { migrationSubcommand } from './migration-command.js';
import { absolute, parseMigrationArguments, portOption, requireOption } from './migration-options.js';
import { ProgressView } from './migration-progress.js';

const HELP = `Usage: strata server import --database=<name> (--file=<data.typedb> | --schema=<schema.tql> --data=<data.typedb>) [--port=<port>]
       strata server import <database> <data.typedb>

Imports a .typedb file into the running server on localhost:<port> (default 1729). Atomic: the data becomes
visible only when the whole import succeeded; on any failure the database is exactly as before.

  --database=<name>   Database to import into. With --file it must exist, with its schema and no data;
                      with --schema it must not exist (it is created from the schema file).
  --file=<path>       Path to data file to import (.typedb format).
  --data=<path>       Same as --file (TypeDB 2.19+ name).
  --schema=<path>     Path to schema file to import (.tql format).
  --port=<port>       The server's gRPC port (default 1729).
`;

export const importCommand = migrationSubcommand('import', 'strata server import --database=<db> --file=<file>', 'Import a .typedb file into a database', HELP, async (args) => {
  const values = parseMigrationArguments(args, ['database', 'file', 'data', 'schema', 'port'], ['database', 'file']);
  const database = requireOption(values, 'database');
  if (values.has('file') && values.has('data')) throw new StrataError('SRV', 13, "Give the data file once: '--file' or '--data'.");
  const dataFile = absolute(values.get('data') ?? values.get('file'));
  if (!dataFile) throw new StrataError('SRV', 12, "Missing required command line option: 'file' (or 'data').");
  const schemaFile = absolute(values.get('schema'));
  const view = new ProgressView('Import');
  try {
    await callMigrator(portOption(values), 'ImportDatabase', { database, data_file: dataFile, schema_file: schemaFile ?? '' }, (m) =>
      view.update(fromProgressMessage(m)),
    );
  } catch (e) {
    view.fail();
    throw e;
  }
  view.finish(`Imported ${view.summaryCounts()} into database '${database}'.`);
});
