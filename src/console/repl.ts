// The interactive console. Top level `> `: database commands and `transaction …`. Transaction level
// `<db>::<schema|data>::<read|write>[*]> `: a query runs when its input ends at a blank line; any server error
// closes the transaction (the server already has) and returns to `> `; a syntax error only prints.
// Ctrl-C drops the input being typed, and on an empty line leaves the transaction (or, at top level, the console);
// Ctrl-D does the same on an empty line.
import type { TypeDBDriver } from 'typedb-driver';
import { TOP_LEVEL_HELP, TRANSACTION_HELP, parseTopLevelCommand, parseTransactionCommand } from './commands.js';
import { OpenTransaction, closeDriver, connect, type TransactionRequest } from './connection.js';
import type { ConnectionWatch } from './connection-watch.js';
import { runDatabaseCommand } from './database-commands.js';
import { MESSAGES, errorText } from './errors.js';
import type { LineReader } from './line-reader.js';
import type { ConsoleOutput } from './output.js';
import { QueryRunner } from './queries.js';
import { runEndingCommand } from './transaction-endings.js';

/**
 * Printed before connecting where TypeDB prints its welcome, in as many lines (an empty line, two lines, an empty
 * line), so that scripts which cut TypeDB's banner from piped output by its line count cut this one.
 */
export const WELCOME = '\nWelcome to Strata Console, a TypeDB 2.x console.\nType "help" for the commands.\n';

interface ReplContext {
  readonly driver: TypeDBDriver;
  readonly address: string;
  readonly out: ConsoleOutput;
  readonly reader: LineReader;
  /** Reads a line: the connection is not probed while the user types. */
  readonly read: (prompt: string) => ReturnType<LineReader['read']>;
}

/** Runs until `exit`, Ctrl-D or Ctrl-C at an empty top-level prompt; resolves with the exit code. */
export async function runRepl(address: string, out: ConsoleOutput, reader: LineReader, watch: ConnectionWatch): Promise<number> {
  out.info(WELCOME);
  let driver: TypeDBDriver;
  try {
    driver = await connect(address);
  } catch (e) {
    out.error(errorText(e, address));
    reader.close();
    return 1;
  }
  watch.start(driver);
  const read = (prompt: string) => watch.whileIdle(() => reader.read(prompt));
  const context: ReplContext = { driver, address, out, reader, read };
  try {
    for (;;) {
      const input = await read('> ');
      if (input.kind === 'eof') return 0;
      if (input.kind === 'interrupt') {
        if (input.hadInput) continue;
        return 0;
      }
      const line = input.text.trim();
      if (line.length === 0) continue;
      reader.remember(line);
      const parsed = parseTopLevelCommand(line);
      if (!parsed.ok) {
        out.error(parsed.error ?? MESSAGES.unrecognisedInteractive);
        continue;
      }
      const command = parsed.command;
      switch (command.kind) {
        case 'exit':
          return 0;
        case 'help':
          out.info(TOP_LEVEL_HELP);
          break;
        case 'clear':
          reader.clearScreen();
          break;
        case 'cloud-only':
          out.error(MESSAGES.cloudOnlyCommand(command.command));
          break;
        case 'database-list':
        case 'database-create':
        case 'database-delete':
        case 'database-schema':
          await runDatabaseCommand(driver, command, out, address);
          break;
        case 'transaction':
          if ((await transactionRepl(context, command)) === 'exit') return 0;
          break;
      }
    }
  } finally {
    reader.close();
    await closeDriver(driver);
  }
}

/** The transaction level; resolves with where to go next. */
async function transactionRepl(context: ReplContext, request: TransactionRequest): Promise<'top' | 'exit'> {
  const { driver, address, out, reader, read } = context;
  let open: OpenTransaction;
  try {
    open = await OpenTransaction.open(driver, request, address);
  } catch (e) {
    out.error(errorText(e, address));
    return 'top';
  }
  const runner = new QueryRunner(open, out, reader);
  let failed = false;
  try {
    for (;;) {
      const prompt = `${open.promptBase}${runner.hasChanges ? '*' : ''}> `;
      const input = await read(prompt);
      if (input.kind === 'eof') return 'top';
      if (input.kind === 'interrupt') {
        if (input.hadInput) continue;
        return 'top';
      }
      if (input.text.trim().length === 0) continue;
      const parsed = parseTransactionCommand(input.text);
      if (parsed.ok && parsed.command.kind === 'query') {
        const text = await readQuery(read, prompt, input.text);
        if (text === undefined) continue;
        reader.remember(text);
        await runner.runPrintAnswers(text);
        continue;
      }
      reader.remember(input.text);
      if (!parsed.ok) {
        out.error(parsed.error!);
        continue;
      }
      const command = parsed.command;
      switch (command.kind) {
        case 'exit':
          return 'exit';
        case 'help':
          out.info(TRANSACTION_HELP);
          break;
        case 'clear':
          reader.clearScreen();
          break;
        case 'commit':
        case 'rollback':
        case 'close':
          if (await runEndingCommand(open, command.kind, out)) return 'top';
          break;
        case 'source':
          await runner.runSource(command.file, command.printAnswers);
          break;
      }
    }
  } catch (e) {
    failed = true;
    out.error(errorText(e, address, 'transaction'));
    return 'top';
  } finally {
    try {
      await open.close();
    } catch (e) {
      // After a failure the server is usually why closing fails too; its error has been printed already.
      if (!failed) out.error(errorText(e, address));
    }
  }
}

/**
 * The rest of a query whose first line is `first`: lines up to a blank one (or the end of input), under a
 * continuation prompt of spaces. Ctrl-C drops the whole query (undefined).
 */
async function readQuery(read: ReplContext['read'], prompt: string, first: string): Promise<string | undefined> {
  const lines = [first];
  const continuation = ' '.repeat(prompt.length);
  for (;;) {
    const input = await read(continuation);
    if (input.kind === 'interrupt') return undefined;
    if (input.kind === 'eof' || input.text.trim().length === 0) break;
    lines.push(input.text);
  }
  return lines.join('\n');
}
