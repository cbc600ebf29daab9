// TypeQL 2.x's check that a match's disjunction branches and negations share a variable with the scope around them
// ([TQL11]), made for every query kind with a match, before anything is matched; a rule's `when` keeps TypeDB's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Session } from '../../src/database/api.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

const SCHEMA = `define name sub attribute, value string; age sub attribute, value long;
  person sub entity, owns name, owns age, plays employment:employee; company sub entity, owns name, plays employment:employer;
  employment sub relation, relates employee, relates employer;`;

const unbounded = (printed: string) => ({ message: `[TQL11] TypeQL Error: The match query contains a nested pattern is not bounded: '${printed}'.` });

/** Runs a query in a transaction of its own (rolled back) and returns how many answers it gave. */
function run(session: Session, query: string, type: 'read' | 'write' = 'read'): number {
  const tx = session.transaction(type);
  try {
    const result = tx.query(query);
    if (result.kind === 'get' || result.kind === 'fetch') return [...result.answers].length;
    if (result.kind === 'insert' || result.kind === 'update') return result.answers.length;
    return result.kind === 'aggregate' ? 1 : 0;
  } finally {
    tx.close();
  }
}

test('an unbounded negation or disjunction branch fails with [TQL11], in every query kind with a match', () => {
  withTempManager('nested-bounds', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    writeData(manager, 'db', ['insert $p isa person, has name "Ann", has age 30; $c isa company, has name "Acme"; (employee: $p, employer: $c) isa employment;']);
    const session = manager.session('db', 'data');
    try {
      const q = (query: string, type: 'read' | 'write' = 'read') => () => run(session, query, type);
      assert.throws(q('match $x isa person; not { $y isa company; }; get;'), unbounded('$y isa company'));
      // A branch that is a lone statement is printed as it; one of several patterns as its block on one line.
      assert.throws(q('match $x isa person; { $x has name "Ann"; } or { $y isa company; $y has name "Acme"; }; get;'),
        unbounded('{     $y isa company;     $y has name "Acme"; }'));
      // A match whose own statements name no variable bounds nothing: TypeQL 2.29 has no [TQL08] any more.
      assert.throws(q('match { $x isa person; } or { $x isa company; }; get;'), unbounded('$x isa person'));
      assert.throws(q('match not { $x has name "Ann"; }; get;'), unbounded('$x has name "Ann"'));
      // Inside a negation the scope is the match's; a disjunction's variables do not bound it.
      assert.throws(q('match $x isa person; { $y isa company; } or { $y isa person; }; not { $y has name "Acme"; }; get;'),
        unbounded('$y isa company'));
      assert.throws(q('match $x isa person; not { $z isa company; }; get; count;'), unbounded('$z isa company'));
      assert.throws(q('match $x isa person; not { $z isa company; }; get; group $x;'), unbounded('$z isa company'));
      assert.throws(q('match $x isa person; not { $z isa company; }; fetch $x: name;'), unbounded('$z isa company'));
      assert.throws(q('match $x isa person; not { $z isa company; }; insert $x has age 4;', 'write'), unbounded('$z isa company'));
      assert.throws(q('match $x isa person, has age $a; not { $z isa company; }; delete $x has $a;', 'write'), unbounded('$z isa company'));
      assert.throws(q('match $x isa person, has age $a; not { $z isa company; }; delete $x has $a; insert $x has age 5;', 'write'),
        unbounded('$z isa company'));
      // A fetch subquery's match is bounded by its own variables only, as TypeQL builds it alone.
      assert.throws(q('match $x isa person; fetch "e": { match $e isa employment; not { $x has age 3; }; fetch $e; };'), unbounded('$x has age 3'));
    } finally {
      session.close();
    }
  });
});

test('nested patterns bounded through any enclosing scope are accepted', () => {
  withTempManager('nested-bounds-ok', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    writeData(manager, 'db', ['insert $p isa person, has name "Ann", has age 30; $c isa company, has name "Acme"; (employee: $p, employer: $c) isa employment;']);
    const session = manager.session('db', 'data');
    try {
      const count = (query: string) => run(session, query);
      // A negation inside a branch bounded only by the branch's own variable.
      assert.equal(count('match $x isa person; { $r (employee: $x, employer: $c) isa employment; not { $c has name "Other"; }; } or { $x has age 30; }; get $x;'), 1);
      // A negation bounded through a variable its first statement does not name.
      assert.equal(count('match $n isa name; not { $x isa company, has name $n; }; get;'), 1);
      // A disjunction inside a negation, each branch bounded by the match.
      assert.equal(count('match $x isa person; not { { $x has age 1; } or { $x has age 2; }; }; get;'), 1);
      // Value variables bound the same way.
      assert.equal(count('match $x isa person, has age $a; ?b = $a + 1; not { ?b > 100; }; get $x;'), 1);
    } finally {
      session.close();
    }
  });
});

test("a rule's when keeps TypeDB's unbounded-negation error, not TypeQL's [TQL11]", () => {
  withTempManager('nested-bounds-rule', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    const session = manager.session('db', 'schema');
    try {
      const tx = session.transaction('write');
      try {
        assert.throws(() => tx.query('define flag sub attribute, value boolean; person owns flag; rule r: when { $x isa person; not { $y isa company; }; } then { $x has flag true; };'),
          { message: /^\[QRY05\]/ });
      } finally {
        tx.close();
      }
    } finally {
      session.close();
    }
  });
});
