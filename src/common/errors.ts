// TypeDB-style errors: `[TXN12] Invalid Transaction Operation: <message>`.
// Every layer throws StrataError so that the server, console and CLI can show one consistent text.

/** Error prefixes and the category text TypeDB prints after the code. */
export const ERROR_CATEGORIES = {
  TXN: 'Invalid Transaction Operation',
  SSN: 'Invalid Session Operation',
  DBS: 'Invalid Database Operation',
  QRY: 'Invalid Query Pattern',
  EXP: 'Invalid expression operation',
  THW: 'Invalid Thing Write',
  THR: 'Invalid Thing Read',
  TYR: 'Invalid Type Read',
  TYW: 'Invalid Type Write',
  RUR: 'Invalid Rule Read',
  RUW: 'Invalid Rule Write',
  RSN: 'Reasoner Error',
  PRO: 'Invalid projection operation',
  SCG: 'Invalid Schema Graph Operation',
  VLR: 'Invalid value read',
  ENC: 'Data encoding error',
  SRV: 'Invalid Server Operation',
  INT: 'Invalid Internal State',
  MIG: 'Migrator failure',
  TQL: 'TypeQL Error',
  STO: 'Storage Error',
} as const;

export type ErrorPrefix = keyof typeof ERROR_CATEGORIES;

export class StrataError extends Error {
  /** e.g. `TXN12` */
  readonly code: string;

  constructor(prefix: ErrorPrefix, number: number, message: string) {
    const code = `${prefix}${String(number).padStart(2, '0')}`;
    super(`[${code}] ${ERROR_CATEGORIES[prefix]}: ${message}`);
    this.name = 'StrataError';
    this.code = code;
  }
}

/**
 * A TypeQL syntax error: where it is and what was found there, laid out as TypeQL 2.x lays it out (`[TQL03] … at
 * line L:`, the line, a caret under the column, then what is wrong; without the line, TypeQL's `[TQL02]` form), so
 * that scripts reading TypeDB's errors read these. What is wrong is worded by Strata's parser, not by ANTLR.
 */
export class TypeQLSyntaxError extends StrataError {
  readonly line: number;
  readonly column: number;

  /** `caretColumn`: where the caret goes under `sourceLine` when that is a clipped view of the line. */
  constructor(line: number, column: number, detail: string, sourceLine?: string, caretColumn = column) {
    if (sourceLine === undefined) {
      super('TQL', 2, `There is a syntax error at line ${line}:\n${detail}`);
    } else {
      // Tabs stay tabs under the line, so that the caret lines up however the terminal expands them.
      const indent = sourceLine.slice(0, Math.max(0, caretColumn - 1)).replace(/[^\t]/g, ' ').padEnd(caretColumn - 1);
      super('TQL', 3, `There is a syntax error at line ${line}:\n${sourceLine}\n${indent}^\n${detail}`);
    }
    this.line = line;
    this.column = column;
  }
}
