// Command-line options of the benchmark scripts: `--name=value` or `--name value`, `--help`. A benchmark runs for
// minutes (bench:migration installs PostgreSQL): `--help`, a misspelt option or one in a form the script did not read
// must not start it with its defaults, as each script's own loop over process.argv did.

export interface BenchOption {
  /** One line for `--help`: what it sets and its default. */
  readonly help: string;
  /** Takes no value (`--big`); given, it reads as 'true'. */
  readonly flag?: boolean;
  /** Passed by the script to its own child processes: accepted, not listed. */
  readonly internal?: boolean;
}

export interface BenchCommand {
  /** How it is run, e.g. `npm run bench:loop`. */
  readonly command: string;
  readonly summary: string;
  readonly options: Readonly<Record<string, BenchOption>>;
  /** Names of the positional arguments it takes, in order, for the usage line; none if absent. */
  readonly positional?: readonly string[];
  /** Any number of positional words (benchmark names). */
  readonly positionalList?: boolean;
}

export interface BenchArguments {
  readonly options: Map<string, string>;
  readonly positional: readonly string[];
}

export class BenchUsageError extends Error {}

/** Parses `argv`; throws a BenchUsageError saying what is wrong, or returns undefined when `--help` was asked for. */
export function parseBenchArguments(spec: BenchCommand, argv: readonly string[]): BenchArguments | undefined {
  const options = new Map<string, string>();
  const positional: string[] = [];
  const seeHelp = `('${spec.command}${npmDashes(spec)} --help' lists them)`;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return undefined;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const option = spec.options[name];
    if (option === undefined) throw new BenchUsageError(`Unknown option '--${name}' for ${spec.command} ${seeHelp}.`);
    let value = eq < 0 ? undefined : arg.slice(eq + 1);
    if (option.flag) value ??= 'true';
    else if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new BenchUsageError(`Option '--${name}' of ${spec.command} needs a value: --${name}=<value>.`);
      i++;
    }
    if (options.has(name)) throw new BenchUsageError(`Option '--${name}' of ${spec.command} is given twice.`);
    options.set(name, value);
  }
  const allowed = spec.positionalList ? Infinity : (spec.positional?.length ?? 0);
  if (positional.length > allowed) {
    throw new BenchUsageError(`Unexpected argument '${positional[allowed]}' for ${spec.command}: options start with '--' ${seeHelp}.`);
  }
  return { options, positional };
}

/** `npm run x -- …` passes what follows `--` to the script. */
function npmDashes(spec: BenchCommand): string {
  return spec.command.startsWith('npm ') ? ' --' : '';
}

export function benchUsage(spec: BenchCommand): string {
  const words = spec.positionalList ? ` [${spec.positional?.[0] ?? 'NAME'}…]` : (spec.positional ?? []).map((p) => ` [${p}]`).join('');
  const listed = Object.entries(spec.options).filter(([, o]) => !o.internal);
  const width = Math.max(0, ...listed.map(([name, o]) => name.length + (o.flag ? 2 : 10)));
  const lines = listed.map(([name, o]) => `  ${(o.flag ? `--${name}` : `--${name}=<value>`).padEnd(width)}  ${o.help}`);
  return `Usage: ${spec.command}${npmDashes(spec)}${words}${listed.length > 0 ? ' [options]' : ''}\n\n${spec.summary}\n${lines.length > 0 ? `\noptions:\n${lines.join('\n')}\n` : ''}`;
}

/** For a script's entry: prints the usage and exits 0 on `--help`; prints the problem and exits 1 on a bad argument. */
export function benchArguments(spec: BenchCommand, argv: readonly string[] = process.argv.slice(2)): BenchArguments {
  try {
    const parsed = parseBenchArguments(spec, argv);
    if (parsed !== undefined) return parsed;
    process.stdout.write(benchUsage(spec));
    process.exit(0);
  } catch (e) {
    if (!(e instanceof BenchUsageError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}
