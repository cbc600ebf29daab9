// An import whose error text is long (a type label of 70 000 characters in a damaged file, a schema written on one
// long line) fails with its message and exit 1: the text used to be too large for the gRPC status, and the command
// exited 0 without a word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startServerProcess } from '../server/server-process.js';
import { SOCIAL_SCHEMA, writeItems } from './fixtures.js';

test('imports whose errors are long fail with their message and exit 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-long-errors-'));
  const { server, address } = await startServerProcess(join(dir, 'data'));
  const port = `--port=${address.split(':')[1]}`;
  try {
    const schema = join(dir, 'schema.tql');
    writeFileSync(schema, SOCIAL_SCHEMA);
    const data = join(dir, 'long-label.typedb');
    await writeItems(data, [{ kind: 'entity', id: 'x', label: 'r'.repeat(70_000), ownerships: [] }]);
    let run = runCli(['server', 'import', '--database=a', `--schema=${schema}`, `--data=${data}`, port]);
    assert.equal(await run.exited, 1, run.stdout.join('\n'));
    // The label is shortened in the message.
    assert.match(run.stderr.join('\n'), /^\[MIG05\] Migrator failure: The type 'r{80}…\(70000 characters\)' is not defined in the schema: the entity item "x" \(r{80}…\(70000 characters\)\) at byte offset \d+ of/);
    assert.ok(run.stderr.join('\n').length < 1000);

    // A schema on one long line: the error shows the part of the line around the column, not all of it.
    const longSchema = join(dir, 'one-line.tql');
    writeFileSync(longSchema, `define ${Array.from({ length: 3000 }, (_, i) => `t${i} sub entity;`).join(' ')} bad sub entitty owns;`);
    run = runCli(['server', 'import', '--database=b', `--schema=${longSchema}`, `--data=${data}`, port]);
    assert.equal(await run.exited, 1, run.stdout.join('\n'));
    const message = run.stderr.join('\n');
    assert.match(message, /^\[MIG50\] .*\[TQL03\] TypeQL Error: There is a syntax error at line 1:\n….*bad sub entitty owns;.*\n +\^\nunexpected 'owns', expected ';'\nIt must be/);
    assert.ok(message.length < 1000, `${message.length} characters`);
  } finally {
    server.kill('SIGINT');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
});
