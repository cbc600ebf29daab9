// `npm run bench:crash [-- --iterations=20]`: kills the server (SIGKILL) again and again while one client commits
// data, another commits schema (each in its own database) and an online backup runs; restarts it each time and
// checks what an operator relies on: every commit a client saw succeed is there, the commits there are a prefix of
// those sent (none partial), start-up leaves no staging directory in the data directory, and a backup target is
// either absent or complete. Not part of `npm test`: it takes about 3 s an iteration.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SessionType, TransactionType, TypeDB, type TypeDBDriver } from 'typedb-driver';
import { startServer } from './server-process.js';
import { benchArguments } from './arguments.js';

const ITEMS_PER_COMMIT = 10;
const TYPES_PER_COMMIT = 20;
const SCHEMA = 'define n sub attribute, value long; b sub attribute, value long; item sub entity, owns n, owns b;';
const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', 'src', 'cli', 'main.js');

/** Child process: commits from `from` on, printing `ack <i>` once commit i has succeeded, until the server dies. */
async function commitUntilKilled(address: string, kind: 'data' | 'schema', from: number): Promise<void> {
  const driver = await TypeDB.coreDriver(address);
  try {
    const session = await driver.session(kind === 'data' ? 'crash' : 'crash-schema', kind === 'data' ? SessionType.DATA : SessionType.SCHEMA);
    for (let i = from; ; i++) {
      const tx = await session.transaction(TransactionType.WRITE);
      if (kind === 'data') {
        const inserts = Array.from({ length: ITEMS_PER_COMMIT }, (_, j) => tx.query.insert(`insert $x isa item, has n ${i * ITEMS_PER_COMMIT + j}, has b ${i};`).collect());
        await Promise.all(inserts);
      } else {
        await tx.query.define('define ' + Array.from({ length: TYPES_PER_COMMIT }, (_, j) => `t${i}x${j} sub item;`).join(' '));
      }
      await tx.commit();
      process.stdout.write(`ack ${i}\n`);
    }
  } catch {
    // The server was killed: what was acknowledged is on stdout.
  }
  process.exit(0);
}

/** How many commits of each index are in the database: items per data commit, types per schema commit. */
async function countCommits(driver: TypeDBDriver): Promise<{ data: Map<number, number>; schema: Map<number, number> }> {
  const data = new Map<number, number>();
  const schema = new Map<number, number>();
  const session = await driver.session('crash', SessionType.DATA);
  const tx = await session.transaction(TransactionType.READ);
  for await (const answer of tx.query.get('match $x isa item, has b $b; get;')) {
    const i = Number(answer.get('b').asAttribute().value);
    data.set(i, (data.get(i) ?? 0) + 1);
  }
  await tx.close();
  await session.close();
  const schemaSession = await driver.session('crash-schema', SessionType.DATA);
  const types = await schemaSession.transaction(TransactionType.READ);
  for await (const answer of types.query.get('match $t sub item; get;')) {
    const m = /^t(\d+)x\d+$/.exec(answer.get('t').asThingType().label.name);
    if (m) schema.set(Number(m[1]), (schema.get(Number(m[1])) ?? 0) + 1);
  }
  await types.close();
  await schemaSession.close();
  return { data, schema };
}

/** The problems of one kind of commit: partial ones, gaps, acknowledged ones missing. Returns how many are there. */
function checkPrefix(what: string, counts: Map<number, number>, perCommit: number, acked: ReadonlySet<number>, problems: string[]): number {
  const present = [...counts.keys()].sort((a, b) => a - b);
  for (const i of present) if (counts.get(i) !== perCommit) problems.push(`${what} commit ${i} is partial: ${counts.get(i)} of ${perCommit}`);
  present.forEach((i, position) => {
    if (i !== position) problems.push(`${what} commits are not a prefix: commit ${i} at position ${position}`);
  });
  for (const i of acked) if (!counts.has(i)) problems.push(`acknowledged ${what} commit ${i} is missing`);
  return present.length;
}

function acks(child: ChildProcess, into: Set<number>): void {
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      const m = /^ack (\d+)$/.exec(line);
      if (m) into.add(Number(m[1]));
    }
  });
}

const later = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));
const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

async function soak(iterations: number): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'strata-crash-soak-'));
  const backups = mkdtempSync(join(tmpdir(), 'strata-crash-soak-backups-'));
  const backupTarget = join(backups, 'latest');
  const acked = { data: new Set<number>(), schema: new Set<number>() };
  const next = { data: 0, schema: 0 };
  const problems: string[] = [];
  const restartMillis: number[] = [];
  let backupsDone = 0;
  let backupsCut = 0;
  let server = await startServer(dataDir);
  try {
    const setup = await TypeDB.coreDriver(server.address);
    for (const name of ['crash', 'crash-schema']) {
      await setup.databases.create(name);
      const session = await setup.session(name, SessionType.SCHEMA);
      const tx = await session.transaction(TransactionType.WRITE);
      await tx.query.define(SCHEMA);
      await tx.commit();
      await session.close();
    }
    await setup.close();
    for (let it = 0; it < iterations; it++) {
      const port = server.address.split(':')[1]!;
      const writers = (['data', 'schema'] as const).map((kind) => {
        const child = spawn(process.execPath, [fileURLToPath(import.meta.url), `--writer=${kind}`, `--address=${server.address}`, `--from=${next[kind]}`], { stdio: ['ignore', 'pipe', 'ignore'] });
        acks(child, acked[kind]);
        return child;
      });
      await later(1000 + Math.random() * 2000);
      if (existsSync(backupTarget)) rmSync(backupTarget, { recursive: true });
      const backup = spawn(process.execPath, [CLI, 'server', 'backup', '--database=crash', `--dir=${backupTarget}`, `--port=${port}`], { stdio: 'ignore' });
      backup.once('exit', (code) => (backupsDone += code === 0 ? 1 : 0));
      // The backup command takes about a second to start: some kills come while it copies.
      await later(500 + Math.random() * 1000);
      server.child.kill('SIGKILL');
      await Promise.all([...writers, backup, server.child].map(exited));
      if (readdirSync(backups).some((entry) => entry.startsWith('.latest.partial-'))) backupsCut++;

      const started = performance.now();
      server = await startServer(dataDir);
      restartMillis.push(Math.round(performance.now() - started));
      const hidden = readdirSync(dataDir).filter((entry) => entry.startsWith('.'));
      if (hidden.length > 0) problems.push(`iteration ${it}: left in the data directory after start: ${hidden.join(', ')}`);
      if (existsSync(backupTarget) && !existsSync(join(backupTarget, 'store', 'data.mdb'))) problems.push(`iteration ${it}: an incomplete backup is visible`);
      const driver = await TypeDB.coreDriver(server.address);
      const counts = await countCommits(driver);
      await driver.close();
      next.data = checkPrefix('data', counts.data, ITEMS_PER_COMMIT, acked.data, problems);
      next.schema = checkPrefix('schema', counts.schema, TYPES_PER_COMMIT, acked.schema, problems);
      console.log(`iteration ${it}: ${next.data} data commits (${acked.data.size} acknowledged), ${next.schema} schema commits (${acked.schema.size} acknowledged), restart ${restartMillis[it]} ms`);
    }
  } finally {
    server.child.kill('SIGKILL');
    await exited(server.child);
  }
  // Each backup removes what the killed ones before it left beside the target: at most the last one's remains.
  const partials = readdirSync(backups).filter((entry) => entry.startsWith('.latest.partial-'));
  if (partials.length > 1) problems.push(`${partials.length} partial backups left beside the target`);
  restartMillis.sort((a, b) => a - b);
  console.log(
    `${iterations} kills: ${acked.data.size} data and ${acked.schema.size} schema commits acknowledged, ${backupsDone} backups completed and ${backupsCut} cut mid-copy, ` +
      `restart (process start to listening) median ${restartMillis[restartMillis.length >> 1]} ms, max ${restartMillis[restartMillis.length - 1]} ms`,
  );
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(backups, { recursive: true, force: true });
  if (problems.length > 0) {
    console.error(`${problems.length} problems:\n${problems.join('\n')}`);
    process.exit(1);
  }
  console.log('no problems');
  process.exit(0);
}

const { options: args } = benchArguments({
  command: 'npm run bench:crash',
  summary: 'Crash safety: kills the server (SIGKILL) every 1.5-4.5 s while clients commit and a backup runs, then checks\nwhat was acknowledged is there. About 3 s an iteration.',
  options: {
    iterations: { help: 'kills and restarts (default 20)' },
    writer: { help: 'a committing child: data or schema', internal: true },
    address: { help: "the child's server", internal: true },
    from: { help: "the child's first commit index", internal: true },
  },
});
const writer = args.get('writer');
if (writer === 'data' || writer === 'schema') await commitUntilKilled(args.get('address')!, writer, Number(args.get('from')));
else await soak(Number(args.get('iterations') ?? 20));
