// `strata server [--server.address=…] [--storage.data=…] [--config=…]`, and the dispatch to its subcommands.
// The server's own options follow TypeDB's parser (see server-options.ts), so commander only routes here.
import type { Command } from 'commander';
import { StrataError } from '../common/errors.js';
import type { CliCommand, ServerSubcommand } from './command.js';
import { parseServerArguments, serverHelp } from './server-options.js';
import { VERSION_TEXT } from './version-text.js';

export function createServerCommand(subcommands: readonly ServerSubcommand[]): CliCommand {
  return {
    name: 'server',
    usage: 'Server:          strata server [--help]',
    register(program: Command): void {
      const server = program
        .command('server')
        .description('Run the Strata server (TypeDB 2.x protocol)')
        .helpOption(false)
        .allowUnknownOption()
        .allowExcessArguments()
        .action(async (_options: unknown, command: Command) => {
          process.exitCode = await serverMain(command.args, subcommands);
        });
      for (const sub of subcommands) sub.register(server);
    },
  };
}

async function serverMain(args: readonly string[], subcommands: readonly ServerSubcommand[]): Promise<number> {
  try {
    const invocation = parseServerArguments(args, process.cwd(), subcommands.map((s) => s.name));
    switch (invocation.kind) {
      case 'help':
        process.stdout.write(serverHelp(subcommands));
        return 0;
      case 'version':
        process.stdout.write(`Version: ${VERSION_TEXT}\n`);
        return 0;
      case 'run': {
        // Loaded only to run: `--help` and `--version` must work without opening the engine.
        const { runServer } = await import('./run-server.js');
        return await runServer(invocation.settings);
      }
    }
  } catch (e) {
    if (!(e instanceof StrataError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 1;
  }
}
