// Console commands as TypeDB 2.x scripts use them, against a real server process: transaction options as TypeDB's
// console reads them, comments where TypeQL expects a query, and what a piped REPL writes.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cliCommand, REPO_ROOT } from '../server/server-process.js';
import { consoleServer, normalise, runConsole, type ConsoleRun } from './console-process.js';

const served = consoleServer('strata-console-commands-');
const file = served.file;

const SCHEMA = `define
name sub attribute, value string;
nick sub attribute, value string;
person sub entity, owns name, owns nick;
rule everyone-has-a-nick: when { $p isa person, has name $n; } then { $p has nick "buddy"; };
`;

before(async () => {
  const schema = file('schema.tql', SCHEMA);
  const setup = await console_(
    'database create people',
    'transaction people schema write',
    `source ${schema}`,
    'commit',
    'transaction people data write',
    'insert $p isa person, has name "Ann";',
    'commit',
  );
  assert.equal(setup.code, 0, setup.stderr);
});

function console_(...commands: string[]): Promise<ConsoleRun> {
  return served.run(commands.map((c) => `--command=${c}`));
}

describe('console commands as TypeDB 2.x scripts use them', { concurrency: 2 }, () => {
  test("transaction options: booleans in any case, as Java's Boolean.parseBoolean reads them", async () => {
    const nicks = 'match $p has nick $k; get $k; count;';
    for (const [infer, count] of [['TRUE', '1'], ['True', '1'], ['false', '0'], ['yes', '0']] as const) {
      const open = `transaction people data read --infer ${infer}`;
      const run = await console_(open, nicks);
      assert.equal(run.stderr, '');
      assert.equal(run.stdout, `+ ${open}\n++ ${nicks}\n${count}\n`, `--infer ${infer}`);
      assert.equal(run.code, 0);
    }
  });

  test("a transaction option's integer below 1 fails as TypeDB's Java driver fails it, before anything opens", async () => {
    const open = 'transaction people data read --batch-size 0';
    const run = await console_(open, 'match $p isa person; get; count;');
    assert.equal(run.stdout, `+ ${open}\n`);
    assert.equal(run.stderr, "[JDR08] Driver Error: Value cannot be less than 1, was: '0'.\n");
    assert.equal(run.code, 1);
  });

  test('a # line inside a transaction is TypeQL: with no query in it, a syntax error (a blank source file: empty)', async () => {
    const comment = await console_('transaction people data read', '# a note', 'close');
    assert.equal(comment.stdout, '+ transaction people data read\n++ # a note\n');
    assert.equal(
      comment.stderr,
      '[TQL03] TypeQL Error: There is a syntax error at line 1:\n# a note\n        ^\nunexpected end of input, expected a query (define, undefine, insert or match)\n',
    );
    assert.equal(comment.code, 1);

    const onlyComments = file('comments.tql', '# nothing to run yet\n\n');
    const sourced = await console_('transaction people data read', `source ${onlyComments}`);
    assert.match(sourced.stderr, /^\[TQL03\] TypeQL Error: There is a syntax error at line 1:\n# nothing to run yet\n {20}\^\n/);
    assert.equal(sourced.code, 1);

    const blank = file('blank.tql', '\n  \n');
    const empty = await console_('transaction people data read', `source ${blank}`);
    assert.equal(empty.stderr, 'Query String is empty or blank\n');
    assert.equal(empty.code, 1);
  });

  test('a reader that stops early (| head) does not stop the run: later commands still commit, exit 0, no stack', async () => {
    const people = Array.from({ length: 8 }, (_, i) => `$p${i} isa person, has name "crowd-${i}";`).join(' ');
    const setup = await console_('database create crowd', 'transaction crowd schema write', `source ${file('crowd.tql', SCHEMA)}`, 'commit');
    assert.equal(setup.code, 0, setup.stderr);
    const load = await console_('transaction crowd data write', `insert ${people}`, 'commit');
    assert.equal(load.code, 0, load.stderr);

    // 8^4 answers: far more than a pipe holds, so the console is still writing when the reader goes away.
    const { command, args } = cliCommand();
    const child = spawn(
      command,
      [
        ...args,
        'console',
        `--core=${served.address}`,
        '--command=transaction crowd data read',
        '--command=match $a isa person; $b isa person; $c isa person; $d isa person; get;',
        '--command=close',
        '--command=transaction crowd data write',
        '--command=insert $p isa person, has name "after the reader left";',
        '--command=commit',
      ],
      { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
    assert.equal(stderr, '');
    assert.equal(code, 0);

    const check = await console_('transaction crowd data read', 'match $p isa person, has name "after the reader left"; get; count;');
    assert.equal(check.stdout.split('\n')[2], '1', check.stdout + check.stderr);
  });

  test("a piped REPL: TypeDB's banner line count; clear writes no screen control into the output", async () => {
    const run = await runConsole([`--core=${served.address}`], { input: 'clear\ntransaction people data read\nclear\nclose\n' });
    assert.equal(run.stderr, '');
    assert.equal(run.code, 0);
    assert.ok(!normalise(run.stdout).includes('\x1b'), JSON.stringify(run.stdout));
    // The banner has as many lines as TypeDB's (empty, two lines, empty), for scripts that cut it by line count.
    assert.deepEqual(run.stdout.split('\n').slice(0, 5), ['', 'Welcome to Strata Console, a TypeDB 2.x console.', 'Type "help" for the commands.', '', '> > people::data::read> people::data::read> Transaction closed']);
    assert.ok(run.stdout.endsWith('> people::data::read> people::data::read> Transaction closed\n> '), JSON.stringify(run.stdout));
  });
});
