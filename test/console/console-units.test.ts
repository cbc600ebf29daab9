// The console's pure parts, in process: flags, command parsing, help menus, value and JSON formatting, error
// translation and the history file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOP_LEVEL_HELP, TRANSACTION_HELP, parseTopLevelCommand, parseTransactionCommand } from '../../src/console/commands.js';
import { ConsoleError, errorText } from '../../src/console/errors.js';
import { History } from '../../src/console/history.js';
import { javaDouble, javaJsonNumber, javaLocalDateTime, typeqlDouble } from '../../src/console/java-text.js';
import { parseConsoleArguments } from '../../src/console/options.js';
import { aggregateText, jsonText } from '../../src/console/printer.js';

test('flags: every historical address spelling, both value forms, mode selection', () => {
  assert.deepEqual(parseConsoleArguments([]), { kind: 'run', address: 'localhost:1729', mode: { kind: 'repl' } });
  for (const flag of ['--core', '--server', '--cloud', '--cluster', '--enterprise']) {
    assert.deepEqual(parseConsoleArguments([`${flag}=h:1`]), { kind: 'run', address: 'h:1', mode: { kind: 'repl' } });
    assert.deepEqual(parseConsoleArguments([flag, 'h:2']), { kind: 'run', address: 'h:2', mode: { kind: 'repl' } });
  }
  // Cloud address lists and translations name one server here.
  assert.equal((parseConsoleArguments(['--cloud=a:1,b:1']) as { address: string }).address, 'a:1');
  // An array option in TypeDB: given twice, it lists both.
  assert.equal((parseConsoleArguments(['--cloud=a:1', '--cloud', 'b:1']) as { address: string }).address, 'a:1');
  assert.equal((parseConsoleArguments(['--cloud=conf:1=real:2', '--username=u', '--password=p', '--tls-enabled']) as { address: string }).address, 'real:2');
  assert.deepEqual(parseConsoleArguments(['--cloud', 'c:1', '--username', 'u', '--password', 'secret', '--command=database list']), {
    kind: 'run',
    address: 'c:1',
    mode: { kind: 'commands', commands: ['database list'] },
  });
  assert.deepEqual(parseConsoleArguments(['--command=database list', '--command', 'database create x']), {
    kind: 'run',
    address: 'localhost:1729',
    mode: { kind: 'commands', commands: ['database list', 'database create x'] },
  });
  // --script wins over --command, as in TypeDB.
  assert.deepEqual(parseConsoleArguments(['--command=x', '--script=f.tqls', '--diagnostics-disable']), {
    kind: 'run',
    address: 'localhost:1729',
    mode: { kind: 'script', path: 'f.tqls' },
  });
  assert.deepEqual(parseConsoleArguments(['--command=x', '-h']), { kind: 'help' });
  assert.deepEqual(parseConsoleArguments(['-V']), { kind: 'version' });
});

test('flags: errors worded as picocli and TypeDB word them', () => {
  const error = (args: string[]) => {
    try {
      parseConsoleArguments(args);
    } catch (e) {
      assert.ok(e instanceof ConsoleError);
      return e.message;
    }
    assert.fail(`expected ${args.join(' ')} to fail`);
  };
  assert.equal(error(['--foo']), "Unknown option: '--foo'");
  assert.equal(error(['foo']), "Unmatched argument at index 0: 'foo'");
  assert.equal(error(['--core']), "Missing required parameter for option '--core' (<core>)");
  assert.equal(error(['--command']), "Missing required parameter for option '--command' (<commands>)");
  assert.equal(error(['--cloud=a:1', '--tls-root-ca']), "Missing required parameter for option '--tls-root-ca' (<tlsRootCA>)");
  // A single-value option given twice fails, as picocli fails it, instead of the last one winning.
  assert.equal(error(['--core=a:1', '--core=b:1']), "option '--core' (<core>) should be specified only once");
  assert.equal(error(['--server=a:1', '--core=b:1']), "option '--core' (<core>) should be specified only once");
  assert.equal(error(['--script=a', '--command=x', '--script', 'b']), "option '--script' (<script>) should be specified only once");
  assert.equal(error(['--diagnostics-disable', '--diagnostics-disable']), "option '--diagnostics-disable' should be specified only once");
  assert.equal(error(['--core=a:1', '--cloud=b:1']), "Either '--core' or '--cloud' must be provided, but not both.");
  assert.equal(error(['--username=u']), "'--username' should only be supplied with '--cloud'");
  assert.equal(error(['--tls-enabled']), "'--tls-enabled' is only valid with '--cloud'");
});

test('top-level commands match on the exact token count', () => {
  assert.deepEqual(parseTopLevelCommand('  database   list '), { ok: true, command: { kind: 'database-list' } });
  assert.deepEqual(parseTopLevelCommand('database create x'), { ok: true, command: { kind: 'database-create', database: 'x' } });
  assert.deepEqual(parseTopLevelCommand('database delete x'), { ok: true, command: { kind: 'database-delete', database: 'x' } });
  assert.deepEqual(parseTopLevelCommand('database schema x'), { ok: true, command: { kind: 'database-schema', database: 'x' } });
  assert.deepEqual(parseTopLevelCommand('database replicas x'), { ok: true, command: { kind: 'cloud-only', command: 'database replicas' } });
  assert.deepEqual(parseTopLevelCommand('user list'), { ok: true, command: { kind: 'cloud-only', command: 'user list' } });
  for (const line of ['database', 'database list x', 'database create', 'exit now', 'transaction x schema', 'transaction x meta read', 'select']) {
    assert.deepEqual(parseTopLevelCommand(line), { ok: false }, line);
  }
  assert.deepEqual(parseTopLevelCommand('transaction db data write --infer true --batch-size 10 --session-idle-timeout=5000'), {
    ok: true,
    command: {
      kind: 'transaction',
      database: 'db',
      session: 'data',
      transaction: 'write',
      options: { infer: true, prefetchSize: 10, sessionIdleTimeoutMillis: 5000 },
    },
  });
  // Anything but `true` is false, as in TypeDB; Java's Boolean.parseBoolean ignores case.
  const options = (line: string) => (parseTopLevelCommand(line) as { command: { options: unknown } }).command.options;
  assert.deepEqual(options('transaction db data read --parallel yes'), { parallel: false });
  assert.deepEqual(options('transaction db data read --infer TRUE --explain True --prefetch tRuE'), { infer: true, explain: true, prefetch: true });
  // Integers below 1 fail as TypeDB's Java driver fails them, before anything is opened.
  for (const [option, value] of [['--batch-size', '0'], ['--transaction-timeout', '-5'], ['--session-idle-timeout', '0'], ['--schema-lock-acquire-timeout', '-1']]) {
    assert.deepEqual(parseTopLevelCommand(`transaction db data read ${option} ${value}`), {
      ok: false,
      error: `[JDR08] Driver Error: Value cannot be less than 1, was: '${value}'.`,
    });
  }
  assert.deepEqual(options('transaction db data read --batch-size +7'), { prefetchSize: 7 });
  assert.deepEqual(parseTopLevelCommand('transaction db data read --read-any-replica true'), {
    ok: false,
    error: "The option '--any-replica' is only available in TypeDB Cloud.",
  });
  assert.deepEqual(parseTopLevelCommand('transaction db data read --frobnicate true'), {
    ok: false,
    error:
      "Unrecognized Option 'frobnicate'. The transaction options are --infer true|false, --trace-inference true|false, " +
      '--explain true|false, --parallel true|false, --prefetch true|false, --batch-size <int>, --session-idle-timeout <int>, ' +
      '--transaction-timeout <int>, --schema-lock-acquire-timeout <int>.',
  });
  assert.deepEqual(parseTopLevelCommand('transaction db data read --batch-size many'), {
    ok: false,
    error: "The transaction option '--batch-size' expects an integer, received 'many'.",
  });
  assert.deepEqual(parseTopLevelCommand('transaction db data read --infer'), { ok: false, error: "The transaction option '--infer' requires a value." });
});

test('transaction commands: only the first word is checked; the rest is TypeQL', () => {
  assert.deepEqual(parseTransactionCommand('commit'), { ok: true, command: { kind: 'commit' } });
  assert.deepEqual(parseTransactionCommand(' rollback '), { ok: true, command: { kind: 'rollback' } });
  assert.deepEqual(parseTransactionCommand('source a.tql'), { ok: true, command: { kind: 'source', file: 'a.tql', printAnswers: false } });
  assert.deepEqual(parseTransactionCommand('source a.tql --print-answers'), { ok: true, command: { kind: 'source', file: 'a.tql', printAnswers: true } });
  assert.deepEqual(parseTransactionCommand('match $x isa thing; get;'), { ok: true, command: { kind: 'query', text: 'match $x isa thing; get;' } });
  assert.deepEqual(parseTransactionCommand('exit 1'), {
    ok: false,
    error: "[TXN02] Invalid Transaction command: 'exit' expects 0 space-separated arguments, received 1.",
  });
  assert.deepEqual(parseTransactionCommand('close a b'), {
    ok: false,
    error: "[TXN07] Invalid Transaction command: 'close' expects 0 space-separated arguments, received 2.",
  });
  assert.deepEqual(parseTransactionCommand('source'), {
    ok: false,
    error: "[TXN08] Invalid Transaction command: 'source' expects 1 mandatory arguments and up to 1 optional arguments, received 0 arguments.",
  });
  assert.deepEqual(parseTransactionCommand('source a.tql --quiet'), {
    ok: false,
    error: "[TXN01] Invalid Transaction command: 'source' does not have an optional argument '--quiet'.",
  });
});

test('help menus are TypeDB 2.29 console text, column widths included', () => {
  const top = TOP_LEVEL_HELP.split('\n');
  assert.equal(top[0], '');
  assert.equal(top[1], 'user list' + ' '.repeat(65 - 'user list'.length) + 'List the users on the server');
  assert.ok(top.includes('--prefetch true|false' + ' '.repeat(65 - 21) + 'Enable or disable RPC answer prefetch '));
  assert.equal(top.at(-2), 'exit' + ' '.repeat(61) + 'Exit console');
  assert.equal(top.at(-1), '');
  assert.equal(
    TRANSACTION_HELP,
    `
<query>                            Run TypeQL query
source <file> [--print-answers]    Run TypeQL queries in file.
commit                             Commit the transaction changes and close transaction
rollback                           Rollback the transaction to the beginning state
close                              Close the transaction without committing changes
help                               Print this help menu
clear                              Clear console screen
exit                               Exit console
`,
  );
});

test('numbers and date-times as Java writes them', () => {
  assert.equal(javaDouble(2), '2.0');
  assert.equal(javaDouble(2.5), '2.5');
  assert.equal(javaDouble(0.001), '0.001');
  assert.equal(javaDouble(0.0001), '1.0E-4');
  assert.equal(javaDouble(1e7), '1.0E7');
  assert.equal(javaDouble(1.234e10), '1.234E10');
  assert.equal(javaDouble(-0), '-0.0');
  assert.equal(javaDouble(NaN), 'NaN');
  assert.equal(javaJsonNumber(30), '30');
  assert.equal(javaJsonNumber(2.5), '2.5');
  assert.equal(typeqlDouble(10), '10.0');
  assert.equal(typeqlDouble(1 / 3), '0.333333333333');
  assert.equal(typeqlDouble(2.5), '2.5');
  assert.equal(javaLocalDateTime(new Date(Date.UTC(2023, 0, 1))), '2023-01-01T00:00');
  assert.equal(javaLocalDateTime(new Date(Date.UTC(2023, 0, 1, 10, 15, 30))), '2023-01-01T10:15:30');
  assert.equal(javaLocalDateTime(new Date(Date.UTC(2023, 0, 1, 10, 15, 30, 120))), '2023-01-01T10:15:30.120');
  assert.equal(javaLocalDateTime(new Date(Date.UTC(2023, 0, 1, 10, 15, 0, 5))), '2023-01-01T10:15:00.005');
});

test("value variables' doubles as TypeQL's DecimalFormat writes them: shortest digits, half-even, signed zero", () => {
  // DecimalFormat rounds the digits Double.toString shows (the shortest ones, as Java 19+ and JavaScript pick
  // them), not the binary expansion.
  assert.equal(typeqlDouble(4906940.703022582), '4906940.703022582');
  assert.equal(typeqlDouble(123456789.12345679), '123456789.12345679');
  assert.equal(typeqlDouble(2 ** 60), '1152921504606847000.0');
  assert.equal(typeqlDouble(2 ** 70), '1180591620717411300000.0');
  // A true tie (2^-13 = 0.0001220703125) rounds to the even digit; 3 * 2^-13 rounds up to it.
  assert.equal(typeqlDouble(2 ** -13), '0.000122070312');
  assert.equal(typeqlDouble(-(2 ** -13)), '-0.000122070312');
  assert.equal(typeqlDouble(3 * 2 ** -13), '0.000366210938');
  assert.equal(typeqlDouble(0.99999999999999), '1.0');
  // The sign of a zero result stays.
  assert.equal(typeqlDouble(-0), '-0.0');
  assert.equal(typeqlDouble(-1e-13), '-0.0');
  assert.equal(typeqlDouble(0), '0.0');
  assert.equal(typeqlDouble(-2.5), '-2.5');
  assert.equal(typeqlDouble(Infinity), '\u221e');
  assert.equal(typeqlDouble(NaN), 'NaN');
});

test('aggregate values: NaN when empty, Java text otherwise', () => {
  const value = (v: number, double: boolean) => ({ value: v, isDouble: () => double }) as unknown as Parameters<typeof aggregateText>[0];
  assert.equal(aggregateText(undefined), 'NaN');
  assert.equal(aggregateText(value(3, false)), '3');
  assert.equal(aggregateText(value(2, true)), '2.0');
  assert.equal(aggregateText(value(2.5, true)), '2.5');
});

test("fetch answers in the console's JSON layout (the 2.x docs' examples)", () => {
  const name = (value: string) => ({ value, type: { label: 'name', root: 'attribute', value_type: 'string' } });
  assert.equal(jsonText({ f: name('Bob') }), '{ "f": { "value": "Bob", "type": { "label": "name", "root": "attribute", "value_type": "string" } } }');
  assert.equal(
    jsonText({
      person: {
        type: { root: 'entity', label: 'person' },
        attribute: [
          { value: 'kevin.morrison@typedb.com', type: { label: 'email', root: 'attribute', value_type: 'string' } },
          { value: 'Kevin Morrison', type: { label: 'full-name', root: 'attribute', value_type: 'string' } },
        ],
      },
    }),
    `{
    "person": {
        "attribute": [
            { "value": "kevin.morrison@typedb.com", "type": { "label": "email", "root": "attribute", "value_type": "string" } },
            { "value": "Kevin Morrison", "type": { "label": "full-name", "root": "attribute", "value_type": "string" } }
        ],
        "type": { "label": "person", "root": "entity" }
    }
}`,
  );
  assert.equal(jsonText({}), '{  }');
  assert.equal(jsonText({ a: [] }), '{ "a": [  ] }');
  assert.equal(jsonText({ n: { value: 2.5, value_type: 'double' } }), '{ "n": { "value": 2.5, "value_type": "double" } }');
  assert.equal(jsonText({ x: null, b: true }), '{\n    "b": true,\n    "x": null\n}');
});

test("driver errors become the texts TypeDB's console prints", () => {
  const address = 'localhost:1729';
  assert.equal(errorText(new Error('[NDR7] Driver Error: Unable to connect to TypeDB server.'), address), MESSAGE_CONNECTION);
  assert.equal(errorText(new Error("[NDR10] Driver Error: The database 'x' does not exist."), address), "[CXN06] The database 'x' does not exist.");
  const allNodes =
    "[NDR17] Driver Error: Attempted connecting to all cloud nodes, but the following errors occurred: \n'- 127.0.0.1:1729: TypeDBDriverError: [DBS02] Invalid Database Operation: The database with the name 'x' already exists.\n'";
  assert.equal(errorText(new Error(allNodes), address), "[DBS02] Invalid Database Operation: The database with the name 'x' already exists.");
  const closed = "[NDR6] Driver Error: The transaction has been closed with error(s): \nError: 13 INTERNAL: [TYR03] Invalid Type Read: The type 'x' does not exist..";
  assert.equal(
    errorText(new Error(closed), address, 'transaction'),
    "[CXN05] The transaction is closed because of the error(s):\n[TYR03] Invalid Type Read: The type 'x' does not exist.",
  );
  assert.equal(errorText(new Error('[THW01] Invalid Thing Write: x'), address, 'transaction'), '[CXN05] The transaction is closed because of the error(s):\n[THW01] Invalid Thing Write: x');
  assert.equal(errorText(new ConsoleError('as is'), address, 'transaction'), 'as is');
  // A request over the server's message limit: grpc's own words, as the driver passes them on, say little.
  const tooLarge = '[NDR6] Driver Error: The transaction has been closed with error(s): \nError: 8 RESOURCE_EXHAUSTED: Received message larger than max (73337827 vs 67108864).';
  assert.equal(
    errorText(new Error(tooLarge), address, 'transaction'),
    '[CXN05] The transaction is closed because of the error(s):\nThe request takes 69.9 MiB, more than the 64.0 MiB the server takes in one message, so the server refused it. Split the query into smaller ones.',
  );
});
const MESSAGE_CONNECTION = "[CXN22] Connection failed. Please check the server is running and the address 'localhost:1729' is accessible.";

test('history: whole entries, newest first, persisted with newlines escaped; readline additions undone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-history-'));
  try {
    const path = join(dir, 'nested', 'history');
    const history = History.load(path);
    assert.equal(history.entries.length, 0);
    history.add('database list');
    history.add('match $x isa person,\n  has name "a\\b"; get;');
    history.add('database list');
    assert.deepEqual(history.entries, ['database list', 'match $x isa person,\n  has name "a\\b"; get;']);
    assert.equal(readFileSync(path, 'utf8'), 'match $x isa person,\\n  has name "a\\\\b"; get;\ndatabase list\n');
    // readline unshifts every line it reads into the shared array; restore() puts the chosen entries back.
    history.entries.unshift('  has name "a"; get;');
    history.restore();
    assert.deepEqual(history.entries, ['database list', 'match $x isa person,\n  has name "a\\b"; get;']);
    assert.deepEqual(History.load(path).entries, history.entries);
    writeFileSync(path, 'one\ntwo\n');
    assert.deepEqual(History.load(path).entries, ['two', 'one']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
