// `--command …` and `--script <file>`: TypeDB's non-interactive mode. Each command is echoed (`+ ` at top level,
// `++ ` inside a transaction); the first failure stops the run (false → exit 1) and rolls the open transaction
// back; commands that run out inside a transaction roll it back silently (true → exit 0).
import { readFileSync } from 'node:fs';
import type { TypeDBDriver } from 'typedb-driver';
import { parseTopLevelCommand, parseTransactionCommand } from './commands.js';
import { OpenTransaction, closeDriver, connect } from './connection.js';
import type { ConnectionWatch } from './connection-watch.js';
import { runDatabaseCommand } from './database-commands.js';
import { MESSAGES, errorText } from './errors.js';
import type { ConsoleOutput } from './output.js';
import { QueryRunner } from './queries.js';
import { runEndingCommand } from './transaction-endings.js';

/** The lines of a script file; undefined (after printing why) if it cannot be read. */
export function readScript(path: string, out: ConsoleOutput): string[] | undefined {
  try {
    return readFileSync(path, 'utf8').split('\n');
  } catch (e) {
    out.error(MESSAGES.failedToOpenFile(path, e));
    return undefined;
  }
}

export async function runCommands(commands: readonly string[], address: string, out: ConsoleOutput, watch: ConnectionWatch): Promise<boolean> {
  const lines = commands.map((c) => c.trim()).filter((c) => c.length > 0);
  let driver: TypeDBDriver;
  try {
    driver = await connect(address);
  } catch (e) {
    out.error(errorText(e, address));
    return false;
  }
  watch.start(driver);
  try {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      out.info(`+ ${line}`);
      if (line.startsWith('#')) continue;
      const parsed = parseTopLevelCommand(line);
      if (!parsed.ok) {
        out.error(parsed.error ?? MESSAGES.unrecognisedScript);
        return false;
      }
      const command = parsed.command;
      switch (command.kind) {
        case 'exit':
        case 'help':
        case 'clear':
          out.error(MESSAGES.notAvailableInScript);
          continue;
        case 'cloud-only':
          out.error(MESSAGES.cloudOnlyCommand(command.command));
          return false;
        case 'database-list':
        case 'database-create':
        case 'database-delete':
        case 'database-schema':
          if (!(await runDatabaseCommand(driver, command, out, address))) return false;
          continue;
        case 'transaction': {
          let open: OpenTransaction;
          try {
            open = await OpenTransaction.open(driver, command, address);
          } catch (e) {
            out.error(errorText(e, address));
            return false;
          }
          const result = await runTransactionCommands(open, lines, i + 1, out, address);
          if (result === 'failed') return false;
          i = result;
        }
      }
    }
    return true;
  } finally {
    await closeDriver(driver);
  }
}

/**
 * Runs the transaction's commands from `lines[from]`. Returns the index of the command that left the transaction
 * (commit, close), `lines.length` if they ran out, or 'failed'. The transaction is closed either way; closing
 * an uncommitted one rolls it back.
 */
async function runTransactionCommands(
  open: OpenTransaction,
  lines: readonly string[],
  from: number,
  out: ConsoleOutput,
  address: string,
): Promise<number | 'failed'> {
  let outcome: number | 'failed';
  try {
    outcome = await runUntilLeft(open, lines, from, out);
  } catch (e) {
    out.error(errorText(e, address, 'transaction'));
    outcome = 'failed';
  }
  try {
    await open.close();
  } catch (e) {
    // After a failure the server is usually why closing fails too; its error has been printed already.
    if (outcome !== 'failed') {
      out.error(errorText(e, address));
      outcome = 'failed';
    }
  }
  return outcome;
}

async function runUntilLeft(open: OpenTransaction, lines: readonly string[], from: number, out: ConsoleOutput): Promise<number | 'failed'> {
  const runner = new QueryRunner(open, out);
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    out.info(`++ ${line}`);
    const parsed = parseTransactionCommand(line);
    if (!parsed.ok) {
      out.error(parsed.error!);
      return 'failed';
    }
    const command = parsed.command;
    switch (command.kind) {
      case 'commit':
      case 'rollback':
      case 'close':
        if (await runEndingCommand(open, command.kind, out)) return i;
        break;
      case 'source':
        if (!(await runner.runSource(command.file, command.printAnswers))) return 'failed';
        break;
      case 'query':
        if (!(await runner.runPrintAnswers(command.text))) return 'failed';
        break;
      case 'exit':
      case 'help':
      case 'clear':
        out.error(MESSAGES.notAvailableInScript);
        break;
    }
  }
  return lines.length;
}
