// Fuzz campaign against the gRPC server: a real `strata server` process is driven through the official typedb-driver
// by random interleavings of drivers, sessions, transactions, queries, commits, rollbacks, closes and errors, some of
// them in concurrent bursts. A model (fuzz-server-model.ts) says what every read must answer and what the database
// holds after each commit. Findings: the server exits; an operation hangs; an error without a TypeDB-style code or
// showing a JavaScript value; a read that disagrees with the model; a commit of fresh inserts that fails; an
// operation on a closed transaction that succeeds; more sessions or transactions open on the server than the
// clients hold (a leak); a commit raced by its session's close that is half applied; a schema change the data forbids
// accepted, or one it allows refused; the schema lock not held or not given up; an export/import or a reloaded
// `database schema` that differs from the model.
// Run: npm run bench:fuzz-server -- [--steps=3000] [--seed=1] [--out=DIR]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionType, TransactionType, TypeDB } from 'typedb-driver';
import { benchArguments } from './arguments.js';
import { close, newClient, step } from './fuzz-server-actions.js';
import { DB, allTxs, checkLeaks, codeOf, counts, finding, live, orphans, run, verifyCommitted, within, type Client } from './fuzz-server-state.js';
import { startServer, stopServer } from './server-process.js';
import { seededRandom } from './workload.js';

const { options: args } = benchArguments({
  command: 'npm run bench:fuzz-server',
  summary: 'Fuzzes the gRPC server with random interleavings of sessions, transactions, queries, commits and closes.',
  options: {
    steps: { help: 'actions to run (default 3000)' },
    seed: { help: 'random seed (default 1)' },
    out: { help: 'where summary.tsv and findings.jsonl go (default <tmpdir>/strata-fuzz-server)' },
  },
});
const STEPS = Number(args.get('steps') ?? 3000);
const SEED = Number(args.get('seed') ?? 1);
const OUT = args.get('out') ?? join(tmpdir(), 'strata-fuzz-server');
const SCHEMA = 'define name sub attribute, value string; score sub attribute, value long; person sub entity, owns name @key, owns score;';

async function main(): Promise<void> {
  run.out = OUT;
  run.random = seededRandom(SEED);
  mkdirSync(OUT, { recursive: true });
  rmSync(join(OUT, 'findings.jsonl'), { force: true });
  rmSync(join(OUT, 'trace.log'), { force: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'strata-fuzz-server-'));
  process.env.STRATA_DEBUG_STATS = '1';
  const { child, address } = await startServer(dataDir, undefined, [], 'pipe');
  const stderr: string[] = [];
  child.stdout!.on('data', (chunk: string) => {
    const m = chunk.match(/debug-stats: [^\n]*/g);
    if (m) run.lastStats = m[m.length - 1]!;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  let exited = false;
  child.once('exit', (code, signal) => {
    exited = true;
    if (!stopping) finding('server', 'exit', `the server exited (${code ?? signal}) at step ${run.currentStep}\n${stderr.join('').slice(-2000)}`);
  });
  let stopping = false;
  const started = Date.now();
  try {
    const checker: Client = { id: -1, driver: await TypeDB.coreDriver(address), open: true, sessions: [] };
    await checker.driver.databases.create(DB);
    const schema = await checker.driver.session(DB, SessionType.SCHEMA);
    const define = await schema.transaction(TransactionType.WRITE);
    await define.query.define(SCHEMA);
    await define.commit();
    await schema.close();
    for (let i = 0; i < 3; i++) await newClient(address);
    for (run.currentStep = 0; run.currentStep < STEPS && !exited; run.currentStep++) {
      await step(address, checker);
      if (run.currentStep % 50 === 49) {
        await verifyCommitted(checker, `step ${run.currentStep}`);
        await checkLeaks(0);
      }
      if (run.currentStep % 500 === 499) console.error(`${run.currentStep + 1} steps, ${run.findings} findings, ${run.committed.size} people, ${run.lastStats}`);
    }
    if (!exited) {
      await verifyCommitted(checker, 'the end');
      // Every transaction and session closed by its client: nothing may stay open on the server.
      for (const t of allTxs().filter((x) => x.open)) await within(close(t), 'final transaction close');
      for (const c of live()) {
        for (const s of c.sessions.filter((x) => x.open)) await within(s.session.close(), 'final session close');
        c.open = false;
        await within(c.driver.close(), 'final driver close');
      }
      for (const s of orphans) await within(s.session.close(), 'orphan session close').catch((e) => codeOf('end', e));
      await checker.driver.close();
      const deadline = Date.now() + 10_000;
      while (run.lastStats !== 'debug-stats: sessions=0 transactions=0' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (run.lastStats !== 'debug-stats: sessions=0 transactions=0') finding('end', 'leak', `with every client closed the server still holds ${run.lastStats}`);
    }
  } finally {
    stopping = true;
    await stopServer(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
  const outcomes = [...new Set([...counts.values()].flatMap((r) => [...r.keys()]))].sort();
  const lines = [`action\t${outcomes.join('\t')}`, ...[...counts].sort().map(([a, r]) => `${a}\t${outcomes.map((o) => r.get(o) ?? 0).join('\t')}`)];
  writeFileSync(join(OUT, 'summary.tsv'), `${lines.join('\n')}\n`);
  console.log(lines.join('\n'));
  if (/TypeError|RangeError|ReferenceError|Unhandled|uncaught/i.test(stderr.join(''))) finding('server', 'stderr', stderr.join('').slice(0, 2000));
  console.log(`${run.findings} findings in ${OUT}/findings.jsonl; ${STEPS} steps in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exitCode = run.findings > 0 ? 1 : 0;
}

await main();
