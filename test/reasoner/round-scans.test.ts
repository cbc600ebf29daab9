// Semi-naive rounds: what a round infers stays out of scans of instances until the round ends (the next round seeds
// rule bodies with it), while edges read from a player see it at once; after the round everything reads as stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withFriendshipFacts } from './facts-fixture.js';

test(
  'a relation inferred in a round is left out of scans until the round ends',
  withFriendshipFacts('insert $a isa person; $b isa person; $c isa person;', (facts, { person, friendship, friend }) => {
    const [a, b, c] = [...facts.things.instances(person)];
    const infer = () => facts.add({ kind: 'relation', type: friendship, players: [{ role: friend, player: a! }, { role: friend, player: b! }] });

    facts.things.beginRound();
    assert.equal(infer().length, 1);
    assert.equal([...facts.things.instances(friendship)].length, 0, 'scanned within its round');
    assert.equal([...facts.things.relationsOf(a!)].length, 1, 'an edge from a player is read at once');
    facts.things.endRound();
    assert.equal([...facts.things.instances(friendship)].length, 1);

    // Outside a round (a query over the materialised view), what is inferred is scanned at once.
    assert.equal(facts.add({ kind: 'relation', type: friendship, players: [{ role: friend, player: a! }, { role: friend, player: c! }] }).length, 1);
    assert.equal([...facts.things.instances(friendship)].length, 2);
  }),
);

test(
  'a type inferred only in the round in progress is scanned in the data alone; later rounds scan both',
  withFriendshipFacts('insert $a isa person; $b isa person; $c isa person; (friend: $a, friend: $b) isa friendship;', (facts, { person, friendship, friend }) => {
    const [a, b, c] = [...facts.things.instances(person)];
    const infer = (x: typeof a, y: typeof a) => facts.add({ kind: 'relation', type: friendship, players: [{ role: friend, player: x! }, { role: friend, player: y! }] });
    // Reads through the merged view (the data and what is inferred).
    let mergedReads = 0;
    const view = facts.view;
    const prefixKeys = view.prefixKeys.bind(view);
    view.prefixKeys = (...args) => (mergedReads++, prefixKeys(...args));

    facts.things.beginRound();
    assert.equal(infer(a, c).length, 1);
    assert.equal([...facts.things.instances(friendship)].length, 1, 'the stored friendship');
    assert.equal(mergedReads, 0, 'nothing inferred before this round: the data alone is scanned');
    facts.things.endRound();

    facts.things.beginRound();
    assert.equal(infer(b, c).length, 1);
    assert.equal([...facts.things.instances(friendship)].length, 2, 'the stored one and the one of the last round');
    assert.ok(mergedReads > 0);
    facts.things.endRound();
    assert.equal([...facts.things.instances(friendship)].length, 3);
  }),
);
