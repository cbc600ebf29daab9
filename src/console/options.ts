// `strata console` / `typedb console` flags, with every spelling TypeDB 2.x consoles accepted: `--core` (2.26+),
// `--server` (2.0–2.25), and the Cloud/Cluster/Enterprise address flags, which Strata treats as one more way of
// naming the server (it has no Cloud mode). Values come as `--flag=value` or `--flag value`, as with picocli.
import { ConsoleError } from './errors.js';

export const DEFAULT_ADDRESS = 'localhost:1729';

export type ConsoleMode =
  | { readonly kind: 'repl' }
  /** `--command`, in order. */
  | { readonly kind: 'commands'; readonly commands: readonly string[] }
  /** `--script`: one command per line; any `--command` is ignored, as in TypeDB. */
  | { readonly kind: 'script'; readonly path: string };

export type ConsoleInvocation =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'run'; readonly address: string; readonly mode: ConsoleMode };

const CORE_FLAGS = new Set(['--core', '--server']);
const CLOUD_FLAGS = new Set(['--cloud', '--cluster', '--enterprise']);
/** Cloud credentials and TLS: accepted with a Cloud address flag and ignored (Strata has no authentication). */
const CLOUD_ONLY_FLAGS = new Set(['--username', '--password', '--tls-enabled', '--encryption-enable', '--tls-root-ca', '--encryption-root-ca']);
const BOOLEAN_FLAGS = new Set(['--tls-enabled', '--encryption-enable', '--diagnostics-disable']);
/** `--password` takes a value or none (TypeDB then prompts for it; Strata has nothing to ask it for). */
const OPTIONAL_VALUE_FLAGS = new Set(['--password']);
const VALUE_FLAGS = new Set([...CORE_FLAGS, ...CLOUD_FLAGS, '--username', '--tls-root-ca', '--encryption-root-ca', '--command', '--script']);
const KNOWN = new Set([...VALUE_FLAGS, ...BOOLEAN_FLAGS, ...OPTIONAL_VALUE_FLAGS, '--help', '-h', '--version', '-V']);
/** picocli lets these be given any number of times (TypeDB's console keeps them in a list or an array). */
const REPEATABLE_FLAGS = new Set(['--command', ...CLOUD_FLAGS, '--help', '-h', '--version', '-V']);
/** Names of one option in TypeDB's console (or one role here: every server address flag is `--core`). */
const SAME_OPTION: Record<string, string> = {
  '--server': '--core',
  '--encryption-enable': '--tls-enabled',
  '--encryption-root-ca': '--tls-root-ca',
};
/** picocli names a value after the console's field holding it; most fields are named as their flags. */
const VALUE_LABELS: Record<string, string> = { '--command': 'commands', '--tls-root-ca': 'tlsRootCA', '--encryption-root-ca': 'tlsRootCA' };

function valueLabel(flag: string): string {
  return `<${VALUE_LABELS[flag] ?? flag.slice(2)}>`;
}

export function consoleUsage(program: string): string {
  return [
    `Usage: ${program} [-hV] [--core=<address>] [--script=<script>] [--command=<commands>]...`,
    '      --command=<commands>   Commands to run in the Console, without interactive mode',
    `      --core=<address>       Address of the server to connect to (default: ${DEFAULT_ADDRESS});`,
    '                             --server, --cloud, --cluster and --enterprise are accepted too',
    '      --diagnostics-disable  Accepted; Strata reports no diagnostics.',
    '  -h, --help                 Show this help message and exit.',
    '      --script=<script>      Script with commands to run in the Console, without interactive mode',
    '  -V, --version              Print version information and exit.',
    '      --username, --password, --tls-enabled, --tls-root-ca, --encryption-enable, --encryption-root-ca',
    '                             Accepted with --cloud, --cluster or --enterprise and ignored (no authentication).',
    '',
  ].join('\n');
}

/** Parses the arguments after `console`. Errors are ConsoleErrors worded like picocli's. */
export function parseConsoleArguments(args: readonly string[]): ConsoleInvocation {
  let core: string | undefined;
  let cloud: string | undefined;
  let script: string | undefined;
  const commands: string[] = [];
  const cloudOnly: string[] = [];
  let help = false;
  let version = false;
  const given = new Set<string>();

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (!KNOWN.has(name)) {
      if (arg.startsWith('-')) throw new ConsoleError(`Unknown option: '${arg}'`);
      throw new ConsoleError(`Unmatched argument at index ${i}: '${arg}'`);
    }
    if (!REPEATABLE_FLAGS.has(name)) {
      const option = SAME_OPTION[name] ?? name;
      if (given.has(option)) {
        const takesValue = VALUE_FLAGS.has(name) || OPTIONAL_VALUE_FLAGS.has(name);
        throw new ConsoleError(`option '${name}'${takesValue ? ` (${valueLabel(name)})` : ''} should be specified only once`);
      }
      given.add(option);
    }
    let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
    if (VALUE_FLAGS.has(name) && value === undefined) {
      const next = args[i + 1];
      if (next === undefined || KNOWN.has(next.split('=')[0]!)) {
        throw new ConsoleError(`Missing required parameter for option '${name}' (${valueLabel(name)})`);
      }
      value = next;
      i++;
    } else if (OPTIONAL_VALUE_FLAGS.has(name) && value === undefined && args[i + 1] !== undefined && !args[i + 1]!.startsWith('-')) {
      i++;
    }
    if (name === '--help' || name === '-h') help = true;
    else if (name === '--version' || name === '-V') version = true;
    else if (CORE_FLAGS.has(name)) core = value;
    else if (CLOUD_FLAGS.has(name)) cloud = cloud === undefined ? value : `${cloud},${value}`;
    else if (name === '--command') commands.push(value!);
    else if (name === '--script') script = value;
    else if (CLOUD_ONLY_FLAGS.has(name)) cloudOnly.push(name);
    // --diagnostics-disable: accepted; Strata reports no diagnostics anyway.
  }

  if (help) return { kind: 'help' };
  if (version) return { kind: 'version' };
  if (core !== undefined && cloud !== undefined) {
    throw new ConsoleError("Either '--core' or '--cloud' must be provided, but not both.");
  }
  if (cloud === undefined && cloudOnly.length > 0) {
    const flag = cloudOnly[0]!;
    if (flag === '--username' || flag === '--password') throw new ConsoleError(`'${flag}' should only be supplied with '--cloud'`);
    throw new ConsoleError(`'${flag}' is only valid with '--cloud'`);
  }
  // A Cloud address list names one or more servers (optionally `configured=actual`); Strata is one server.
  const address = core ?? (cloud === undefined ? DEFAULT_ADDRESS : cloudAddress(cloud));
  const mode: ConsoleMode =
    script !== undefined ? { kind: 'script', path: script } : commands.length > 0 ? { kind: 'commands', commands } : { kind: 'repl' };
  return { kind: 'run', address, mode };
}

function cloudAddress(list: string): string {
  const first = list.split(',')[0]!.trim();
  const eq = first.indexOf('=');
  return eq < 0 ? first : first.slice(eq + 1);
}
