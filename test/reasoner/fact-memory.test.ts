// What one inferred fact costs in memory, and the fact cap that follows from it: a rule set inferring more facts
// than the old cap (250 000, when a fact took ~4 KB at the peak) is answered. See bench/reasoning-memory.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OBJECT_IID_LENGTH, inferredRelationIID, objectIID, ThingKind } from '../../src/encoding/index.js';
import type { SchemaType } from '../../src/schema/api.js';
import type { Thing } from '../../src/concept/things.js';
import { relationIdentity } from '../../src/reasoner/inferred-facts.js';
import { ReasoningDatabase } from './harness.js';

/** Every person owns every number: persons × numbers inferred ownerships, from persons + numbers + 1 things. */
function everyoneOwnsEveryNumber(persons: number, numbers: number): ReasoningDatabase {
  const db = new ReasoningDatabase(`define
    number sub attribute, value long;
    person sub entity, owns number;
    bucket sub entity, owns number;
    rule all-numbers: when { $p isa person; $b isa bucket, has number $n; } then { $p has $n; };`);
  db.write('data', `insert $b isa bucket; ${Array.from({ length: numbers }, (_, i) => `$b has number ${i};`).join(' ')}`);
  for (let i = 0; i < persons; i += 500) {
    db.write('data', `insert ${Array.from({ length: Math.min(500, persons - i) }, (_, j) => `$p${j} isa person;`).join(' ')}`);
  }
  return db;
}

describe('memory per inferred fact', () => {
  test('a rule set inferring more facts than the old cap of 250 000 is answered', () => {
    const db = everyoneOwnsEveryNumber(650, 400);
    try {
      const total = db.with((tx) => {
        const r = tx.query('match $p isa person, has number $n; get; count;');
        return r.kind === 'aggregate' ? Number(r.value?.value) : NaN;
      });
      assert.equal(total, 260_000);
    } finally {
      db.close();
    }
  });

  test('inferred relation IIDs are slices of a shared pool, not an ArrayBuffer each', () => {
    const iid = inferredRelationIID(7, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9));
    assert.deepEqual([...iid], [2, 0, 7, 0x81, 2, 3, 4, 5, 6, 7, 8]);
    assert.ok(iid.buffer.byteLength > OBJECT_IID_LENGTH);
  });

  test("a relation's identity takes a character per IID byte and tells multisets apart, in any order", () => {
    // Only ids and IIDs take part in an identity.
    const type = (id: number) => ({ id }) as unknown as SchemaType;
    const thing = (sequence: number): Thing => ({ iid: objectIID(ThingKind.Entity, 3, sequence), type: type(3) });
    const [friendship, friend, other] = [type(10), type(11), type(12)];
    const [a, b] = [thing(1), thing(2)];
    const identity = (...players: [SchemaType, Thing][]) => relationIdentity(friendship, players.map(([role, player]) => ({ role, player })));
    const pair = identity([friend, a], [friend, b]);
    // The settled set keeps one per relation concluded: hex IIDs alone took 44 characters here.
    assert.ok(pair.length < 2 * 2 * OBJECT_IID_LENGTH, `${pair.length} characters`);
    assert.equal(identity([friend, b], [friend, a]), pair);
    const others = [identity([friend, a]), identity([friend, a], [friend, a]), identity([friend, a], [other, b]), identity([friend, a], [friend, b], [friend, b])];
    assert.equal(new Set([pair, ...others]).size, 5);
    assert.notEqual(relationIdentity(type(13), [{ role: friend, player: a }, { role: friend, player: b }]), pair);
  });
});
