// The shape of a command-line command, so that main.ts stays a small dispatcher and every command lives in its
// own file. Register new commands in commands.ts.
import type { Command } from 'commander';

export interface CliCommand {
  /** The first word after `strata`/`typedb`, e.g. `server` or `console`. */
  readonly name: string;
  /** One usage line for the launcher's command list. */
  readonly usage: string;
  /** Adds the command (with its options and action) to the program. The action sets `process.exitCode`. */
  register(program: Command): void;
}

/** A subcommand of `strata server` (`export`, `import`, `backup`, …). */
export interface ServerSubcommand {
  readonly name: string;
  /** e.g. `strata server export` */
  readonly usage: string;
  readonly description: string;
  /** Adds the subcommand to the `server` command. */
  register(server: Command): void;
}
