// Differential test of inference: random data and a random set of rules (seeded, so that a failure reproduces),
// ownership and relation conclusions, rules that feed each other and recursion (friends of friends, names passed
// on through friendships, stored and inferred), answered by the engine in `infer`
// transactions and by a plain fixpoint over a model of the data. The behaviour suite's own soundness and
// completeness checks are no-ops (as upstream's harnesses have them); this compares every answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../bench/workload.js';
import type { Concept } from '../../src/concept/concepts.js';
import { answerLines, createWithSchema, uidNames, withTempManager, writeData } from '../support/databases.js';
import type { DatabaseManagerApi, Explainable, Session } from '../../src/database/api.js';

const SCHEMA = `define
uid sub attribute, value long;
name sub attribute, value string;
nick sub attribute, value string;
age sub attribute, value long;
score sub attribute, value double;
person sub entity, owns uid, owns name, owns nick, owns age, owns score, plays friendship:friend, plays employment:employee;
student sub person;
company sub entity, owns uid, owns name, plays employment:employer;
friendship sub relation, owns uid, relates friend;
employment sub relation, owns uid, relates employee, relates employer;`;

const NAMES = ['Ann', 'Bob', 'Cy', 'Di', 'Ed'];
const NICKS = ['old', 'young', 'star'];

/** A thing of the model; `owns` holds attribute keys (`name=Ann`), stored and inferred alike. */
interface ModelThing {
  readonly key: string;
  readonly type: string;
  readonly owns: Set<string>;
  readonly players: (readonly [string, ModelThing])[];
}

const isPerson = (t: ModelThing) => t.type === 'person' || t.type === 'student';
const valueOf = (attribute: string) => attribute.slice(attribute.indexOf('=') + 1);
const typeOf = (attribute: string) => attribute.slice(0, attribute.indexOf('='));

/** A rule: its TypeQL and what it concludes over the model (returns whether anything was added). */
interface RandomRule {
  readonly typeql: string;
  /** Adds to `things` (ownerships, and new inferred relations at its end). */
  apply(things: ModelThing[]): boolean;
}

const add = (thing: ModelThing, attribute: string): boolean => {
  if (thing.owns.has(attribute)) return false;
  thing.owns.add(attribute);
  return true;
};

function randomRules(random: () => number): RandomRule[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const rules: RandomRule[] = [];
  const oldAge = 10 + Math.floor(random() * 50);
  const oldNick = pick(NICKS);
  const scoredNick = pick(NICKS);
  const candidates: RandomRule[] = [
    {
      typeql: `rule older: when { $a isa person, has age $x; $x > ${oldAge}; } then { $a has nick "${oldNick}"; };`,
      apply: (things) => {
        let changed = false;
        for (const a of things.filter(isPerson)) {
          if ([...a.owns].some((o) => typeOf(o) === 'age' && Number(valueOf(o)) > oldAge)) changed = add(a, `nick=${oldNick}`) || changed;
        }
        return changed;
      },
    },
    {
      // Recursive: a name inferred for b passes on to b's friends.
      typeql: 'rule friends-share-names: when { (friend: $a, friend: $b) isa friendship; $b has name $n; } then { $a has $n; };',
      apply: (things) => {
        let changed = false;
        for (const r of things.filter((t) => t.type === 'friendship')) {
          for (let i = 0; i < r.players.length; i++) {
            for (let j = 0; j < r.players.length; j++) {
              if (i === j) continue;
              const [a, b] = [r.players[i]![1], r.players[j]![1]];
              for (const o of [...b.owns]) if (typeOf(o) === 'name') changed = add(a, o) || changed;
            }
          }
        }
        return changed;
      },
    },
    {
      typeql: 'rule employer-name: when { (employee: $a, employer: $c) isa employment; $c has name $n; } then { $a has $n; };',
      apply: (things) => {
        let changed = false;
        for (const r of things.filter((t) => t.type === 'employment')) {
          for (const [role, a] of r.players) {
            if (role !== 'employee') continue;
            for (const [otherRole, c] of r.players) {
              if (otherRole !== 'employer') continue;
              for (const o of [...c.owns]) if (typeOf(o) === 'name') changed = add(a, o) || changed;
            }
          }
        }
        return changed;
      },
    },
    {
      // Fed by `older` and `students-are-stars` when the nicks agree.
      typeql: `rule nick-scores: when { $a isa person, has nick "${scoredNick}"; } then { $a has score 9.5; };`,
      apply: (things) => {
        let changed = false;
        for (const a of things.filter(isPerson)) if (a.owns.has(`nick=${scoredNick}`)) changed = add(a, 'score=9.5') || changed;
        return changed;
      },
    },
    {
      typeql: 'rule students-are-stars: when { $a isa student; } then { $a has nick "star"; };',
      apply: (things) => {
        let changed = false;
        for (const a of things.filter((t) => t.type === 'student')) changed = add(a, 'nick=star') || changed;
        return changed;
      },
    },
    {
      typeql:
        'rule colleagues-are-friends: when { (employee: $a, employer: $c) isa employment; (employee: $b, employer: $c) isa employment; } ' +
        'then { (friend: $a, friend: $b) isa friendship; };',
      apply: (things) => {
        let changed = false;
        const employments = things.filter((t) => t.type === 'employment');
        for (const r of employments) {
          for (const s of employments) {
            for (const [ra, a] of r.players) {
              for (const [rc, c] of r.players) {
                if (ra !== 'employee' || rc !== 'employer') continue;
                for (const [rb, b] of s.players) {
                  if (rb === 'employee' && s.players.some(([role, p]) => role === 'employer' && p === c)) changed = inferFriendship(things, a, b) || changed;
                }
              }
            }
          }
        }
        return changed;
      },
    },
    {
      // Recursive, over stored and inferred friendships alike.
      typeql:
        'rule friends-of-friends: when { (friend: $a, friend: $b) isa friendship; (friend: $b, friend: $c) isa friendship; } ' +
        'then { (friend: $a, friend: $c) isa friendship; };',
      apply: (things) => {
        let changed = false;
        const pairs = friendPairs(things);
        for (const [a, b] of pairs) for (const [b2, c] of pairs) if (b === b2) changed = inferFriendship(things, a, c) || changed;
        return changed;
      },
    },
  ];
  for (const rule of candidates) if (random() < 0.6) rules.push(rule);
  return rules;
}

/** Every (a, b) that `(friend: $a, friend: $b) isa friendship` matches: two different edges of one friendship. */
function friendPairs(things: readonly ModelThing[]): [ModelThing, ModelThing][] {
  const pairs: [ModelThing, ModelThing][] = [];
  for (const r of things.filter((t) => t.type === 'friendship')) {
    for (let i = 0; i < r.players.length; i++) {
      for (let j = 0; j < r.players.length; j++) if (i !== j) pairs.push([r.players[i]![1], r.players[j]![1]]);
    }
  }
  return pairs;
}

/**
 * Adds the friendship (friend: a, friend: b) unless a friendship already holds those players in those roles (at
 * least as many times): the same inferred relation is never added twice.
 */
function inferFriendship(things: ModelThing[], a: ModelThing, b: ModelThing): boolean {
  const wanted = a === b ? 2 : 1;
  const holds = (r: ModelThing) => {
    const count = (p: ModelThing) => r.players.filter(([role, q]) => role === 'friend' && q === p).length;
    return a === b ? count(a) >= wanted : count(a) >= 1 && count(b) >= 1;
  };
  if (things.some((t) => t.type === 'friendship' && holds(t))) return false;
  things.push({ key: `~${things.length}`, type: 'friendship', owns: new Set(), players: [['friend', a], ['friend', b]] });
  return true;
}

function randomData(random: () => number): { things: ModelThing[]; inserts: string[] } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const things: ModelThing[] = [];
  const inserts: string[] = [];
  let uid = 0;
  for (let i = 0; i < 12; i++) {
    const type = i < 2 ? 'company' : random() < 0.3 ? 'student' : 'person';
    const thing: ModelThing = { key: `#${uid}`, type, owns: new Set([`uid=${uid}`]), players: [] };
    const clauses = [`isa ${type}`, `has uid ${uid++}`];
    if (random() < (type === 'company' ? 0.9 : 0.4)) {
      const name = pick(NAMES);
      thing.owns.add(`name=${name}`);
      clauses.push(`has name "${name}"`);
    }
    if (type !== 'company') {
      const age = Math.floor(random() * 70);
      thing.owns.add(`age=${age}`);
      clauses.push(`has age ${age}`);
      if (random() < 0.2) {
        const nick = pick(NICKS);
        thing.owns.add(`nick=${nick}`);
        clauses.push(`has nick "${nick}"`);
      }
    }
    things.push(thing);
    inserts.push(`insert $x ${clauses.join(', ')};`);
  }
  const people = things.filter(isPerson);
  const companies = things.filter((t) => t.type === 'company');
  for (let i = 0; i < 8; i++) {
    const friendship = random() < 0.6;
    const type = friendship ? 'friendship' : 'employment';
    const thing: ModelThing = { key: `#${uid}`, type, owns: new Set([`uid=${uid}`]), players: [] };
    if (friendship) for (let k = 1 + Math.floor(random() * 3); k > 0; k--) thing.players.push(['friend', pick(people)]);
    else thing.players.push(['employee', pick(people)], ['employer', pick(companies)]);
    const bound = [...new Set(thing.players.map(([, p]) => p))];
    const match = bound.map((p, k) => `$p${k} has uid ${p.key.slice(1)};`).join(' ');
    const roles = thing.players.map(([role, p]) => `${role}: $p${bound.indexOf(p)}`).join(', ');
    inserts.push(`match ${match} insert $r (${roles}) isa ${type}, has uid ${uid++};`);
    things.push(thing);
  }
  return { things, inserts };
}

/** The model with every rule applied until nothing changes. */
function saturate(things: readonly ModelThing[], rules: readonly RandomRule[]): ModelThing[] {
  const copy = things.map((t) => ({ ...t, owns: new Set(t.owns), players: [] as (readonly [string, ModelThing])[] }));
  const byKey = new Map(copy.map((t) => [t.key, t]));
  things.forEach((t, i) => copy[i]!.players.push(...t.players.map(([role, p]) => [role, byKey.get(p.key)!] as const)));
  for (let changed = true; changed; ) {
    changed = false;
    for (const rule of rules) changed = rule.apply(copy) || changed;
  }
  return copy;
}

/** Queries, each with its answer over a model: answers as sorted `var:key` strings. */
const QUERIES: readonly { readonly typeql: string; answers(things: readonly ModelThing[]): string[] }[] = [
  ...['name', 'nick', 'score'].map((attribute) => ({
    typeql: `match $a has ${attribute} $v; get;`,
    answers: (things: readonly ModelThing[]) => things.flatMap((t) => [...t.owns].filter((o) => typeOf(o) === attribute).map((o) => `a:${t.key} v:${o}`)),
  })),
  {
    typeql: 'match $a isa student, has $v; get;',
    answers: (things) => things.filter((t) => t.type === 'student').flatMap((t) => [...t.owns].map((o) => `a:${t.key} v:${o}`)),
  },
  {
    typeql: 'match $a has nick $n; $a has score 9.5; get;',
    answers: (things) => things.filter((t) => t.owns.has('score=9.5')).flatMap((t) => [...t.owns].filter((o) => typeOf(o) === 'nick').map((o) => `a:${t.key} n:${o}`)),
  },
  {
    typeql: 'match (friend: $a, friend: $b) isa friendship; $a has name $n; $b has name $n; get $a, $n;',
    answers: (things) => {
      const out = new Set<string>();
      for (const r of things.filter((t) => t.type === 'friendship')) {
        for (let i = 0; i < r.players.length; i++) {
          for (let j = 0; j < r.players.length; j++) {
            if (i === j) continue;
            const [a, b] = [r.players[i]![1], r.players[j]![1]];
            for (const o of a.owns) if (typeOf(o) === 'name' && b.owns.has(o)) out.add(`a:${a.key} n:${o}`);
          }
        }
      }
      return [...out];
    },
  },
  {
    typeql: 'match (friend: $a, friend: $b) isa friendship; get $a, $b;',
    answers: (things) => [...new Set(friendPairs(things).map(([a, b]) => `a:${a.key} b:${b.key}`))],
  },
  {
    // Counts relations too: an inferred relation added twice would show here.
    typeql: 'match $r (friend: $a, friend: $b) isa friendship; get; count;',
    answers: (things) => {
      let count = 0;
      for (const r of things.filter((t) => t.type === 'friendship')) {
        const pairs = new Set<string>();
        for (let i = 0; i < r.players.length; i++) {
          for (let j = 0; j < r.players.length; j++) if (i !== j) pairs.add(`${r.players[i]![1].key} ${r.players[j]![1].key}`);
        }
        count += pairs.size;
      }
      return [`count:${count}`];
    },
  },
  {
    typeql: 'match $a isa person; not { $a has name $n; }; get;',
    answers: (things) => things.filter((t) => isPerson(t) && ![...t.owns].some((o) => typeOf(o) === 'name')).map((t) => `a:${t.key}`),
  },
];

function answersOf(session: Session, query: string, infer: boolean, name: (concept: Concept) => string): string[] {
  const tx = session.transaction('read', { infer });
  try {
    const result = tx.query(query);
    if (result.kind === 'aggregate') return [`count:${String(result.value?.value)}`];
    if (result.kind !== 'get') throw new Error(`expected answers from ${query}`);
    return answerLines(result.answers, name);
  } finally {
    tx.close();
  }
}

/** A database of random data and rules from the seed, with a data session open on it (the caller closes it). */
function randomDatabase(manager: DatabaseManagerApi, seed: number) {
  const random = seededRandom(seed);
  const database = `random${seed}`;
  const data = randomData(random);
  const rules = randomRules(random);
  createWithSchema(manager, database, `${SCHEMA}\n${rules.map((r) => r.typeql).join('\n')}`);
  writeData(manager, database, data.inserts);
  const session = manager.session(database, 'data');
  return { data, rules, session, context: `seed ${seed}, rules ${rules.map((r) => r.typeql.split(':')[0]).join(', ')}` };
}

test('random rules infer exactly what a fixpoint over the same data infers; without infer, only stored facts answer', () => {
  withTempManager('random-inference', (manager) => {
    let inferredAnswers = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
      const { data, rules, session, context } = randomDatabase(manager, seed);
      const uidTx = session.transaction('read');
      const name = uidNames(uidTx);
      uidTx.close();
      const saturated = saturate(data.things, rules);
      for (const query of QUERIES) {
        const expected = query.answers(saturated).sort();
        assert.deepEqual(answersOf(session, query.typeql, true, name), expected, `with infer, ${context}: ${query.typeql}`);
        assert.deepEqual(answersOf(session, query.typeql, false, name), query.answers(data.things).sort(), `without infer, ${context}: ${query.typeql}`);
        inferredAnswers += expected.length - query.answers(data.things).length;
      }
      session.close();
    }
    assert.ok(inferredAnswers > 50, `inference changed the answers (${inferredAnswers} more)`);
  });
});

test('every inferred fact of random rules is explained, and every explanation concludes it from a condition that holds', () => {
  withTempManager('random-explanations', (manager) => {
    let explained = 0;
    for (const seed of [11, 12, 13, 14, 15, 16]) {
      const { data, session, context } = randomDatabase(manager, seed);
      const tx = session.transaction('read', { infer: true, explain: true });
      const name = uidNames(tx);
      const stored = new Map(data.things.map((t) => [t.key, t.owns]));
      /** Whether the answer's ownership is in the data (the model before any rule). */
      const storedOwnership = (answer: ReadonlyMap<string, Concept>) => {
        const attribute = answer.get('v') as { type: { label: { name: string } }; value: { value: unknown } };
        return stored.get(name(answer.get('a')!))?.has(`${attribute.type.label.name}=${String(attribute.value.value)}`) ?? false;
      };
      const iidOf = (c: Concept | undefined) => (c !== undefined && 'iid' in c ? c.iid : undefined);
      /** The rule's `when` with the condition's named things fixed by IID has an answer. */
      const holds = (when: string, condition: ReadonlyMap<string, Concept>) => {
        const fixed = [...condition].filter(([v, c]) => !v.startsWith('_') && iidOf(c) !== undefined).map(([v, c]) => `$${v} iid ${iidOf(c)};`);
        const result = tx.query(`match ${when.trim().slice(1, -1)} ${fixed.join(' ')} get;`);
        return result.kind === 'get' && [...result.answers].length > 0;
      };

      const owned = tx.query('match $a has $v; get;');
      assert.equal(owned.kind, 'get');
      if (owned.kind !== 'get') continue;
      for (const answer of [...owned.answers]) {
        const explainable: Explainable | undefined = owned.explainables!(answer).ownerships.get('a')?.get('v');
        const inferred = !storedOwnership(answer);
        assert.equal(explainable !== undefined, inferred, `an explainable exactly for inferred ownerships, ${context}`);
        if (explainable === undefined) continue;
        const explanations = tx.explain(explainable.id);
        assert.ok(explanations.length > 0, `an inferred ownership has an explanation, ${context}`);
        for (const e of explanations) {
          const [owner] = e.variableMapping.get('a')!;
          const [attribute] = e.variableMapping.get('v')!;
          assert.equal(iidOf(e.conclusion.get(owner!)), iidOf(answer.get('a')), `the conclusion's owner, ${context}`);
          assert.equal(iidOf(e.conclusion.get(attribute!)), iidOf(answer.get('v')), `the conclusion's attribute, ${context}`);
          // A rule that concludes a value concludes this attribute's.
          const literal = /has (\S+) "?([^"]*)"?$/.exec(e.rule.then);
          const value = answer.get('v') as { type: { label: { name: string } }; value: { value: unknown } };
          if (literal) assert.equal(`${literal[1]}=${literal[2]}`, `${value.type.label.name}=${String(value.value.value)}`, `${e.rule.label} concludes it, ${context}`);
          assert.ok(holds(e.rule.when, e.condition), `the condition of ${e.rule.label} holds, ${context}`);
          explained++;
        }
      }
      const friendships = tx.query('match $r (friend: $a, friend: $b) isa friendship; get;');
      if (friendships.kind !== 'get') continue;
      for (const answer of [...friendships.answers]) {
        const explainable: Explainable | undefined = friendships.explainables!(answer).relations.get('r');
        assert.equal(explainable !== undefined, (answer.get('r') as { inferred: boolean }).inferred, `an explainable exactly for inferred relations, ${context}`);
        if (explainable === undefined) continue;
        const explanations = tx.explain(explainable.id);
        assert.ok(explanations.length > 0, `an inferred relation has an explanation, ${context}`);
        for (const e of explanations) {
          assert.equal(iidOf(e.conclusion.get('_')), iidOf(answer.get('r')), `the concluded relation, ${context}`);
          assert.ok(holds(e.rule.when, e.condition), `the condition of ${e.rule.label} holds, ${context}`);
          explained++;
        }
      }
      tx.close();
      session.close();
    }
    assert.ok(explained > 100, `explanations were checked (${explained})`);
  });
});
