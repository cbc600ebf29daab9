// TypeDB's documented "Migration and Backup" seed procedure, run as written with real processes: the console
// creates the database and sources the schema, `server export --file --port` on one server, `server import
// --file --port` into a second server whose database the console prepared the same way; plus the 2.19+
// `--schema/--data` form, the online backup restored by copying it into a stopped server's data directory, and a
// stopped server's database directory copied to another server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startServerProcess, type CliProcess } from '../server/server-process.js';
import { runConsole } from '../console/console-process.js';

const SCHEMA = `define
name sub attribute, value string;
person sub entity, owns name @key, plays friendship:friend;
friendship sub relation, relates friend;
`;

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const p: CliProcess = runCli(args);
  const code = await p.exited;
  return { code, out: p.stdout.join('\n') + p.stderr.join('\n') };
}

async function names(address: string, database: string): Promise<string> {
  const run = await runConsole([`--server=${address}`, `--command=transaction ${database} data read`, '--command=match $p isa person, has name $n; get $n; sort $n;']);
  assert.equal(run.code, 0, run.stderr);
  return [...run.stdout.matchAll(/\$n (\w+) isa name/g)].map((m) => m[1]).join(',');
}

test('the seed procedure, the 2.19+ form and an online backup, with real processes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-seed-'));
  const schemaFile = join(dir, 'schema.tql');
  writeFileSync(schemaFile, SCHEMA);
  const one = await startServerProcess(join(dir, 'data1'));
  const two = await startServerProcess(join(dir, 'data2'));
  try {
    const port = (address: string) => address.split(':')[1]!;
    // Server one: the console creates the database, sources the schema, inserts data.
    let run = await runConsole([
      `--server=${one.address}`,
      '--command=database create social',
      '--command=transaction social schema write',
      `--command=source ${schemaFile}`,
      '--command=commit',
      '--command=transaction social data write',
      '--command=insert $a isa person, has name "Ann"; $b isa person, has name "Bob"; (friend: $a, friend: $b) isa friendship;',
      '--command=commit',
    ]);
    assert.equal(run.code, 0, run.stderr);

    // Export (data only), then the seed flow on server two: database and schema by console, data by import.
    const dataFile = join(dir, 'social.typedb');
    let result = await cli(['server', 'export', '--database=social', `--file=${dataFile}`, `--port=${port(one.address)}`]);
    assert.equal(result.code, 0, result.out);
    assert.match(result.out, /Exported database 'social': 2 entities, 1 relation, 2 attributes, 2 ownerships, 2 role players in /);
    run = await runConsole([`--server=${two.address}`, '--command=database create social', '--command=transaction social schema write', `--command=source ${schemaFile}`, '--command=commit']);
    assert.equal(run.code, 0, run.stderr);
    result = await cli(['server', 'import', '--database=social', `--file=${dataFile}`, `--port=${port(two.address)}`]);
    assert.equal(result.code, 0, result.out);
    assert.match(result.out, /Imported 2 entities, 1 relation, 2 attributes, 2 ownerships, 2 role players in /);
    assert.equal(await names(two.address, 'social'), 'Ann,Bob');

    // The 2.19+ form: schema and data exported together, imported into a database the import creates.
    const schemaOut = join(dir, 'out.tql');
    result = await cli(['server', 'export', '--database=social', `--schema=${schemaOut}`, `--data=${join(dir, 'both.typedb')}`, `--port=${port(one.address)}`]);
    assert.equal(result.code, 0, result.out);
    result = await cli(['server', 'import', '--database=copy', `--schema=${schemaOut}`, `--data=${join(dir, 'both.typedb')}`, `--port=${port(two.address)}`]);
    assert.equal(result.code, 0, result.out);
    assert.equal(await names(two.address, 'copy'), 'Ann,Bob');

    // Errors are clear and change nothing: a missing file, a database that already has data.
    result = await cli(['server', 'import', '--database=social', `--file=${join(dir, 'missing.typedb')}`, `--port=${port(two.address)}`]);
    assert.equal(result.code, 1);
    assert.match(result.out, /missing\.typedb/);
    result = await cli(['server', 'import', '--database=social', `--file=${dataFile}`, `--port=${port(two.address)}`]);
    assert.equal(result.code, 1);
    assert.equal(await names(two.address, 'social'), 'Ann,Bob');

    // Online backup of server one, restored by copying it into server two's data directory while it is stopped.
    const backup = join(dir, 'backup');
    result = await cli(['server', 'backup', '--database=social', `--dir=${backup}`, `--port=${port(one.address)}`]);
    assert.equal(result.code, 0, result.out);
    assert.ok(existsSync(join(backup, 'strata-database.json')));
    two.server.kill('SIGTERM');
    assert.equal(await two.server.exited, 0);
    cpSync(backup, join(dir, 'data2', 'restored'), { recursive: true });
    const again = await startServerProcess(join(dir, 'data2'));
    try {
      assert.equal(await names(again.address, 'restored'), 'Ann,Bob');
    } finally {
      again.server.kill('SIGTERM');
      await again.server.exited;
    }

    // A server that is not running: a clear message and exit 1.
    result = await cli(['server', 'export', '--database=social', `--file=${dataFile}`, `--port=${port(two.address)}`]);
    assert.equal(result.code, 1);
    assert.match(result.out, /No server is listening on localhost:\d+/);

    // Directory copy: stop server one, copy its database directory into a fresh data directory, serve it there.
    one.server.kill('SIGTERM');
    assert.equal(await one.server.exited, 0);
    cpSync(join(dir, 'data1', 'social'), join(dir, 'data3', 'social'), { recursive: true });
    const three = await startServerProcess(join(dir, 'data3'));
    try {
      assert.equal(await names(three.address, 'social'), 'Ann,Bob');
    } finally {
      three.server.kill('SIGTERM');
      await three.server.exited;
    }
  } finally {
    one.server.kill('SIGTERM');
    two.server.kill('SIGTERM');
    await Promise.all([one.server.exited, two.server.exited]);
    rmSync(dir, { recursive: true, force: true });
  }
});
