// Which of a command's files a path is, so that a message about it names the option it came from: a server-side
// message otherwise leaves the user guessing whether the schema or the data path is wrong.

import { sep } from 'node:path';

export interface FileRole {
  /** `data file`, `schema file`. */
  readonly name: string;
  /** The command-line option(s) that give it. */
  readonly option: string;
  /** A file name for examples: `data.typedb`. */
  readonly example: string;
  /** What it holds: `the data`. */
  readonly contents: string;
}

export const DATA_FILE: FileRole = { name: 'data file', option: '--data/--file', example: 'data.typedb', contents: 'the data' };
export const SCHEMA_FILE: FileRole = { name: 'schema file', option: '--schema', example: 'schema.tql', contents: 'the schema' };

/** ` (the schema file, --schema)`, or '' without a role. */
export function roleText(role: FileRole | undefined): string {
  return role === undefined ? '' : ` (the ${role.name}, ${role.option})`;
}

/** Whether a path ends in a separator: it then names a directory, never a file (resolve() would drop it). */
export function endsWithSeparator(path: string): boolean {
  return path.endsWith('/') || path.endsWith(sep);
}
