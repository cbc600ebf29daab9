// The `strata` launcher (bin/strata): a server started through it runs in the very process that was started (so
// it can be stopped by that id), with glibc's huge-page tunable for large buffers unless GLIBC_TUNABLES was set.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAUNCHER_GLIBC_TUNABLES, launcherEnvironment } from '../../src/cli/launcher-environment.js';
import { exitWhenDone } from './harness.js';
import { REPO_ROOT, compiled, startServerProcess, type CliProcess } from './server-process.js';

exitWhenDone();

const dataDir = mkdtempSync(join(tmpdir(), 'strata-launcher-test-'));
const processes: CliProcess[] = [];

after(async () => {
  for (const p of processes) p.kill('SIGKILL');
  await Promise.all(processes.map((p) => p.exited));
  rmSync(dataDir, { recursive: true, force: true });
});

test('the launcher script and launcherEnvironment (used by the migration benchmark) set the same tunable', () => {
  const script = readFileSync(join(REPO_ROOT, 'bin/strata'), 'utf8');
  const assigned = /^\s*GLIBC_TUNABLES=(\S+)$/m.exec(script);
  assert.equal(assigned?.[1], LAUNCHER_GLIBC_TUNABLES);
  assert.equal(launcherEnvironment({ PATH: '/bin' }).GLIBC_TUNABLES, LAUNCHER_GLIBC_TUNABLES);
  assert.equal(launcherEnvironment({ GLIBC_TUNABLES: '' }).GLIBC_TUNABLES, '');
  assert.equal(launcherEnvironment({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }).GLIBC_TUNABLES, 'glibc.malloc.arena_max=2');
});

/** The environment of a running process, from /proc. */
function environmentOf(pid: number): Map<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter((e) => e !== '');
  return new Map(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

const skip = !compiled ? 'the launcher runs the compiled CLI (npm test)' : process.platform !== 'linux' ? 'reads /proc' : false;

test('a server started through the launcher keeps the process id it was started with and gets the tunable', { skip }, async () => {
  const { server } = await startServerProcess(join(dataDir, 'unset'), undefined, { GLIBC_TUNABLES: undefined });
  processes.push(server);
  const pid = server.child.pid!;
  const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  assert.ok(command.some((arg) => arg.endsWith(join('dist', 'src', 'cli', 'main.js'))), `pid ${pid} runs ${command.join(' ')}`);
  assert.equal(environmentOf(pid).get('GLIBC_TUNABLES'), LAUNCHER_GLIBC_TUNABLES);
  server.kill('SIGTERM');
  assert.equal(await server.exited, 0);
});

test('GLIBC_TUNABLES set by the user, even empty, is passed on unchanged', { skip }, async () => {
  const { server } = await startServerProcess(join(dataDir, 'empty'), undefined, { GLIBC_TUNABLES: '' });
  processes.push(server);
  assert.equal(environmentOf(server.child.pid!).get('GLIBC_TUNABLES'), '');
  server.kill('SIGTERM');
  assert.equal(await server.exited, 0);
});
