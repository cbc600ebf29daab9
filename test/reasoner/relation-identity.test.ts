// A relation's identity text (inferred-facts.ts relationIdentity) is what the IID of an inferred relation is hashed
// from, so it must not change with how it is computed: checked against the first way it was written (players
// counted in a map, each entry with its count, sorted, joined), over random multisets in random orders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../bench/workload.js';
import { relationIdentity } from '../../src/reasoner/inferred-facts.js';
import { iidKey } from '../../src/encoding/index.js';
import type { Thing } from '../../src/concept/things.js';
import type { SchemaType } from '../../src/schema/api.js';

type Player = { role: SchemaType; player: Thing };

function reference(type: SchemaType, players: readonly Player[]): string {
  const byKey = new Map<string, Player & { count: number }>();
  for (const { role, player } of players) {
    const key = `${role.id}:${iidKey(player.iid)}`;
    byKey.set(key, { role, player, count: (byKey.get(key)?.count ?? 0) + 1 });
  }
  const entries = [...byKey.values()].map((p) => String.fromCharCode(p.role.id >> 8, p.role.id & 0xff, p.player.iid.length) + iidKey(p.player.iid) + `${p.count}|`);
  return `${type.id}|${entries.sort().join('')}`;
}

test('relation identities are those of the first implementation, whatever the order of the players', () => {
  const random = seededRandom(11);
  const relation = { id: 300 } as SchemaType;
  const roles = [{ id: 7 }, { id: 8 }, { id: 0x1ff }] as SchemaType[];
  const things: Thing[] = Array.from({ length: 5 }, (_, i) => ({ iid: new Uint8Array([0, 4, i, ...(i % 2 ? [1, 2] : [])]), type: {} as SchemaType }));
  const identities = new Set<string>();
  for (let n = 0; n < 500; n++) {
    const players = Array.from({ length: 1 + Math.floor(random() * 4) }, () => ({
      role: roles[Math.floor(random() * roles.length)]!,
      player: things[Math.floor(random() * things.length)]!,
    }));
    const expected = reference(relation, players);
    assert.equal(relationIdentity(relation, players), expected);
    assert.equal(relationIdentity(relation, [...players].reverse()), expected);
    assert.equal(relationIdentity(relation, players, (iid) => iidKey(iid)), expected);
    identities.add(expected);
  }
  assert.ok(identities.size > 100);
});
