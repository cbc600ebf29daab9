// `strata server export|import|backup`: shared plumbing (commander registration, errors, exit codes).
import type { Command } from 'commander';
import { StrataError } from '../common/errors.js';
import type { ServerSubcommand } from './command.js';

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
