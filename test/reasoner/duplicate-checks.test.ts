// Whether a relation conclusion is already held: by a stored relation with at least its players, or by an inferred
// one with more players. Inferred relations are searched only when one of the type has more players than the
// conclusion: otherwise the only inferred relation that could hold it has its identity, which is settled already.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withFixture, DB } from '../concept/fixtures.js';
import { InferredFacts } from '../../src/reasoner/inferred-facts.js';

test('a relation conclusion is checked against the data and, only when they may hold it, inferred relations', withFixture(
  'define person sub entity, plays grant:giver, plays grant:taker; grant sub relation, relates giver, relates taker;',
  (f) => {
    f.write('data', (tx) => tx.query('insert $a isa person; $b isa person; (giver: $a, taker: $b) isa grant;'));
    f.write('data', (tx) => tx.query('insert $c isa person; $d isa person; $e isa person; $f isa person; $g isa person;'));
    const database = f.manager.get(DB);
    const schema = database.schema;
    const snapshot = database.store.snapshot();
    try {
      const facts = new InferredFacts(snapshot, schema);
      const [person, grant, giver, taker] = [
        schema.get({ name: 'person' })!,
        schema.get({ name: 'grant' })!,
        schema.get({ scope: 'grant', name: 'giver' })!,
        schema.get({ scope: 'grant', name: 'taker' })!,
      ];
      const people = [...facts.things.instances(person)];
      const [a, b] = people.filter((p) => [...facts.things.relationsOf(p)].length > 0);
      const others = people.filter((p) => p !== a && p !== b);
      const conclude = (...players: [typeof giver, (typeof people)[number]][]) =>
        facts.add({ kind: 'relation', type: grant, players: players.map(([role, player]) => ({ role, player })) });

      // Reads of the merged view (the data and what is inferred) or of the inferred facts alone.
      let inferredReads = 0;
      const view = facts.view;
      const [prefix, ownPrefix] = [view.prefix.bind(view), view.ownPrefix.bind(view)];
      view.prefix = (...args) => (inferredReads++, prefix(...args));
      view.ownPrefix = (...args) => (inferredReads++, ownPrefix(...args));

      assert.deepEqual(conclude([giver, a!], [taker, b!]), [], 'held by the stored grant');
      for (const other of others.slice(0, 3)) assert.equal(conclude([giver, a!], [taker, other]).length, 1);
      assert.equal(inferredReads, 0, 'no inferred grant has more players: the inferred ones are not searched');

      // A grant with three players holds every conclusion of two of them: now inferred grants are searched.
      assert.equal(conclude([giver, others[3]!], [taker, others[4]!], [taker, b!]).length, 1);
      assert.deepEqual(conclude([giver, others[3]!], [taker, others[4]!]), [], 'held by the inferred grant of three');
      assert.ok(inferredReads > 0);
      assert.equal(conclude([giver, others[3]!], [taker, a!]).length, 1);
    } finally {
      snapshot.close();
    }
  },
));
