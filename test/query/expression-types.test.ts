// Value expressions are typed from the schema before any answer is matched, as TypeDB 2.x's ExpressionResolver does:
// a query whose expression can never be evaluated fails with TypeDB's code even when no data would reach it, and one
// that can must not fail, whatever the data holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Transaction } from '../../src/database/api.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

const SCHEMA = `define
  name sub attribute, value string;
  nickname sub attribute, value string;
  age sub attribute, value long;
  height sub attribute, value double;
  weight sub attribute, value double;
  person sub entity, owns name, owns nickname, owns age, owns height;
  animal sub entity, owns age, owns weight;
  friendship sub relation, relates friend;
  person plays friendship:friend;`;

/** How many answers the get has, run to its last (an error may come with one). */
function answers(tx: Transaction, query: string): number {
  const result = tx.query(query);
  assert.equal(result.kind, 'get');
  return result.kind === 'get' ? [...result.answers].length : 0;
}

function withDatabase(data: readonly string[], body: (read: (fn: (tx: Transaction) => void) => void) => void): void {
  withTempManager('expression-types', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    if (data.length > 0) writeData(manager, 'db', data);
    const session = manager.session('db', 'data');
    // A failed query closes its transaction: one each.
    const read = (fn: (tx: Transaction) => void) => fn(session.transaction('read'));
    try {
      body(read);
    } finally {
      session.close();
    }
  });
}

const failing: [query: string, code: string, message: RegExp][] = [
  // The attribute types a person owns hold strings, longs and doubles.
  ['match $p isa person, has attribute $a; ?v = $a + 1; get ?v;', 'EXP01', /'\$a' has ambiguous value types: 'double, long, string'/],
  // An animal's attribute types hold longs and doubles: two value types, ambiguous for TypeDB as well.
  ['match $x isa animal, has $a; ?v = $a + 1; get ?v;', 'EXP01', /'\$a' has ambiguous value types: 'double, long'/],
  // An unconstrained variable may be any thing, attributes of every value type and entities and relations alike.
  ['match ?x = $y + 1; get ?x;', 'EXP01', /'\$y' has ambiguous value types/],
  ['match $x isa name; ?v = $x + 1; get ?v;', 'EXP04', /'\$x \+ 1' has arguments with incompatible value types: '\$x : string' and '1 : long'/],
  ['match $x isa name; $y isa nickname; ?v = $x + $y; get ?v;', 'EXP06', /'\+' cannot accept arguments of value type 'string'/],
  ['match $x isa name; ?v = floor($x); get ?v;', 'EXP06', /'floor' cannot accept arguments of value type 'string'/],
  ['match $x isa name; ?v = max($x, 2); get ?v;', 'EXP04', /'max\(\$x, 2\)'/],
  ['match $x isa age; ?v = floor($x, 2); get ?v;', 'EXP07', /floor/],
  // A value variable takes its value type from its assignment.
  ['match $x isa name; ?s = $x; ?v = ?s * 2; get ?v;', 'EXP04', /'\?s \* 2'/],
  // An entity holds no value.
  ['match $p isa person; ?v = $p + 1; get ?v;', 'EXP04', /'\$p' is not an attribute/],
  // Each conjunction of the pattern's disjunctive normal form is typed on its own: the second branch is ambiguous.
  ['match $p isa person, has $a; { $a isa age; } or { $a isa attribute; }; ?v = $a + 1; get ?v;', 'EXP01', /'\$a'/],
  // Inside a disjunction branch, and inside a negation, typed with what the enclosing pattern says.
  ['match $p isa person; { $p has name $n; ?v = $n - 1; } or { $p has age $g; }; get $p;', 'EXP04', /'\$n - 1'/],
  ['match $p isa person; not { $p has name $n; ?v = abs($n); }; get $p;', 'EXP06', /'abs'/],
  // A get's aggregate and sort are checked like the get.
  ['match $x isa name; ?v = $x / 2; get ?v; sort ?v;', 'EXP04', /'\$x \/ 2'/],
];

test('an expression that can never be evaluated fails before matching, even over no data, with TypeDB’s codes', () => {
  withDatabase([], (read) => {
    for (const [query, code, message] of failing) {
      read((tx) =>
        assert.throws(
          () => answers(tx, query),
          (e: Error) => e.message.startsWith(`[${code}]`) && message.test(e.message),
          query,
        ),
      );
    }
    // Aggregates run the get's checks before anything else.
    read((tx) => assert.throws(() => tx.query('match $x isa name; ?v = $x + 1; get ?v; sum ?v;'), /\[EXP04\] /));
  });
});

const DATA = [
  'insert $p isa person, has name "a", has age 30, has height 1.5; $q isa animal, has age 4, has weight 2.5; (friend: $p, friend: $p) isa friendship;',
];

const passing: [query: string, count: number][] = [
  // Longs and doubles combine (long + double is a double); an attribute of either type works.
  ['match $x has age $a, has height $h; ?v = $a + $h; get ?v;', 1],
  ['match $x has $a; $a isa! $t; $t sub attribute, value double; ?v = round($a) * 2; get ?v;', 2],
  // An animal's attribute types hold numbers of two value types: narrowed to one, the expression is typed.
  ['match $x isa animal, has $a; $a isa age; ?v = $a + 1; get ?v;', 1],
  // A value variable assigned from another, and from a function of one.
  ['match $x isa age; ?a = $x; ?b = ?a + 1.5; ?c = max(?b, ?a, 2); get ?c;', 2],
  // Each branch of a disjunction narrows the variable to one value type.
  ['match $p isa entity, has $a; { $a isa age; } or { $a isa height; }; ?v = $a * 2; get ?v;', 3],
  // A disjunction that reads the assigned value comes after the assignment.
  ['match $x isa age; ?v = $x * 2; { ?v > 1000; } or { ?v > 0; }; get ?v;', 2],
  // Inside a negation, with the enclosing pattern's types.
  ['match $p isa person, has age $a; not { ?v = $a - 30; ?v > 0; }; get $p;', 1],
  // In a fetch and in a sorted get.
  ['match $x isa age; ?v = $x * 2; get ?v; sort ?v desc;', 2],
];

test('an expression over values of one type (or longs and doubles) still works', () => {
  withDatabase(DATA, (read) => {
    for (const [query, count] of passing) read((tx) => assert.equal(answers(tx, query), count, query));
    read((tx) => {
      const result = tx.query('match $x isa age; ?v = $x * 2; fetch ?v;');
      assert.equal(result.kind, 'fetch');
      if (result.kind === 'fetch') assert.equal([...result.answers].length, 2);
    });
    read((tx) => {
      const result = tx.query('match $p isa person; fetch $p: name; doubled: { match $p has age $a; ?d = $a * 2; fetch ?d; };');
      assert.equal(result.kind, 'fetch');
      if (result.kind === 'fetch') assert.equal([...result.answers].length, 1);
    });
  });
});

test('a rule whose `when` holds an expression that can never be evaluated is refused at define, as in TypeDB', () => {
  withTempManager('expression-types-rules', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    const session = manager.session('db', 'schema');
    // A failed query closes its transaction: one each.
    const define = (rule: string) => {
      const tx = session.transaction('write');
      tx.query(`define ${rule}`);
      tx.commit();
    };
    try {
      assert.throws(() => define('rule bad: when { $p isa person, has name $n; ?v = $n + 1; } then { $p has age ?v; };'), /\[EXP04\] /);
      assert.throws(() => define('rule vague: when { $p isa person, has $a; ?v = $a + 1; } then { $p has age ?v; };'), /\[EXP01\] /);
      assert.throws(
        () => define('rule branch: when { $p isa person; { $p has name $n; ?v = $n * 2; } or { $p has age $a; }; } then { $p has nickname "x"; };'),
        /\[EXP04\] /,
      );
      // A well-typed expression is accepted.
      define('rule older: when { $p isa person, has age $a; ?v = $a + 1; } then { $p has height ?v; };');
    } finally {
      session.close();
    }
  });
});
