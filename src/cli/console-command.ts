// `strata console [--core=<address>] [--command=<cmd>]… [--script=<file>]`: the TypeDB 2.x console. Its flags
// follow TypeDB's console (see src/console/options.ts), so commander only routes here.
import type { Command } from 'commander';
import type { CliCommand } from './command.js';
import { VERSION_TEXT } from './version-text.js';

export const consoleCommand: CliCommand = {
  name: 'console',
  usage: 'Console:         strata console [--help]',
  register(program: Command): void {
    program
      .command('console')
      .description('Run the console (TypeDB 2.x console commands)')
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(async (_options: unknown, command: Command) => {
        // Loaded only when used: the server's startup need not load the driver.
        const { runConsole } = await import('../console/index.js');
        process.exitCode = await runConsole(command.args, { program: 'strata console', version: VERSION_TEXT });
      });
  },
};
