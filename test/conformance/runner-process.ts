// Runs the conformance runner (conformance/run.ts under tsx, or dist/conformance/run.js when the tests run compiled)
// as a child process and collects the tail of its output.
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const fromSources = import.meta.url.endsWith('.ts');
// test/conformance/ → conformance/run.ts (under tsx); dist/test/conformance/ → dist/conformance/run.js
const runner = resolve(here, '..', '..', 'conformance', fromSources ? 'run.ts' : 'run.js');
export const REPO_ROOT = fromSources ? resolve(here, '..', '..') : resolve(here, '..', '..', '..');

export interface RunnerOutcome {
  readonly code: number | null;
  /** The last 20 000 characters of stdout and stderr. */
  readonly output: string;
}

export function runConformance(args: readonly string[], env: Record<string, string> = {}): Promise<RunnerOutcome> {
  return new Promise((resolvePromise, reject) => {
    const execArgv = fromSources ? ['--import', 'tsx'] : [];
    const child = spawn(process.execPath, [...execArgv, runner, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, output }));
  });
}
