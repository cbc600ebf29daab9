// The benchmark scripts' options: `--help` prints the options and runs nothing, and an option the script does not
// know, or one without its value, stops it before it starts (each used to run its defaults, for minutes; with
// --help, bench:migration installed PostgreSQL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchUsage, parseBenchArguments, type BenchCommand } from '../../bench/arguments.js';
import { moduleUrl } from '../support/processes.js';

const SPEC: BenchCommand = {
  command: 'npm run bench:x',
  summary: 'A benchmark.',
  options: { rounds: { help: 'rounds (default 10)' }, big: { help: 'bigger files', flag: true }, child: { help: 'internal', internal: true } },
  positional: ['KEYS'],
};

test('--name=value and --name value; a flag without a value; positional words up to those named', () => {
  const parsed = parseBenchArguments(SPEC, ['--rounds', '3', '--big', '500']);
  assert.deepEqual([...parsed!.options], [['rounds', '3'], ['big', 'true']]);
  assert.deepEqual(parsed!.positional, ['500']);
  assert.deepEqual([...parseBenchArguments(SPEC, ['--rounds=4', '--child=2'])!.options], [['rounds', '4'], ['child', '2']]);
  assert.equal(parseBenchArguments(SPEC, ['--rounds=4', '--help']), undefined);
  assert.equal(parseBenchArguments(SPEC, ['-h']), undefined);
});

test('an unknown option, a missing value, a repeated option or an extra word is refused, saying what to do', () => {
  assert.throws(() => parseBenchArguments(SPEC, ['--round=3']), { message: "Unknown option '--round' for npm run bench:x ('npm run bench:x -- --help' lists them)." });
  assert.throws(() => parseBenchArguments(SPEC, ['--rounds']), { message: "Option '--rounds' of npm run bench:x needs a value: --rounds=<value>." });
  assert.throws(() => parseBenchArguments(SPEC, ['--rounds', '--big']), { message: /needs a value/ });
  assert.throws(() => parseBenchArguments(SPEC, ['--rounds=1', '--rounds=2']), { message: "Option '--rounds' of npm run bench:x is given twice." });
  assert.throws(() => parseBenchArguments(SPEC, ['1', '2']), { message: /^Unexpected argument '2' for npm run bench:x: options start with '--'/ });
});

test('the usage lists the options a user gives, not the internal ones', () => {
  assert.equal(
    benchUsage(SPEC),
    'Usage: npm run bench:x -- [KEYS] [options]\n\nA benchmark.\n\noptions:\n  --rounds=<value>  rounds (default 10)\n  --big             bigger files\n',
  );
});

const SCRIPTS: Record<string, string> = {
  run: 'npm run bench',
  migration: 'npm run bench:migration',
  'crash-soak': 'npm run bench:crash',
  'loop-blocking': 'npm run bench:loop',
  'commit-log': 'npm run bench:commit-log',
  'memory-soak': 'npm run bench:memory',
  soak: 'npm run bench:soak',
  'soak-client': 'node dist/bench/soak-client.js',
  'reasoning-memory': 'npm run bench:reasoning-memory',
  'fuzz-import': 'npm run bench:fuzz-import',
  'fuzz-typeql': 'npm run bench:fuzz-typeql',
  'fuzz-server': 'npm run bench:fuzz-server',
  'type-inference': 'npm run bench:type-inference',
  'planner-scale': 'npm run bench:planner',
  'role-chains': 'npm run bench:role-chains',
  'reasoning-demand': 'npm run bench:reasoning-demand',
  'heap-summary': 'node dist/bench/heap-summary.js',
};

for (const [script, command] of Object.entries(SCRIPTS)) {
  test(`${command}: --help prints the usage and runs nothing; an unknown option exits 1`, () => {
    const run = (arg: string) =>
      spawnSync(process.execPath, ['--expose-gc', ...(import.meta.url.endsWith('.js') ? [] : ['--import', 'tsx']), fileURLToPath(moduleUrl(`bench/${script}`)), arg], {
        encoding: 'utf8',
        timeout: 30_000,
      });
    const help = run('--help');
    assert.equal(help.signal, null, `--help did not return: the benchmark ran (${help.stdout.slice(0, 200)})`);
    assert.equal(help.status, 0, help.stderr);
    assert.ok(help.stdout.startsWith(`Usage: ${command}`), help.stdout);
    const unknown = run('--no-such-option=1');
    assert.equal(unknown.signal, null, 'an unknown option did not stop the script: the benchmark ran');
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /^Unknown option '--no-such-option' for /);
  });
}
