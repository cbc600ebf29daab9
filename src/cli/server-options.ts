// `strata server` arguments, parsed the way TypeDB 2.29 parses `typedb server` arguments: every argument starts
// with `--`; `--name=value` or `--name value`; no duplicates; configuration keys may be given on the command line
// (overriding `--config=<file.yml>`, which overrides the defaults). Keys TypeDB has but Strata does not use
// (logging, diagnostics, caches) are accepted and ignored, so existing start scripts keep working.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { StrataError } from '../common/errors.js';

export interface ServerSettings {
  readonly address: string;
  /** Absolute. */
  readonly dataDir: string;
  readonly debug: boolean;
}

export type ServerInvocation =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'run'; readonly settings: ServerSettings };

export const DEFAULT_ADDRESS = '127.0.0.1:1729';
export const DEFAULT_DATA_DIR = 'server/data';

const FLAGS = new Set(['help', 'version', 'debug']);
const USED_KEYS = new Set(['server.address', 'storage.data']);
/** TypeDB 2.x configuration sections that Strata accepts without using them (section 2.3 of the CLI reference). */
const IGNORED_SECTIONS = ['log', 'diagnostics', 'vaticle-factory', 'development-mode'];
const IGNORED_PREFIXES = ['storage.database-cache.', ...IGNORED_SECTIONS.map((section) => `${section}.`)];

function isKnownKey(key: string): boolean {
  return USED_KEYS.has(key) || IGNORED_PREFIXES.some((p) => key.startsWith(p));
}

/**
 * A configuration file's key that is surely a mistake. Files of the TypeDB 2.x versions differ inside the ignored
 * sections (any key there is accepted, even an empty section), but not in `server` and `storage`.
 */
function isMistakenFileKey(key: string): boolean {
  return !isKnownKey(key) && !IGNORED_SECTIONS.includes(key);
}

interface RawArguments {
  readonly flags: Set<string>;
  readonly config?: string;
  readonly overrides: Map<string, string>;
}

/** `subcommands`: the names of the server's commands, to tell a mistyped one from a bare value. */
function splitArguments(args: readonly string[], subcommands: readonly string[]): RawArguments {
  const seen = new Set<string>();
  const flags = new Set<string>();
  const overrides = new Map<string, string>();
  let config: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      // TypeDB's text; a word in a subcommand's place is most likely a mistyped subcommand.
      const hint = i === 0 && subcommands.length > 0 ? ` Nor is it a command of the server: they are ${subcommands.join(', ')} ('strata server --help').` : '';
      throw new StrataError('SRV', 7, `All arguments should be prefixed with '--', which '${arg}' is missing.${hint}`);
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
    if (value === undefined && i + 1 < args.length && !args[i + 1]!.startsWith('--')) value = args[++i];
    if (seen.has(name)) throw new StrataError('SRV', 8, `Unexpected duplicate command line arguments '--${name}'.`);
    seen.add(name);
    if (FLAGS.has(name)) {
      if (value !== undefined) throw new StrataError('SRV', 9, `Command line option '--${name}' does not take a value.`);
      flags.add(name);
    } else if (value === undefined) {
      throw new StrataError('SRV', 11, `Command line option '--${name}' requires a value.`);
    } else if (name === 'config') {
      config = value;
    } else {
      overrides.set(name, value);
    }
  }
  return { flags, config, overrides };
}

/** Flattens a YAML map into dotted keys (`server: {address: …}` → `server.address`). */
function flatten(tree: unknown, prefix: string, out: Map<string, unknown>): void {
  if (tree !== null && typeof tree === 'object' && !Array.isArray(tree)) {
    for (const [key, value] of Object.entries(tree as Record<string, unknown>)) flatten(value, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.set(prefix, tree);
  }
}

function readConfigFile(path: string): Map<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new StrataError('SRV', 5, `Could not find/read the configuration file '${resolve(path)}': ${whyUnreadable(e)}`);
  }
  let tree: unknown;
  try {
    tree = parseYaml(text);
  } catch (e) {
    throw new StrataError('SRV', 5, `Could not find/read the configuration file '${resolve(path)}': it is not valid YAML (${(e as Error).message.split('\n')[0]!.replace(/:$/, '')}).`);
  }
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) {
    throw new StrataError('SRV', 14, 'The configuration file must be a YAML map.');
  }
  const out = new Map<string, unknown>();
  flatten(tree, '', out);
  return out;
}

/** TypeDB's SRV05 says "find/read": which one, and what to do. */
function whyUnreadable(e: unknown): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'it does not exist (a relative path starts at the working directory). Give the path of a YAML file (--config).';
    case 'EISDIR':
      return 'it is a directory. Give the path of the YAML file itself (--config).';
    case 'EACCES':
    case 'EPERM':
      return "permission denied. Let the server's user read it.";
    default:
      return `${(e as Error).message}.`;
  }
}

/** `$NAME` values come from the environment, as in TypeDB. */
function substituteEnvironment(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(value)) return value;
  const name = value.slice(1);
  const resolved = process.env[name];
  if (resolved === undefined) throw new StrataError('SRV', 23, `Environment variable '${name}' is not defined.`);
  return resolved;
}

/**
 * Command-line values are YAML scalars, as in TypeDB (`--x.enable=false` is a boolean). One that is not valid YAML is
 * its text: an IPv6 address, `[::1]:1729`, reads as a broken YAML list.
 */
function commandLineValue(text: string): unknown {
  try {
    return parseYaml(text);
  } catch {
    return text;
  }
}

function stringSetting(key: string, value: unknown, expected: string): string {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string' || value === '') {
    throw new StrataError('SRV', 18, `Configuration '${key}' received an unexpected value '${String(value)}'. It must be '${expected}'.`);
  }
  return value;
}

export function parseServerArguments(args: readonly string[], cwd = process.cwd(), subcommands: readonly string[] = []): ServerInvocation {
  const raw = splitArguments(args, subcommands);
  if (raw.flags.has('help')) return { kind: 'help' };
  if (raw.flags.has('version')) return { kind: 'version' };

  const values = new Map<string, unknown>([
    ['server.address', DEFAULT_ADDRESS],
    ['storage.data', DEFAULT_DATA_DIR],
  ]);
  const fromFile = raw.config === undefined ? new Map<string, unknown>() : readConfigFile(resolve(cwd, raw.config));
  const fromArgs = new Map<string, unknown>();
  for (const [key, text] of raw.overrides) fromArgs.set(key, commandLineValue(text));
  const unknown = [...fromArgs.keys()].filter((k) => !isKnownKey(k));
  if (unknown.length > 0) {
    throw new StrataError('SRV', 17, `The provided configuration(s) '[${unknown.join(', ')}]' are unrecognised.${legacyOptionHint(unknown)}`);
  }
  const mistaken = [...fromFile.keys()].filter(isMistakenFileKey);
  if (mistaken.length > 0) {
    throw new StrataError(
      'SRV',
      17,
      `The provided configuration(s) '[${mistaken.join(', ')}]' are unrecognised (in the configuration file '${resolve(cwd, raw.config!)}'). ` +
        `Strata reads server.address and storage.data; check their spelling.`,
    );
  }
  for (const [key, value] of [...fromFile, ...fromArgs]) {
    if (USED_KEYS.has(key)) values.set(key, substituteEnvironment(value));
  }

  const address = stringSetting('server.address', values.get('server.address'), '<host>:<port>');
  const port = /^(\[[^\]]+\]|[^:\s]+):(\d+)$/.exec(address)?.[2];
  if (port === undefined || Number(port) > 65535) {
    const range = port === undefined ? '' : `, with a port up to 65535 (${DEFAULT_ADDRESS.split(':')[1]} by default)`;
    throw new StrataError('SRV', 18, `Configuration 'server.address' received an unexpected value '${address}'. It must be '<host>:<port>'${range}.`);
  }
  const data = stringSetting('storage.data', values.get('storage.data'), '<path>');
  return { kind: 'run', settings: { address, dataDir: resolve(cwd, data), debug: raw.flags.has('debug') } };
}

/** The help text in TypeDB's layout (`%-40s \t\t %s` per command, `\t%-60s \t%s` per option). */
export function serverHelp(subcommands: readonly { usage: string; description: string }[]): string {
  const command = (usage: string, description: string) => `${usage.padEnd(40)} \t\t ${description}\n`;
  const option = (name: string, description: string) => `\t${name.padEnd(60)} \t${description}\n`;
  let text = 'Usage: \n';
  text += command('strata server', 'Run Strata server (TypeDB 2.x compatible)');
  text += option('--help', 'Print help menu.');
  text += option('--version', 'Print version number.');
  text += option('--debug', 'Run the server in debug mode.');
  text += option('--config=<path>', `Path to a YAML configuration file with the keys below.`);
  text += `\n\t### ${'--server.'.padEnd(50)} Server and networking configuration.\n`;
  text += option('--server.address=<address:port>', `Address to listen for drivers on (default: ${DEFAULT_ADDRESS}).`);
  text += `\n\t### ${'--storage.'.padEnd(50)} Storage configuration.\n`;
  text += option('--storage.data=<path>', `Directory in which user databases will be stored (default: ${DEFAULT_DATA_DIR}, relative to the working directory).`);
  text += `\n\tTypeDB's ${[...IGNORED_SECTIONS, 'storage.database-cache'].map((section) => `${section}.*`).join(', ')} keys are accepted and ignored.\n`;
  for (const sub of subcommands) text += '\n' + command(sub.usage, sub.description);
  return text;
}

/** TypeDB 2.0–2.5's server options, which 2.6 renamed: scripts written then still pass them. */
const LEGACY_OPTIONS: Readonly<Record<string, string>> = {
  port: '--server.address=<host>:<port> (for example --server.address=127.0.0.1:1729)',
  data: '--storage.data=<dir>',
};

function legacyOptionHint(keys: readonly string[]): string {
  const renamed = keys.filter((k) => LEGACY_OPTIONS[k] !== undefined);
  if (renamed.length === 0) return '';
  return ` TypeDB 2.0–2.5's ${renamed.map((k) => `--${k}`).join(' and ')} ${renamed.length > 1 ? 'are' : 'is'} ${renamed.map((k) => LEGACY_OPTIONS[k]).join(' and ')} here.`;
}
