// End to end: a query over a relation of 300 000 role players must not hold the server while it reads them (as
// long-queries.test.ts checks for long searches): another client keeps making round-trips throughout, and is answered
// while the query still runs. The players were read into an array before they were matched, which held the event loop
// for a second or more here; how much is read between two pause points is counted in query/player-pauses.test.ts, and
// the other client's round-trip times are measured by `npm run bench:loop` (a timing bound here failed on a loaded
// machine: 1.8 s once, under 0.2 s usually).
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionType, TransactionType, type TypeDBSession } from 'typedb-driver';
import { openDatabaseManager } from '../../src/database/index.js';
import { createWithSchema } from '../support/databases.js';
import { exitWhenDone } from './harness.js';
import { startServerProcess, useProcessScratch } from './server-process.js';

exitWhenDone();

let longSession: TypeDBSession | undefined;
let otherSession: TypeDBSession | undefined;

after(async () => {
  await otherSession?.close();
  await longSession?.close();
});

const { dataDir, processes, connect } = useProcessScratch('long-relations-test');

const PLAYERS = 300_000;
const PER_QUERY = 1_000;

/** One bag whose members are all the items; only the last item (its last role player) has a tag. Built embedded: quicker. */
function build(): void {
  const manager = openDatabaseManager(dataDir);
  try {
    createWithSchema(manager, 'bags', 'define tag sub attribute, value string; bag sub relation, relates member; item sub entity, owns tag, plays bag:member;');
    const data = manager.session('bags', 'data');
    const tx = data.transaction('write');
    const items = (from: number, count: number) => Array.from({ length: count }, (_, j) => `$x${j} isa item${from + j === PLAYERS - 1 ? ', has tag "last"' : ''};`).join(' ');
    const members = (count: number) => Array.from({ length: count }, (_, j) => `member: $x${j}`).join(', ');
    tx.query(`insert $b (${members(PER_QUERY)}) isa bag; ${items(0, PER_QUERY)}`);
    for (let start = PER_QUERY; start < PLAYERS; start += PER_QUERY) {
      tx.query(`match $b isa bag; insert $b (${members(PER_QUERY)}); ${items(start, PER_QUERY)}`);
    }
    tx.commit();
    data.close();
  } finally {
    manager.close();
  }
}

before(async () => {
  build();
  const started = await startServerProcess(dataDir);
  processes.push(started.server);
  longSession = await (await connect(started.address)).session('bags', SessionType.DATA);
  otherSession = await (await connect(started.address)).session('bags', SessionType.DATA);
});

/**
 * The other client's round-trips (open a transaction, count, close) while `query` runs: how many ended before the
 * query's answer came (a server that held its event loop for the query answers them only after it), the longest, and
 * the query's answer.
 */
async function roundTripsWhile<T>(query: Promise<T>): Promise<{ answeredWhileRunning: number; longest: number; answer: T }> {
  let settled = false;
  const done = query.finally(() => (settled = true));
  let longest = 0;
  let answeredWhileRunning = 0;
  while (!settled) {
    const started = performance.now();
    const tx = await otherSession!.transaction(TransactionType.READ);
    assert.equal((await tx.query.getAggregate('match $t isa tag; get; count;'))?.asLong(), 1);
    await tx.close();
    longest = Math.max(longest, performance.now() - started);
    if (!settled) answeredWhileRunning++;
  }
  return { answeredWhileRunning, longest, answer: await done };
}

const QUERIES = [
  // Every role player an answer.
  { label: 'all its players', query: 'match $b isa bag; $b (member: $m); get $m; count;', count: PLAYERS },
  // Its last player bound, with a role variable: the search reads and passes over every edge before it.
  { label: 'the role of its last player', query: 'match $m isa item, has tag "last"; $b ($r: $m) isa bag; get; count;', count: 2 },
  // The relation and its last player bound: the negation checks the relation, reading every edge.
  { label: 'a check of its last player', query: 'match $b isa bag; $m isa item, has tag "last"; not { $b (member: $m); }; get; count;', count: 0 },
];

for (const { label, query, count } of QUERIES) {
  test(`a query for ${label} among ${PLAYERS} gives way while it reads them: another client is answered meanwhile`, async (t) => {
    const tx = await longSession!.transaction(TransactionType.READ);
    const { answeredWhileRunning, longest, answer } = await roundTripsWhile(tx.query.getAggregate(query));
    t.diagnostic(`the other client was answered ${answeredWhileRunning} times while the query ran, the longest round-trip ${Math.round(longest)} ms`);
    assert.equal(answer?.asLong(), count);
    assert.ok(answeredWhileRunning >= 1, 'the other client was answered only once the query had ended');
    await tx.close();
  });
}
