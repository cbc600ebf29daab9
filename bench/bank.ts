// The bank check of transaction isolation through a real server (bench/bank-workload.ts): `--clients` typedb-driver
// clients, each with a driver of its own, transfer money between `--accounts` accounts for `--seconds`, retrying
// write conflicts, while `--readers` clients check every snapshot; then the final state is checked, and two clients
// increment one counter `--increments` times each. Few accounts make most transfers conflict. `--embedded` runs the
// same workload over the embedded API, in this process. Exits 1 on any violation.
// Run: npm run bench:bank -- [--clients=8] [--readers=2] [--accounts=100] [--seconds=30] [--increments=200] [--seed=1]
//   [--bulk-notes=0] [--think=0] [--shared-session] [--embedded]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionType, TransactionType, TypeDB, type TypeDBDriver } from 'typedb-driver';
import { openDatabaseManager } from '../src/database/index.js';
import { benchArguments } from './arguments.js';
import { driverConnection, embeddedConnection, sessionSharer, type BankConnection } from './bank-connection.js';
import { BANK_SCHEMA, checkFinal, runBank, runCounter, type BankStats } from './bank-workload.js';
import { formatTable } from './report.js';
import { processCpuMillis, startServer, stopServer } from './server-process.js';

const { options: args } = benchArguments({
  command: 'npm run bench:bank',
  summary:
    'Transaction isolation under concurrency: clients transfer money between accounts (retrying write conflicts) while\n' +
    'readers check that every snapshot balances; then every acknowledged transfer must be there once, every refused one\n' +
    'absent, and a counter two clients increment at once must lose no increment. Exits 1 on any violation.',
  options: {
    clients: { help: 'concurrent transferring clients, each with its own driver (default 8)' },
    readers: { help: 'concurrent clients checking snapshots (default 2)' },
    accounts: { help: 'accounts (default 100; few accounts, many conflicts)' },
    seconds: { help: 'how long the clients transfer (default 30)' },
    increments: { help: 'increments of the shared counter by each of two clients (default 200)' },
    seed: { help: 'random seed (default 1)' },
    'bulk-notes': { help: 'notes the first client writes with every fifth transfer, making its commit large (default 0; from about 1 100, 4 keys each, the store writes it on its writer thread)' },
    think: { help: 'longest pause, in ms, of a transfer between its reads and its writes (default 0): write transactions stay open longer' },
    'shared-session': { help: 'every client uses one session (and one driver), with its transactions open at once', flag: true },
    embedded: { help: 'run over the embedded API in this process instead of through a server', flag: true },
  },
});
const CLIENTS = Number(args.get('clients') ?? 8);
const READERS = Number(args.get('readers') ?? 2);
const ACCOUNTS = Number(args.get('accounts') ?? 100);
const SECONDS = Number(args.get('seconds') ?? 30);
const INCREMENTS = Number(args.get('increments') ?? 200);
const SEED = Number(args.get('seed') ?? 1);
const EMBEDDED = args.get('embedded') === 'true';
const BULK_NOTES = Number(args.get('bulk-notes') ?? 0);
const THINK_MILLIS = Number(args.get('think') ?? 0);
const SHARED_SESSION = args.get('shared-session') === 'true';
const DB = 'bank';

function summary(stats: BankStats, seconds: number): Record<string, unknown> {
  const conflicts = [...stats.conflicts.values()].reduce((a, b) => a + b, 0);
  const attempts = stats.commits + conflicts;
  return {
    commitsPerSecond: (stats.commits / seconds).toFixed(1),
    commits: stats.commits,
    conflicts: `${conflicts} (${attempts > 0 ? ((100 * conflicts) / attempts).toFixed(1) : 0}% of commits tried: ${[...stats.conflicts].map(([c, n]) => `${c} ${n}`).join(', ') || 'none'})`,
    mostRetries: stats.maxRetries,
    declined: stats.declined,
    snapshotsChecked: stats.snapshots,
    snapshotsPerSecond: (stats.snapshots / seconds).toFixed(1),
  };
}

/**
 * Runs the checks over `connect`, then over `reopen`'s connection the final state again (the database closed and
 * opened again: what was acknowledged was durable); returns the number of violations and errors found.
 */
async function check(connect: () => BankConnection, serverCpu: () => number | undefined, reopen: () => Promise<BankConnection>): Promise<number> {
  const cpuBefore = serverCpu();
  const started = Date.now();
  const { ledger, stats } = await runBank(connect, { clients: CLIENTS, readers: READERS, accounts: ACCOUNTS, millis: SECONDS * 1000, seed: SEED, bulkNotes: BULK_NOTES, thinkMillis: THINK_MILLIS });
  const seconds = (Date.now() - started) / 1000;
  const cpu = serverCpu();
  const rows = { ...summary(stats, seconds), transfersThere: ledger.acknowledged.size, refusedCommits: ledger.refused.size };
  if (cpu !== undefined && cpuBefore !== undefined) Object.assign(rows, { serverCpuSeconds: ((cpu - cpuBefore) / 1000).toFixed(1) });
  console.log(formatTable(`bank: ${CLIENTS} clients, ${READERS} readers, ${ACCOUNTS} accounts, ${seconds.toFixed(1)} s${EMBEDDED ? ' (embedded)' : ''}${SHARED_SESSION ? ', one session' : ''}`, rows));
  const counterStarted = Date.now();
  const counter = await runCounter(connect, 2, INCREMENTS);
  console.log(formatTable('lost-update counter: 2 clients', {
    tally: `${counter.tally} (expected ${2 * INCREMENTS})`,
    retries: counter.retries,
    mostRetries: counter.stats.maxRetries,
    seconds: ((Date.now() - counterStarted) / 1000).toFixed(1),
  }));
  const reopened = await reopen();
  try {
    await checkFinal(reopened, ledger, 'reopened');
  } finally {
    await reopened.close();
  }
  const problems = [...ledger.violations];
  for (const [error, n] of stats.errors) problems.push(`${n}× a client failed: ${error}`);
  if (counter.tally !== 2 * INCREMENTS) problems.push(`the counter holds ${counter.tally}, not ${2 * INCREMENTS}: ${2 * INCREMENTS - counter.tally} increments lost`);
  console.log(problems.length === 0 ? 'held: every snapshot balanced, every acknowledged transfer is there once (also once reopened), no refused or rolled-back write left anything, no increment lost' : `VIOLATIONS:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return problems.length;
}

async function overServer(dataDir: string): Promise<number> {
  let { child, address } = await startServer(dataDir);
  const drivers: TypeDBDriver[] = [];
  const closeDrivers = async () => {
    for (const d of drivers.splice(0)) await d.close();
  };
  // The server stopped (SIGTERM) and started again over the same data directory.
  const reopen = async (): Promise<BankConnection> => {
    await closeDrivers();
    await stopServer(child);
    ({ child, address } = await startServer(dataDir));
    drivers.push(await TypeDB.coreDriver(address));
    return driverConnection(drivers[0]!, DB);
  };
  try {
    const admin = await TypeDB.coreDriver(address);
    drivers.push(admin);
    await admin.databases.create(DB);
    const schema = await admin.session(DB, SessionType.SCHEMA);
    const define = await schema.transaction(TransactionType.WRITE);
    await define.query.define(BANK_SCHEMA);
    await define.commit();
    await schema.close();
    // A driver per client: each its own connection, as separate users' programs would have.
    for (let i = 0; i < CLIENTS + READERS + 2; i++) drivers.push(await TypeDB.coreDriver(address));
    let next = 0;
    const serverCpu = () => processCpuMillis(child.pid);
    if (!SHARED_SESSION) return await check(() => driverConnection(drivers[next++ % drivers.length]!, DB), serverCpu, reopen);
    const shared = driverConnection(admin, DB);
    return await check(sessionSharer(shared), serverCpu, async () => {
      await shared.close();
      return reopen();
    });
  } finally {
    await closeDrivers();
    await stopServer(child);
  }
}

async function embedded(dataDir: string): Promise<number> {
  let manager = openDatabaseManager(dataDir);
  const reopen = async (): Promise<BankConnection> => {
    manager.close();
    manager = openDatabaseManager(dataDir);
    return embeddedConnection(manager, DB);
  };
  try {
    manager.create(DB);
    const schema = manager.session(DB, 'schema');
    const tx = schema.transaction('write');
    tx.query(BANK_SCHEMA);
    tx.commit();
    schema.close();
    if (!SHARED_SESSION) return await check(() => embeddedConnection(manager, DB), () => undefined, reopen);
    const shared = embeddedConnection(manager, DB);
    return await check(sessionSharer(shared), () => undefined, async () => {
      await shared.close();
      return reopen();
    });
  } finally {
    manager.close();
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'strata-bench-bank-'));
try {
  process.exitCode = (await (EMBEDDED ? embedded(dataDir) : overServer(dataDir))) > 0 ? 1 : 0;
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
