// Role players of relations, as rule bodies read them: the reader's cached list itself, not a copy per relation met.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withFriendshipFacts } from './facts-fixture.js';

test(
  'the role players of a stored or inferred relation are one list, read again without a copy',
  withFriendshipFacts('insert $a isa person; $b isa person; $c isa person; (friend: $a, friend: $b) isa friendship;', (facts, { person, friendship, friend }) => {
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
  }),
);
