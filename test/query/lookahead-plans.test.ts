// The scan that starts a match is weighed with the step it enables (scan-lookahead.ts): friends paired through their
// friendships are found from a scan of the friendships (each read once) rather than of the people (each friendship
// reached from both of its players), and a lone player's relations are still read from the player, whose one range
// of edges finds them, rather than from a scan of every relation type or of the relations and all their players.
// Counted in ranges or things and edges read, not timed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';
import { countedQuery } from './counted-reads.js';

const SCHEMA = `define
person sub entity, plays friendship:friend, plays authorship:author;
post sub entity, plays authorship:work;
friendship sub relation, relates friend;
authorship sub relation, relates author, relates work;
note sub relation, relates about;
tag sub relation, relates about;
mark sub relation, relates about;`;

const PEOPLE = 30;
const POSTS = 10;

/** People each friends with the next and the seventh after (2 × PEOPLE friendships), and posts each by one person. */
function data(): string {
  const statements: string[] = [];
  for (let i = 0; i < PEOPLE; i++) statements.push(`$p${i} isa person;`);
  for (let i = 0; i < PEOPLE; i++) statements.push(`(friend: $p${i}, friend: $p${(i + 1) % PEOPLE}) isa friendship; (friend: $p${i}, friend: $p${(i + 7) % PEOPLE}) isa friendship;`);
  for (let j = 0; j < POSTS; j++) statements.push(`$w${j} isa post; (author: $p${j}, work: $w${j}) isa authorship;`);
  return `insert ${statements.join(' ')}`;
}

function withPeople(name: string, body: (database: Parameters<typeof countedQuery>[0]) => void): void {
  withTempManager(name, (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    writeData(manager, 'db', [data()]);
    body(manager.get('db')!);
  });
}

test('pairs of friends are read from a scan of the friendships, each once', () => {
  withPeople('lookahead-pairs', (database) => {
    const friendships = 2 * PEOPLE;
    const result = countedQuery(database, 'match $a isa person; $b isa person; (friend: $a, friend: $b) isa friendship; get;');
    assert.equal(result.answers, 2 * friendships);
    // One range of friendships, one of players each; from the people it took 1 + PEOPLE + 2 × friendships = 151.
    assert.ok(result.ranges <= 1 + friendships, `${result.ranges} ranges read`);
  });
});

test("a lone player's relations are read from the player, not from a scan of every relation type", () => {
  withPeople('lookahead-lone', (database) => {
    const relations = 2 * PEOPLE + POSTS;
    const result = countedQuery(database, 'match $x isa entity; $r ($x) isa relation; get;');
    assert.equal(result.answers, 2 * relations);
    // A range per entity type, then one of each thing's edges; a scan of the relations opens one per relation type
    // (five), then one of players per relation (70).
    assert.ok(result.ranges <= 2 + PEOPLE + POSTS, `${result.ranges} ranges read`);
  });
});

test("a lone player's relations are read from the player, not from a scan of the relations and all their players", () => {
  withPeople('lookahead-lone-role', (database) => {
    const result = countedQuery(database, 'match $x isa post; $r (work: $x) isa authorship; get;');
    assert.equal(result.answers, POSTS);
    // The posts and their one edge each; from the authorships it read their two players each (30 things and edges).
    assert.ok(result.reads <= 2 * POSTS, `${result.reads} things and edges read`);
  });
});
