// `strata server` argument and configuration parsing (TypeDB 2.29's rules and error texts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseServerArguments } from '../../src/cli/server-options.js';

const cwd = '/srv/strata';

function settings(args: string[], dir = cwd) {
  const result = parseServerArguments(args, dir);
  assert.equal(result.kind, 'run');
  return (result as Extract<typeof result, { kind: 'run' }>).settings;
}

function error(args: string[], subcommands: string[] = []): string {
  try {
    parseServerArguments(args, cwd, subcommands);
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail('expected an error');
}

test('defaults: 127.0.0.1:1729 and server/data under the working directory', () => {
  assert.deepEqual(settings([]), { address: '127.0.0.1:1729', dataDir: '/srv/strata/server/data', debug: false });
});

test('--name=value and --name value forms; absolute and relative data paths', () => {
  assert.deepEqual(settings(['--server.address=0.0.0.0:1730', '--storage.data', '/var/lib/strata']), {
    address: '0.0.0.0:1730',
    dataDir: '/var/lib/strata',
    debug: false,
  });
  assert.equal(settings(['--storage.data=db']).dataDir, '/srv/strata/db');
  assert.equal(settings(['--debug']).debug, true);
});

test('an IPv6 address on the command line is taken as text, not as a broken YAML list', () => {
  // `[::1]:1729` is not valid YAML: it was a YAMLParseError with a stack trace.
  assert.equal(settings(['--server.address=[::1]:1729']).address, '[::1]:1729');
  assert.equal(settings(['--server.address', '[::1]:1730']).address, '[::1]:1730');
});

test('help and version win over everything else', () => {
  assert.deepEqual(parseServerArguments(['--server.address=x:1', '--help']), { kind: 'help' });
  assert.deepEqual(parseServerArguments(['--version']), { kind: 'version' });
});

test("TypeDB's own keys are accepted and ignored; unknown keys are refused", () => {
  assert.equal(
    settings(['--diagnostics.reporting.errors=false', '--log.logger.default.level=debug', '--storage.database-cache.data=1gb']).address,
    '127.0.0.1:1729',
  );
  assert.equal(error(['--foo.bar=1', '--baz=2']), "[SRV17] Invalid Server Operation: The provided configuration(s) '[foo.bar, baz]' are unrecognised.");
});

test("TypeDB 2.0–2.5's --port and --data are refused with their names here", () => {
  assert.equal(
    error(['--port=1730']),
    "[SRV17] Invalid Server Operation: The provided configuration(s) '[port]' are unrecognised. " +
      "TypeDB 2.0–2.5's --port is --server.address=<host>:<port> (for example --server.address=127.0.0.1:1729) here.",
  );
  assert.match(error(['--data', '/x', '--port', '1730']), /'\[data, port\]' are unrecognised\. TypeDB 2\.0–2\.5's --data and --port are --storage\.data=<dir> and --server\.address=.* here\.$/);
});

test('argument errors use TypeDB codes', () => {
  assert.match(error(['server']), /^\[SRV07\] .*'server' is missing\.$/);
  assert.equal(
    error(['exprot', '--database=x'], ['export', 'import', 'backup']),
    "[SRV07] Invalid Server Operation: All arguments should be prefixed with '--', which 'exprot' is missing. " +
      "Nor is it a command of the server: they are export, import, backup ('strata server --help').",
  );
  assert.match(error(['--storage.data=a', '--storage.data=b']), /^\[SRV08\] /);
  assert.match(error(['--version=2']), /^\[SRV09\] /);
  assert.match(error(['--server.address']), /^\[SRV11\] /);
  assert.match(error(['--server.address=localhost']), /^\[SRV18\] .*It must be '<host>:<port>'\.$/);
  // Refused here, not when the server binds (it was `[SRV13] … is out of range.`, saying neither the form nor the range).
  assert.equal(
    error(['--server.address=127.0.0.1:99999']),
    "[SRV18] Invalid Server Operation: Configuration 'server.address' received an unexpected value '127.0.0.1:99999'. " +
      "It must be '<host>:<port>', with a port up to 65535 (1729 by default).",
  );
  assert.equal(
    error(['--config=/definitely/not/here.yml']),
    "[SRV05] Invalid Server Operation: Could not find/read the configuration file '/definitely/not/here.yml': it does not exist " +
      '(a relative path starts at the working directory). Give the path of a YAML file (--config).',
  );
  assert.match(error([`--config=${tmpdir()}`]), /^\[SRV05\] .*: it is a directory\. Give the path of the YAML file itself \(--config\)\.$/);
});

test('a YAML config file, overridden by the command line; $ENV values', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-config-'));
  try {
    const file = join(dir, 'config.yml');
    writeFileSync(file, 'server:\n  address: 10.0.0.1:1800\nstorage:\n  data: $STRATA_TEST_DATA\n  database-cache:\n    data: 500mb\nlog:\n  output: {}\n');
    process.env.STRATA_TEST_DATA = '/data/from/env';
    assert.deepEqual(settings([`--config=${file}`]), { address: '10.0.0.1:1800', dataDir: '/data/from/env', debug: false });
    assert.equal(settings([`--config=${file}`, '--server.address=127.0.0.1:1900']).address, '127.0.0.1:1900');
    delete process.env.STRATA_TEST_DATA;
    assert.match(error([`--config=${file}`]), /^\[SRV23\] .*'STRATA_TEST_DATA' is not defined\.$/);
    writeFileSync(file, '- a list\n');
    assert.match(error([`--config=${file}`]), /^\[SRV14\] /);
    writeFileSync(file, 'server:\n  address: [unclosed\n');
    assert.match(error([`--config=${file}`]), /^\[SRV05\] .*config\.yml': it is not valid YAML \(.* at line 3, column 1\)\.$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a configuration file: misspelt server and storage keys are refused, other versions\' log keys are not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-config-'));
  try {
    const file = join(dir, 'config.yml');
    writeFileSync(file, 'server:\n  adress: 127.0.0.1:1800\nstorage:\n  dta: /x\n');
    assert.match(error([`--config=${file}`]), /^\[SRV17\] .*'\[server\.adress, storage\.dta\]' are unrecognised \(in the configuration file '.*config\.yml'\)/);
    writeFileSync(file, 'sever:\n  address: 127.0.0.1:1800\n');
    assert.match(error([`--config=${file}`]), /^\[SRV17\] .*'\[sever\.address\]'/);
    writeFileSync(file, 'server:\n  address: 127.0.0.1:1800\nlog:\n  output:\n    file:\n      directory: logs\n      file-size-cap: 50mb\ndiagnostics:\n  reporting:\n    enable: false\n');
    assert.equal(settings([`--config=${file}`]).address, '127.0.0.1:1800');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
