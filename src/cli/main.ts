#!/usr/bin/env node
// The `strata` / `typedb` launcher: `strata <command> [arguments]`. A small dispatcher over COMMANDS; like TypeDB's
// launcher it has no top-level --help/--version (those belong to each command), and no or an unknown command
// prints the usage and exits 1.
import { Command, CommanderError } from 'commander';
import { COMMANDS, SERVER_SUBCOMMANDS } from './commands.js';
import { moveLegacyPort } from './legacy-port-form.js';

function usage(): string {
  return COMMANDS.map((c) => `  ${c.usage}\n`).join('');
}

export async function main(given: readonly string[]): Promise<number> {
  const argv = moveLegacyPort(
    given,
    SERVER_SUBCOMMANDS.map((s) => s.name),
  );
  const [first] = argv;
  if (first === undefined) {
    process.stderr.write(`Missing argument. Possible commands are:\n${usage()}`);
    return 1;
  }
  if (!COMMANDS.some((c) => c.name === first)) {
    process.stderr.write(`Invalid argument: ${first}. Possible commands are: \n${usage()}`);
    return 1;
  }
  const program = new Command('strata').helpOption(false).exitOverride();
  for (const command of COMMANDS) command.register(program);
  process.exitCode = 0;
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    // Commander has already printed its message (unknown option, missing argument, help of a subcommand).
    if (e instanceof CommanderError) return e.exitCode;
    throw e;
  }
  return Number(process.exitCode ?? 0);
}

let finished = false;
// A command whose work ran out before it finished (a promise nothing will settle) must not exit 0 in silence. Its own
// guards get one more turn first: they fail with a message saying what happened.
process.on('beforeExit', () => {
  setImmediate(() => {
    if (finished) return;
    process.stderr.write('The command stopped before it finished, without an error. This is a bug in Strata; please report it.\n');
    process.exit(1);
  });
});

main(process.argv.slice(2)).then(
  (code) => {
    finished = true;
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
