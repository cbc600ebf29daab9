// The interactive console through a pseudo-terminal, against a real server process: a multi-line query, commit,
// rollback, `source`, history recall (also across runs), Ctrl-C, Ctrl-D and exit. Skipped where the machine has no
// pseudo-terminal tool (see pty.ts); nothing here needs more than `npm ci` installs otherwise.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliCommand, REPO_ROOT, startServerProcess, type CliProcess } from '../server/server-process.js';
import { runConsole } from './console-process.js';
import { PtySession, ptyTool } from './pty.js';

const tool = ptyTool();
const skip = tool.kind === 'none' ? tool.reason : false;

const dir = mkdtempSync(join(tmpdir(), 'strata-console-repl-'));
const historyFile = join(dir, 'history');
let server: CliProcess | undefined;
let address = '';
const sessions: PtySession[] = [];

before(async () => {
  if (skip) return;
  const started = await startServerProcess(join(dir, 'data'));
  server = started.server;
  address = started.address;
});

after(async () => {
  for (const session of sessions) session.kill();
  server?.kill('SIGKILL');
  if (server) await server.exited;
  rmSync(dir, { recursive: true, force: true });
});

function openConsole(): PtySession {
  if (tool.kind === 'none') throw new Error(tool.reason);
  const { command, args } = cliCommand();
  const session = new PtySession(tool, command, [...args, 'console', `--core=${address}`], { NO_COLOR: '1', STRATA_CONSOLE_HISTORY: historyFile }, REPO_ROOT);
  sessions.push(session);
  return session;
}

const SCHEMA = 'define\nname sub attribute, value string;\nperson sub entity, owns name;\n';
const UP = '\x1b[A';
const CTRL_C = '\x03';
const CTRL_D = '\x04';

test('an interactive session: source, commit, multi-line query, rollback, history recall, Ctrl-C, Ctrl-D, exit', { skip }, async () => {
  const schema = join(dir, 'schema.tql');
  writeFileSync(schema, SCHEMA);
  const repl = openConsole();
  await repl.expect(/Welcome to Strata Console[^\n]*\n[^\n]*\n\n> $/);

  repl.send('database create people\r');
  await repl.expect(/Database 'people' created\n> $/);

  // source, then the prompt shows uncommitted changes; commit returns to the top level.
  repl.send('transaction people schema write\r');
  await repl.expect(/\npeople::schema::write> $/);
  repl.send(`source ${schema}\r`);
  await repl.expect(/Concepts have been defined\npeople::schema::write\*> $/);
  repl.send('commit\r');
  await repl.expect(/Transaction changes committed\n> $/);

  // A query over several lines runs at the blank line; continuation prompts are spaces.
  const prompt = 'people::data::write> ';
  const continuation = ' '.repeat(prompt.length);
  // Once there are changes the prompt has a `*`, and the continuation one space more.
  const continuationStar = ' '.repeat(prompt.length + 1);
  repl.send('transaction people data write\r');
  await repl.expect(/\npeople::data::write> $/);
  repl.send('insert $a isa person,\r');
  await repl.expect(new RegExp(`\n${continuation}$`));
  repl.send('    has name "Ann";\r');
  await repl.expect(new RegExp(`\n${continuation}$`));
  repl.send('\r');
  const inserted = await repl.expect(/\npeople::data::write\*> $/);
  assert.match(inserted, /\{\n {4}\$_0 Ann isa name;\n {4}\$a iid 0x[0-9a-f]+ isa person;\n\}\n\nanswers: 1, total duration: \d+ ms\n\n/);

  // rollback keeps the transaction (and, as in TypeDB, the `*`); the insert is gone.
  repl.send('rollback\r');
  await repl.expect(/Transaction changes have rolled back, i\.e\. erased, and not committed\.\npeople::data::write\*> $/);
  repl.send('match $p isa person; get; count;\r');
  await repl.expect(new RegExp(`\n${continuationStar}$`));
  repl.send('\r');
  await repl.expect(/\n0\npeople::data::write\*> $/);

  // History recall: three entries back is the whole multi-line insert; Enter, then a blank line, runs it.
  repl.send(UP + UP + UP);
  await repl.expect(/insert \$a isa person,\n {4}has name "Ann";$/);
  repl.send('\r');
  await repl.expect(new RegExp(`\n${continuationStar}$`));
  repl.send('\r');
  await repl.expect(/\n\{\n {4}\$_0 Ann isa name;\n {4}\$a iid 0x[0-9a-f]+ isa person;\n\}\n\nanswers: 1, total duration: \d+ ms\n\npeople::data::write\*> $/);

  // Ctrl-C drops a half-typed line, and a half-typed multi-line query; nothing runs.
  repl.send('match $p isa');
  await repl.expect(/match \$p isa$/);
  repl.send(CTRL_C);
  await repl.expect(/\^C\npeople::data::write\*> $/);
  repl.send('insert $b isa person,\r');
  await repl.expect(new RegExp(`\n${continuationStar}$`));
  repl.send('    has name "Bob";' + CTRL_C);
  await repl.expect(/\^C\npeople::data::write\*> $/);

  repl.send('commit\r');
  await repl.expect(/Transaction changes committed\n> $/);

  // Only the recalled insert was committed. Ctrl-D on an empty line leaves the transaction.
  repl.send('transaction people data read\r');
  await repl.expect(/\npeople::data::read> $/);
  repl.send('match $p isa person, has name $n; get $n;\r');
  await repl.expect(new RegExp(`\n${' '.repeat('people::data::read> '.length)}$`));
  repl.send('\r');
  await repl.expect(/\{ \$n Ann isa name; \}\n\nanswers: 1, total duration: \d+ ms\n\npeople::data::read> $/);
  repl.send(CTRL_D);
  await repl.expect(/\n> $/);

  // Ctrl-C on an empty line inside a transaction leaves it too; an unknown command only prints an error.
  repl.send('transaction people data read\r');
  await repl.expect(/\npeople::data::read> $/);
  repl.send(CTRL_C);
  await repl.expect(/\^C\n> $/);
  repl.send('database frobnicate\r');
  await repl.expect(/Unrecognised command, please check help menu\n> $/);

  repl.send('exit\r');
  assert.equal(await repl.exited, 0);

  // The history file holds whole commands, the multi-line query as one entry.
  const history = readFileSync(historyFile, 'utf8').split('\n');
  assert.ok(history.includes('insert $a isa person,\\n    has name "Ann";'), history.join('\n'));
  assert.ok(!history.includes('    has name "Ann";'));
  assert.equal(history.at(-2), 'exit');
});

test('history survives a restart; Ctrl-C on an empty top-level line exits 0', { skip }, async () => {
  const repl = openConsole();
  await repl.expect(/Welcome to Strata Console[^\n]*\n[^\n]*\n\n> $/);
  repl.send(UP);
  await repl.expect(/> exit$/);
  // Drop the recalled line, then leave with Ctrl-C on the empty line.
  repl.send(CTRL_C);
  await repl.expect(/\^C\n> $/);
  repl.send(CTRL_C);
  assert.equal(await repl.exited, 0);
});

test('Ctrl-C while answers print cancels the query; the transaction stays usable', { skip }, async () => {
  // Enough relations that printing them (role players are fetched per answer) takes seconds.
  const schema = join(dir, 'friends-schema.tql');
  writeFileSync(schema, 'define\nperson sub entity, plays friendship:friend;\nfriendship sub relation, relates friend;\n');
  const data = join(dir, 'friends.tql');
  writeFileSync(data, Array.from({ length: 300 }, () => 'insert $a isa person; $b isa person; (friend: $a, friend: $b) isa friendship;\n').join(''));
  const load = await runConsole([
    `--core=${address}`,
    ...['database create friends', 'transaction friends schema write', `source ${schema}`, 'commit', 'transaction friends data write', `source ${data}`, 'commit'].map(
      (c) => `--command=${c}`,
    ),
  ]);
  assert.equal(load.code, 0, load.stderr);

  const repl = openConsole();
  await repl.expect(/\n> $/);
  repl.send('transaction friends data read\r');
  await repl.expect(/\nfriends::data::read> $/);
  repl.send('match $r isa friendship; get;\r');
  await repl.expect(new RegExp(`\n${' '.repeat('friends::data::read> '.length)}$`));
  repl.send('\r');
  await repl.expect(/\{ \$r iid 0x[0-9a-f]+ \(friend: iid 0x[0-9a-f]+, friend: iid 0x[0-9a-f]+\) isa friendship; \}\n/);
  repl.send(CTRL_C);
  const cancelled = await repl.expect(
    /\n\nanswers: (\d+), total duration: \d+ ms\nThe query has been cancelled\. It may take some time for the cancellation to finish on the server side\.\n\nfriends::data::read> $/,
  );
  const printed = Number(/answers: (\d+),/.exec(cancelled)![1]);
  assert.ok(printed >= 1 && printed < 300, `printed ${printed} of 300 answers`);

  repl.send('match $p isa person; get; count;\r');
  await repl.expect(new RegExp(`\n${' '.repeat('friends::data::read> '.length)}$`));
  repl.send('\r');
  await repl.expect(/\n600\nfriends::data::read> $/);
  repl.send('exit\r');
  assert.equal(await repl.exited, 0);
});
