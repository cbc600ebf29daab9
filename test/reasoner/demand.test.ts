// Demand-driven reasoning (src/reasoner/demand.ts) against full materialisation: random data and random rule sets
// (seeded, so that a failure reproduces), each query (get, aggregate, group, fetch) answered in an `infer` transaction
// (demand-driven) and in one that also explains (which materialises in full), and the facts a query about one thing
// infers counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../bench/workload.js';
import type { Reasoner } from '../../src/reasoner/index.js';
import { DEMAND_MIN_STORED_THINGS } from '../../src/query/reasoning.js';
import type { Session, Transaction } from '../../src/database/api.js';
import { answerLines, createWithSchema, uidNames, withTempManager, writeData } from '../support/databases.js';

const SCHEMA = `define
uid sub attribute, value long;
name sub attribute, value string;
age sub attribute, value long;
tag sub attribute, value string;
score sub attribute, value long;
person sub entity, owns uid, owns name, owns age, owns tag, owns score,
  plays friendship:friend, plays follows:from, plays follows:to, plays reaches:from, plays reaches:to,
  plays knows:knower, plays knows:known, plays admiration:fan, plays admiration:idol, plays note:about;
friendship sub relation, relates friend, plays note:subject;
follows sub relation, relates from, relates to;
reaches sub relation, relates from, relates to;
knows sub relation, relates knower, relates known;
admiration sub relation, relates fan, relates idol;
note sub relation, relates subject, relates about;`;

/**
 * Rules the random sets are drawn from: symmetric, transitive (linear and not), chained, ownership-concluding (of a
 * literal, of a value variable — both may create attributes —, of an attribute variable) and relations concluded from
 * inferred ownerships.
 */
const RULES = [
  'rule sym: when { (friend: $a, friend: $b) isa friendship; } then { (friend: $b, friend: $a) isa friendship; };',
  'rule trans: when { (friend: $a, friend: $b) isa friendship; (friend: $b, friend: $c) isa friendship; } then { (friend: $a, friend: $c) isa friendship; };',
  'rule reach-base: when { (from: $a, to: $b) isa follows; } then { (from: $a, to: $b) isa reaches; };',
  'rule reach-step: when { (from: $a, to: $b) isa reaches; (from: $b, to: $c) isa follows; } then { (from: $a, to: $c) isa reaches; };',
  'rule reach-trans: when { (from: $a, to: $b) isa reaches; (from: $b, to: $c) isa reaches; } then { (from: $a, to: $c) isa reaches; };',
  'rule knows-friends: when { (friend: $a, friend: $b) isa friendship; } then { (knower: $a, known: $b) isa knows; };',
  'rule knows-chain: when { (knower: $a, known: $b) isa knows; (from: $b, to: $c) isa reaches; } then { (knower: $a, known: $c) isa knows; };',
  'rule old: when { $a isa person, has age $x; $x > 40; } then { $a has tag "old"; };',
  'rule admire-old: when { (friend: $a, friend: $b) isa friendship; $b has tag "old"; } then { (fan: $a, idol: $b) isa admiration; };',
  'rule admire-grown-ups: when { (from: $a, to: $b) isa follows; not { $b has age $x; $x < 10; }; } then { (fan: $a, idol: $b) isa admiration; };',
  'rule admire-strangers: when { (from: $a, to: $b) isa follows; not { (friend: $a, friend: $b) isa friendship; }; } then { (fan: $b, idol: $a) isa admiration; };',
  'rule note: when { $f (friend: $a, friend: $b) isa friendship; } then { (subject: $f, about: $a) isa note; };',
  'rule mutual: when { (from: $a, to: $b) isa follows; (from: $b, to: $a) isa follows; $r type friendship:friend; } then { ($r: $a, $r: $b) isa friendship; };',
  'rule double-age: when { $a isa person, has age $x; ?s = $x * 2; } then { $a has score ?s; };',
  'rule followed: when { (from: $a, to: $b) isa follows; } then { $b has tag "followed"; };',
  'rule share-tags: when { (friend: $a, friend: $b) isa friendship; $b has tag $t; } then { $a has $t; };',
  'rule reach-old: when { (from: $a, to: $b) isa reaches; $b has tag "old"; } then { $a has tag "reaches-old"; };',
  'rule high-score: when { (from: $a, to: $b) isa follows; $b has score $s; $s > 60; } then { (knower: $a, known: $b) isa knows; };',
  'rule followed-score: when { $a isa person, has tag "followed", has age $x; ?s = $x + 1000; } then { $a has score ?s; };',
];

/** Queries about one person (X), and a few that read whole types. */
const QUERIES = [
  'match $p isa person, has name "X"; (friend: $p, friend: $f) isa friendship; get $f;',
  'match $p isa person, has name "X"; (from: $p, to: $t) isa reaches; get $t;',
  'match $p isa person, has name "X"; (from: $t, to: $p) isa reaches; get $t;',
  'match $p isa person, has name "X"; (fan: $p, idol: $i) isa admiration; get $i;',
  'match $p isa person, has name "X"; (idol: $p, fan: $i) isa admiration; get $i;',
  'match $p isa person, has name "X"; $f (friend: $p, friend: $q) isa friendship; (subject: $f, about: $a) isa note; get $q, $a;',
  'match $p isa person, has name "X"; (friend: $p, friend: $f) isa friendship; not { (from: $p, to: $f) isa reaches; }; get $f;',
  'match $p isa person, has name "X"; (knower: $p, known: $k) isa knows; $k has name $n; get $n;',
  'match $p isa person, has name "X"; (friend: $p, friend: $f) isa friendship; (friend: $f, friend: $g) isa friendship; get $g;',
  'match $p isa person, has name "X"; $p has tag $t; get $t;',
  'match $p isa person, has name "X"; $r ($p, $q) isa relation; get $q;',
  'match (friend: $a, friend: $b) isa friendship; get;',
  'match (knower: $a, known: $b) isa knows; $a has age $x; $x > 30; get;',
  'match $p isa person, has name "X"; $p has score $s; get $s;',
  'match $p isa person, has name "X"; $p has $a; get $a;',
  'match $p isa person, has name "X"; $p has tag "followed"; get $p;',
  'match $p isa person, has name "X"; (friend: $p, friend: $f) isa friendship; $f has tag $t; get $f, $t;',
  'match $p has tag "old"; get $p;',
  'match $p has tag "t1"; get $p;',
  'match $p has tag "reaches-old"; $p has name $n; get $n;',
  'match $p isa person, has score 80; get $p;',
  'match $s isa score; $s > 50; get $s;',
];

/** Aggregates and groups over queries about one person (X): demand-driven too, folded over the last probe's answers. */
const AGGREGATES = [
  'match $p isa person, has name "X"; (friend: $p, friend: $f) isa friendship; get $f; count;',
  'match $p isa person, has name "X"; (from: $p, to: $t) isa reaches; $t has age $a; get $t, $a; sum $a;',
  'match $p isa person, has name "X"; $p has score $s; get $s; max $s;',
  'match $p isa person, has name "X"; (knower: $p, known: $k) isa knows; get $k; group $k;',
  'match $p isa person, has name "X"; (friend: $p, friend: $f) isa friendship; $f has tag $t; get $f, $t; group $t; count;',
  'match $p has tag "old"; get $p; count;',
];

/** Fetches about one person (X): their projections and subqueries read inferred facts too. */
const FETCHES = [
  'match $p isa person, has name "X"; (friend: $p, friend: $f) isa friendship; fetch $f: name, tag, score;',
  'match $p isa person, has name "X"; fetch $p: tag, score; friends: { match (friend: $p, friend: $f) isa friendship; fetch $f: name, tag; };',
  'match $p isa person, has name "X"; fetch $p: name; reached: { match (from: $p, to: $t) isa reaches; get $t; count; };',
];

const PEOPLE = 12;

function randomDatabase(manager: Parameters<typeof createWithSchema>[0], seed: number): { session: Session; rules: string[] } {
  const random = seededRandom(seed);
  const rules = RULES.filter(() => random() < 0.5);
  const database = `demand${seed}`;
  createWithSchema(manager, database, `${SCHEMA}\n${rules.join('\n')}`);
  // People in nothing, so that the types the queries read hold enough stored things for demand-driven reasoning
  // (query/reasoning.ts DEMAND_MIN_STORED_THINGS; over less, rules are materialised in full at once). First: the
  // statistics count a type when a query first plans with it and recount it only every 64 commits.
  const inserts = [`insert ${Array.from({ length: DEMAND_MIN_STORED_THINGS }, (_, i) => `$idle${i} isa person;`).join(' ')}`];
  for (let i = 0; i < PEOPLE; i++) {
    const tag = random() < 0.5 ? `, has tag "t${Math.floor(random() * 3)}"` : '';
    inserts.push(`insert $p isa person, has uid ${i}, has name "n${i}", has age ${Math.floor(random() * 60)}${tag};`);
  }
  const pair = () => [Math.floor(random() * PEOPLE), Math.floor(random() * PEOPLE)] as const;
  const relate = (type: string, [one, two]: readonly string[], [a, b]: readonly [number, number]) =>
    `match $a isa person, has uid ${a}; $b isa person, has uid ${b}; insert (${one}: $a, ${two}: $b) isa ${type};`;
  for (let i = 0; i < 7; i++) inserts.push(relate('friendship', ['friend', 'friend'], pair()));
  for (let i = 0; i < 10; i++) inserts.push(relate('follows', ['from', 'to'], pair()));
  writeData(manager, database, inserts);
  return { session: manager.session(database, 'data'), rules };
}

/**
 * Distinct answers as sorted lines: an explaining transaction keeps one answer per match of projected-away variables
 * (see executor.ts), a plain one merges them.
 */
function answers(tx: Transaction, query: string, name: ReturnType<typeof uidNames>): string[] {
  const result = tx.query(query);
  if (result.kind !== 'get') throw new Error(`expected answers from ${query}`);
  return [...new Set(answerLines(result.answers, name))];
}

/** An aggregate's value, or a group's lines (its owner, then its answers or its value), sorted. */
function folded(tx: Transaction, query: string, name: ReturnType<typeof uidNames>): string[] {
  const result = tx.query(query);
  if (result.kind === 'aggregate') return [String(result.value?.value)];
  if (result.kind === 'group') return result.groups.map((g) => `${name(g.owner)}: ${[...new Set(answerLines(g.answers, name))].join(', ')}`).sort();
  if (result.kind === 'group-aggregate') return result.groups.map((g) => `${name(g.owner)}: ${String(g.value?.value)}`).sort();
  throw new Error(`expected an aggregate or groups from ${query}`);
}

/** A fetch's answers as sorted JSON lines, every list in them sorted too (their order follows the plan). */
function fetched(tx: Transaction, query: string): string[] {
  const result = tx.query(query);
  if (result.kind !== 'fetch') throw new Error(`expected a fetch's answers from ${query}`);
  const canonical = (json: unknown): unknown =>
    Array.isArray(json) ? json.map(canonical).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
      : typeof json === 'object' && json !== null ? Object.fromEntries(Object.entries(json).map(([k, v]) => [k, canonical(v)]))
        : typeof json === 'bigint' ? String(json)
          : json;
  return [...result.answers].map((answer) => JSON.stringify(canonical(answer))).sort();
}

/** The facts the transaction's reasoner has inferred (the transaction keeps it private). */
function inferredFacts(tx: Transaction): number {
  return (tx as unknown as { reasoner?: Reasoner }).reasoner?.inferredFacts ?? 0;
}

test('queries about one thing answer as over full materialisation, for random data and random rule sets', () => {
  withTempManager('demand-random', (manager) => {
    let compared = 0;
    let fewerFacts = 0;
    let fewerFolded = 0;
    let fewerFetched = 0;
    for (let seed = 1; seed <= 14; seed++) {
      const { session, rules } = randomDatabase(manager, seed);
      const context = `seed ${seed}, rules ${rules.map((r) => r.split(':')[0]).join(', ')}`;
      const plain = session.transaction('read');
      const name = uidNames(plain);
      plain.close();
      // One transaction asks everything in turn: what earlier queries demanded stays, later ones add to it.
      const shared = session.transaction('read', { infer: true });
      const random = seededRandom(seed * 7919);
      for (const template of [...QUERIES, ...AGGREGATES, ...FETCHES]) {
        const read = QUERIES.includes(template) ? answers : AGGREGATES.includes(template) ? folded : fetched;
        for (let k = 0; k < 2; k++) {
          const query = template.replace('"X"', `"n${Math.floor(random() * PEOPLE)}"`);
          const full = session.transaction('read', { infer: true, explain: true });
          const demand = session.transaction('read', { infer: true });
          try {
            const expected = read(full, query, name);
            assert.deepEqual(read(demand, query, name), expected, `demand-driven, ${context}: ${query}`);
            assert.deepEqual(read(shared, query, name), expected, `after other queries, ${context}: ${query}`);
            compared += expected.length;
            if (inferredFacts(demand) < inferredFacts(full)) {
              fewerFacts++;
              if (read === folded) fewerFolded++;
              if (read === fetched) fewerFetched++;
            }
          } finally {
            full.close();
            demand.close();
          }
        }
      }
      shared.close();
      session.close();
    }
    assert.ok(compared > 500, `answers compared: ${compared}`);
    assert.ok(fewerFacts > 50, `queries that inferred less than full materialisation: ${fewerFacts}`);
    assert.ok(fewerFolded > 20, `aggregates and groups that inferred less than full materialisation: ${fewerFolded}`);
    assert.ok(fewerFetched > 10, `fetches that inferred less than full materialisation: ${fewerFetched}`);
  });
});

test('the Concept API of a transaction whose queries reasoned on demand reads complete relations', () => {
  withTempManager('demand-concepts', (manager) => {
    createWithSchema(manager, 'db', `${SCHEMA}\n${RULES[0]}\n${RULES[1]}`);
    writeData(manager, 'db', [
      'insert $a isa person, has uid 0, has name "a"; $b isa person, has uid 1, has name "b"; $c isa person, has uid 2, has name "c"; $d isa person, has uid 3, has name "d";',
      'match $a isa person, has uid 0; $b isa person, has uid 1; $c isa person, has uid 2; $d isa person, has uid 3; ' +
        'insert (friend: $a, friend: $b) isa friendship; (friend: $c, friend: $d) isa friendship;',
    ]);
    const session = manager.session('db', 'data');
    const tx = session.transaction('read', { infer: true });
    try {
      const query = 'match $p isa person, has name "a"; (friend: $p, friend: $f) isa friendship; get $f;';
      assert.deepEqual(answers(tx, query, uidNames(tx)), ['f:#0', 'f:#1']);
      // Nothing about c was read by that query: its inferred friendship with itself is inferred when asked for.
      const relations = [...tx.concepts().things.getRelations(iidOf(tx, 'c'))].map((r) => r.iid);
      assert.equal(new Set(relations).size, 2, 'c-d as stored, and c with itself');
    } finally {
      tx.close();
      session.close();
    }
  });
});

function iidOf(tx: Transaction, name: string): string {
  const result = tx.query(`match $p isa person, has name "${name}"; get $p;`);
  if (result.kind !== 'get') throw new Error('expected answers');
  const p = [...result.answers][0]!.get('p')!;
  if (p.kind !== 'entity') throw new Error('not an entity');
  return p.iid;
}

/** An ownership concluded from what a node reaches: its chain's last node is tagged "end". */
const REACH_END = 'rule reach-end: when { (from: $a, to: $b) isa reaches; $b has tag "end"; } then { $a has tag "reaches-end"; };';

test('a query about one node of 500 disjoint chains infers only what that node reaches', () => {
  const CHAINS = 500;
  const LENGTH = 20;
  withTempManager('demand-chains', (manager) => {
    createWithSchema(manager, 'db', `${SCHEMA}\n${RULES[2]}\n${RULES[3]}\n${RULES[0]}\n${RULES[1]}\n${REACH_END}`);
    const things: string[] = [];
    const links: string[] = [];
    for (let c = 0; c < CHAINS; c++) {
      for (let i = 0; i < LENGTH; i++) things.push(`$p${c}_${i} isa person, has name "n${c}-${i}"${i === LENGTH - 1 ? ', has tag "end"' : ''};`);
      for (let i = 1; i < LENGTH; i++) {
        links.push(`(from: $p${c}_${i - 1}, to: $p${c}_${i}) isa follows;`);
        links.push(`(friend: $p${c}_${i - 1}, friend: $p${c}_${i}) isa friendship;`);
      }
    }
    writeData(manager, 'db', [`insert ${things.join('\n')}\n${links.join('\n')}`]);
    const session = manager.session('db', 'data');
    try {
      const ask = (query: string) => {
        const tx = session.transaction('read', { infer: true });
        try {
          return { answers: answers(tx, query, (c) => ('iid' in c ? c.iid : '?')).length, facts: inferredFacts(tx) };
        } finally {
          tx.close();
        }
      };
      // Linear reachability: the reaches relations from the first node of one chain, and nothing else.
      const reached = ask('match $p isa person, has name "n7-0"; (from: $p, to: $t) isa reaches; get $t;');
      assert.equal(reached.answers, LENGTH - 1);
      assert.ok(reached.facts <= LENGTH, `facts inferred: ${reached.facts}, all chains would infer ${(CHAINS * LENGTH * (LENGTH - 1)) / 2}`);
      // Symmetric and transitive friendship: the closure of that chain alone (every pair, each node with itself).
      const friends = ask('match $p isa person, has name "n7-3"; (friend: $p, friend: $f) isa friendship; get $f;');
      assert.equal(friends.answers, LENGTH);
      assert.ok(friends.facts <= LENGTH * LENGTH, `facts inferred: ${friends.facts}, all chains would infer ~${CHAINS * LENGTH * LENGTH}`);
      // An ownership concluded from reachability: the owner's reaches relations only, the attribute and its ownership.
      const tags = ask('match $p isa person, has name "n7-0"; $p has tag $t; get $t;');
      assert.equal(tags.answers, 1);
      assert.ok(tags.facts <= LENGTH + 1, `facts inferred: ${tags.facts}, all chains would infer ${(CHAINS * LENGTH * (LENGTH + 1)) / 2}`);
      // A count and a group over more answers than a get's probe keeps (10 000): every person for each node reached.
      const count = (query: string) => {
        const tx = session.transaction('read', { infer: true });
        try {
          return { result: tx.query(query), facts: inferredFacts(tx) };
        } finally {
          tx.close();
        }
      };
      const reachedPairs = 'match $p isa person, has name "n7-0"; (from: $p, to: $t) isa reaches; $q isa person; get $t, $q;';
      const counted = count(`${reachedPairs} count;`);
      assert.deepEqual(counted.result, { kind: 'aggregate', value: { type: 'long', value: BigInt((LENGTH - 1) * CHAINS * LENGTH) } });
      assert.ok(counted.facts <= LENGTH, `facts inferred for the count: ${counted.facts}`);
      const grouped = count(`${reachedPairs} group $t; count;`);
      assert.equal(grouped.result.kind, 'group-aggregate');
      if (grouped.result.kind !== 'group-aggregate') return;
      assert.deepEqual(grouped.result.groups.map((g) => g.value?.value), Array.from({ length: LENGTH - 1 }, () => BigInt(CHAINS * LENGTH)));
      assert.ok(grouped.facts <= LENGTH, `facts inferred for the group: ${grouped.facts}`);
    } finally {
      session.close();
    }
  });
});
