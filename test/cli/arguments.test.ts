// The launcher's argument forms for `server export|import|backup`: TypeDB's historical forms, and its rule that an
// option is given once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { moveLegacyPort } from '../../src/cli/legacy-port-form.js';
import { parseMigrationArguments, portOption } from '../../src/cli/migration-options.js';

const SUBCOMMANDS = ['export', 'import', 'backup'];

test("TypeDB 2.0–2.5's port before the subcommand is moved behind it", () => {
  assert.deepEqual(moveLegacyPort(['server', '--port=1730', 'export', 'db', 'f.typedb'], SUBCOMMANDS), ['server', 'export', '--port=1730', 'db', 'f.typedb']);
  assert.deepEqual(moveLegacyPort(['server', '--port', '1730', 'import', 'db', 'f.typedb'], SUBCOMMANDS), ['server', 'import', '--port=1730', 'db', 'f.typedb']);
  // Anything else is left to the parsers, which report it.
  for (const argv of [
    ['server', '--port=1730'],
    ['server', '--port=1730', '--storage.data=x'],
    ['server', 'export', '--port=1730', '--database=db', '--file=f'],
    ['console', '--port=1730', 'export'],
  ]) {
    assert.deepEqual(moveLegacyPort(argv, SUBCOMMANDS), argv);
  }
});

test('a repeated option of export, import or backup is refused, in either form', () => {
  const allowed = ['database', 'file', 'port'];
  assert.throws(() => parseMigrationArguments(['--port=1', '--database=a', '--port', '2'], allowed, []), {
    message: "[SRV08] Invalid Server Operation: Unexpected duplicate command line arguments '--port'.",
  });
  assert.throws(() => parseMigrationArguments(['--database=a', '--database=b'], allowed, []), { message: /\[SRV08\].*'--database'/ });
  assert.deepEqual([...parseMigrationArguments(['--database=a', '--port=2'], allowed, [])], [['database', 'a'], ['port', '2']]);
});

test('a word in the place of an option already given names the word and the option', () => {
  const allowed = ['database', 'port', 'file'];
  assert.throws(() => parseMigrationArguments(['--database=db', '--file=f', 'extra1', 'extra2'], allowed, ['database', 'file']), {
    message: "[SRV13] Invalid Server Operation: Unexpected argument 'extra1': it would be the database, which '--database' already gives.",
  });
  assert.throws(() => parseMigrationArguments(['a', 'b', 'c'], allowed, ['database', 'file']), { message: /\[SRV13\] .*Unexpected arguments: c\./ });
});

test('a port that is not a number keeps TypeDB\'s text; one out of range says the range', () => {
  const allowed = ['database', 'file', 'port'];
  const port = (text: string) => () => portOption(parseMigrationArguments([`--port=${text}`, '--database=a'], allowed, []));
  assert.throws(port('abc'), { message: "[SRV10] Invalid Server Operation: Command line option '--port=abc' requires a '<int>' value." });
  for (const text of ['0', '65536', '99999999999']) {
    assert.throws(port(text), {
      message: `[SRV10] Invalid Server Operation: Command line option '--port=${text}' requires a port number from 1 to 65535 (the server's port, 1729 by default).`,
    });
  }
  assert.equal(portOption(parseMigrationArguments(['--port=65535'], allowed, [])), 65535);
});
