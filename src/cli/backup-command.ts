// `strata server backup --database=X --dir=D [--port=P]`: a consistent copy of a live database, written while
// writes continue. The copy, placed in a data directory, is served as is.
import { callMigrator } from './migrator-client.js';
import { migrationSubcommand } from './migration-command.js';
import { absolute, parseMigrationArguments, portOption, requireOption } from './migration-options.js';

const HELP = `Usage: strata server backup --database=<name> --dir=<directory> [--port=<port>]

Writes an online, consistent copy of a database of the running server on localhost:<port> (default 1729) into
<directory>, which must not exist yet or be empty. Writes to the database continue meanwhile. To restore, stop a server,
copy <directory> into its data directory under the database's name, and start it.

  --database=<name>   Database to back up.
  --dir=<directory>   Where to write the copy (made absolute here; written by the server).
  --port=<port>       The server's gRPC port (default 1729).
`;

export const backupCommand = migrationSubcommand('backup', 'strata server backup --database=<db> --dir=<dir>', 'Write an online backup of a database', HELP, async (args) => {
  const values = parseMigrationArguments(args, ['database', 'dir', 'port'], ['database', 'dir']);
  const database = requireOption(values, 'database');
  const directory = absolute(requireOption(values, 'dir'))!;
  const started = Date.now();
  await callMigrator(portOption(values), 'BackupDatabase', { database, directory }, () => {});
  process.stdout.write(`Backed up database '${database}' to ${directory} in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
});
