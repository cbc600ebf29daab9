// Aggregates and groups against their definitions: for random data (seeded), each aggregate query is answered by
// the engine and recomputed here from the engine's own answers to the same match-get (whose correctness
// random-match.test.ts checks): count, sum, max, min, mean, median and std (sample), over longs, doubles and a
// mix of both, after a projection that merges answers, after sort, offset and limit, within groups, and over empty
// answer sets (no value).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../bench/workload.js';
import type { Concept, ConceptMap } from '../../src/concept/concepts.js';
import type { Value } from '../../src/common/values.js';
import type { Transaction } from '../../src/database/api.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

const SCHEMA = `define
name sub attribute, value string;
age sub attribute, value long;
score sub attribute, value double;
person sub entity, owns name, owns age, owns score, plays friendship:friend;
friendship sub relation, relates friend;`;

const AGGREGATES = ['count', 'sum', 'max', 'min', 'mean', 'median', 'std'] as const;
type Aggregate = (typeof AGGREGATES)[number];

/** Match-gets whose variable `y` is numeric (or absent, for the empty case); each is also grouped by `g` if it has one. */
const MATCHES = [
  { match: 'match $p isa person, has age $y; get;' },
  { match: 'match $p isa person, has age $y; get $y;' },
  { match: 'match $p isa person, has score $y; get $p, $y;' },
  { match: 'match $p has $y; { $y isa age; } or { $y isa score; }; get;' },
  { match: 'match $f (friend: $p) isa friendship; $p has score $y; get $f, $y;' },
  { match: 'match $p isa person, has age $y; $y > 1000; get;' },
  // Modifiers: the aggregate is over the answers they leave (sorted answers are collected, the others folded).
  { match: 'match $p isa person, has age $y; get; sort $y desc; offset 1; limit 5;' },
  { match: 'match $p isa person, has score $y; get $p, $y; offset 2; limit 4;' },
  { match: 'match $p isa person, has name $g, has age $y; get $g, $y;', group: 'g' },
  { match: 'match $p isa person, has name $g, has $y; $y isa score; get $g, $p, $y;', group: 'g' },
];

function randomData(random: () => number): string[] {
  const inserts: string[] = [];
  for (let i = 0; i < 14; i++) {
    const clauses = ['isa person'];
    if (random() < 0.8) clauses.push(`has name "${['Ann', 'Bob', 'Cy'][Math.floor(random() * 3)]}"`);
    for (let k = Math.floor(random() * 3); k > 0; k--) clauses.push(`has age ${Math.floor(random() * 9) - 2}`);
    for (let k = Math.floor(random() * 2.5); k > 0; k--) clauses.push(`has score ${(Math.floor(random() * 40) - 10) / 4}`);
    inserts.push(`insert $p${i} ${clauses.join(', ')};`);
  }
  // A friendship between every person aged 1 and every other person aged 2.
  inserts.push('match $a isa person; $b isa person; not { $a is $b; }; $a has age 1; $b has age 2; insert (friend: $a, friend: $b) isa friendship;');
  return inserts;
}

const numberOf = (v: Value) => (v.type === 'long' ? Number(v.value) : (v.value as number));

/** The aggregate of these values by its definition; undefined for no value. */
function expectedAggregate(aggregate: Aggregate, values: readonly Value[]): Value | undefined {
  if (aggregate === 'count') return { type: 'long', value: BigInt(values.length) };
  if (values.length === 0) return undefined;
  const numbers = values.map(numberOf);
  const allLong = values.every((v) => v.type === 'long');
  switch (aggregate) {
    case 'sum':
      return allLong ? { type: 'long', value: BigInt.asIntN(64, values.reduce((s, v) => s + (v.value as bigint), 0n)) } : { type: 'double', value: numbers.reduce((s, n) => s + n, 0) };
    case 'max':
    case 'min': {
      let best = values[0]!;
      for (const v of values) if (aggregate === 'max' ? numberOf(v) > numberOf(best) : numberOf(v) < numberOf(best)) best = v;
      return best;
    }
    case 'mean':
      return { type: 'double', value: numbers.reduce((s, n) => s + n, 0) / numbers.length };
    case 'median': {
      // The middle value as it is (a long stays a long), or the mean of the middle two.
      const sorted = [...values].sort((a, b) => numberOf(a) - numberOf(b));
      const mid = Math.floor(sorted.length / 2);
      return sorted.length % 2 === 1 ? sorted[mid]! : { type: 'double', value: (numberOf(sorted[mid - 1]!) + numberOf(sorted[mid]!)) / 2 };
    }
    case 'std': {
      if (numbers.length < 2) return undefined;
      const mean = numbers.reduce((s, n) => s + n, 0) / numbers.length;
      return { type: 'double', value: Math.sqrt(numbers.reduce((s, n) => s + (n - mean) ** 2, 0) / (numbers.length - 1)) };
    }
  }
}

/** Equal values of the same type: longs exactly, doubles numerically (to 1e-9 relative). */
function assertSameValue(actual: Value | undefined, expected: Value | undefined, context: string): void {
  if (expected === undefined || actual === undefined) {
    assert.equal(actual, expected, context);
    return;
  }
  assert.equal(actual.type, expected.type, `${context}: the value's type`);
  if (expected.type === 'long' && actual.type === 'long') {
    assert.equal(actual.value, expected.value, context);
    return;
  }
  const [a, e] = [numberOf(actual), numberOf(expected)];
  assert.ok(Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e)), `${context}: ${a} instead of ${e}`);
}

const valueOf = (c: Concept | undefined): Value => {
  if (c?.kind !== 'attribute') throw new Error('expected an attribute');
  return c.value;
};

function answers(tx: Transaction, query: string): ConceptMap[] {
  const result = tx.query(query);
  if (result.kind !== 'get') throw new Error(`expected answers from ${query}`);
  return [...result.answers];
}

const groupKey = (c: Concept) => (c.kind === 'attribute' ? String(c.value.value) : c.kind === 'type' || c.kind === 'value' ? '?' : c.iid);

test('aggregates and group aggregates equal their definitions over the engine\'s own answers', () => {
  withTempManager('random-aggregates', (manager) => {
    let checked = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const database = `random${seed}`;
      createWithSchema(manager, database, SCHEMA);
      writeData(manager, database, randomData(seededRandom(seed)));
      const session = manager.session(database, 'data');
      const tx = session.transaction('read');
      for (const { match, group } of MATCHES) {
        const base = answers(tx, match);
        for (const aggregate of AGGREGATES) {
          const context = `seed ${seed}: ${match} ${aggregate}`;
          if (group === undefined) {
            // TypeQL's count takes no variable: it counts the answers.
            const result = tx.query(`${match} ${aggregate}${aggregate === 'count' ? '' : ' $y'};`);
            if (result.kind !== 'aggregate') throw new Error(`expected an aggregate: ${context}`);
            const expected = expectedAggregate(aggregate, base.map((a) => valueOf(a.get('y'))));
            assertSameValue(result.value, expected, context);
          } else {
            const result = tx.query(`${match} group $${group}; ${aggregate}${aggregate === 'count' ? '' : ' $y'};`);
            if (result.kind !== 'group-aggregate') throw new Error(`expected group aggregates: ${context}`);
            const byOwner = new Map<string, Value[]>();
            for (const a of base) {
              const key = groupKey(a.get(group)!);
              byOwner.set(key, [...(byOwner.get(key) ?? []), valueOf(a.get('y'))]);
            }
            assert.deepEqual(result.groups.map((g) => groupKey(g.owner)).sort(), [...byOwner.keys()].sort(), `${context}: the groups`);
            for (const g of result.groups) assertSameValue(g.value, expectedAggregate(aggregate, byOwner.get(groupKey(g.owner))!), `${context}, group ${groupKey(g.owner)}`);
          }
          checked++;
        }
      }
      tx.close();
      session.close();
    }
    assert.equal(checked, 6 * MATCHES.length * AGGREGATES.length);
  });
});
