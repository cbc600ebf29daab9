// Every error text the console prints, and the translation of typedb-driver's errors into the texts TypeDB 2.29's
// console prints (its driver says `[CXN06] The database 'x' does not exist.` where the Node driver says
// `[NDR10] Driver Error: …`), so that scripts grepping for TypeDB's messages keep working.

import { isAbsolute } from 'node:path';

function whyNotOpened(path: string, cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const relative = isAbsolute(path) ? '' : ` (relative paths start at '${process.cwd()}')`;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return `it does not exist${relative}.`;
    case 'EISDIR':
      return 'it is a directory; give the path of a file.';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied; check that you may read it.';
    default:
      return `${cause instanceof Error ? cause.message : String(cause)}.`;
  }
}

/** An error whose message is already the text to print. */
export class ConsoleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConsoleError';
  }
}

export const MESSAGES = {
  unrecognisedInteractive: 'Unrecognised command, please check help menu',
  unrecognisedScript: 'Unrecognised command, exit console script.',
  notAvailableInScript: 'Command is not available while running console script.',
  emptyQuery: 'Query String is empty or blank',
  anyReplicaCloudOnly: "The option '--any-replica' is only available in TypeDB Cloud.",
  /** TypeDB 2.29's Java driver on a transaction option's integer below 1 (the Node driver says `[NDR8] …`). */
  valueBelowOne: (value: number) => `[JDR08] Driver Error: Value cannot be less than 1, was: '${value}'.`,
  /** TypeDB's text, then why: "failed to open" alone does not tell a typo from a directory or a permission. */
  failedToOpenFile: (path: string, cause: unknown) => `Failed to open file '${path}': ${whyNotOpened(path, cause)}`,
  cloudOnlyCommand: (command: string) => `The command '${command}' is only available in TypeDB Cloud.`,
  databaseMissing: (name: string) => `[CXN06] The database '${name}' does not exist.`,
  connectionFailed: (address: string) =>
    `[CXN22] Connection failed. Please check the server is running and the address '${address}' is accessible.`,
  missingPort: (address: string) => `[CXN23] Invalid URL '${address}': missing port.`,
  invalidPort: (address: string) => `[CXN23] Invalid URL '${address}': the port must be a number from 1 to 65535.`,
  /** An address copied from a browser or a connection string: the driver takes `<host>:<port>` only. */
  schemeInAddress: (address: string, scheme: string) =>
    `[CXN23] Invalid URL '${address}': give the address as <host>:<port>, without '${scheme}'.`,
} as const;

/** The console's own `[TXNnn] Invalid Transaction command: …` errors (TypeDB console's numbering). */
export const TRANSACTION_COMMAND_ERRORS = {
  invalidOptionalArgument: (command: string, argument: string) =>
    `[TXN01] Invalid Transaction command: '${command}' does not have an optional argument '${argument}'.`,
  wrongArgumentCount: (command: 'exit' | 'help' | 'clear' | 'commit' | 'rollback' | 'close', received: number) => {
    const code = { exit: 2, help: 3, clear: 4, commit: 5, rollback: 6, close: 7 }[command];
    return `[TXN0${code}] Invalid Transaction command: '${command}' expects 0 space-separated arguments, received ${received}.`;
  },
  sourceArguments: (received: number) =>
    `[TXN08] Invalid Transaction command: 'source' expects 1 mandatory arguments and up to 1 optional arguments, received ${received} arguments.`,
} as const;

const CONNECTION_LOST = /^\[NDR0*7\] |^Error: 14 UNAVAILABLE|^\[NDR0*15\] /;
const DATABASE_MISSING = /^\[NDR0*10\] Driver Error: The database '([^]*)' does not exist\.$/;
/** The Node driver reports any database-manager failure as a failure of "all cloud nodes", quoting the real one. */
const ALL_NODES_FAILED = /^\[NDR0*17\] Driver Error: [^\n]*\n'- [^\n]*?: (?:TypeDBDriverError|Error): ([^]*)\n'$/;
const TRANSACTION_CLOSED_WITH_ERRORS = /^\[NDR0*6\] Driver Error: The transaction has been closed with error\(s\): \n([^]*)\.$/;
const GRPC_STATUS_PREFIX = /^Error: \d+ [A-Z_]+: /;
/** grpc's text for a request over the server's message limit (RESOURCE_EXHAUSTED). */
const REQUEST_TOO_LARGE = /^Received message larger than max \((\d+) vs\.? (\d+)\)$/;

const mib = (bytes: string) => (Number(bytes) / (1 << 20)).toFixed(1);

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The server's own message inside whatever the driver wrapped around it. */
function unwrap(message: string): string {
  let text = message;
  for (;;) {
    const allNodes = ALL_NODES_FAILED.exec(text);
    if (allNodes) {
      text = allNodes[1]!;
      continue;
    }
    const closed = TRANSACTION_CLOSED_WITH_ERRORS.exec(text);
    if (closed) {
      text = closed[1]!;
      continue;
    }
    if (GRPC_STATUS_PREFIX.test(text)) {
      text = text.replace(GRPC_STATUS_PREFIX, '');
      continue;
    }
    return text;
  }
}

/** Where an error happened: inside a transaction TypeDB's driver reports it as having closed the transaction. */
export type ErrorContext = 'server' | 'transaction';

/** The text to print for an error from the driver (or the console itself). */
export function errorText(error: unknown, address: string, context: ErrorContext = 'server'): string {
  if (error instanceof ConsoleError) return error.message;
  const message = unwrap(messageOf(error));
  if (CONNECTION_LOST.test(message)) return MESSAGES.connectionFailed(address);
  const tooLarge = REQUEST_TOO_LARGE.exec(message);
  if (tooLarge) {
    const text =
      `The request takes ${mib(tooLarge[1]!)} MiB, more than the ${mib(tooLarge[2]!)} MiB the server takes in one message, ` +
      'so the server refused it. Split the query into smaller ones.';
    return context === 'transaction' ? `[CXN05] The transaction is closed because of the error(s):\n${text}` : text;
  }
  const missing = DATABASE_MISSING.exec(message);
  if (missing) return MESSAGES.databaseMissing(missing[1]!);
  if (context === 'transaction') return `[CXN05] The transaction is closed because of the error(s):\n${message}`;
  return message;
}
