// `strata server import --database=X --file=F.typedb [--port=P]`  (into an existing database with its schema)
// `strata server import --database=X --schema=S.tql --data=D.typedb [--port=P]`  (creates the database)
// `strata server import X F.typedb`  (TypeDB 2.0–2.5)
import { migrationSubcommand, runTransfer } from './migration-command.js';

const HELP = `Usage: strata server import --database=<name> (--file=<data.typedb> | --schema=<schema.tql> --data=<data.typedb>) [--port=<port>]
       strata server import <database> <data.typedb>

Imports a .typedb file into the running server on localhost:<port> (default 1729). Atomic: the data becomes
visible only when the whole import succeeded; on any failure the database is exactly as before. The server
opens the files itself: give paths to regular files on its machine (not pipes or <(…)).

  --database=<name>   Database to import into. With --file it must exist, with its schema and no data;
                      with --schema it must not exist (it is created from the schema file), or be
                      empty: no schema, no data.
  --file=<path>       Path to data file to import (.typedb format).
  --data=<path>       Same as --file (TypeDB 2.19+ name).
  --schema=<path>     Path to schema file to import (.tql format).
  --port=<port>       The server's gRPC port (default 1729).
`;

export const importCommand = migrationSubcommand('import', 'strata server import --database=<db> (--file=<file> | --schema=<file> --data=<file>)', 'Import a .typedb file into a database (with --schema, one it creates)', HELP, (args) =>
  runTransfer('Import', args, (m) => `Imported ${m.counts} into database '${m.database}'.`),
);
