// Where the console writes: answers and messages to stdout, errors to stderr. TypeDB colours keywords, labels and
// errors even into pipes; Strata colours only terminals (and never with NO_COLOR), so scripted output is plain text.

import { droppingWriter } from '../common/dropping-writer.js';

export interface Style {
  /** `iid`, `isa`, `type`, `sub`: blue in TypeDB's console. */
  keyword(text: string): string;
  /** Type and role labels: magenta. */
  label(text: string): string;
}

export const PLAIN: Style = { keyword: (t) => t, label: (t) => t };

export const COLOURED: Style = {
  keyword: (t) => `\x1b[34m${t}\x1b[0m`,
  label: (t) => `\x1b[35m${t}\x1b[0m`,
};

export interface ConsoleOutput {
  readonly style: Style;
  /** One line (or several) to stdout, newline added. */
  info(text: string): void;
  /** One error to stderr, newline added. */
  error(text: string): void;
  /** Raw text to stdout (prompts, screen control). */
  write(text: string): void;
}

function colours(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && process.env.NO_COLOR === undefined;
}

export function processOutput(): ConsoleOutput {
  const errorColour = colours(process.stderr);
  const toStdout = droppingWriter(process.stdout);
  const toStderr = droppingWriter(process.stderr);
  return {
    style: colours(process.stdout) ? COLOURED : PLAIN,
    info: (text) => toStdout(text + '\n'),
    error: (text) => toStderr((errorColour ? `\x1b[31m${text}\x1b[0m` : text) + '\n'),
    write: toStdout,
  };
}
