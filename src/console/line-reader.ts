// Reading the REPL's input with node:readline: line editing and history on a terminal, plain lines from a pipe.
// Turns readline's events into one awaited Input per prompt: a line, Ctrl-C (interrupt) or Ctrl-D / end of input
// (eof). On a terminal, Ctrl-D closes readline's interface; the next read opens a fresh one, so Ctrl-D can leave a
// transaction and the console keeps running, as TypeDB's does.
import { createInterface, type Interface } from 'node:readline';
import type { History } from './history.js';
import type { InterruptSource } from './queries.js';

export type Input =
  | { readonly kind: 'line'; readonly text: string }
  /** Ctrl-D on an empty line, or the end of piped input. */
  | { readonly kind: 'eof' }
  /** Ctrl-C at a prompt; what had been typed on the line is discarded. */
  | { readonly kind: 'interrupt'; readonly hadInput: boolean };

export class LineReader implements InterruptSource {
  private rl: Interface | undefined;
  private readonly queue: Input[] = [];
  private waiting: ((input: Input) => void) | undefined;
  private readonly interruptHandlers = new Set<() => void>();
  /** Piped input has ended: there will never be more. */
  private ended = false;
  private closed = false;

  constructor(
    private readonly input: NodeJS.ReadStream,
    private readonly output: NodeJS.WriteStream,
    private readonly history: History,
  ) {}

  private get terminal(): boolean {
    return this.input.isTTY === true && this.output.isTTY === true;
  }

  private open(): Interface {
    const rl = createInterface({
      input: this.input,
      output: this.output,
      terminal: this.terminal,
      history: this.history.entries,
      historySize: 1000,
      tabSize: 4,
    });
    rl.on('line', (text) => {
      this.history.restore();
      this.deliver({ kind: 'line', text });
    });
    rl.on('close', () => {
      if (this.rl === rl) this.rl = undefined;
      if (this.closed) return;
      if (this.terminal) this.output.write('\n');
      else this.ended = true;
      this.deliver({ kind: 'eof' });
    });
    rl.on('SIGINT', () => this.interrupt(rl));
    return rl;
  }

  private deliver(input: Input): void {
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting(input);
    } else {
      this.queue.push(input);
    }
  }

  private interrupt(rl: Interface): void {
    if (this.interruptHandlers.size > 0) {
      for (const handler of [...this.interruptHandlers]) handler();
      return;
    }
    // Ctrl-C while a command runs (not printing answers) is ignored, as TypeDB's console ignores it.
    if (!this.waiting) return;
    const hadInput = rl.line.length > 0;
    this.output.write('^C\n');
    // readline offers no public way to drop the line being edited; its `line` and `cursor` fields are it.
    const editable = rl as unknown as { line: string; cursor: number };
    editable.line = '';
    editable.cursor = 0;
    this.deliver({ kind: 'interrupt', hadInput });
  }

  /** Shows `prompt` and resolves with the next input. */
  read(prompt: string): Promise<Input> {
    if (this.terminal) {
      this.rl ??= this.open();
      this.rl.setPrompt(prompt);
      this.rl.prompt();
    } else {
      // A pipe gets the prompts too, as TypeDB's console prints them on a dumb terminal.
      if (!this.rl && !this.ended) this.rl = this.open();
      this.output.write(prompt);
    }
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.ended) return Promise.resolve({ kind: 'eof' });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** Records a command or a whole query in the history; input from a pipe is not a person's history. */
  remember(entry: string): void {
    if (this.terminal) this.history.add(entry);
  }

  onInterrupt(handler: () => void): () => void {
    this.interruptHandlers.add(handler);
    return () => this.interruptHandlers.delete(handler);
  }

  /** Only on a terminal: TypeDB's console clears through its terminal's capabilities, which a pipe has none of. */
  clearScreen(): void {
    if (this.terminal) this.output.write('\x1b[H\x1b[2J');
  }

  close(): void {
    this.closed = true;
    this.rl?.close();
    this.rl = undefined;
  }
}
