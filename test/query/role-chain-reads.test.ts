// A pattern role with many subroles: a bound player's edges in them are read in one range of all its edges, filtered,
// when that reads less than one range per subrole (a chain of 1 000 relation types took 1 000 range reads a player,
// 12.6 s for 3 000 players), and still range by range when the player has many edges in other roles. Both reads give
// the same edges in the same order. Counted in ranges and edges read, not timed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ThingReader, type RoleEdge } from '../../src/concept/things.js';
import { InstanceStatistics } from '../../src/concept/statistics.js';
import { edgeReadFor, edgesInRoles } from '../../src/query/player-edges.js';
import { PENDING } from '../../src/common/steps.js';
import type { SchemaType } from '../../src/schema/api.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';
import { countedQuery } from './counted-reads.js';

const DEPTH = 100;
const PLAYERS = 40;
const LAST = DEPTH - 1;

/** A chain of relation types r0…r(DEPTH-1), each overriding its parent's role, and of entity types playing them. */
function chainSchema(): string {
  const lines = ['define', 't0 sub entity, plays r0:p0;', 'r0 sub relation, relates p0;'];
  for (let i = 1; i < DEPTH; i++) lines.push(`t${i} sub t${i - 1}${i === LAST ? `, plays r${i}:p${i}` : ''};`, `r${i} sub r${i - 1}, relates p${i} as p${i - 1};`);
  return lines.join('\n');
}

test(`a role of ${DEPTH} subroles is read in one range a player, not one a subrole`, () => {
  withTempManager('role-chain-reads', (manager) => {
    createWithSchema(manager, 'db', chainSchema());
    writeData(manager, 'db', Array.from({ length: PLAYERS }, () => `insert $x isa t${LAST}; (p${LAST}: $x) isa r${LAST};`));
    const database = manager.get('db')!;
    for (const query of [`match $x isa t${LAST}; $r (p0: $x) isa r${LAST}; get;`, `match $x isa t${LAST}; $r (p0: $x); get;`]) {
      const { answers, ranges, reads } = countedQuery(database, query);
      assert.equal(answers, PLAYERS, query);
      // One range of the type's instances, then one of each player's edges (one range per subrole took PLAYERS × DEPTH).
      assert.ok(ranges <= 1 + PLAYERS, `${query}: ${ranges} ranges read for ${PLAYERS} players`);
      assert.ok(reads <= 1 + 2 * PLAYERS, `${query}: ${reads} things and edges read`);
    }
  });
});

const HUB_SCHEMA = `define
hub sub entity, plays big:member, plays small:a, plays small1:a1, plays small2:a2;
big sub relation, relates member;
small sub relation, relates a;
small1 sub small, relates a1 as a;
small2 sub small, relates a2 as a;`;

const HUB_EDGES = 300;

test('a player with many edges in other roles is still read one range per subrole', () => {
  withTempManager('role-chain-hub', (manager) => {
    createWithSchema(manager, 'db', HUB_SCHEMA);
    const bigs = Array.from({ length: HUB_EDGES }, () => '(member: $h) isa big;').join(' ');
    writeData(manager, 'db', [`insert $h isa hub; (a2: $h) isa small2; ${bigs}`]);
    const { answers, ranges, reads } = countedQuery(manager.get('db')!, 'match $h isa hub; $r (a: $h); get;');
    assert.equal(answers, 1);
    // The hub's three ranges (a, a1, a2) and its one edge in them; reading all its edges would read HUB_EDGES more.
    assert.ok(reads <= 10, `read ${reads} things and edges in ${ranges} ranges`);
  });
});

test('reading all of a player\'s edges, filtered, gives the edges one range per role gives, in the same order', () => {
  withTempManager('role-chain-order', (manager) => {
    createWithSchema(
      manager,
      'db',
      `define x sub entity, plays r0:p0, plays r1:p1, plays r2:p2, plays q:o;
       r0 sub relation, relates p0; r1 sub r0, relates p1 as p0; r2 sub r1, relates p2 as p1; q sub relation, relates o;`,
    );
    writeData(manager, 'db', ['insert $x isa x; (p2: $x) isa r2; (o: $x) isa q; (p0: $x) isa r0; (p2: $x) isa r2; (p1: $x) isa r1; (o: $x) isa q;']);
    const database = manager.get('db')!;
    const snapshot = database.store.snapshot();
    try {
      const things = new ThingReader(snapshot, database.schema);
      const role = (label: string) => database.schema.get(label)!;
      const [player] = [...things.instances(role('x'))];
      // Out of id order, as a role's subtypes may come: the read puts them in key order.
      const roles: SchemaType[] = [role('r2:p2'), role('r0:p0'), role('r1:p1')];
      const statistics = new InstanceStatistics();
      const all = edgeReadFor(statistics, things, player!.type, roles);
      assert.ok(all.keep !== undefined, 'three role types for four edges: all the edges are read');
      const perRole = { roles: all.roles };
      const read = (r: typeof all) =>
        [...edgesInRoles(things, player!, r, () => false)].map((e) => {
          assert.notEqual(e, PENDING);
          return `${(e as RoleEdge).role.label.name} ${Buffer.from((e as RoleEdge).relation.iid).toString('hex')}`;
        });
      const edges = read(perRole);
      assert.equal(edges.length, 4);
      assert.deepEqual(edges.map((e) => e.split(' ')[0]), ['p0', 'p1', 'p2', 'p2']);
      assert.deepEqual(read(all), edges);
      // Passing over the edges in other roles asks whether to give way.
      assert.ok([...edgesInRoles(things, player!, all, () => true)].includes(PENDING));
    } finally {
      snapshot.close();
    }
  });
});

test('edges per player: counted from the edge keys of players of the type, per player of the type', () => {
  withTempManager('role-chain-stats', (manager) => {
    createWithSchema(manager, 'db', 'define n sub attribute, value string, plays q:o; x sub entity, plays q:o; q sub relation, relates o;');
    writeData(manager, 'db', ['insert $a "short" isa n; $b "a longer value" isa n; $c isa x; (o: $a, o: $b) isa q; (o: $b) isa q; (o: $b) isa q; $d isa x;']);
    const database = manager.get('db')!;
    const snapshot = database.store.snapshot();
    try {
      const things = new ThingReader(snapshot, database.schema);
      const n = database.schema.get('n')!;
      const o = database.schema.get('q:o')!;
      assert.deepEqual(things.countPlayerEdges(n), { edges: 4, players: 2, byRole: new Map([[o.id, 4]]) });
      assert.deepEqual(things.countPlayerEdges(n, 2), { edges: 2, players: 2, byRole: new Map([[o.id, 2]]) });
      const statistics = new InstanceStatistics();
      assert.equal(statistics.edgesPerPlayer(n, things), 2);
      assert.equal(statistics.edgesPerPlayer(database.schema.get('x')!, things), 0);
    } finally {
      snapshot.close();
    }
  });
});
