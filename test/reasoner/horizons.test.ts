// Horizons (materialiser.ts `conclude`): a rule body seeded with an inferred fact reads only the relations inferred
// up to it, so that each answer of a body is found once, from its last fact; a body seeded with a demand key reads
// only what was inferred before its rule joined (what comes after is seeded as facts). Counted here as the
// conclusions offered to InferredFacts.add: every body answer offers one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InferredFacts } from '../../src/reasoner/inferred-facts.js';
import { DEMAND_MIN_STORED_THINGS } from '../../src/query/reasoning.js';
import type { Transaction } from '../../src/database/api.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';
import { withFriendshipFacts } from './facts-fixture.js';

const SCHEMA = `define
idx sub attribute, value long;
node sub entity, owns idx, plays link:from, plays link:to, plays reach:from, plays reach:to;
link sub relation, relates from, relates to;
reach sub relation, relates from, relates to;
rule linked: when { (from: $a, to: $b) isa link; } then { (from: $a, to: $b) isa reach; };
rule transitive: when { (from: $a, to: $b) isa reach; (from: $b, to: $c) isa reach; } then { (from: $a, to: $c) isa reach; };`;

const NODES = 14;

/** n choose 3: the answers of the transitive body over a chain's closure (one per a < b < c). */
const triples = (n: number) => (n * (n - 1) * (n - 2)) / 6;

/** Runs `body` over a chain of NODES nodes (after `idle` nodes in nothing), counting the conclusions offered. */
function withChain(idle: number, body: (tx: Transaction, offered: () => number) => void): void {
  withTempManager('horizons', (manager) => {
    createWithSchema(manager, 'chain', SCHEMA);
    const inserts = idle === 0 ? [] : [`insert ${Array.from({ length: idle }, (_, i) => `$idle${i} isa node;`).join(' ')}`];
    for (let i = 0; i < NODES; i++) inserts.push(`insert $n isa node, has idx ${i};`);
    for (let i = 1; i < NODES; i++) inserts.push(`match $a isa node, has idx ${i - 1}; $b isa node, has idx ${i}; insert (from: $a, to: $b) isa link;`);
    writeData(manager, 'chain', inserts);
    const session = manager.session('chain', 'data');
    const add = InferredFacts.prototype.add;
    let offered = 0;
    InferredFacts.prototype.add = function (this: InferredFacts, ...args: Parameters<typeof add>) {
      offered++;
      return add.apply(this, args);
    };
    try {
      const tx = session.transaction('read', { infer: true });
      try {
        body(tx, () => offered);
      } finally {
        tx.close();
      }
    } finally {
      InferredFacts.prototype.add = add;
      session.close();
    }
  });
}

function count(tx: Transaction, query: string): number {
  const result = tx.query(query);
  assert.equal(result.kind, 'aggregate');
  return Number(result.value?.value);
}

test('full materialisation finds each answer of a transitive body once, from its last fact', () => {
  withChain(0, (tx, offered) => {
    assert.equal(count(tx, 'match (from: $x, to: $y) isa reach; get; count;'), (NODES * (NODES - 1)) / 2);
    // One per link (the base rule) and one per a < b < c: a match seeded with a fact read the facts inferred in the
    // same round and after it too, and found many answers again (535 conclusions here, not 377).
    assert.equal(offered(), NODES - 1 + triples(NODES));
  });
});

test('demand-driven reasoning finds each answer of a transitive body once, and keys match only what came before', () => {
  withChain(DEMAND_MIN_STORED_THINGS, (tx, offered) => {
    assert.equal(count(tx, 'match $a isa node, has idx 0; (from: $a, to: $x) isa reach; get $x; count;'), NODES - 1);
    const reasoner = (tx as unknown as { reasoner?: { demanded: { keys: number; overflow: boolean } } }).reasoner;
    assert.ok(reasoner !== undefined && reasoner.demanded.keys > 0 && !reasoner.demanded.overflow, 'answered on demand');
    // The demand spreads along the whole chain (the second atom reads each $b's reaches), so it infers the closure:
    // the same answers as above, and keys seed the base rule with each node's links, from it and to it. Seeded with
    // a key, the transitive body matched everything inferred so far (753 conclusions here; 675 with horizons for
    // facts alone).
    assert.ok(offered() <= triples(NODES) + 2 * (NODES - 1), `${offered()} conclusions`);
  });
});

test('a horizon leaves out of a player\'s relations those inferred after it, and the read still demands them', () => {
  withFriendshipFacts(
    'insert $a isa person; $b isa person; $c isa person; (friend: $a, friend: $b) isa friendship;',
    (facts, { person, friendship, friend }) => {
      const [a, b, c] = [...facts.things.instances(person)];
      const infer = (x: typeof a, y: typeof a) => facts.add({ kind: 'relation', type: friendship, players: [{ role: friend, player: x! }, { role: friend, player: y! }] });
      const [ac] = infer(a, c);
      const [aa] = infer(a, a);
      assert.ok(ac?.kind === 'thing' && aa?.kind === 'thing' && ac.seq < aa.seq);
      const demanded: string[] = [];
      facts.things.demand = {
        ownerships: false,
        player: (player) => demanded.push(player.type.label.name),
        owner: () => {},
        ownership: () => {},
        attribute: () => {},
        type: () => {},
      };
      // Read as a generator and as the held list (what a relation step anchored on a player walks): the same.
      const friendsOfA = () => {
        const held = facts.things.heldRelationsOf(a!, friend);
        const read = [...facts.things.relationsOf(a!, friend)];
        assert.deepEqual(held, read);
        return read.length;
      };
      assert.equal(friendsOfA(), 3, 'the stored one and both inferred');
      facts.things.horizon = ac.seq;
      assert.equal(friendsOfA(), 2, 'the stored one and the one inferred up to the horizon');
      facts.things.horizon = 0;
      assert.equal(friendsOfA(), 1, 'the stored one alone');
      assert.equal(demanded.length, 6, 'each read demanded, whatever the horizon left out');
      facts.things.horizon = Infinity;
      assert.equal(friendsOfA(), 3);
      void b;
    },
  );
});
