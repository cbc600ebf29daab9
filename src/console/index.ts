// The console layer: `strata console` / `typedb console`, a client of a Strata (or TypeDB 2.x) server over gRPC
// through typedb-driver. `runConsole` takes the arguments after `console` and resolves with the exit code; the
// caller must exit the process, because the driver keeps its gRPC channel and session timers alive.
import { ConnectionWatch } from './connection-watch.js';
import { ConsoleError } from './errors.js';
import { History } from './history.js';
import { LineReader } from './line-reader.js';
import { readLongsExactly } from '../common/exact-longs.js';
import { consoleUsage, parseConsoleArguments, type ConsoleInvocation } from './options.js';
import { processOutput } from './output.js';
import { runRepl } from './repl.js';
import { readScript, runCommands } from './script-runner.js';

export { HISTORY_ENV } from './history.js';
export { DEFAULT_ADDRESS } from './options.js';

export interface ConsoleIdentity {
  /** How usage lines name the command, e.g. `strata console`. */
  readonly program: string;
  /** What `--version` prints. */
  readonly version: string;
}

export async function runConsole(args: readonly string[], identity: ConsoleIdentity): Promise<number> {
  let invocation: ConsoleInvocation;
  try {
    invocation = parseConsoleArguments(args);
  } catch (e) {
    if (!(e instanceof ConsoleError)) throw e;
    process.stderr.write(`${e.message}\n${consoleUsage(identity.program)}`);
    return 1;
  }
  switch (invocation.kind) {
    case 'help':
      process.stdout.write(consoleUsage(identity.program));
      return 0;
    case 'version':
      process.stdout.write(`${identity.version}\n`);
      return 0;
    case 'run':
      break;
  }
  readLongsExactly();
  const out = processOutput();
  const { address, mode } = invocation;
  // A connection gone silent ends the run with exit 1 wherever it is waiting on the server (see connection-watch.ts).
  const watch = new ConnectionWatch(address);
  let reader: LineReader | undefined;
  const run = async (): Promise<number> => {
    switch (mode.kind) {
      case 'repl':
        reader = new LineReader(process.stdin, process.stdout, History.load());
        return runRepl(address, out, reader, watch);
      case 'commands':
        return (await runCommands(mode.commands, address, out, watch)) ? 0 : 1;
      case 'script': {
        // Read before connecting: an unreadable script fails without touching the server, as in TypeDB.
        const lines = readScript(mode.path, out);
        if (!lines) return 1;
        return (await runCommands(lines, address, out, watch)) ? 0 : 1;
      }
    }
  };
  const lost = watch.lost.then((text) => {
    reader?.close();
    out.error(text);
    return 1;
  });
  try {
    return await Promise.race([run(), lost]);
  } finally {
    watch.stop();
  }
}
