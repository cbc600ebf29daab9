// A relation of many role players is read as it is matched, with pause points among its edges, not into an array
// first (which held the server's event loop for a second at 300 000 players): counted, not timed, as the most edges
// and things read between two pause points (server/long-relations.test.ts checks the same queries end to end).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWithSchema, withTempManager } from '../support/databases.js';
import { readsBetweenPauses } from './counted-reads.js';

const PLAYERS = 20_000;
const PER_QUERY = 1_000;
/** A few pause intervals' worth (1 024 steps each), far below the relation's players read in one go. */
const MOST_READS_WITHOUT_A_PAUSE = 4_000;

const QUERIES = [
  // Every role player an answer.
  { label: 'all its players', query: 'match $b isa bag; $b (member: $m); get $m; count;', count: PLAYERS },
  // Its last player bound, with a role variable: the search reads and passes over every edge before it.
  { label: 'the role of its last player', query: 'match $m isa item, has tag "last"; $b ($r: $m) isa bag; get; count;', count: 2 },
  // The relation and its last player bound: the negation checks the relation, reading every edge.
  { label: 'a check of its last player', query: 'match $b isa bag; $m isa item, has tag "last"; not { $b (member: $m); }; get; count;', count: 0 },
];

test(`queries over a relation of ${PLAYERS} players pause every few thousand reads while they read its edges`, (t) => {
  withTempManager('player-pauses', (manager) => {
    createWithSchema(manager, 'bags', 'define tag sub attribute, value string; bag sub relation, relates member; item sub entity, owns tag, plays bag:member;');
    const session = manager.session('bags', 'data');
    const tx = session.transaction('write');
    const items = (from: number) => Array.from({ length: PER_QUERY }, (_, j) => `$x${j} isa item${from + j === PLAYERS - 1 ? ', has tag "last"' : ''};`).join(' ');
    const members = Array.from({ length: PER_QUERY }, (_, j) => `member: $x${j}`).join(', ');
    tx.query(`insert $b (${members}) isa bag; ${items(0)}`);
    for (let start = PER_QUERY; start < PLAYERS; start += PER_QUERY) tx.query(`match $b isa bag; insert $b (${members}); ${items(start)}`);
    tx.commit();
    session.close();
    const database = manager.get('bags')!;
    const unpaused: string[] = [];
    for (const { label, query, count } of QUERIES) {
      const { answers, pauses, longestStretch } = readsBetweenPauses(database, query);
      assert.equal(answers.length, 1, label);
      assert.equal((answers[0] as { value?: { value: bigint } }).value?.value, BigInt(count), label);
      t.diagnostic(`${label}: ${pauses} pauses, at most ${longestStretch} reads between two`);
      if (longestStretch > MOST_READS_WITHOUT_A_PAUSE) unpaused.push(`${label}: ${longestStretch} reads without a pause point`);
    }
    assert.deepEqual(unpaused, []);
  });
});
