// Whether a process id still names a running process: what decides that a lock or a staging directory left
// behind by a process is stale. A zombie (exited, not yet reaped by its parent, as under a container init that
// does not reap) still answers kill(pid, 0), so on Linux its state in /proc decides.
import { readFileSync } from 'node:fs';

export function isProcessRunning(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: the process runs under another user. Anything else is not a proof of death either.
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const state = procStat(pid)?.state;
  return state !== 'Z' && state !== 'X';
}

/**
 * When the process started (clock ticks after boot, Linux only; undefined elsewhere or if it has gone): tells the
 * process that wrote a pid apart from a later one that reuses it.
 */
export function processStartTime(pid: number): string | undefined {
  return procStat(pid)?.startTime;
}

function procStat(pid: number): { state: string; startTime: string } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // no /proc (not Linux), or the process has just gone: kill(pid, 0) alone decides
  }
  // `pid (comm) state ppid … starttime …`: comm may hold spaces and parentheses, so count from the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const [state, startTime] = [fields[0], fields[19]];
  return state === undefined || startTime === undefined ? undefined : { state, startTime };
}
