// `strata server --help` lists the export and import forms scripts use: TypeDB 2.19+'s `--schema --data` as well.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SERVER_SUBCOMMANDS } from '../../src/cli/commands.js';
import { serverHelp } from '../../src/cli/server-options.js';

test('the server help shows both forms of export and import', () => {
  const help = serverHelp(SERVER_SUBCOMMANDS);
  for (const job of ['export', 'import']) {
    const line = help.split('\n').find((l) => l.startsWith(`strata server ${job} `));
    assert.ok(line, help);
    assert.match(line, /--database=<db> \(--file=<file> \| --schema=<file> --data=<file>\)/);
  }
});
