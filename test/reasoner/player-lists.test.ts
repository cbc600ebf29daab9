// Role players of relations, as rule bodies read them: the reader's cached list itself, not a copy per relation met.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withFixture, DB } from '../concept/fixtures.js';
import { InferredFacts } from '../../src/reasoner/inferred-facts.js';

test('the role players of a stored or inferred relation are one list, read again without a copy', withFixture(
  'define person sub entity, plays friendship:friend; friendship sub relation, relates friend;',
  (f) => {
    f.write('data', (tx) => tx.query('insert $a isa person; $b isa person; $c isa person; (friend: $a, friend: $b) isa friendship;'));
    const database = f.manager.get(DB);
    const schema = database.schema;
    const snapshot = database.store.snapshot();
    try {
      const facts = new InferredFacts(snapshot, schema);
      const [person, friendship, friend] = [schema.get({ name: 'person' })!, schema.get({ name: 'friendship' })!, schema.get({ scope: 'friendship', name: 'friend' })!];
      const [stored] = [...facts.things.instances(friendship)];
      const [, , c] = [...facts.things.instances(person)];
      const [a] = facts.things.rolePlayerList(stored!).map((e) => e.player);
      const [added] = facts.add({ kind: 'relation', type: friendship, players: [{ role: friend, player: a! }, { role: friend, player: c! }] });
      const inferred = added!.kind === 'thing' ? added!.thing : assert.fail('a relation was inferred');

      for (const relation of [stored!, inferred]) {
        const list = facts.things.rolePlayerList(relation);
        assert.equal(list.length, 2);
        assert.equal(facts.things.rolePlayerList(relation), list, 'the same list');
        assert.deepEqual([...facts.things.rolePlayers(relation)], list);
        assert.deepEqual([...facts.things.rolePlayers(relation, friend)], list);
      }
      assert.ok(facts.things.rolePlayerList(inferred).some((e) => e.player.iid.every((byte, i) => byte === c!.iid[i])));
    } finally {
      snapshot.close();
    }
  },
));
