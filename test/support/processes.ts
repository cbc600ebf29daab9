// Processes for tests about processes that are gone: a pid no process has any more, a zombie (exited, never
// reaped by its parent), and a Node.js child that runs a script over Strata's modules (compiled or through tsx).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** Compiled tests live in dist/test/support; sources in test/support. */
const compiled = fileURLToPath(import.meta.url).endsWith('.js');

/** A process id that no process has any more (a child that has exited and been reaped). */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

/** The import URL of a Strata source module, e.g. `src/database/index` (no extension). */
export function moduleUrl(path: string): string {
  return pathToFileURL(resolve(here, '../..', `${path}.${compiled ? 'js' : 'ts'}`)).href;
}

/** Runs an ES module `script` in a new Node.js process. */
export function spawnScript(script: string, args: readonly string[] = []): ChildProcess {
  return spawn(process.execPath, [...(compiled ? [] : ['--import', 'tsx']), '--input-type=module', '-e', script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the first line the child writes to stdout (rejects if it exits first). */
export function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolveLine, reject) => {
    let text = '';
    let errors = '';
    child.stderr?.on('data', (chunk) => (errors += chunk));
    child.stdout!.on('data', (chunk) => {
      text += chunk;
      const end = text.indexOf('\n');
      if (end >= 0) resolveLine(text.slice(0, end));
    });
    child.on('exit', (code) => reject(new Error(`the child exited (${code}) before writing a line: ${text}${errors}`)));
  });
}

/** Waits for the child to exit after killing it by its pid. */
export async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  child.kill('SIGKILL');
  await exited;
}

export interface Zombie {
  readonly pid: number;
  /** Kills the zombie's parent, so that the zombie is reaped. */
  release(): Promise<void>;
}

/** Whether /proc shows process states (Linux): zombies can only be recognised there. */
export const hasProcStates = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

/**
 * A zombie: a shell starts a short sleep in the background, then becomes a long sleep (exec), which never reaps it
 * (as a container init that does not reap).
 */
export async function makeZombie(): Promise<Zombie> {
  const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const pid = Number(await firstLine(parent));
  const deadline = Date.now() + 10_000;
  while (stateOf(pid) !== 'Z') {
    if (Date.now() > deadline) {
      await killAndWait(parent);
      throw new Error(`process ${pid} did not become a zombie (state ${stateOf(pid)})`);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 10));
  }
  return { pid, release: () => killAndWait(parent) };
}

function stateOf(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}
