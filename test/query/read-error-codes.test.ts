// The error codes of TypeDB 2.x for expressions, aggregates and sorts over values they cannot take: clients and
// scripts written for TypeDB match on them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Transaction } from '../../src/database/api.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

/** Runs the query to its last answer (get answers are lazy: an error may come with one). */
function run(tx: Transaction, query: string): void {
  const result = tx.query(query);
  if (result.kind === 'get') [...result.answers];
}

const cases: [query: string, code: string][] = [
  ['match $x isa name; ?y = $x + 1; get ?y;', 'EXP04'],
  ['match ?y = max(1, "b"); get ?y;', 'EXP04'],
  ['match ?y = "a" + "b"; get ?y;', 'EXP06'],
  ['match ?y = abs("a"); get ?y;', 'EXP06'],
  ['match ?y = floor(2.5, 1.5); get ?y;', 'EXP07'],
  ['match $x isa name; get $x; max $x;', 'THR10'],
  ['match $x isa name; get $x; sum $x;', 'THR10'],
  ['match $x isa person; get $x; sum $x;', 'THR03'],
  ['match $p isa person, has attribute $a; get $a; sort $a;', 'THR07'],
];

test("expressions, aggregates and sorts fail with TypeDB's codes", () => {
  withTempManager('read-error-codes', (manager) => {
    createWithSchema(manager, 'db', 'define name sub attribute, value string; age sub attribute, value long; person sub entity, owns name, owns age;');
    writeData(manager, 'db', ['insert $p isa person, has name "a", has age 3;']);
    const session = manager.session('db', 'data');
    for (const [query, code] of cases) {
      // A failed query closes its transaction: one each.
      const tx = session.transaction('read');
      assert.throws(() => run(tx, query), (e: Error) => e.message.startsWith(`[${code}]`), query);
    }
    session.close();
  });
});

test("sorts, aggregates and function arguments fail with TypeDB's message templates too", () => {
  const messages: [query: string, message: string][] = [
    [
      'match $p isa person, has attribute $a; get $a; sort $a;',
      "[THR07] Invalid Thing Read: The variable '$a' cannot be used to sort, as it may represent incomparable types 'LONG' and 'STRING'.",
    ],
    [
      'match $x isa name; get $x; sum $x;',
      "[THR10] Invalid Thing Read: The variable '$x' cannot be used to calculate aggregate functions, as it contains non-numeric values.",
    ],
    [
      'match ?y = floor(2.5, ?z); ?z = 1; get ?y;',
      "[EXP07] Invalid expression operation: The expression 'floor' expects '1' arguments but received '2': '2.5, ?z'.",
    ],
  ];
  withTempManager('read-error-messages', (manager) => {
    createWithSchema(manager, 'db', 'define name sub attribute, value string; age sub attribute, value long; person sub entity, owns name, owns age;');
    writeData(manager, 'db', ['insert $p isa person, has name "a", has age 3;']);
    const session = manager.session('db', 'data');
    for (const [query, message] of messages) {
      const tx = session.transaction('read');
      assert.throws(() => run(tx, query), { message }, query);
    }
    session.close();
  });
});

test("a role label that names no role fails as TypeDB's type resolver has it: [TYR04] in its scope, [TYR03] for a scope that is no type", () => {
  const messages: [query: string, message: string][] = [
    ['match (ghost: $p) isa employment; get;', "[TYR04] Invalid Type Read: There is no role type 'ghost' in the relation type 'employment'"],
    // A role of another relation type is not in this one's scope.
    ['match $r (friend: $p) isa employment; get;', "[TYR04] Invalid Type Read: There is no role type 'friend' in the relation type 'employment'"],
    ['match $r (ghost: $p); get;', "[TYR04] Invalid Type Read: There is no role type 'ghost' in the relation type 'relation'"],
    // A statement that names no variable is refused by TypeQL before any type is read (its MatchClause checks).
    ['match employment relates ghost; get;', "[TQL10] TypeQL Error: The pattern 'employment relates ghost' has no named variable."],
    ['match $r relates ghost; get;', "[TYR04] Invalid Type Read: There is no role type 'ghost' in the relation type 'relation'"],
  ];
  withTempManager('role-label-errors', (manager) => {
    createWithSchema(
      manager,
      'db',
      'define person sub entity, plays employment:employee, plays friendship:friend; employment sub relation, relates employee; friendship sub relation, relates friend;',
    );
    const session = manager.session('db', 'data');
    for (const [query, message] of messages) {
      const tx = session.transaction('read');
      assert.throws(() => run(tx, query), { message }, query);
    }
    session.close();
  });
});
