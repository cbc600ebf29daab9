// Two role players matched over a reasoning reader's held list (role-players.ts matchHeldPair) give the answers of the
// general search over the same edges read one by one, in the same order: random relations with repeated players and
// a subrole, patterns with named, fixed and unnamed roles, the same variable twice, a bound player, type sets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../bench/workload.js';
import { matchPlayers } from '../../src/query/role-players.js';
import { TypeSets } from '../../src/query/type-sets.js';
import type { Row } from '../../src/query/bindings.js';
import type { RolePlayerConstraint } from '../../src/query/ir.js';
import type { RoleEdge, Thing, ThingReader } from '../../src/concept/things.js';
import type { SchemaReader, SchemaType } from '../../src/schema/api.js';

const type = (id: number, name: string, root: SchemaType['root'], supertype?: SchemaType): SchemaType =>
  ({ id, label: { name }, root, isMeta: false, abstract: false, supertype }) as SchemaType;

const relationType = type(1, 'pair', 'relation');
const role = type(2, 'member', 'role');
const subrole = type(3, 'leader', 'role', role);
const person = type(4, 'person', 'entity');
const robot = type(5, 'robot', 'entity');
const isSubtypeOf = (t: SchemaType, ancestor: SchemaType): boolean => t.id === ancestor.id || (t.supertype !== undefined && isSubtypeOf(t.supertype, ancestor));

const things: Thing[] = [0, 1, 2, 3].map((i) => ({ iid: new Uint8Array([0, 4, i]), type: i === 3 ? robot : person }));
const relation: Thing = { iid: new Uint8Array([1, 1, 9]), type: relationType };

/** A reader over the edges: held whole (the fast path), or read one by one (the general search). */
function reader(edges: readonly RoleEdge[], held: boolean): ThingReader {
  return {
    heldRolePlayers: () => (held ? edges : undefined),
    *rolePlayers() {
      yield* edges;
    },
  } as unknown as ThingReader;
}

/** Every answer as text: the row's bindings, or a pause. */
function answers(edges: readonly RoleEdge[], held: boolean, players: RolePlayerConstraint[], row: Row, sets: TypeSets): string[] {
  let pauses = 0;
  const out: string[] = [];
  for (const answer of matchPlayers({} as SchemaReader, reader(edges, held), relation, players, row, sets, () => ++pauses % 3 === 0, isSubtypeOf)) {
    out.push(typeof answer === 'symbol' ? 'pause' : [...answer].map(([k, b]) => `${k}=${b.kind === 'thing' ? b.thing.iid[2] : '?'}`).sort().join(','));
  }
  return out.filter((line) => line !== 'pause');
}

test('two held players match as the general search does', () => {
  const random = seededRandom(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const roleSpecs: (RolePlayerConstraint['role'] | undefined)[] = [
    undefined,
    { kind: 'named', name: 'member', roles: [role] },
    { kind: 'named', name: 'leader', roles: [subrole] },
    { kind: 'fixed', type: subrole },
  ];
  let compared = 0;
  for (let n = 0; n < 400; n++) {
    const edges: RoleEdge[] = [];
    for (let e = 0; e < 1 + Math.floor(random() * 4); e++) {
      edges.push({ relation, role: pick([role, subrole]), player: pick(things), count: random() < 0.25 ? 2 : 1 });
    }
    const second = random() < 0.2 ? '$x' : '$y';
    const players: RolePlayerConstraint[] = [
      { role: pick(roleSpecs), player: '$x' },
      { role: pick(roleSpecs), player: second },
    ];
    const sets = new TypeSets();
    if (random() < 0.3) sets.declare('$y', new Set([person]));
    const row = (): Row => (random() < 0.3 ? new Map([['$x', { kind: 'thing', thing: pick(things) }]]) : new Map());
    const start = row();
    const fast = answers(edges, true, players, new Map(start), sets);
    assert.deepEqual(fast, answers(edges, false, players, new Map(start), sets), JSON.stringify({ n, players: players.map((p) => [p.role, p.player]) }));
    compared += fast.length;
  }
  assert.ok(compared > 200, `${compared} answers compared`);
});
