// Write queries as TypeDB 2.x's Inserter, Deleter and Updater and its concept layer run them: a relation left without
// players goes at once, an update works answer by answer, insert answers hold things only, a variable takes one type,
// relation and value, a role left out is inferred from the types, and errors carry TypeDB's codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Transaction } from '../../src/database/api.js';
import { createWithSchema, inDataWrite, withTempManager, writeData } from '../support/databases.js';

const SCHEMA = `define
  name sub attribute, value string; age sub attribute, value long; ref sub attribute, value long;
  person sub entity, owns name @key, owns age, plays friendship:friend, plays employment:employee, plays employment:employer;
  company sub entity, owns name, plays employment:employer;
  friendship sub relation, relates friend, owns ref;
  employment sub relation, relates employee, relates employer;`;

function withWrite(body: (tx: Transaction) => void): void {
  withTempManager('write-semantics', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    writeData(manager, 'db', [
      'insert $a isa person, has name "a", has age 5, has age 10; $b isa person, has name "b"; $c isa company, has name "c"; (friend: $a) isa friendship, has ref 1; (employee: $a, employer: $c) isa employment;',
    ]);
    inDataWrite(manager, 'db', body);
  });
}

/** Each query fails with its message, each in a write transaction of its own over the data above. */
function assertEachFails(cases: readonly (readonly [query: string, message: string])[]): void {
  for (const [query, message] of cases) {
    withWrite((tx) => assert.throws(() => tx.query(query), { message }, query));
  }
}

function count(tx: Transaction, query: string): number {
  const result = tx.query(`${query} count;`);
  if (result.kind !== 'aggregate') throw new Error('not an aggregate');
  return Number(result.value!.value);
}

test('a relation whose last player is removed, or deleted, is deleted at once, with its ownerships', () => {
  withWrite((tx) => {
    tx.query('match $r (friend: $p) isa friendship; delete $r (friend: $p);');
    assert.equal(count(tx, 'match $r isa friendship; get;'), 0);
    assert.equal(count(tx, 'match $r isa relation, has ref $x; get;'), 0);
  });
  withWrite((tx) => {
    tx.query('match $p isa person, has name "a"; delete $p isa person;');
    assert.equal(count(tx, 'match $r isa friendship; get;'), 0);
  });
  // Replacing the sole player in one update: the relation is gone before the insert, as in TypeDB ([THW02]).
  withWrite((tx) => {
    assert.throws(
      () => tx.query('match $r (friend: $p) isa friendship; $q isa person, has name "b"; delete $r (friend: $p); insert $r (friend: $q);'),
      /\[THW02\]/,
    );
  });
});

test('an update deletes and inserts answer by answer', () => {
  withWrite((tx) => {
    // Two answers (ages 5 and 10): the first deletes its age and inserts the other's, which the second then deletes.
    tx.query('match $p isa person, has name "a", has age $a; ?n = 15 - $a; delete $p has $a; insert $p has age ?n;');
    assert.equal(count(tx, 'match $p isa person, has name "a", has age $a; get;'), 1);
  });
});

test('insert answers hold the things, not the types or values the insert uses', () => {
  withWrite((tx) => {
    const result = tx.query('match $t type person; ?v = 3; insert $x isa $t, has name "c", has age ?v;');
    if (result.kind !== 'insert') throw new Error('not an insert');
    assert.deepEqual(result.answers.map((answer) => [...answer.keys()]), [['x', '_0', '_1']]);
  });
});

test("insert answers name anonymous things `_0`, `_1`… in the query's order, as TypeDB's VariableRegistry numbers them", () => {
  withWrite((tx) => {
    const result = tx.query('insert $x isa person, has name "d", has age 7; (friend: $x) isa friendship, has ref 2; $y isa company, has name $n; $n "e" isa name;');
    if (result.kind !== 'insert') throw new Error('not an insert');
    const [answer] = result.answers;
    const shown = Object.fromEntries([...answer!].map(([name, concept]) => [name, concept.kind === 'attribute' ? String(concept.value.value) : 'type' in concept ? concept.type.label.name : concept.kind]));
    // The relation's own `$_` comes before its `has`; `has name $n` names its attribute.
    assert.deepEqual(shown, { x: 'person', y: 'company', n: 'e', _0: 'd', _1: '7', _2: 'friendship', _3: '2' });
  });
});

test('update answers hold the matched things the delete and insert name (an attribute whose ownership went too), and what the insert made', () => {
  withWrite((tx) => {
    const result = tx.query('match $p isa person, has name "a", has age $a; $a 5; delete $p has $a; insert $p has age 6;');
    if (result.kind !== 'update') throw new Error('not an update');
    const shown = result.answers.map((answer) => Object.fromEntries([...answer].map(([name, concept]) => [name, concept.kind === 'attribute' ? String(concept.value.value) : concept.kind])));
    assert.deepEqual(shown, [{ p: 'entity', a: '5', _0: '6' }]);
  });
});

test("a thing an update's delete removes with isa leaves its answer: the insert sees a new variable, as TypeDB's Deleter", () => {
  // `insert $p isa person` makes a new person instead of failing on the deleted one.
  withWrite((tx) => {
    const before = tx.query('match $p isa person, has name "b"; get;');
    if (before.kind !== 'get') throw new Error('not a get');
    const old = [...before.answers][0]!.get('p')!;
    const result = tx.query('match $p isa person, has name "b"; delete $p isa person; insert $p isa person, has name "b2";');
    if (result.kind !== 'update') throw new Error('not an update');
    const made = result.answers[0]!.get('p')!;
    assert.ok('iid' in made && 'iid' in old && made.iid !== old.iid);
    assert.equal(count(tx, 'match $p isa person, has name "b2"; get;'), 1);
    assert.equal(count(tx, 'match $p isa person, has name "b"; get;'), 0);
  });
  // Without an isa the deleted variable cannot be inserted: [THW15], not a write to a deleted thing.
  withWrite((tx) => {
    assert.throws(() => tx.query('match $p isa person, has name "b"; delete $p isa person; insert $p has age 3;'), {
      message: "[THW15] Invalid Thing Write: The thing variable '$p' cannot be inserted as a new instance without providing its type (isa).",
    });
  });
  // Nor is it shown in the answer.
  withWrite((tx) => {
    const result = tx.query('match $p isa person, has name "b"; delete $p isa person; insert $c isa company, has name "d";');
    if (result.kind !== 'update') throw new Error('not an update');
    assert.deepEqual(result.answers.map((answer) => [...answer.keys()]), [['c', '_0']]);
  });
});

test('answers read lazily after their transaction commits or closes fail with [TXN05], not a storage error', () => {
  withWrite((tx) => {
    const result = tx.query('match $p isa person; get;');
    if (result.kind !== 'get') throw new Error('not a get');
    const answers = result.answers[Symbol.iterator]();
    tx.commit();
    assert.throws(() => answers.next(), /\[TXN05\]/);
  });
});

test("an insert variable takes one type, one relation and one value: TypeDB's [QRY09], [QRY10], [THW23]", () => {
  withWrite((tx) => {
    assert.throws(() => tx.query('insert $x isa person, has name "d"; $x isa company;'), {
      message: "[QRY09] Invalid Query Pattern: The thing variable '$x' has multiple 'isa' constraints, 'company' and 'person'.",
    });
  });
  withWrite((tx) => {
    assert.throws(() => tx.query('insert $a 3 isa age; $a 4;'), {
      message: "[THW23] Invalid Thing Write: Unable to insert attribute '$a' of type 'age' with more than one value operations.",
    });
  });
  withWrite((tx) => {
    assert.throws(() => tx.query('match $p isa person, has name "a"; $q isa person, has name "b"; insert $r (friend: $p) isa friendship; $r (friend: $q);'), {
      message: "[QRY10] Invalid Query Pattern: The relation variable '$r' has multiple 'relation' constraints",
    });
  });
  // Repeating the same constraint is fine.
  withWrite((tx) => {
    tx.query('insert $x isa person, has name "d"; $x isa person; $a 3 isa age; $a 3;');
    assert.equal(count(tx, 'match $x isa person, has name "d"; get;'), 1);
  });
});

test('a role player deleted without its role: the role is inferred from the types, as TypeDB does', () => {
  // 'b' plays no role in the friendship: nothing to delete.
  withWrite((tx) => {
    tx.query('match $r isa friendship; $x isa person, has name "b"; delete $r ($x);');
    assert.equal(count(tx, 'match $r (friend: $p) isa friendship; get;'), 1);
  });
  // A person can be employee or employer: ambiguous, though the relation holds it in one role.
  withWrite((tx) => {
    assert.throws(() => tx.query('match $r (employee: $p) isa employment; delete $r ($p);'), {
      message: "[THW26] Invalid Thing Write: Unable to add role player '$p' to the relation, as there are more than one possible role type it could play.",
    });
  });
  withWrite((tx) => {
    tx.query('match $r (employer: $c) isa employment; $c isa company; delete $r ($c);');
    assert.equal(count(tx, 'match $r (employer: $c) isa employment; get;'), 0);
  });
});

test("write errors carry TypeDB 2.x's codes and texts", () => {
  const cases: [string, string][] = [
    ['match $p isa person, has name "a"; insert $p isa company;', "[THW14] Invalid Thing Write: Attempted to re-insert pre-existing thing of matched variable '$p' as a new instance (isa) of type 'company'."],
    ['insert $x has name "z";', "[THW15] Invalid Thing Write: The thing variable '$x' cannot be inserted as a new instance without providing its type (isa)."],
    ['insert $a isa age;', "[THW24] Invalid Thing Write: Unable to insert attribute '$a' of type 'age' without a value assigned to the variable."],
    ['insert $x isa $t;', "[THW35] Invalid Thing Write: Type variable '$t' found in the insert query must retrieved by the match previously."],
    ['insert $x isa entity;', "[THW01] Invalid Thing Write: Attempted an illegal write of a new 'Entity' of abstract type 'entity'."],
    ['match $c isa company, has name $n; delete $c has $n; $c isa person;', "[THW18] Invalid Thing Write: The thing '$c' cannot be deleted, as the provided type 'person' is not its direct type nor supertype."],
    ['match $c isa company; $a isa age; delete $c has $a;', "[THW21] Invalid Thing Write: The instance of type 'company' cannot own instances of attribute type 'age'."],
    ['match $r isa friendship; $c isa company; delete $r (friend: $c);', "[THW29] Invalid Thing Write: The instance of type 'company' cannot play the role type 'friendship:friend'."],
    // A role the relation type does not relate is looked up by its name in that relation type, as TypeDB's Inserter does.
    ['match $p isa person, has name "a"; insert (boss: $p) isa employment;', "[TYR03] Invalid Type Read: The type 'employment:boss' does not exist."],
    ['match $p isa person, has name "a"; insert (friend: $p) isa employment;', "[TYR03] Invalid Type Read: The type 'employment:friend' does not exist."],
    ['match $c isa company; insert (friend: $c) isa friendship;', "[THW08] Invalid Thing Write: The thing type 'company' does not play the role type 'friendship:friend'."],
    // TypeQL's check: an insert that names none of its match's variables (checked before matching).
    ['match $p isa person, has name "nobody"; insert $q isa person, has name "q";', "[TQL18] TypeQL Error: None of the variables in 'insert' ('[$q isa person, has name \"q\"]') is within scope of 'match' ('[$p]')"],
  ];
  assertEachFails(cases);
});

test("a delete clause is checked as TypeDB checks it: TypeQL's scope and sort, then its Deleter's value, anonymous, typed and iid variables", () => {
  const cases: [string, string][] = [
    ['match $x isa person, has name "a"; delete $y isa person;', "[TQL17] TypeQL Error: The deleted variable '$y' is out of scope of the match query."],
    ['match $x isa person, has name "a"; delete $x isa $t;', "[TQL17] TypeQL Error: The deleted variable '$t' is out of scope of the match query."],
    ['match $r (friend: $x) isa friendship; delete $r ($role: $x);', "[TQL17] TypeQL Error: The deleted variable '$role' is out of scope of the match query."],
    ['match $x isa person, has age $a; ?v = $a; delete $x has age ?v;', "[THW16] Invalid Thing Write: Illegal value variable '?v' in delete query. You can only delete named variables that were matched."],
    ['match $x isa person, has name $n; delete $x has name $n;', "[QRY11] Invalid Query Pattern: The variable '$n' is specified with a type 'name', which is not allowed in this part of the query."],
    ['match $x isa person, has name "a"; delete $x iid 0x1234;', "[THW12] Invalid Thing Write: The variable '$x' tries to insert iid '0x1234'. IIDs are prohibited in insert clauses. You may want to query the variable using IID in the match clause."],
    // TypeQL's check of the sort: it deleted every person, sorted by nothing.
    ['match $x isa person; delete $x isa person; sort $n;', "[TQL38] TypeQL Error: Sort variable '$n' is not present in the match clause."],
    ['match $x isa person; delete $x isa person; insert $x isa person, has name "z"; sort $n;', "[TQL38] TypeQL Error: Sort variable '$n' is not present in the match clause."],
    // Checked before matching: a match without answers does not hide the mistake.
    ['match $x isa person, has name "nobody"; delete $y isa person;', "[TQL17] TypeQL Error: The deleted variable '$y' is out of scope of the match query."],
    ['match $x isa person, has name "nobody"; delete $x iid 0x1234; insert $x has age 1;', "[THW12] Invalid Thing Write: The variable '$x' tries to insert iid '0x1234'. IIDs are prohibited in insert clauses. You may want to query the variable using IID in the match clause."],
  ];
  assertEachFails(cases);
});

test("a delete's isa and role are checked against the thing as TypeDB's Deleter checks them", () => {
  const cases: [string, string][] = [
    // An unknown label is just not one of the thing's types.
    ['match $x isa person, has name "a"; delete $x isa nosuch;', "[THW18] Invalid Thing Write: The thing '$x' cannot be deleted, as the provided type 'nosuch' is not its direct type nor supertype."],
    ['match $x isa person, has name "a"; delete $x isa! nosuch;', "[THW19] Invalid Thing Write: The thing '$x' cannot be deleted, as the provided direct type 'nosuch' is not valid."],
    ['match $r (friend: $x) isa friendship; $t type person; delete $r ($t: $x);', "[THW28] Invalid Thing Write: The type 'person' cannot be used as a role type."],
  ];
  assertEachFails(cases);
});

test("a delete variable takes one isa and one relation, as TypeDB's registry merges its statements: [QRY09], [QRY10]", () => {
  withWrite((tx) => {
    assert.throws(() => tx.query('match $x isa person, has name "a"; delete $x isa person; $x isa entity;'), {
      message: "[QRY09] Invalid Query Pattern: The thing variable '$x' has multiple 'isa' constraints, 'entity' and 'person'.",
    });
  });
  withWrite((tx) => {
    tx.query('insert $x isa person, has name "d"; (friend: $x) isa friendship, has ref 3;');
    assert.throws(() => tx.query('match $r (friend: $x) isa friendship, has ref 3; $y isa person, has name "a"; delete $r (friend: $x); $r (friend: $y);'), {
      message: "[QRY10] Invalid Query Pattern: The relation variable '$r' has multiple 'relation' constraints",
    });
  });
  // Repeated identically, a relation constraint is one constraint: one repetition of the player goes, not two.
  withWrite((tx) => {
    tx.query('match $a isa person, has name "a"; insert (friend: $a, friend: $a) isa friendship, has ref 4;');
    tx.query('match $r (friend: $a) isa friendship, has ref 4; delete $r (friend: $a); $r (friend: $a);');
    assert.equal(count(tx, 'match $r (friend: $a) isa friendship, has ref 4; get;'), 1);
  });
});
