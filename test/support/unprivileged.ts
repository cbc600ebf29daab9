// Permission failures cannot be provoked as root, which may write anywhere. A test of one runs its body in a child
// Node.js process: as the unprivileged `nobody` user when the tests run as root (as in CI), as the current user
// otherwise, so that the test runs, and can fail, everywhere.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(import.meta.url).endsWith('.js');
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

export interface ScriptRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs an ES module `script` (with `args` in process.argv from index 1) as a user without root's rights. Directories
 * it must reach or write have to allow that user: see `openTo`.
 */
export function runUnprivileged(script: string, args: readonly string[] = []): ScriptRun {
  const run = spawnSync(process.execPath, [...(compiled ? [] : ['--import', 'tsx']), '--input-type=module', '-e', script, ...args], {
    encoding: 'utf8',
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Lets every user into `dir` and write there (a test's scratch directory, made private by mkdtemp). */
export function openTo(dir: string): void {
  chmodSync(dir, 0o777);
}

/** Opens `dir` to every user (see `openTo`) and makes `dir/locked` in it, which only root may write; returns its path. */
export function lockedDirectoryIn(dir: string): string {
  openTo(dir);
  const locked = join(dir, 'locked');
  mkdirSync(locked);
  chmodSync(locked, 0o555);
  return locked;
}
