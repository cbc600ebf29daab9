// Numbers as TypeDB 2.x computes them in Java: aggregates keep the type of the value they return and add longs as
// longs (wrapping), a long power and floor/ceil/round of a double are double-to-long casts (saturating, NaN as 0),
// and TypeQL's count takes no variable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Value } from '../../src/common/values.js';
import type { Transaction } from '../../src/database/api.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

const MAX = 2n ** 63n - 1n;
const MIN = -(2n ** 63n);

function withData(body: (tx: Transaction) => void): void {
  withTempManager('java-numbers', (manager) => {
    createWithSchema(manager, 'db', 'define age sub attribute, value long; score sub attribute, value double; person sub entity, owns age, owns score;');
    writeData(manager, 'db', [`insert $p isa person, has age ${MAX}, has score 2.5; $q isa person, has age 1, has age 9007199254740993, has score 1.0;`]);
    const tx = manager.session('db', 'data').transaction('read');
    try {
      body(tx);
    } finally {
      tx.close();
    }
  });
}

const aggregate = (tx: Transaction, query: string): Value | undefined => {
  const result = tx.query(query);
  if (result.kind !== 'aggregate') throw new Error(`not an aggregate: ${query}`);
  return result.value;
};

const computed = (tx: Transaction, expression: string): Value => {
  const result = tx.query(`match ?x = ${expression}; get ?x;`);
  if (result.kind !== 'get') throw new Error('not a get');
  const answer = [...result.answers][0]!.get('x')!;
  if (answer.kind !== 'value') throw new Error('not a value');
  return answer.value;
};

test('aggregates: longs add as Java longs; median and max/min return the value itself', () => {
  withData((tx) => {
    assert.deepEqual(aggregate(tx, 'match $x isa age; get $x; sum $x;'), { type: 'long', value: BigInt.asIntN(64, MAX + 1n + 9007199254740993n) });
    assert.deepEqual(aggregate(tx, 'match $x isa age; get $x; median $x;'), { type: 'long', value: 9007199254740993n });
    assert.deepEqual(aggregate(tx, 'match $x isa age; $x < 100; get $x; median $x;'), { type: 'long', value: 1n });
    assert.deepEqual(aggregate(tx, 'match $x isa score; get $x; median $x;'), { type: 'double', value: 1.75 });
    const mixed = 'match $x isa $t; $t sub attribute; { $x isa age; $x < 100; } or { $x isa score; }; get $x;';
    assert.deepEqual(aggregate(tx, `${mixed} max $x;`), { type: 'double', value: 2.5 });
    assert.deepEqual(aggregate(tx, 'match $x isa $t; $t sub attribute; { $x isa age; } or { $x isa score; }; get $x; max $x;'), { type: 'long', value: MAX });
  });
});

test('a long power and floor/ceil/round of a double are Java casts: saturating, NaN as 0', () => {
  withData((tx) => {
    assert.deepEqual(computed(tx, '2 ^ 64'), { type: 'long', value: MAX });
    assert.deepEqual(computed(tx, '2 ^ 10'), { type: 'long', value: 1024n });
    assert.deepEqual(computed(tx, '3 ^ 39'), { type: 'long', value: 4052555153018976256n });
    assert.deepEqual(computed(tx, '(0 - 2) ^ 65'), { type: 'long', value: MIN });
    assert.deepEqual(computed(tx, 'floor(10000000000.0 * 10000000000.0 * 10000000000.0)'), { type: 'long', value: MAX });
    assert.deepEqual(computed(tx, 'ceil(0.0 - 10000000000.0 * 10000000000.0 * 10000000000.0)'), { type: 'long', value: MIN });
    assert.deepEqual(computed(tx, 'round((0.0 - 1.0) ^ 0.5)'), { type: 'long', value: 0n });
    assert.deepEqual(computed(tx, 'round(2.5)'), { type: 'long', value: 3n });
  });
});

test("count takes no variable, as in TypeQL: [TQL40]", () => {
  withData((tx) => {
    assert.throws(() => tx.query('match $x isa age; get $x; count $x;'), { message: '[TQL40] TypeQL Error: Aggregate COUNT does not accept a Variable.' });
  });
});

test('fetch gives a long beyond ±2^53 exactly, as a bigint, and a smaller one as a number', () => {
  withData((tx) => {
    const result = tx.query('match $p isa person, has score $s; fetch $p: age; sort $s;');
    if (result.kind !== 'fetch') throw new Error('not a fetch');
    const ages = [...result.answers].map((answer) => ((answer as { p: { age: { value: unknown }[] } }).p.age.map((a) => a.value)));
    assert.deepEqual(ages.map((a) => [...a].sort()), [[1, 9007199254740993n], [MAX]]);
    const value = tx.query('match $p isa person, has age $a; ?v = $a - 1; fetch ?v; sort ?v; limit 1;');
    if (value.kind !== 'fetch') throw new Error('not a fetch');
    assert.deepEqual([...value.answers], [{ v: { value: 0, value_type: 'long' } }]);
  });
});

test("doubles closer than 1e-6 compare as equal, as TypeDB's value comparator has them; a long with a double too", () => {
  withData((tx) => {
    const scores = (condition: string) => {
      const result = tx.query(`match $x isa score; ${condition}; get $x; sort $x;`);
      if (result.kind !== 'get') throw new Error('not a get');
      return [...result.answers].map((answer) => (answer.get('x') as { value: Value }).value.value);
    };
    assert.deepEqual(scores('$x > 0.9999999'), [2.5]);
    assert.deepEqual(scores('$x < 2.5000001'), [1]);
    assert.deepEqual(scores('$x != 1.0000001'), [2.5]);
    assert.deepEqual(scores('$x >= 1.0000001'), [1, 2.5]);
    assert.deepEqual(computed(tx, '1.0 + 0.0000001'), { type: 'double', value: 1.0000001 });
    const equal = tx.query('match ?a = 1.0; ?b = 1.0000001; ?c = 1; ?a == ?b; ?c == ?b; get;');
    if (equal.kind !== 'get') throw new Error('not a get');
    assert.equal([...equal.answers].length, 1);
  });
});

test('a double divisor within 1e-10 of zero is a division by zero, as TypeDB compares it approximately: [EXP09]', () => {
  withData((tx) => {
    assert.deepEqual(computed(tx, '1.0 / 0.0000000002'), { type: 'double', value: 5e9 });
    assert.deepEqual(computed(tx, '7 / 2'), { type: 'double', value: 3.5 });
  });
  // A failed query closes its transaction: one each.
  for (const expression of ['1.0 / 0.00000000001', '1 / (0.0 - 0.00000000001)', '1 / 0']) {
    withData((tx) => assert.throws(() => computed(tx, expression), /\[EXP09\] .*division by zero/));
  }
});

test('[EXP09] names the division as TypeDB prints its expression: variables, Java numbers, a long made double()', () => {
  const cases: [string, string][] = [
    ['match $p has age $a; ?x = $a / 0; get ?x;', '$a / 0'],
    ['match ?y = 2; ?x = (?y + 1) / (?y - 2); get ?x;', '?y+1 / ?y-2'],
    ['match ?x = 1 / (0.0 - 0.00000000001); get ?x;', 'double(1) / 0.0-1.0E-11'],
    ['match ?x = abs(2.5) / 0.0; get ?x;', 'abs(2.5) / 0.0'],
  ];
  for (const [query, division] of cases) {
    withData((tx) =>
      assert.throws(() => {
        const result = tx.query(query);
        if (result.kind === 'get') [...result.answers];
      }, {
        message: `[EXP09] Invalid expression operation: Illegal division by zero occurred during: '${division}'.`,
      }),
    );
  }
});

test("a double remainder by zero is NaN, as Java's % gives it; only a long one is a division by zero: [EXP09]", () => {
  withData((tx) => {
    for (const expression of ['7.5 % 0.0', '7 % 0.0', '0.0 % 0.0']) {
      const value = computed(tx, expression);
      assert.equal(value.type, 'double', expression);
      assert.ok(Number.isNaN(value.value), expression);
    }
    assert.deepEqual(computed(tx, '(0.0 - 7.5) % 2'), { type: 'double', value: -1.5 });
  });
  withData((tx) => assert.throws(() => computed(tx, '7 % 0'), /\[EXP09\] .*division by zero/));
});

test("max and min of doubles order them as Java's Double.compare does: NaN above everything, -0.0 below 0.0", () => {
  withData((tx) => {
    const nan = '((0.0 - 1.0) ^ 0.5)';
    assert.deepEqual(computed(tx, `min(${nan}, 1.0)`), { type: 'double', value: 1 });
    assert.deepEqual(computed(tx, `min(2.0, ${nan}, 1)`), { type: 'double', value: 1 });
    assert.ok(Number.isNaN(computed(tx, `max(${nan}, 1.0)`).value as number));
    assert.ok(Object.is(computed(tx, 'min(0.0, 0.0 * -1)').value, -0));
    assert.ok(Object.is(computed(tx, 'max(0.0 * -1, 0.0)').value, 0));
    assert.deepEqual(computed(tx, 'max(1, 2.5, 2)'), { type: 'double', value: 2.5 });
  });
});

test("aggregates compute as TypeDB's Java collectors: std by Welford's online algorithm in answer order, sums and a median's middle pair added pairwise as Java adds them, NaN above every number", () => {
  withTempManager('java-aggregates', (manager) => {
    createWithSchema(manager, 'db', 'define age sub attribute, value long; score sub attribute, value double; person sub entity, owns age, owns score;');
    writeData(manager, 'db', [
      'insert $p isa person, has age 1; $q isa person, has age 1; $r isa person, has age 2;',
      'insert $p isa person, has age 9007199254740992, has score 0.5; $q isa person, has age 9007199254740993; $r isa person, has age 9007199254740994;',
      'insert $p isa person, has age -1;',
    ]);
    const tx = manager.session('db', 'data').transaction('read');
    try {
      // Welford's update over 1, 1, 2 leaves ...258 where the two-pass formula gives ...257 (sqrt(1/3) rounded).
      assert.deepEqual(aggregate(tx, 'match $p has age $a; $a < 3; $a > 0; get $p, $a; sort $a; std $a;'), { type: 'double', value: 0.5773502691896258 });
      // 2^53 + 1 + 1 as longs is exact, then + 0.5 as a double; added as doubles, each 1 would be lost.
      const mixed = 'match $p has $a; { $a isa age; $a == 1; } or { $a isa age; $a == 9007199254740992; } or { $a isa score; }; $a > 0; get $p, $a; sort $a desc;';
      assert.deepEqual(aggregate(tx, `${mixed} sum $a;`), { type: 'double', value: 9007199254740994 });
      // The middle pair 2^53 + 1 and 2^53 + 2 adds as longs, then halves as a double: 2^54 + 3 → 2^54 + 4, halved.
      assert.deepEqual(aggregate(tx, 'match $x isa age; $x > 9007199254740992; get $x; median $x;'), { type: 'double', value: 9007199254740994 });
      // -1 ^ 0.5 is NaN: whether it comes first or last, it is the maximum and never the minimum.
      const roots = 'match $p has age $a; $a < 3; ?d = $a ^ 0.5; get ?d;';
      assert.ok(Number.isNaN(aggregate(tx, `${roots} sort ?d; max ?d;`)!.value as number));
      assert.deepEqual(aggregate(tx, `${roots} sort ?d desc; min ?d;`), { type: 'double', value: 1 });
      // Ordered as Java's Double.compare orders them: 1, 1.414…, NaN; the middle one.
      assert.deepEqual(aggregate(tx, `${roots} median ?d;`), { type: 'double', value: Math.SQRT2 });
    } finally {
      tx.close();
    }
  });
});
