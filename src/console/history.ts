// The REPL's command history, kept across runs in one file: `~/.strata-console-history`, or the file named by
// STRATA_CONSOLE_HISTORY (tests point it at a temporary file). One entry per line, oldest first; a multi-line
// query is one entry, its newlines written as `\n` (and backslashes as `\\`).
import { readFileSync, writeFileSync } from 'node:fs';
import { makeDirectoriesNow } from '../common/make-directories.js';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const HISTORY_ENV = 'STRATA_CONSOLE_HISTORY';
const MAX_ENTRIES = 1000;

export function historyPath(): string {
  return process.env[HISTORY_ENV] || join(homedir(), '.strata-console-history');
}

function encode(entry: string): string {
  return entry.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function decode(line: string): string {
  return line.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

export class History {
  /**
   * Newest first, as node:readline wants it. readline keeps this very array and adds every line the user enters;
   * `restore()` puts back exactly the entries the console chose (whole queries, not their continuation lines).
   */
  readonly entries: string[];
  private chosen: string[];
  private warned = false;

  private constructor(
    private readonly path: string,
    initial: string[],
  ) {
    this.chosen = initial;
    this.entries = [...initial];
  }

  /** Loads the history file; a missing or unreadable file is an empty history. */
  static load(path = historyPath()): History {
    let lines: string[] = [];
    try {
      lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
    } catch (e) {
      // No file yet is the usual first run; anything else is worth a word, but not worth stopping the console.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        process.stderr.write(`Cannot read the console history from '${path}': ${(e as Error).message}\n`);
      }
    }
    return new History(path, lines.map(decode).reverse().slice(0, MAX_ENTRIES));
  }

  /** Records one entry (a command or a whole query) and saves the file. */
  add(entry: string): void {
    const text = entry.trim();
    if (text.length === 0) return;
    this.chosen = [text, ...this.chosen.filter((e) => e !== text)].slice(0, MAX_ENTRIES);
    this.restore();
    this.save();
  }

  /** Undoes readline's own additions. */
  restore(): void {
    this.entries.splice(0, this.entries.length, ...this.chosen);
  }

  private save(): void {
    try {
      makeDirectoriesNow(dirname(this.path));
      writeFileSync(this.path, [...this.chosen].reverse().map(encode).join('\n') + '\n');
    } catch (e) {
      // History is a convenience: a read-only home must not stop the console. Say so once.
      if (!this.warned) process.stderr.write(`Cannot save the console history to '${this.path}': ${(e as Error).message}\n`);
      this.warned = true;
    }
  }
}
