// End to end: one client's long query, of every read kind (and a write), over a real `strata server`, must not hold
// the server: another client's transaction opens and answers while the long query still runs, and SIGTERM stops the
// server at once. The queries below search ~1M combinations and find no answer, so that no answer-driven pause point
// helps: the search itself must give way (common/steps.ts, PENDING). A server that held its event loop would answer
// the other client only once the query had ended. How long the other client waits is timed by `npm run bench:loop`,
// not here (a bound of 1 s failed on a loaded machine); how often the search pauses is counted in
// query/pause-points.test.ts.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionType, TransactionType, TypeDBOptions, type TypeDBDriver, type TypeDBSession, type TypeDBTransaction } from 'typedb-driver';
import { exitWhenDone } from './harness.js';
import { startServerProcess, useProcessScratch, type CliProcess } from './server-process.js';
import { createThroughDriver } from '../support/driver-databases.js';

exitWhenDone();

let address: string;
let longSession: TypeDBSession | undefined;
let otherSession: TypeDBSession | undefined;

// Registered before the scratch's clean-up, which stops the servers: the sessions close while theirs still runs.
after(async () => {
  await otherSession?.close();
  await longSession?.close();
});

const { dataDir, processes, connect } = useProcessScratch('long-queries-test');

/** On a server that does not give way, the long query ends at this timeout: the other client waits as long. */
const LONG_TIMEOUT_MILLIS = 6_000;

async function server(dir = dataDir): Promise<{ server: CliProcess; address: string }> {
  const started = await startServerProcess(dir);
  processes.push(started.server);
  return started;
}

const ITEMS = 100;
/** Every triple of items (1M), and a sum no triple has: each combination is looked at, none answers. */
const TRIPLES = 'match $a isa item, has n $x; $b isa item, has n $y; $c isa item, has n $z;';
const NO_SUM = `${TRIPLES} ?s = $x + $y + $z; ?s < 0;`;

async function createDatabase(driver: TypeDBDriver, name: string): Promise<void> {
  const define = `define n sub attribute, value long; tag sub attribute, value string; mark sub attribute, value string;
    item sub entity, owns n, owns tag, owns mark;
    rule zero-tagged: when { $i isa item, has n 0; } then { $i has tag "zero"; };
    rule negative-marked: when { ${NO_SUM.slice('match '.length)} } then { $a has mark "negative"; };`;
  await createThroughDriver(driver, name, define, [`insert ${Array.from({ length: ITEMS }, (_, i) => `$x${i} isa item, has n ${i};`).join(' ')}`]);
}

/** Starts the query and tells whether it has settled; it must still be running when the other client is done. */
function running(query: Promise<unknown>): { settled: () => boolean; done: Promise<unknown> } {
  let settled = false;
  const done = query.then(
    () => (settled = true),
    () => (settled = true),
  );
  return { settled: () => settled, done };
}

/** How long another client takes to open a transaction, run a query and close it. */
async function otherClientMillis(session: TypeDBSession): Promise<number> {
  const started = performance.now();
  const tx = await session.transaction(TransactionType.READ);
  const count = await tx.query.getAggregate('match $x isa item; get; count;');
  await tx.close();
  assert.equal(count?.asLong(), ITEMS);
  return performance.now() - started;
}

const LONG_QUERIES: readonly { label: string; write?: true; infer?: true; run: (tx: TypeDBTransaction) => Promise<unknown> }[] = [
  { label: 'get', run: (tx) => tx.query.get(`${NO_SUM} get;`).collect() },
  { label: 'get with a negation that rejects every answer', run: (tx) => tx.query.get(`${TRIPLES} not { ?s = $x + $y + $z; ?s >= 0; }; get;`).collect() },
  { label: 'get with a sort and a limit', run: (tx) => tx.query.get(`${NO_SUM} get; sort $x; limit 3;`).collect() },
  { label: 'count', run: (tx) => tx.query.getAggregate(`${NO_SUM} get; count;`) },
  { label: 'group', run: (tx) => tx.query.getGroup(`${NO_SUM} get; group $a;`).collect() },
  { label: 'fetch', run: (tx) => tx.query.fetch(`${NO_SUM} fetch $a: n;`).collect() },
  // One answer, whose subqueries search every triple.
  {
    label: 'fetch subquery',
    run: (tx) =>
      tx.query
        .fetch(`match $p isa item, has n 0; fetch $p: n; none: { ${NO_SUM} $p isa item; fetch $a: n; }; counted: { ${NO_SUM} $p isa item; get; count; };`)
        .collect(),
  },
  // Over the facts one quick rule (zero-tagged) infers.
  { label: 'get with reasoning', infer: true, run: (tx) => tx.query.get(`${NO_SUM} $t isa item, has tag "zero"; get;`).collect() },
  // One round of materialisation that searches every triple (the rule negative-marked).
  { label: 'first reasoning query', infer: true, run: (tx) => tx.query.get('match $i has mark "negative"; get;').collect() },
  { label: 'match-insert', write: true, run: (tx) => tx.query.insert(`${NO_SUM} insert $a has mark "negative";`).collect() },
];

before(async () => {
  ({ address } = await server());
  const driver = await connect(address);
  await createDatabase(driver, 'busy');
  longSession = await driver.session('busy', SessionType.DATA);
  otherSession = await (await connect(address)).session('busy', SessionType.DATA);
});

/** Starts the long query and lets the server get into its search. */
async function startLong(run: (tx: TypeDBTransaction) => Promise<unknown>, options: { write?: true; infer?: true } = {}) {
  const transactionOptions = new TypeDBOptions({ transactionTimeoutMillis: LONG_TIMEOUT_MILLIS, ...(options.infer ? { infer: true } : {}) });
  const tx = await longSession!.transaction(options.write ? TransactionType.WRITE : TransactionType.READ, transactionOptions);
  const query = running(run(tx));
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { tx, query };
}

for (const long of LONG_QUERIES) {
  test(`a long ${long.label} gives way: another client opens a transaction and is answered meanwhile`, async (t) => {
    const { tx, query } = await startLong(long.run, long);
    const millis = await otherClientMillis(otherSession!);
    t.diagnostic(`the other client took ${Math.round(millis)} ms`);
    assert.equal(query.settled(), false, `the long ${long.label} finished before the other client was served`);
    // Closing its transaction stops the long query.
    await tx.close();
    await query.done;
  });
}

test('a median over a million values gives way while it sorts them: another client is answered meanwhile', async (t) => {
  // Values in no order, which the sort takes longest over (values that come in order are sorted in one pass).
  const scrambled = (x: number, y: number, z: number) => (x * 7919 + y * 104729 + z * 1299709) % 1000003;
  // A get's answers are distinct: so are the values aggregated.
  const values = new Set(Array.from({ length: ITEMS ** 3 }, (_, i) => scrambled(Math.floor(i / ITEMS ** 2), Math.floor(i / ITEMS) % ITEMS, i % ITEMS)));
  const expected = [...values].sort((a, b) => a - b);
  const middle = expected.length >> 1;
  const median = expected.length % 2 === 1 ? expected[middle]! : (expected[middle - 1]! + expected[middle]!) / 2;
  const tx = await longSession!.transaction(TransactionType.READ);
  const answer = tx.query.getAggregate(`${TRIPLES} ?s = ($x * 7919 + $y * 104729 + $z * 1299709) % 1000003; get ?s; median ?s;`);
  const query = running(answer);
  // The values are collected in slices first; the sort comes at the end: the other client keeps asking until then.
  // How long its round-trips take is for `npm run bench:loop` (the longest of ~1 000 here went past a second on a
  // loaded machine); that the sort itself pauses is counted in query/aggregate-steps.test.ts.
  let longest = 0;
  let answeredWhileRunning = 0;
  while (!query.settled()) {
    longest = Math.max(longest, await otherClientMillis(otherSession!));
    if (!query.settled()) answeredWhileRunning++;
  }
  t.diagnostic(`the other client was answered ${answeredWhileRunning} times while the median ran, the longest round-trip ${Math.round(longest)} ms`);
  const answered = await answer;
  assert.equal(answered?.isDouble() ? answered.asDouble() : Number(answered?.asLong()), median);
  assert.ok(answeredWhileRunning >= 1, 'the other client was answered only once the median had ended');
  await tx.close();
});

test('a client that connects during a long query is served while it runs', async (t) => {
  const { tx, query } = await startLong((tx) => tx.query.get(`${NO_SUM} get;`).collect());
  const started = performance.now();
  const late = await connect(address);
  assert.ok((await late.databases.all()).some((d) => d.name === 'busy'));
  const millis = performance.now() - started;
  t.diagnostic(`the new client took ${Math.round(millis)} ms`);
  assert.equal(query.settled(), false, 'the long query finished before the new client was served');
  await tx.close();
  await query.done;
});

test('SIGTERM during a long query stops the server promptly and cleanly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-long-query-sigterm-'));
  try {
    const { server: proc, address } = await server(dir);
    const driver = await connect(address);
    await createDatabase(driver, 'stopping');
    const session = await driver.session('stopping', SessionType.DATA);
    const tx = await session.transaction(TransactionType.READ, new TypeDBOptions({ transactionTimeoutMillis: LONG_TIMEOUT_MILLIS }));
    const query = running(tx.query.get(`${NO_SUM} get;`).collect());
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    proc.kill('SIGTERM');
    assert.equal(await proc.exited, 0);
    const millis = performance.now() - started;
    assert.ok(millis < 3_000, `the server took ${Math.round(millis)} ms to stop`);
    assert.ok(proc.stdout.includes('Strata server has been closed.'), proc.stdout.join('\n'));
    await query.done;
    // Its server is gone: the session is not closed (see server-process.test.ts, the SIGTERM test).
    void session;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
