// Option parsing for `strata server export|import|backup`, following TypeDB 2.x's rules and error texts
// (cli-console.md §3.2): `--k=v` or `--k v` in any order, unknown and repeated options refused, integer ports. Unlike TypeDB,
// `--port` defaults to 1729 (the documented examples without it failed in 2.6–2.18), and the data-only `--file`
// form and the pre-2.6 positional form are accepted next to `--schema/--data`.
import { resolve, sep } from 'node:path';
import { StrataError } from '../common/errors.js';

export const DEFAULT_PORT = 1729;

export interface MigrationArguments {
  readonly database: string;
  readonly port: number;
  /** Absolute paths, resolved against the working directory (the server reads and writes them). */
  readonly dataFile?: string;
  readonly schemaFile?: string;
  readonly directory?: string;
}

/** Parses `--name=value` / `--name value` options and positional words. */
export function parseMigrationArguments(args: readonly string[], allowed: readonly string[], positionalNames: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!allowed.includes(name)) throw new StrataError('SRV', 13, `Unrecognized command line option: '${name}'.`);
    let value: string | undefined = eq >= 0 ? arg.slice(eq + 1) : args[i + 1];
    if (eq < 0) i++;
    if (value === undefined || value === '') throw new StrataError('SRV', 12, `Missing value for command line option: '${name}'.`);
    // As the server's own options: a repeated option is a mistake, not "the last one wins".
    if (values.has(name)) throw new StrataError('SRV', 8, `Unexpected duplicate command line arguments '--${name}'.`);
    values.set(name, value);
  }
  if (positional.length > positionalNames.length) {
    throw new StrataError('SRV', 13, `Unexpected arguments: ${positional.slice(positionalNames.length).join(' ')}.`);
  }
  positional.forEach((value, i) => {
    const name = positionalNames[i]!;
    if (values.has(name)) {
      throw new StrataError('SRV', 13, `Unexpected argument '${value}': it would be the ${name}, which '--${name}' already gives.`);
    }
    values.set(name, value);
  });
  return values;
}

export function requireOption(values: Map<string, string>, name: string): string {
  const value = values.get(name);
  if (value === undefined) throw new StrataError('SRV', 12, `Missing required command line option: '${name}'.`);
  return value;
}

export function portOption(values: Map<string, string>): number {
  const text = values.get('port');
  if (text === undefined) return DEFAULT_PORT;
  if (!/^\d+$/.test(text)) throw new StrataError('SRV', 10, `Command line option '--port=${text}' requires a '<int>' value.`);
  // TypeDB's text would call 0 or 70000 "not an int"; say what is wrong with it.
  if (Number(text) < 1 || Number(text) > 65535) {
    throw new StrataError('SRV', 10, `Command line option '--port=${text}' requires a port number from 1 to 65535 (the server's port, 1729 by default).`);
  }
  return Number(text);
}

/** Keeps a trailing separator: it says the path names a directory, which the server refuses as a file path. */
export function absolute(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const resolved = resolve(path);
  return (path.endsWith('/') || path.endsWith(sep)) && !resolved.endsWith(sep) ? resolved + sep : resolved;
}
