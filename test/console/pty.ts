// Drives a command through a pseudo-terminal, for the console's interactive tests. Node has no pty of its own and
// nothing installed by `npm ci` provides one, so this uses what the machine has: python3's `pty` module (a small
// relay, below) or util-linux `script`. With neither, `ptyTool()` says why and the tests skip.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

/** Relays stdin → pty and pty → stdout for the command in argv, with a 50×200 window; exits with its code. */
const PYTHON_RELAY = `
import os, pty, sys, select, struct, fcntl, termios
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 50, 200, 0, 0))
stdin_open = True
while True:
    r, _, _ = select.select([fd] + ([0] if stdin_open else []), [], [])
    if fd in r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        os.write(1, data)
    if 0 in r:
        data = os.read(0, 65536)
        if data:
            os.write(fd, data)
        else:
            stdin_open = False
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
`;

export type PtyTool = { readonly kind: 'python3' } | { readonly kind: 'script' } | { readonly kind: 'none'; readonly reason: string };

export function ptyTool(): PtyTool {
  const python = spawnSync('python3', ['-c', 'import pty, termios, fcntl, select'], { stdio: 'ignore' });
  if (python.status === 0) return { kind: 'python3' };
  const script = spawnSync('script', ['-q', '-e', '-c', 'true', '/dev/null'], { stdio: 'ignore' });
  if (script.status === 0) return { kind: 'script' };
  return { kind: 'none', reason: 'no pseudo-terminal tool here (python3 with its pty module, or util-linux script)' };
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Terminal output as a reader sees it: no escape sequences, no carriage returns. */
export function screenText(raw: string): string {
  return raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

export class PtySession {
  private raw = '';
  /** Where the last `expect` matched, so each expectation looks only at newer output. */
  private mark = 0;
  readonly exited: Promise<number>;
  private readonly child: ChildProcess;

  constructor(tool: Exclude<PtyTool, { kind: 'none' }>, command: string, args: readonly string[], env: Record<string, string>, cwd: string) {
    const fullEnv = { ...process.env, ...env };
    this.child =
      tool.kind === 'python3'
        ? spawn('python3', ['-c', PYTHON_RELAY, command, ...args], { env: fullEnv, cwd, stdio: ['pipe', 'pipe', 'pipe'] })
        : spawn('script', ['-q', '-e', '-c', [command, ...args].map(shellQuote).join(' '), '/dev/null'], {
            env: { ...fullEnv, COLUMNS: '200', LINES: '50' },
            cwd,
            stdio: ['pipe', 'pipe', 'pipe'],
          });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.raw += chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.raw += chunk));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code ?? -1)));
  }

  /** Everything shown so far, escape sequences removed. */
  get screen(): string {
    return screenText(this.raw);
  }

  /** Types `keys` (use `\r` for Enter, `\x03` for Ctrl-C, `\x04` for Ctrl-D, `\x1b[A` for Up). */
  send(keys: string): void {
    this.child.stdin!.write(keys);
  }

  /**
   * Waits until the screen, after the previous match, matches `pattern`; returns the text from the previous
   * match to the end of this one.
   */
  async expect(pattern: RegExp, timeoutMillis = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMillis;
    for (;;) {
      const screen = this.screen;
      const rest = screen.slice(this.mark);
      const match = pattern.exec(rest);
      if (match) {
        this.mark += match.index + match[0].length;
        return rest.slice(0, match.index + match[0].length);
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen since the last match:\n${rest}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Closes stdin and kills the relay (and so the terminal's process group) if it is still running. */
  kill(): void {
    this.child.stdin!.end();
    if (this.child.exitCode === null && this.child.pid !== undefined) {
      try {
        process.kill(this.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}
