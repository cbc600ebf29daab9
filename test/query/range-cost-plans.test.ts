// A relation pattern between a player whose role has many subroles, read one range per subrole (it has too many other
// edges to read them all), and a player in a few relations: with both bound, the relation is read from the side that
// opens fewer ranges, the subroles' ranges weighed like the range of players each relation reached opens; with neither
// bound, the scan that starts the match is the one whose next step opens fewer. Counted in ranges read, not timed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../src/database/database.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';
import { countedQuery } from './counted-reads.js';

/**
 * A chain of `depth` relation types r0…, each overriding its parent's role (p0 has `depth` role types); `players` of
 * its last entity type, each in two relations of the last relation type (one with a u0 thing, one with w) and in
 * enough `other` relations that its p0 edges are read one range per role type; `few` u0 things, w one thing.
 */
interface Chain {
  readonly depth: number;
  readonly players: number;
  readonly otherEdges: number;
  readonly few: number;
}

function schema({ depth }: Chain): string {
  const last = depth - 1;
  const lines = [
    'define',
    'name sub attribute, value string;',
    't0 sub entity, owns name, plays r0:p0, plays other:o;',
    'u0 sub entity, owns name, plays r0:q;',
    'w sub entity, owns name, plays r0:q;',
    'other sub relation, relates o;',
    'r0 sub relation, relates p0, relates q;',
  ];
  for (let i = 1; i < depth; i++) lines.push(`t${i} sub t${i - 1}${i === last ? `, plays r${i}:p${i}` : ''};`, `r${i} sub r${i - 1}, relates p${i} as p${i - 1};`);
  return lines.join('\n');
}

function data({ depth, players, otherEdges, few }: Chain): string[] {
  const last = depth - 1;
  const queries = [`insert $w isa w, has name "w";`];
  for (let j = 0; j < few; j++) queries.push(`insert $y isa u0, has name "y${j}";`);
  const others = Array.from({ length: otherEdges }, () => '(o: $x) isa other;').join(' ');
  for (let i = 0; i < players; i++) {
    queries.push(`match $y isa u0, has name "y${i % few}"; $w isa w; insert $x isa t${last}, has name "x${i}"; (p${last}: $x, q: $y) isa r${last}; (p${last}: $x, q: $w) isa r${last}; ${others}`);
  }
  return queries;
}

function withChain(name: string, chain: Chain, body: (database: Database) => void): void {
  withTempManager(name, (manager) => {
    createWithSchema(manager, 'db', schema(chain));
    writeData(manager, 'db', data(chain));
    body(manager.get('db')!);
  });
}

test('a relation between two bound players is read from the side that opens fewer ranges', () => {
  // 60 other edges: reading all of a player's 62 edges would cost more than its 10 ranges.
  const DEPTH = 10;
  const LAST = DEPTH - 1;
  withChain('range-cost-plans', { depth: DEPTH, players: 20, otherEdges: 60, few: 10 }, (database) => {
    const lookups = countedQuery(database, `match $x isa t${LAST}, has name "x3"; $y isa u0, has name "y3"; get;`).ranges;
    // x3's p0 edges are DEPTH ranges; y3 is in 4 relations by the statistics (40 relations, 10 u0 things), 2 in fact:
    // one range and one of each relation's players. Read from x3 it took lookups + DEPTH + 2 ranges.
    const fromFew = countedQuery(database, `match $x isa t${LAST}, has name "x3"; $y isa u0, has name "y3"; $r (p0: $x, q: $y) isa r${LAST}; get;`);
    assert.equal(fromFew.answers, 1);
    assert.ok(fromFew.ranges <= lookups + 1 + 2, `${fromFew.ranges} ranges read, ${lookups} of them to find the players`);
    // w is in every relation: x3's DEPTH ranges (and one of players for each of its 2 relations) are still fewer than
    // one range of players per relation of w.
    const lookupsW = countedQuery(database, `match $x isa t${LAST}, has name "x3"; $w isa w, has name "w"; get;`).ranges;
    const fromMany = countedQuery(database, `match $x isa t${LAST}, has name "x3"; $w isa w, has name "w"; $r (p0: $x, q: $w) isa r${LAST}; get;`);
    assert.equal(fromMany.answers, 1);
    assert.ok(fromMany.ranges <= lookupsW + DEPTH + 2, `${fromMany.ranges} ranges read, ${lookupsW} of them to find the players`);
  });
});

test('a bound player of a role with many subroles is read from before the few things of the other role are scanned', () => {
  // 130 other edges: more than 6 (RANGE_IN_EDGES) per role type of the 20; 2 u0 things.
  const DEPTH = 20;
  const LAST = DEPTH - 1;
  withChain('range-cost-scan', { depth: DEPTH, players: 20, otherEdges: 130, few: 2 }, (database) => {
    const lookup = countedQuery(database, `match $x isa t${LAST}, has name "x3"; get;`).ranges;
    // Reading x3's DEPTH ranges first finds its relations; scanning the 2 u0 things first would open them again for
    // each: had the subroles' ranges been added to the relation step's cost, even at one EDGE_COST each, it would
    // have cost more than that scan.
    const result = countedQuery(database, `match $x isa t${LAST}, has name "x3"; $y isa u0; $r (p0: $x, q: $y) isa r${LAST}; get;`);
    assert.equal(result.answers, 1);
    assert.ok(result.ranges <= lookup + DEPTH + 2, `${result.ranges} ranges read, ${lookup} of them to find x3`);
  });
});

test('the root scan is weighed with the step after it: a start whose edges are one range per subrole is not taken', () => {
  // Equal counts of t19 and u0 things (40 each, each pair in one relation, each t19 thing in 130 other relations):
  // both scans cost alike, but from a t19 thing its p0 edges are 20 ranges (DEPTH subroles), from a u0 thing one.
  const DEPTH = 20;
  const LAST = DEPTH - 1;
  const PLAYERS = 40;
  withChain('range-cost-root', { depth: DEPTH, players: PLAYERS, otherEdges: 130, few: PLAYERS }, (database) => {
    for (const query of [
      `match $x isa t${LAST}; $y isa u0; $r (p0: $x, q: $y) isa r${LAST}; get;`,
      `match $y isa u0; $x isa t${LAST}; $r (p0: $x, q: $y) isa r${LAST}; get;`,
    ]) {
      const result = countedQuery(database, query);
      assert.equal(result.answers, PLAYERS, query);
      // One range to scan, then two per answer at most; starting from $x took 1 + PLAYERS × (DEPTH + 2) = 881.
      assert.ok(result.ranges <= 1 + 2 * PLAYERS + 1, `${query}: ${result.ranges} ranges read`);
    }
  });
});
