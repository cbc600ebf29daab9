// What a match returns of its disjunctions: as in TypeQL 2.x, a match's named variables are those of its own
// statements (nested conjunctions included), not those only a disjunction branch binds. So `get;` projects a
// branch's answers onto the variables outside it, answers that then coincide are one answer, and a filter or sort
// naming a branch's variable is out of scope (TypeQL's VARIABLE_OUT_OF_SCOPE_MATCH, [TQL16]).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Session, Transaction } from '../../src/database/api.js';
import { answerLines, createWithSchema, uidNames, withTempManager, writeData } from '../support/databases.js';

const SCHEMA = `define uid sub attribute, value long; name sub attribute, value string; nick sub attribute, value string;
person sub entity, owns uid, owns name, owns nick;`;

/**
 * Two people (#0 named "A" and "B", nicknamed "A"; #1 nicknamed "C") and a read transaction over them: `lines` gives
 * a get's answers as sorted lines. The session stays open for `body`'s own transactions until it returns.
 */
function withPeople(body: (lines: (query: string) => string[], tx: Transaction, session: Session) => void): void {
  withTempManager('disjunction-scope', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    writeData(manager, 'db', ['insert $p isa person, has uid 0, has name "A", has name "B", has nick "A";', 'insert $p isa person, has uid 1, has nick "C";']);
    const session = manager.session('db', 'data');
    const tx = session.transaction('read');
    try {
      const name = uidNames(tx);
      body((query) => {
        const result = tx.query(query);
        if (result.kind !== 'get') throw new Error('expected answers');
        return answerLines(result.answers, name);
      }, tx, session);
    } finally {
      if (tx.isOpen()) tx.close();
      session.close();
    }
  });
}

test("a disjunction's answers are its branches' answers projected onto the variables outside it, each once", () => {
  withPeople((lines, tx, session) => {
    // $n is bound by every branch, $m by one only: neither is outside, so neither is returned.
    assert.deepEqual(lines('match $a isa person; { $a has name $n; } or { $a has nick $n; }; get;'), ['a:#0', 'a:#1']);
    assert.deepEqual(lines('match $a isa person; { $a has name $n; } or { $a has nick $m; }; get;'), ['a:#0', 'a:#1']);
    // A nested conjunction is not a scope: its variables are the match's.
    assert.deepEqual(lines('match $a isa person; { $a has nick $n; }; get;'), ['a:#0 n:nick=A', 'a:#1 n:nick=C']);
    const count = tx.query('match $a isa person; { $a has name $n; } or { $a has nick $n; }; get; count;');
    assert.equal(count.kind === 'aggregate' ? count.value?.value : undefined, 2n);
    // An error closes its transaction: each query runs in one of its own.
    const run = (query: string) => {
      const own = session.transaction('read');
      try {
        return own.query(query);
      } finally {
        if (own.isOpen()) own.close();
      }
    };
    const outOfScope = { message: "[TQL16] TypeQL Error: The variable '$n' is out of scope of the query." };
    assert.throws(() => run('match $a isa person; { $a has name $n; } or { $a has nick $n; }; get $n;'), outOfScope);
    assert.throws(() => run('match $a isa person; { $a has name $n; } or { $a has nick $n; }; get; sort $n;'), outOfScope);
  });
});

test("a negation naming a variable that a disjunction's branches bind reads their binding, whatever the plan", () => {
  withPeople((lines) => {
    // TypeDB 2.x matches each conjunction of the normal form on its own: `$a isa person; $a has name $n; not { $a
    // has nick $n; };` holds for #0 (its name "A" is not its nick "A", another attribute); the nick branch holds
    // for no one. The negation is checked after the disjunction however cheap each step is: with the values given,
    // the planner ran the disjunction first and answered so; without them it checked the negation first, taking
    // $n for the negation's own (some nick), and answered nothing.
    assert.deepEqual(lines('match $a isa person; { $a has name $n; } or { $a has nick $n; }; not { $a has nick $n; }; get;'), ['a:#0']);
    assert.deepEqual(lines('match $a isa person; { $a has name $n; $n "A"; } or { $a has nick $n; $n "C"; }; not { $a has nick $n; }; get;'), ['a:#0']);
    // Two disjunctions binding it: the negation waits for both (it waited for ever, [INT01], when one bound it first).
    assert.deepEqual(lines('match $a isa person; { $a has name $n; } or { $a has nick $n; }; { $a has name $n; } or { $a has nick $n; }; not { $a has nick $n; }; get;'), ['a:#0']);
    // A negation in another disjunction's branch reads it too: (name, uid 0 and no nick $n) holds for #0, (nick, uid
    // 1) for #1. Checked first, the branch with the negation took $n for its own (#0 has a nick) and lost #0.
    assert.deepEqual(lines('match $a isa person; { $a has name $n; } or { $a has nick $n; }; { $a has uid 0; not { $a has nick $n; }; } or { $a has uid 1; }; get;'), ['a:#0', 'a:#1']);
    // Three disjunctions each waiting for the next (in a ring) do not wait for ever.
    const ring = '{ $a has name $n; not { $a has nick $m; }; } or { $a has uid 1; }; { $a has nick $m; not { $a has name $k; }; } or { $a has uid 1; }; { $a has nick $k; not { $a has name $n; }; } or { $a has uid 1; };';
    assert.deepEqual(lines(`match $a isa person; ${ring} get;`), ['a:#1']);
    // A branch that does not bind it leaves it the negation's own: #1 has no name, #0 has one.
    assert.deepEqual(lines('match $a isa person; { $a has uid 1; } or { $a has nick $n; }; not { $a has name $n; }; get;'), ['a:#0', 'a:#1']);
  });
});

/** Each order of the statements: the planner takes equal-cost steps in the order written. */
function orders<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => orders([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

test('disjunctions in a ring (a negation in a branch of each reads a variable a branch of the next binds) answer as the normal form, in any order', () => {
  withPeople((lines) => {
    // #0 has attributes "A" (a name and a nick) and "B" (a name). In the normal form's conjunction of the first branches
    // each negation reads the attribute the next disjunction's branch binds, whose value is not the one it excludes: #0
    // answers, and #1 by the second branches. Run as steps, one of the ring had to go first, its negation took the
    // variable for its own (some attribute of #0 with that value) and lost #0 unless that negation happened to hold
    // anyway: the answers followed the order written.
    const other = '{ $a has uid 1; }';
    const a = (reads: string) => `{ $a has $n; $n "A"; not { $a has $${reads}; $${reads} "C"; }; } or ${other};`;
    const b = `{ $a has $m; $m "B"; not { $a has $n; $n "B"; }; } or ${other};`;
    const c = `{ $a has $k; $k "A"; not { $a has $m; $m "A"; }; } or ${other};`;
    const both = ['a:#0', 'a:#1'];
    for (const ring of [[a('m'), b], [a('k'), b, c]]) {
      for (const order of orders(ring)) {
        const pattern = order.join(' ');
        assert.deepEqual(lines(`match $a isa person; ${pattern} get;`), both, pattern);
        // Nested: a ring in a negation's body, and in a disjunction's branch.
        assert.deepEqual(lines(`match $a isa person; not { $a isa person; ${pattern} }; get;`), [], `not { ${pattern} }`);
        assert.deepEqual(lines(`match $a isa person; { $a isa person; ${pattern} } or { $a has uid 5; }; get;`), both, `{ ${pattern} } or …`);
      }
    }
  });
});
