// Differential test of the write path: random sequences of inserts, deletes and updates (seeded, so that a
// failure reproduces), in transactions of one to four, some closed or rolled back instead of committed, applied to
// the database and to a plain model. After each commit the database's whole content — things, ownerships, role
// players — must equal the model's, including relations that lost their last player (deleted at commit) and
// attributes left without owners (kept, as in TypeDB).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../bench/workload.js';
import { createWithSchema, withTempManager } from '../support/databases.js';
import type { Session, Transaction } from '../../src/database/api.js';

const SCHEMA = `define
uid sub attribute, value long;
name sub attribute, value string;
age sub attribute, value long;
person sub entity, owns uid @key, owns name, owns age, plays friendship:friend, plays team:member;
friendship sub relation, owns uid @key, relates friend;
team sub relation, owns uid @key, owns name, relates member;`;

const NAMES = ['Ann', 'Bob', 'Cy'];

/** The model: things by uid, with their ownerships (attribute keys) and role players (uids). */
interface Model {
  things: Map<number, { type: string; owns: Set<string>; players: number[] }>;
  /** Attributes that exist, owned or not (`name=Ann`). */
  attributes: Set<string>;
}

const copy = (m: Model): Model => ({
  things: new Map([...m.things].map(([uid, t]) => [uid, { type: t.type, owns: new Set(t.owns), players: [...t.players] }])),
  attributes: new Set(m.attributes),
});

/** One random operation on what `model` holds: its queries, and what they do to the model. */
function randomOperation(random: () => number, model: Model, nextUid: () => number): { queries: string[]; apply(m: Model): void } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const persons = [...model.things].filter(([, t]) => t.type === 'person').map(([uid]) => uid);
  const relations = [...model.things].filter(([, t]) => t.type !== 'person').map(([uid]) => uid);
  const roll = random();
  if (roll < 0.3 || persons.length < 2) {
    const uid = nextUid();
    const name = pick(NAMES);
    const age = Math.floor(random() * 5);
    return {
      queries: [`insert $p isa person, has uid ${uid}, has name "${name}", has age ${age};`],
      apply: (m) => {
        m.things.set(uid, { type: 'person', owns: new Set([`uid=${uid}`, `name=${name}`, `age=${age}`]), players: [] });
        for (const a of [`uid=${uid}`, `name=${name}`, `age=${age}`]) m.attributes.add(a);
      },
    };
  }
  if (roll < 0.5) {
    const uid = nextUid();
    const type = random() < 0.5 ? 'friendship' : 'team';
    const role = type === 'friendship' ? 'friend' : 'member';
    const players = [pick(persons), pick(persons), ...(random() < 0.3 ? [pick(persons)] : [])];
    const distinct = [...new Set(players)];
    const match = distinct.map((p, i) => `$p${i} has uid ${p};`).join(' ');
    const roles = players.map((p) => `${role}: $p${distinct.indexOf(p)}`).join(', ');
    return {
      queries: [`match ${match} insert $r (${roles}) isa ${type}, has uid ${uid};`],
      apply: (m) => {
        m.things.set(uid, { type, owns: new Set([`uid=${uid}`]), players: [...players] });
        m.attributes.add(`uid=${uid}`);
      },
    };
  }
  if (roll < 0.65) {
    // Deleting a person removes its ownerships and its role-player edges; a relation left without players goes.
    const uid = pick(persons);
    return {
      queries: [`match $p isa person, has uid ${uid}; delete $p isa person;`],
      apply: (m) => {
        m.things.delete(uid);
        for (const [r, t] of m.things) {
          t.players = t.players.filter((p) => p !== uid);
          if (t.type !== 'person' && t.players.length === 0) m.things.delete(r);
        }
      },
    };
  }
  if (roll < 0.75 && relations.length > 0) {
    const uid = pick(relations);
    return {
      queries: [`match $r has uid ${uid}; delete $r isa relation;`],
      apply: (m) => void m.things.delete(uid),
    };
  }
  if (roll < 0.87) {
    // An update: the ownership goes, the attribute stays.
    const uid = pick(persons);
    const age = Math.floor(random() * 5);
    return {
      queries: [`match $p isa person, has uid ${uid}, has age $a; delete $p has $a; insert $p has age ${age};`],
      apply: (m) => {
        const t = m.things.get(uid)!;
        const had = [...t.owns].filter((o) => o.startsWith('age='));
        // An update inserts once per answer of its match: a person without an age gets none.
        if (had.length === 0) return;
        for (const o of had) t.owns.delete(o);
        t.owns.add(`age=${age}`);
        m.attributes.add(`age=${age}`);
      },
    };
  }
  {
    const uid = pick(persons);
    const name = pick(NAMES);
    return {
      queries: [`match $p isa person, has uid ${uid}; insert $p has name "${name}";`],
      apply: (m) => {
        m.things.get(uid)!.owns.add(`name=${name}`);
        m.attributes.add(`name=${name}`);
      },
    };
  }
}

/** The database's content in the model's terms. */
function contentOf(session: Session): Model {
  const tx = session.transaction('read');
  try {
    const model: Model = { things: new Map(), attributes: new Set() };
    const rows = (query: string) => {
      const result = tx.query(query);
      if (result.kind !== 'get') throw new Error(`expected answers from ${query}`);
      return [...result.answers];
    };
    const text = (c: unknown) => {
      const concept = c as { kind: string; type: { label: { name: string } }; value: { value: unknown } };
      return `${concept.type.label.name}=${String(concept.value.value)}`;
    };
    const uidOf = (answer: ReadonlyMap<string, unknown>, v: string) => Number((answer.get(v) as { value: { value: bigint } }).value.value);
    for (const answer of rows('match $t has uid $u; $t isa $type; get;')) {
      const type = (answer.get('type') as { label: { name: string } }).label.name;
      if (type === 'entity' || type === 'relation' || type === 'thing') continue;
      model.things.set(uidOf(answer, 'u'), { type, owns: new Set(), players: [] });
    }
    for (const answer of rows('match $t has uid $u; $t has $a; get;')) model.things.get(uidOf(answer, 'u'))!.owns.add(text(answer.get('a')));
    for (const answer of rows('match $r (friend: $p) isa friendship, has uid $u; $p has uid $q; get;')) model.things.get(uidOf(answer, 'u'))!.players.push(uidOf(answer, 'q'));
    for (const answer of rows('match $r (member: $p) isa team, has uid $u; $p has uid $q; get;')) model.things.get(uidOf(answer, 'u'))!.players.push(uidOf(answer, 'q'));
    for (const answer of rows('match $a isa attribute; get;')) model.attributes.add(text(answer.get('a')));
    return model;
  } finally {
    tx.close();
  }
}

/** Role players as the database answers them: each player once per relation (answers are distinct). */
function normalised(m: Model) {
  return {
    things: [...m.things].sort(([a], [b]) => a - b).map(([uid, t]) => `${uid} ${t.type} owns ${[...t.owns].sort().join(',')} players ${[...new Set(t.players)].sort((a, b) => a - b).join(',')}`),
    attributes: [...m.attributes].sort(),
  };
}

test('random inserts, deletes and updates leave the database as they leave a model of it', () => {
  withTempManager('random-writes', (manager) => {
    let operations = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const random = seededRandom(seed);
      const database = `random${seed}`;
      createWithSchema(manager, database, SCHEMA);
      const session = manager.session(database, 'data');
      let model: Model = { things: new Map(), attributes: new Set() };
      let uid = 0;
      for (let batch = 0; batch < 25; batch++) {
        // A transaction of one to four operations; one in six is closed or rolled back instead of committed.
        const tx: Transaction = session.transaction('write');
        const next = copy(model);
        const done: string[] = [];
        for (let k = 1 + Math.floor(random() * 4); k > 0; k--) {
          const op = randomOperation(random, next, () => uid++);
          for (const query of op.queries) {
            tx.query(query);
            done.push(query);
          }
          op.apply(next);
          operations++;
        }
        const ending = random();
        if (ending < 1 / 12) tx.close();
        else if (ending < 1 / 6) {
          // Rolled back, then committed: nothing of it lands.
          tx.rollback();
          tx.commit();
        } else {
          tx.commit();
          model = next;
        }
        assert.deepEqual(normalised(contentOf(session)), normalised(model), `seed ${seed}, after batch ${batch}:\n${done.join('\n')}`);
      }
      session.close();
    }
    assert.ok(operations > 300, `enough operations (${operations})`);
  });
});
