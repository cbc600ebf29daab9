// Every command of the `strata` / `typedb` launcher. Add a command by writing one file under src/cli/ that exports
// a CliCommand (or a ServerSubcommand for `strata server <sub>`) and listing it here.
import type { CliCommand, ServerSubcommand } from './command.js';
import { consoleCommand } from './console-command.js';
import { createServerCommand } from './server-command.js';
import { exportCommand } from './export-command.js';
import { importCommand } from './import-command.js';
import { backupCommand } from './backup-command.js';

/** `strata server export|import|backup …`: dispatched when the first argument after `server` is their name. */
export const SERVER_SUBCOMMANDS: readonly ServerSubcommand[] = [exportCommand, importCommand, backupCommand];

/** Top-level commands, in the order the usage text lists them. */
export const COMMANDS: readonly CliCommand[] = [
  createServerCommand(SERVER_SUBCOMMANDS),
  consoleCommand,
];
