// The native kernel that makes an import's edge keys (native/src/store_keys.c through edge-emitter.ts): the keys it
// lays are those the storage encoding gives (checked against keys added one by one), whether the sorted records come
// in one call or one record per call (merged run files come in blocks: a ROLE group, an owner's keys and the
// previous owner of an attribute then straddle calls), and every @key/@unique violation is found and worded the
// same either way. Out-of-order records are refused, not laid.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ThingKind, attributeIID, hasKey, hasReverseKey, objectIID, roleKey, roleReverseKey } from '../../src/encoding/index.js';
import { EdgeEmitter, type EdgeSet } from '../../src/migration/import/edge-emitter.js';
import type { ThingTypeData } from '../../src/migration/import/import-schema.js';
import { refHi } from '../../src/migration/import/records.js';
import { edgeTools, type EdgeNaming, type EdgeTools } from '../../src/migration/import/store-entries.js';
import { TreeBuilder, type BuiltLeaves } from '../../src/storage/lmdb-file/index.js';
import { tempDir, writeItems } from './fixtures.js';

const PERSON = 1;
const NAME = 2;
const NICK = 3;
const FRIENDSHIP = 4;
const FRIEND = 5;

function type(id: number, label: string, kind: ThingKind, extra: Partial<ThingTypeData> = {}): ThingTypeData {
  const root = kind === ThingKind.Entity ? 'entity' : kind === ThingKind.Relation ? 'relation' : 'attribute';
  const valueType = kind === ThingKind.Attribute ? 'string' : undefined;
  return { id, label, kind, root, abstract: false, valueType, regexText: undefined, owns: new Map(), keys: [], plays: new Set(), roles: new Map(), ...extra };
}

const TYPES: ThingTypeData[] = [
  type(PERSON, 'person', ThingKind.Entity, {
    owns: new Map([
      [NAME, { key: true, unique: true }],
      [NICK, { key: false, unique: false }],
    ]),
    keys: [NAME],
    plays: new Set([FRIEND]),
  }),
  type(NAME, 'name', ThingKind.Attribute),
  type(NICK, 'nick', ThingKind.Attribute, { plays: new Set([FRIEND]) }),
  type(FRIENDSHIP, 'friendship', ThingKind.Relation, { roles: new Map([['friendship:friend', FRIEND]]) }),
];

// Four persons (ordinals 0-3), two friendships (4-5), then the attributes by rank: four names in IID order, a nick.
const names = ['Ann', 'Bo', 'Cy', 'Di'].map((value) => attributeIID(NAME, { type: 'string', value })).sort(Buffer.compare);
const ATTRIBUTES = [...names, attributeIID(NICK, { type: 'string', value: 'Al' })];
const person = (n: number) => n - 1;
const friendship = (n: number) => 4 + n - 1;
const attribute = (rank: number) => 6 + rank;
const iidOf = (ordinal: number): Uint8Array =>
  ordinal < 4 ? objectIID(ThingKind.Entity, PERSON, ordinal + 1) : ordinal < 6 ? objectIID(ThingKind.Relation, FRIENDSHIP, ordinal - 3) : ATTRIBUTES[ordinal - 6]!;

/** The tools, with a file whose items name the persons in messages. */
async function tools(): Promise<EdgeTools> {
  const file = join(tempDir(), 'persons.typedb');
  await writeItems(file, ['p1', 'p2', 'p3', 'p4'].map((id) => ({ kind: 'entity', id, label: 'person', ownerships: [] })));
  const naming: EdgeNaming = {
    objects: [
      [refHi(ThingKind.Entity, PERSON), 4],
      [refHi(ThingKind.Relation, FRIENDSHIP), 2],
    ],
    attributeRanks: [
      [refHi(ThingKind.Attribute, NAME), [0, 3]],
      [refHi(ThingKind.Attribute, NICK), [4, 4]],
    ],
    firstHalf: undefined,
    schema: { types: TYPES, roleLabels: new Map([[FRIEND, 'friendship:friend']]), otherRoots: new Map(), origin: { kind: 'text', database: 'test' } },
    file,
  };
  return edgeTools(naming, () => {});
}

/** Sorted-record words: [payload bytes][key words][payload padded]. */
function records(rows: readonly { key: readonly number[]; payload: Uint8Array }[]): Uint32Array {
  const words: number[] = [];
  for (const { key, payload } of rows) {
    const padded = new Uint8Array(Math.ceil(payload.length / 4) * 4);
    padded.set(payload);
    words.push(payload.length, ...key, ...new Uint32Array(padded.buffer));
  }
  return Uint32Array.from(words);
}

/** A HAS or HAS_REV record: the owner's IID (attributes only) and the attribute's, as the join writes them. */
function ownership(set: 'has' | 'hasReverse', owner: number, owned: number): { key: number[]; payload: Uint8Array } {
  const ownerIid = owner >= 6 ? iidOf(owner) : new Uint8Array(0);
  const payload = Buffer.concat([Buffer.from([ownerIid.length & 0xff, ownerIid.length >>> 8]), ownerIid, iidOf(owned)]);
  return { key: set === 'has' ? [owner, owned] : [owned, owner], payload };
}

function player(set: 'role' | 'roleReverse', relation: number, role: number, played: number): { key: number[]; payload: Uint8Array } {
  const payload = played >= 6 ? iidOf(played) : new Uint8Array(0);
  return { key: set === 'role' ? [relation, role, played] : [played, role, relation], payload };
}

/** The leaves the kernel lays from `words`, in one call or one record per call. */
async function laid(set: EdgeSet, words: Uint32Array, oneByOne: boolean): Promise<{ leaves: BuiltLeaves; keys: number; players: number }> {
  const builder = TreeBuilder.leavesInMemory();
  const { naming, keys } = await tools();
  const emitter = new EdgeEmitter(set, naming, keys, builder, () => {});
  if (!oneByOne) emitter.lay(words, 0, words.length, true);
  else {
    const keyWords = set === 'has' || set === 'hasReverse' ? 2 : 3;
    for (let at = 0; at < words.length; ) {
      const next = at + 1 + keyWords + Math.ceil(words[at]! / 4);
      emitter.lay(words, at, next, next === words.length);
      at = next;
    }
    if (words.length === 0) emitter.lay(words, 0, 0, true);
  }
  return { leaves: builder.finishLeaves(), keys: emitter.keysLaid, players: emitter.playersCounted };
}

/** The same keys added one by one (the storage encoding's, through the batch path). */
function expectedLeaves(entries: readonly [Uint8Array, Uint8Array][]): BuiltLeaves {
  const builder = TreeBuilder.leavesInMemory();
  for (const [key, value] of entries) builder.add(key, value);
  return builder.finishLeaves();
}

function pagesOf(leaves: BuiltLeaves): Buffer {
  return Buffer.concat(leaves.chunks).subarray(0, leaves.pages * 4096);
}

const count = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);

test('ownership keys: repeated ownerships collapse, attribute owners keep their IIDs, in one call or one record per call', async () => {
  // Every person owns its name; p2 also owns the nick, listed twice; the nick owns Di (an attribute owner).
  const has = [
    ownership('has', person(1), attribute(0)),
    ownership('has', person(2), attribute(1)),
    ownership('has', person(2), attribute(4)),
    ownership('has', person(2), attribute(4)),
    ownership('has', person(3), attribute(2)),
    ownership('has', person(4), attribute(3)),
    ownership('has', attribute(4), attribute(3)),
  ];
  const expected = expectedLeaves(
    [
      [person(1), attribute(0)],
      [person(2), attribute(1)],
      [person(2), attribute(4)],
      [person(3), attribute(2)],
      [person(4), attribute(3)],
      [attribute(4), attribute(3)],
    ].map(([o, a]) => [hasKey(iidOf(o!), iidOf(a!)), new Uint8Array(0)]),
  );
  for (const oneByOne of [false, true]) {
    const { leaves, keys } = await laid('has', records(has), oneByOne);
    assert.equal(keys, 6);
    assert.deepEqual(pagesOf(leaves), pagesOf(expected), `one record per call: ${oneByOne}`);
  }
  const reverse = [
    ownership('hasReverse', person(1), attribute(0)),
    ownership('hasReverse', person(2), attribute(1)),
    ownership('hasReverse', person(3), attribute(2)),
    ownership('hasReverse', person(4), attribute(3)),
    ownership('hasReverse', attribute(4), attribute(3)),
    ownership('hasReverse', person(2), attribute(4)),
  ];
  const expectedReverse = expectedLeaves(
    [
      [attribute(0), person(1)],
      [attribute(1), person(2)],
      [attribute(2), person(3)],
      [attribute(3), person(4)],
      [attribute(3), attribute(4)],
      [attribute(4), person(2)],
    ].map(([a, o]) => [hasReverseKey(iidOf(a!), iidOf(o!)), new Uint8Array(0)]),
  );
  for (const oneByOne of [false, true]) {
    const { leaves } = await laid('hasReverse', records(reverse), oneByOne);
    assert.deepEqual(pagesOf(leaves), pagesOf(expectedReverse), `one record per call: ${oneByOne}`);
  }
});

test('role player keys: repeated players add up, a group straddling calls counts once, attribute players keep their IIDs', async () => {
  const groups: [number, number, number][] = [
    [friendship(1), person(1), 3],
    [friendship(1), person(2), 1],
    [friendship(1), attribute(4), 2],
    [friendship(2), person(2), 2],
    [friendship(2), person(4), 1],
  ];
  const rows = (set: 'role' | 'roleReverse') =>
    groups
      .map(([r, p, n]) => Array.from({ length: n }, () => player(set, r, FRIEND, p)))
      .flat()
      .sort((a, b) => a.key[0]! - b.key[0]! || a.key[1]! - b.key[1]! || a.key[2]! - b.key[2]!);
  const forward = expectedLeaves(groups.map(([r, p, n]) => [roleKey(iidOf(r), FRIEND, iidOf(p)), count(n)]));
  const reverse = expectedLeaves(
    [...groups].sort((a, b) => a[1] - b[1] || a[0] - b[0]).map(([r, p, n]) => [roleReverseKey(iidOf(p), FRIEND, iidOf(r)), count(n)]),
  );
  for (const oneByOne of [false, true]) {
    const role = await laid('role', records(rows('role')), oneByOne);
    assert.deepEqual([role.keys, role.players], [5, 9]);
    assert.deepEqual(pagesOf(role.leaves), pagesOf(forward), `one record per call: ${oneByOne}`);
    const roleReverse = await laid('roleReverse', records(rows('roleReverse')), oneByOne);
    assert.deepEqual(pagesOf(roleReverse.leaves), pagesOf(reverse), `one record per call: ${oneByOne}`);
  }
  const empty = await laid('role', new Uint32Array(0), true);
  assert.deepEqual([empty.keys, empty.leaves.pages], [0, 0]);
});

test('@key and @unique violations are found and worded the same in one call and one record per call', async () => {
  const cases: { name: string; set: 'has' | 'hasReverse'; rows: [number, number][]; message: RegExp }[] = [
    {
      name: 'two keys',
      set: 'has',
      rows: [[person(1), attribute(0)], [person(1), attribute(1)]],
      message: /Attempted to commit a\(n\) 'person' that has 2 keys of type 'name'; an instance owns exactly one key of each key type: the person item "p1" at byte offset \d+\./,
    },
    {
      name: 'an owner without its key',
      set: 'has',
      rows: [[person(1), attribute(4)], [person(2), attribute(1)]],
      message: /Attempted to commit a\(n\) 'person' that is missing key\(s\) of type\(s\): \[name\]: the person item "p1" at byte offset \d+\./,
    },
    {
      name: 'an instance between owners that owns nothing',
      set: 'has',
      rows: [[person(1), attribute(0)], [person(3), attribute(2)]],
      message: /Attempted to commit a\(n\) 'person' that is missing key\(s\) of type\(s\): \[name\]: the person item "p2" at byte offset \d+ owns none\./,
    },
    {
      name: 'instances after the last owner that own nothing',
      set: 'has',
      rows: [[person(1), attribute(0)], [person(2), attribute(1)], [person(3), attribute(2)]],
      message: /the person item "p4" at byte offset \d+ owns none\./,
    },
    {
      name: 'a key owned twice',
      set: 'hasReverse',
      rows: [[person(1), attribute(2)], [person(3), attribute(2)]],
      message: new RegExp(
        `Attempted to assign a key '${['Ann', 'Bo', 'Cy', 'Di'].find((v) => Buffer.compare(attributeIID(NAME, { type: 'string', value: v }), names[2]!) === 0)}' ` +
          `of type 'name' that had been taken by another 'person': the person item "p1" at byte offset \\d+ and the person item "p3" at byte offset \\d+ both own it\\.`,
      ),
    },
  ];
  for (const { name, set, rows, message } of cases) {
    const words = records(rows.map(([o, a]) => ownership(set, o, a)).sort((x, y) => x.key[0]! - y.key[0]! || x.key[1]! - y.key[1]!));
    const messages: string[] = [];
    for (const oneByOne of [false, true]) {
      await assert.rejects(laid(set, words, oneByOne), (e: Error) => {
        messages.push(e.message);
        return true;
      });
    }
    assert.match(messages[0]!, message, name);
    assert.equal(messages[1], messages[0], name);
  }
  // Owners of one attribute of a type that is neither @key nor @unique: fine.
  const shared = records([ownership('hasReverse', person(1), attribute(4)), ownership('hasReverse', person(2), attribute(4))]);
  assert.equal((await laid('hasReverse', shared, true)).keys, 2);
});

test('records out of order are refused, not laid', async () => {
  const words = records([ownership('hasReverse', person(2), attribute(1)), ownership('hasReverse', person(1), attribute(0))]);
  await assert.rejects(laid('hasReverse', words, false), /Bulk load needs strictly ascending keys/);
});
