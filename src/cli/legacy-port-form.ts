// TypeDB 2.0–2.5 put the port before the subcommand, as an option of the server: `typedb server --port=1730 export
// <database> <file>`. Scripts of that time keep working: the port is moved behind the subcommand, where the
// subcommand's own `--port` reads it.

export function moveLegacyPort(argv: readonly string[], subcommands: readonly string[]): readonly string[] {
  if (argv[0] !== 'server') return argv;
  const first = argv[1];
  let port: string | undefined;
  let next: number;
  if (first?.startsWith('--port=')) {
    port = first.slice('--port='.length);
    next = 2;
  } else if (first === '--port' && argv[2] !== undefined) {
    port = argv[2];
    next = 3;
  } else {
    return argv;
  }
  const subcommand = argv[next];
  if (subcommand === undefined || !subcommands.includes(subcommand)) return argv;
  return ['server', subcommand, `--port=${port}`, ...argv.slice(next + 1)];
}
