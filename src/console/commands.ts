// Parsing of console commands, as TypeDB 2.29's console parses them. Top level: the line is split on whitespace and
// matched on the exact token count. Transaction level: only the first token is checked; anything that is not a
// transaction command is TypeQL. Also the two help menus, byte for byte.
import { MESSAGES, TRANSACTION_COMMAND_ERRORS } from './errors.js';

export type SessionKind = 'schema' | 'data';
export type TransactionKind = 'read' | 'write';

/** `transaction … [--option value]…`; unset options keep the server's defaults. */
export interface TransactionOptions {
  infer?: boolean;
  traceInference?: boolean;
  explain?: boolean;
  parallel?: boolean;
  prefetchSize?: number;
  prefetch?: boolean;
  sessionIdleTimeoutMillis?: number;
  transactionTimeoutMillis?: number;
  schemaLockAcquireTimeoutMillis?: number;
}

export type TopLevelCommand =
  | { readonly kind: 'exit' }
  | { readonly kind: 'help' }
  | { readonly kind: 'clear' }
  | { readonly kind: 'database-list' }
  | { readonly kind: 'database-create' | 'database-delete' | 'database-schema'; readonly database: string }
  /** `database replicas <db>`, `user …`: TypeDB Cloud commands, which fail on Core (and on Strata) with this text. */
  | { readonly kind: 'cloud-only'; readonly command: string }
  | {
      readonly kind: 'transaction';
      readonly database: string;
      readonly session: SessionKind;
      readonly transaction: TransactionKind;
      readonly options: TransactionOptions;
    };

/** A command, or why the line is not one (`error` absent: unrecognised, worded by the caller's mode). */
export type Parsed<C> = { readonly ok: true; readonly command: C } | { readonly ok: false; readonly error?: string };

export function splitWords(line: string): string[] {
  return line.split(/\s+/).filter((word) => word.length > 0);
}

const BOOLEAN_OPTIONS: Record<string, keyof TransactionOptions> = {
  '--infer': 'infer',
  '--trace-inference': 'traceInference',
  '--explain': 'explain',
  '--parallel': 'parallel',
  '--prefetch': 'prefetch',
};
const INTEGER_OPTIONS: Record<string, keyof TransactionOptions> = {
  '--batch-size': 'prefetchSize',
  '--session-idle-timeout': 'sessionIdleTimeoutMillis',
  '--transaction-timeout': 'transactionTimeoutMillis',
  '--schema-lock-acquire-timeout': 'schemaLockAcquireTimeoutMillis',
};

const KNOWN_OPTIONS = [
  ...Object.keys(BOOLEAN_OPTIONS).map((name) => `${name} true|false`),
  ...Object.keys(INTEGER_OPTIONS).map((name) => `${name} <int>`),
].join(', ');

/** `--name value` pairs; `--name=value` is accepted too. TypeDB crashes on bad options; Strata says why. */
function parseTransactionOptions(words: readonly string[]): Parsed<TransactionOptions> {
  const pairs: [string, string | undefined][] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const eq = word.indexOf('=');
    if (eq > 0) pairs.push([word.slice(0, eq), word.slice(eq + 1)]);
    else pairs.push([word, words[++i]]);
  }
  const options: TransactionOptions = {};
  for (const [name, value] of pairs) {
    if (name === '--read-any-replica') return { ok: false, error: MESSAGES.anyReplicaCloudOnly };
    const booleanKey = BOOLEAN_OPTIONS[name];
    const integerKey = INTEGER_OPTIONS[name];
    if (booleanKey === undefined && integerKey === undefined) {
      // TypeDB's text, then what would have been taken.
      return { ok: false, error: `Unrecognized Option '${name.replace(/^--/, '')}'. The transaction options are ${KNOWN_OPTIONS}.` };
    }
    if (value === undefined) return { ok: false, error: `The transaction option '${name}' requires a value.` };
    if (booleanKey !== undefined) {
      // Java's Boolean.parseBoolean, as TypeDB's console reads them: `true` in any case; anything else is false.
      (options as Record<string, boolean>)[booleanKey] = value.toLowerCase() === 'true';
    } else {
      if (!/^[+-]?\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Math.abs(Number(value)) > 2 ** 31 - 1) {
        return { ok: false, error: `The transaction option '${name}' expects an integer, received '${value}'.` };
      }
      const number = Number(value);
      // TypeDB's Java driver refuses these while the command is parsed, before anything is opened.
      if (number < 1) return { ok: false, error: MESSAGES.valueBelowOne(number) };
      (options as Record<string, number>)[integerKey!] = number;
    }
  }
  return { ok: true, command: options };
}

export function parseTopLevelCommand(line: string): Parsed<TopLevelCommand> {
  const words = splitWords(line);
  const [first, second, third] = words;
  const command = (c: TopLevelCommand): Parsed<TopLevelCommand> => ({ ok: true, command: c });
  if (words.length === 1 && (first === 'exit' || first === 'help' || first === 'clear')) return command({ kind: first });
  if (first === 'database') {
    if (words.length === 2 && second === 'list') return command({ kind: 'database-list' });
    if (words.length === 3 && (second === 'create' || second === 'delete' || second === 'schema')) {
      return command({ kind: `database-${second}`, database: third! });
    }
    if (words.length === 3 && second === 'replicas') return command({ kind: 'cloud-only', command: 'database replicas' });
  }
  if (first === 'user') {
    const arity: Record<string, number[]> = { list: [2], create: [3], 'password-update': [2, 4], 'password-set': [3], delete: [3] };
    if (second !== undefined && arity[second]?.includes(words.length)) return command({ kind: 'cloud-only', command: `user ${second}` });
  }
  if (first === 'transaction' && words.length >= 4) {
    const [, database, session, transaction] = words as [string, string, string, string];
    if ((session === 'schema' || session === 'data') && (transaction === 'read' || transaction === 'write')) {
      const options = parseTransactionOptions(words.slice(4));
      if (!options.ok) return options;
      return command({ kind: 'transaction', database, session, transaction, options: options.command });
    }
  }
  return { ok: false };
}

export type TransactionCommand =
  | { readonly kind: 'exit' | 'help' | 'clear' | 'commit' | 'rollback' | 'close' }
  | { readonly kind: 'source'; readonly file: string; readonly printAnswers: boolean }
  /** TypeQL: one or more queries. */
  | { readonly kind: 'query'; readonly text: string };

const NO_ARGUMENT_COMMANDS = ['exit', 'help', 'clear', 'commit', 'rollback', 'close'] as const;

export function parseTransactionCommand(line: string): Parsed<TransactionCommand> {
  const words = splitWords(line);
  const first = words[0];
  const arguments_ = words.length - 1;
  const noArgument = NO_ARGUMENT_COMMANDS.find((c) => c === first);
  if (noArgument !== undefined) {
    if (arguments_ !== 0) return { ok: false, error: TRANSACTION_COMMAND_ERRORS.wrongArgumentCount(noArgument, arguments_) };
    return { ok: true, command: { kind: noArgument } };
  }
  if (first === 'source') {
    if (arguments_ < 1 || arguments_ > 2) return { ok: false, error: TRANSACTION_COMMAND_ERRORS.sourceArguments(arguments_) };
    if (arguments_ === 2 && words[2] !== '--print-answers') {
      return { ok: false, error: TRANSACTION_COMMAND_ERRORS.invalidOptionalArgument('source', words[2]!) };
    }
    return { ok: true, command: { kind: 'source', file: words[1]!, printAnswers: arguments_ === 2 } };
  }
  return { ok: true, command: { kind: 'query', text: line } };
}

function helpMenu(entries: readonly (readonly [string, string])[]): string {
  const width = Math.max(...entries.map(([command]) => command.length)) + 4;
  return '\n' + entries.map(([command, description]) => command.padEnd(width) + description + '\n').join('');
}

/** The top-level help menu of TypeDB 2.29's console on Core (user commands included, as there). */
export const TOP_LEVEL_HELP = helpMenu([
  ['user list', 'List the users on the server'],
  ['user create <username>', 'Create a user with name <username> and a supplied password on the server'],
  ['user password-update [old-password new-password]', 'Update the password of the current user'],
  ['user password-set <username>', 'Set the password of user with name <username>'],
  ['user delete <username>', 'Delete a user with name <username> on the server'],
  ['database list', 'List the databases on the server'],
  ['database create <db>', 'Create a database with name <db> on the server'],
  ['database delete <db>', 'Delete a database with name <db> on the server'],
  ['database schema <db>', 'Print the schema of the database with name <db>'],
  [
    'transaction <db> schema|data read|write [transaction-options]',
    'Start a transaction to database <db> with schema or data session, with read or write transaction',
  ],
  ['transaction-options', 'Transaction options'],
  ['--infer true|false', 'Enable or disable inference'],
  ['--trace-inference true|false', 'Enable or disable inference tracing'],
  ['--explain true|false', 'Enable or disable inference explanations'],
  ['--parallel true|false', 'Enable or disable parallel query execution'],
  ['--batch-size 1..[max int]', 'Set RPC answer batch size'],
  ['--prefetch true|false', 'Enable or disable RPC answer prefetch '],
  ['--session-idle-timeout 1..[max int]', 'Kill idle session timeout (ms)'],
  ['--transaction-timeout 1..[max int]', 'Kill transaction timeout (ms)'],
  ['--schema-lock-acquire-timeout 1..[max int]', 'Acquire exclusive schema session timeout (ms)'],
  ['help', 'Print this help menu'],
  ['clear', 'Clear console screen'],
  ['exit', 'Exit console'],
]);

export const TRANSACTION_HELP = helpMenu([
  ['<query>', 'Run TypeQL query'],
  ['source <file> [--print-answers]', 'Run TypeQL queries in file.'],
  ['commit', 'Commit the transaction changes and close transaction'],
  ['rollback', 'Rollback the transaction to the beginning state'],
  ['close', 'Close the transaction without committing changes'],
  ['help', 'Print this help menu'],
  ['clear', 'Clear console screen'],
  ['exit', 'Exit console'],
]);
