// `strata console --command …` and `--script …` against a real server process: the scripts TypeDB 2.x users run,
// compared in full (stdout, stderr, exit code) with the text TypeDB 2.29's console prints.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, freePort } from '../server/server-process.js';
import { consoleServer, normalise, runConsole, type ConsoleRun } from './console-process.js';

const served = consoleServer('strata-console-test-');
const dir = served.dir;
const file = served.file;
const console_ = (...args: string[]): Promise<ConsoleRun> => served.run(args);

function commands(...lines: string[]): string[] {
  return lines.map((l) => `--command=${l}`);
}

function assertRun(run: ConsoleRun, expected: { code: number; stdout: string; stderr?: string }): void {
  assert.equal(normalise(run.stdout), expected.stdout, `stdout; stderr was:\n${run.stderr}`);
  assert.equal(run.stderr, expected.stderr ?? '', 'stderr');
  assert.equal(run.code, expected.code, 'exit code');
}

const SCHEMA = `define
name sub attribute, value string;
age sub attribute, value long;
person sub entity, owns name, owns age, plays friendship:friend;
friendship sub relation, relates friend;
`;

const fixtures = new Map<string, Promise<void>>();

/** A database with the schema above, created through the console itself; `social` also holds Alice. */
function database(name: 'social' | 'load'): Promise<void> {
  let ready = fixtures.get(name);
  if (!ready) {
    const people = name === 'social' ? ['transaction social data write', 'insert $a isa person, has name "Alice", has age 30;', 'commit'] : [];
    ready = (async () => {
      const run = await console_(...commands(`database create ${name}`, `transaction ${name} schema write`, `source ${file(`${name}-schema.tql`, SCHEMA)}`, 'commit', ...people));
      assert.equal(run.code, 0, run.stderr);
    })();
    fixtures.set(name, ready);
  }
  return ready;
}

// Independent of each other (each reads committed data only, or its own database): run a few at a time.
describe('strata console --command / --script', { concurrency: 3 }, () => {
  test('the schema script from the issue: create, schema write, source, commit', async () => {
    const schema = file('issue-schema.tql', SCHEMA);
    const run = await console_(...commands('database create issue', 'transaction issue schema write', `source ${schema}`, 'commit'));
    assertRun(run, {
      code: 0,
      stdout: `+ database create issue
Database 'issue' created
+ transaction issue schema write
++ source ${schema}
Concepts have been defined
++ commit
Transaction changes committed
`,
    });

    // `database schema` prints the server's schema text after its echo line (why TypeDB's documented export
    // procedure deletes the first line of the redirected output).
    assertRun(await console_(...commands('database schema issue')), {
      code: 0,
      stdout: `+ database schema issue
define
age sub attribute,
    value long;
name sub attribute,
    value string;
friendship sub relation,
    relates friend;
person sub entity,
    owns age,
    owns name,
    plays friendship:friend;
`,
    });
  });

  test('a --script file: comments, blank lines, inserts, source, commit, and every kind of answer', async () => {
    await database('load');
    const data = file('people.tql', 'insert $d isa person, has name "Dan", has age 50;\n\ninsert $e isa person, has name "Eve", has age 20;\n');
    const script = file(
      'load-data.tqls',
      `# people and a friendship
transaction load data write
insert $a isa person, has name "Alice", has age 30;

insert $b isa person, has name "Bob"; $c isa person, has name "Cara"; $f (friend: $b, friend: $c) isa friendship;
source ${data}
commit
transaction load data read
match $p isa person, has name $n; get $n; sort $n;
match $p isa person; get; count;
match $p isa person, has age $a; get $a; mean $a;
match $p isa person, has name "Nobody", has age $a; get $a; max $a;
match $f (friend: $x) isa friendship; get $f;
match $p isa person, has name $n; fetch $p: name, age; sort $n; limit 2;
match $p isa person, has age $a; get $p, $a; group $a; count;
match $p isa person, has name "Dan"; get; group $p;
match $p isa person, has name $n, has age $a; ?l = $a * 1.5; get $n, ?l; sort $n; limit 1;
match $t sub person; get;
close
`,
    );
    const run = await console_(`--script=${script}`);
    assertRun(run, {
      code: 0,
      stdout: `+ # people and a friendship
+ transaction load data write
++ insert $a isa person, has name "Alice", has age 30;
{
    $_0 Alice isa name;
    $_1 30 isa age;
    $a iid <iid1> isa person;
}

answers: 1, total duration: X ms

++ insert $b isa person, has name "Bob"; $c isa person, has name "Cara"; $f (friend: $b, friend: $c) isa friendship;
{
    $_0 Bob isa name;
    $_1 Cara isa name;
    $b iid <iid2> isa person;
    $c iid <iid3> isa person;
    $f iid <iid4> (friend: iid <iid2>, friend: iid <iid3>) isa friendship;
}

answers: 1, total duration: X ms

++ source ${data}
++ commit
Transaction changes committed
+ transaction load data read
++ match $p isa person, has name $n; get $n; sort $n;
{ $n Alice isa name; }
{ $n Bob isa name; }
{ $n Cara isa name; }
{ $n Dan isa name; }
{ $n Eve isa name; }

answers: 5, total duration: X ms

++ match $p isa person; get; count;
5
++ match $p isa person, has age $a; get $a; mean $a;
33.333333333333336
++ match $p isa person, has name "Nobody", has age $a; get $a; max $a;
NaN
++ match $f (friend: $x) isa friendship; get $f;
{ $f iid <iid4> (friend: iid <iid2>, friend: iid <iid3>) isa friendship; }

answers: 1, total duration: X ms

++ match $p isa person, has name $n; fetch $p: name, age; sort $n; limit 2;
{
    "p": {
        "age": [ { "value": 30, "type": { "label": "age", "root": "attribute", "value_type": "long" } } ],
        "name": [ { "value": "Alice", "type": { "label": "name", "root": "attribute", "value_type": "string" } } ],
        "type": { "label": "person", "root": "entity" }
    }
}
{
    "p": {
        "age": [  ],
        "name": [ { "value": "Bob", "type": { "label": "name", "root": "attribute", "value_type": "string" } } ],
        "type": { "label": "person", "root": "entity" }
    }
}

answers: 2, total duration: X ms

++ match $p isa person, has age $a; get $p, $a; group $a; count;
20 isa age => 1
30 isa age => 1
50 isa age => 1

answers: 3, total duration: X ms

++ match $p isa person, has name "Dan"; get; group $p;
iid <iid5> isa person => {
    { $p iid <iid5> isa person; }
}

answers: 1, total duration: X ms

++ match $p isa person, has name $n, has age $a; ?l = $a * 1.5; get $n, ?l; sort $n; limit 1;
{
    $n Alice isa name;
    ?l = 45.0;
}

answers: 1, total duration: X ms

++ match $t sub person; get;
{ $t type person sub entity; }

answers: 1, total duration: X ms

++ close
Transaction closed
`,
    });
  });

  test('a schema file with a parse error: nothing runs, the error shows the line and a caret as TypeQL does, exit 1', async () => {
    // The first query is fine and would print "Concepts have been defined" if anything ran.
    const schema = file('broken.tql', 'define\nname sub attribute, value string;\n\ndefine\nperson sub entity owns name;\n');
    const run = await console_(...commands('database create broken', 'transaction broken schema write', `source ${schema}`, 'commit'));
    assertRun(run, {
      code: 1,
      stdout: `+ database create broken
Database 'broken' created
+ transaction broken schema write
++ source ${schema}
`,
      stderr: `[TQL03] TypeQL Error: There is a syntax error at line 5:
person sub entity owns name;
                  ^
unexpected 'owns', expected ';'
`,
    });
    // Nothing was defined, and nothing was committed.
    assertRun(await console_(...commands('database schema broken')), { code: 0, stdout: '+ database schema broken\n\n' });
  });

  test('a query with a parse error inside a script fails before anything is sent', async () => {
    await database('social');
    const run = await console_(...commands('transaction social data write', 'insert $x isa person, has name "Zoe";\nmatch $x isa person get;', 'commit'));
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '+ transaction social data write\n++ insert $x isa person, has name "Zoe";\nmatch $x isa person get;\n');
    assert.match(run.stderr, /^\[TQL03\] TypeQL Error: There is a syntax error at line 2:\nmatch \$x isa person get;\n {20}\^\n[^\n]+\n$/);
  });

  test('an unknown database: a clear message and exit 1, for a transaction, delete and schema', async () => {
    assertRun(await console_(...commands('transaction nowhere data read', 'match $x isa thing; get;')), {
      code: 1,
      stdout: '+ transaction nowhere data read\n',
      stderr: "[CXN06] The database 'nowhere' does not exist.\n",
    });
    assertRun(await console_(...commands('database delete nowhere')), {
      code: 1,
      stdout: '+ database delete nowhere\n',
      stderr: "[CXN06] The database 'nowhere' does not exist.\n",
    });
    assertRun(await console_(...commands('database schema nowhere')), {
      code: 1,
      stdout: '+ database schema nowhere\n',
      stderr: "[CXN06] The database 'nowhere' does not exist.\n",
    });
  });

  test('a server that is not running: a message naming the address, exit 1, in every mode', async () => {
    const nowhere = `127.0.0.1:${await freePort()}`;
    const expected = `[CXN22] Connection failed. Please check the server is running and the address '${nowhere}' is accessible.\n`;
    assertRun(await runConsole([`--core=${nowhere}`, '--command=database list']), { code: 1, stdout: '', stderr: expected });
    assertRun(await runConsole([`--server=${nowhere}`, `--script=${file('list.tqls', 'database list\n')}`]), { code: 1, stdout: '', stderr: expected });
    // Interactive: the welcome comes first, as in TypeDB.
    const repl = await runConsole([`--core=${nowhere}`]);
    assert.equal(repl.code, 1);
    assert.match(repl.stdout, /^\nWelcome to Strata Console/);
    assert.equal(repl.stderr, expected);
    // An address without a port never reaches the network.
    assertRun(await runConsole(['--core=localhost', '--command=database list']), {
      code: 1,
      stdout: '',
      stderr: "[CXN23] Invalid URL 'localhost': missing port.\n",
    });
    // Nor does one written as a URL (it failed as '[CXN22] Connection failed', sending the user to check the server).
    assertRun(await runConsole(['--core=http://localhost:1729', '--command=database list']), {
      code: 1,
      stdout: '',
      stderr: "[CXN23] Invalid URL 'http://localhost:1729': give the address as <host>:<port>, without 'http://'.\n",
    });
    // Nor does one whose port is out of range (Node's RangeError text was printed).
    for (const address of ['localhost:99999', 'localhost:0']) {
      assertRun(await runConsole([`--core=${address}`, '--command=database list']), {
        code: 1,
        stdout: '',
        stderr: `[CXN23] Invalid URL '${address}': the port must be a number from 1 to 65535.\n`,
      });
    }
  });

  test('the first failure stops the run and rolls the transaction back; earlier commits stay', async () => {
    await database('social');
    const run = await console_(
      ...commands(
        'database create failing',
        'database create failing',
        'database list',
      ),
    );
    assertRun(run, {
      code: 1,
      stdout: "+ database create failing\nDatabase 'failing' created\n+ database create failing\n",
      stderr: "[DBS04] Invalid Database Operation: The database with the name 'failing' already exists.\n",
    });

    const failing = await console_(
      ...commands(
        'transaction social data write',
        'insert $x isa person, has name "Ghost";',
        'match $x isa nosuchtype; get;',
        'insert $y isa person, has name "Never";',
        'commit',
      ),
    );
    assertRun(failing, {
      code: 1,
      stdout: `+ transaction social data write
++ insert $x isa person, has name "Ghost";
{
    $_0 Ghost isa name;
    $x iid <iid1> isa person;
}

answers: 1, total duration: X ms

++ match $x isa nosuchtype; get;
`,
      stderr: `[CXN05] The transaction is closed because of the error(s):
[TYR03] Invalid Type Read: The type 'nosuchtype' does not exist.
`,
    });
    const check = await console_(...commands('transaction social data read', 'match $x isa person, has name "Ghost"; get; count;'));
    assertRun(check, { code: 0, stdout: '+ transaction social data read\n++ match $x isa person, has name "Ghost"; get; count;\n0\n' });
  });

  test('a script that ends inside a transaction rolls it back silently and exits 0', async () => {
    await database('social');
    assertRun(await console_(...commands('transaction social data write', 'insert $x isa person, has name "Unsaved";')), {
      code: 0,
      stdout: `+ transaction social data write
++ insert $x isa person, has name "Unsaved";
{
    $_0 Unsaved isa name;
    $x iid <iid1> isa person;
}

answers: 1, total duration: X ms

`,
    });
    const check = await console_(...commands('transaction social data read', 'match $x isa person, has name "Unsaved"; get; count;'));
    assertRun(check, { code: 0, stdout: '+ transaction social data read\n++ match $x isa person, has name "Unsaved"; get; count;\n0\n' });
  });

  test('delete, rollback and close inside a script', async () => {
    await database('social');
    const run = await console_(
      ...commands(
        'transaction social data write',
        'insert $x isa person, has name "Temp1"; $y isa person, has name "Temp2";',
        'match $x isa person, has name "Nobody"; delete $x isa person;',
        'match $x isa person, has name $n; $n like "Temp.*"; delete $x isa person;',
        'rollback',
        'match $x isa person, has name "Temp1"; get; count;',
        'close',
        'transaction social data read',
        'close',
      ),
    );
    assertRun(run, {
      code: 0,
      stdout: `+ transaction social data write
++ insert $x isa person, has name "Temp1"; $y isa person, has name "Temp2";
{
    $_0 Temp1 isa name;
    $_1 Temp2 isa name;
    $x iid <iid1> isa person;
    $y iid <iid2> isa person;
}

answers: 1, total duration: X ms

++ match $x isa person, has name "Nobody"; delete $x isa person;
No concepts were matched
++ match $x isa person, has name $n; $n like "Temp.*"; delete $x isa person;
Deleted from 2 matched answer(s)
++ rollback
Transaction changes have rolled back, i.e. erased, and not committed.
++ match $x isa person, has name "Temp1"; get; count;
0
++ close
Transaction closed without committing changes
+ transaction social data read
++ close
Transaction closed
`,
    });
  });

  test('source --print-answers prints every answer; a missing file fails', async () => {
    await database('social');
    const queries = file('queries.tql', 'match $p isa person, has name "Alice"; get $p; count;\nmatch $p isa person, has name "Alice"; get $p;\n');
    const run = await console_(...commands('transaction social data read', `source ${queries} --print-answers`, `source ${join(dir, 'missing.tql')}`));
    assertRun(run, {
      code: 1,
      stdout: `+ transaction social data read
++ source ${queries} --print-answers
1
{ $p iid <iid1> isa person; }

answers: 1, total duration: X ms

++ source ${join(dir, 'missing.tql')}
`,
      stderr: `Failed to open file '${join(dir, 'missing.tql')}': it does not exist.\n`,
    });
  });

  test('help, clear and exit are unavailable in scripts but do not stop them; unknown commands do', async () => {
    await database('social');
    assertRun(await console_(...commands('help', 'clear', 'transaction social data read', 'help', 'exit', 'close', 'exit')), {
      code: 0,
      stdout: '+ help\n+ clear\n+ transaction social data read\n++ help\n++ exit\n++ close\nTransaction closed\n+ exit\n',
      stderr: 'Command is not available while running console script.\n'.repeat(5),
    });
    assertRun(await console_(...commands('database', 'database list')), {
      code: 1,
      stdout: '+ database\n',
      stderr: 'Unrecognised command, exit console script.\n',
    });
    assertRun(await console_(...commands('transaction social data read', 'commit now')), {
      code: 1,
      stdout: '+ transaction social data read\n++ commit now\n',
      stderr: "[TXN05] Invalid Transaction command: 'commit' expects 0 space-separated arguments, received 1.\n",
    });
    assertRun(await console_(...commands('transaction social data read --read-any-replica true')), {
      code: 1,
      stdout: '+ transaction social data read --read-any-replica true\n',
      stderr: "The option '--any-replica' is only available in TypeDB Cloud.\n",
    });
    assertRun(await console_(`--script=${join(dir, 'no-such-script.tqls')}`), {
      code: 1,
      stdout: '',
      stderr: `Failed to open file '${join(dir, 'no-such-script.tqls')}': it does not exist.\n`,
    });
    assertRun(await console_(`--script=${dir}`), { code: 1, stdout: '', stderr: `Failed to open file '${dir}': it is a directory; give the path of a file.\n` });
    assertRun(await console_('--script=no-such-script.tqls'), {
      code: 1,
      stdout: '',
      stderr: `Failed to open file 'no-such-script.tqls': it does not exist (relative paths start at '${REPO_ROOT}').\n`,
    });
  });

  test('transaction options are accepted: --infer true, --transaction-timeout 10000, --session-idle-timeout 20000', async () => {
    await database('social');
    const open = 'transaction social data read --infer true --transaction-timeout 10000 --session-idle-timeout 20000';
    assertRun(await console_(...commands(open, 'match $p isa person, has name "Alice"; get; count;')), {
      code: 0,
      stdout: `+ ${open}\n++ match $p isa person, has name "Alice"; get; count;\n1\n`,
    });
  });

  test("double attributes print as Java's Double.toString, in get answers and groups", async () => {
    const run = await console_(
      ...commands(
        'database create doubles',
        'transaction doubles schema write',
        'define score sub attribute, value double; player sub entity, owns score;',
        'commit',
        'transaction doubles data write',
        'insert $p isa player, has score 3.0, has score 12345678901.0, has score 0.0001;',
        'commit',
        'transaction doubles data read',
        'match $s isa score; get; sort $s;',
        'match $p isa player, has score $s; get; group $s; count;',
      ),
    );
    assert.equal(run.code, 0, run.stderr);
    const answers = normalise(run.stdout).split('\n');
    for (const line of ['{ $s 1.0E-4 isa score; }', '{ $s 3.0 isa score; }', '{ $s 1.2345678901E10 isa score; }', '3.0 isa score => 1']) {
      assert.ok(answers.includes(line), `'${line}' in:\n${run.stdout}`);
    }
  });

  test('longs beyond 2^53 print exactly, as attributes, fetched values, value variables and aggregates', async () => {
    const run = await console_(
      ...commands(
        'database create longs',
        'transaction longs schema write',
        'define serial sub attribute, value long; item sub entity, owns serial;',
        'commit',
        'transaction longs data write',
        'insert $a isa item, has serial 9007199254740993; $b isa item, has serial 9223372036854775807;',
        'commit',
        'transaction longs data read',
        'match $s isa serial; get; sort $s;',
        'match $s isa serial; fetch $s; sort $s;',
        'match $i isa item, has serial $s; ?v = $s; get ?v; sort ?v;',
        'match $s isa serial; get; max $s;',
      ),
    );
    assert.equal(run.code, 0, run.stderr);
    const answers = normalise(run.stdout).split('\n');
    for (const line of [
      '{ $s 9007199254740993 isa serial; }',
      '{ $s 9223372036854775807 isa serial; }',
      '{ "s": { "value": 9007199254740993, "type": { "label": "serial", "root": "attribute", "value_type": "long" } } }',
      '{ "s": { "value": 9223372036854775807, "type": { "label": "serial", "root": "attribute", "value_type": "long" } } }',
      '{ ?v = 9007199254740993; }',
      '9223372036854775807',
    ]) {
      assert.ok(answers.includes(line), `'${line}' in:\n${run.stdout}`);
    }
  });

  test('piped stdin runs the interactive console: prompts printed, input ends the session', async () => {
    await database('social');
    const run = await runConsole([`--core=${served.address}`], {
      input: 'database list\ntransaction social data read\nmatch $p isa person,\n  has name "Alice"; get $p; count;\n\nclose\nexit\n',
    });
    assert.equal(run.stderr, '');
    assert.equal(run.code, 0);
    const text = normalise(run.stdout);
    assert.match(text, /^\nWelcome to Strata Console, a TypeDB 2\.x console\.\nType "help" for the commands\.\n\n> /);
    assert.match(text, /\n> (?:[a-z]+\n)*social\n/);
    assert.ok(text.includes('> social::data::read> ' + ' '.repeat('social::data::read> '.length).repeat(2) + '1\n'), text);
    assert.ok(text.endsWith('social::data::read> Transaction closed\n> '), text);
  });

  test('flags: --help, --version, historical spellings, unknown options', async () => {
    const help = await runConsole(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: strata console \[-hV\] \[--core=<address>\] \[--script=<script>\] \[--command=<commands>\]\.\.\./);
    const version = await runConsole(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^Strata \S+ \(TypeDB 2\.\d+\.\d+ compatible\)\n$/);
    const unknown = await runConsole(['--bogus']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^Unknown option: '--bogus'\nUsage: strata console/);

    await database('social');
    // 2.0–2.25's `--server`, and `--flag value` with a space (the other spellings: console-units.test.ts).
    const run = await runConsole(['--server', served.address, '--command', 'database list']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^\+ database list\n(?:.*\n)*social\n/);
  });
});
