// What one inferred fact costs in memory (see bench/reasoning-memory.ts for bytes per fact).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OBJECT_IID_LENGTH, inferredRelationIID, objectIID, ThingKind } from '../../src/encoding/index.js';
import type { SchemaType } from '../../src/schema/api.js';
import type { Thing } from '../../src/concept/things.js';
import { relationIdentity } from '../../src/reasoner/inferred-facts.js';

describe('memory per inferred fact', () => {
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
