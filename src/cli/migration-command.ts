// `strata server export|import|backup`: shared plumbing (commander registration, errors, exit codes).
import type { Command } from 'commander';
import { StrataError } from '../common/errors.js';
import type { ServerSubcommand } from './command.js';
import { callMigrator, fromProgressMessage } from './migrator-client.js';
import { absolute, parseMigrationArguments, portOption, requireOption } from './migration-options.js';
import { ProgressView } from './migration-progress.js';

export function migrationSubcommand(name: string, usage: string, description: string, help: string, run: (args: readonly string[]) => Promise<void>): ServerSubcommand {
  return {
    name,
    usage,
    description,
    register(server: Command): void {
      server
        .command(name)
        .description(description)
        .helpOption(false)
        .allowUnknownOption()
        .allowExcessArguments()
        .action(async (_options: unknown, command: Command) => {
          const args = command.args;
          if (args.includes('--help') || args.includes('-h')) {
            process.stdout.write(help);
            process.exitCode = 0;
            return;
          }
          try {
            await run(args);
            process.exitCode = 0;
          } catch (e) {
            process.stderr.write(`${e instanceof StrataError || e instanceof Error ? e.message : String(e)}\n`);
            process.exitCode = 1;
          }
        });
    },
  };
}

/**
 * Export or import: `--database`, the data file as `--file` or `--data` (or positionally), an optional `--schema`,
 * `--port`. Streams the server's progress into a ProgressView and ends it with the summary line.
 */
export async function runTransfer(
  kind: 'Export' | 'Import',
  args: readonly string[],
  summary: (moved: { database: string; dataFile: string; schemaFile?: string; counts: string }) => string,
): Promise<void> {
  const values = parseMigrationArguments(args, ['database', 'file', 'data', 'schema', 'port'], ['database', 'file']);
  const database = requireOption(values, 'database');
  if (values.has('file') && values.has('data')) throw new StrataError('SRV', 13, "Give the data file once: '--file' or '--data'.");
  const dataFile = absolute(values.get('data') ?? values.get('file'));
  if (!dataFile) throw new StrataError('SRV', 12, "Missing required command line option: 'file' (or 'data').");
  const schemaFile = absolute(values.get('schema'));
  const view = new ProgressView(kind);
  try {
    const method = kind === 'Export' ? 'ExportDatabase' : 'ImportDatabase';
    await callMigrator(portOption(values), method, { database, data_file: dataFile, schema_file: schemaFile ?? '' }, (m) => view.update(fromProgressMessage(m)));
  } catch (e) {
    view.fail();
    throw e;
  }
  view.finish(summary({ database, dataFile, schemaFile, counts: view.summaryCounts() }));
}
