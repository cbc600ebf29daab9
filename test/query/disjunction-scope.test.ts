// What a match returns of its disjunctions: as in TypeQL 2.x, a match's named variables are those of its own
// statements (nested conjunctions included), not those only a disjunction branch binds. So `get;` projects a
// branch's answers onto the variables outside it, answers that then coincide are one answer, and a filter or sort
// naming a branch's variable is out of scope (TypeQL's VARIABLE_OUT_OF_SCOPE_MATCH, [TQL16]).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerLines, createWithSchema, uidNames, withTempManager, writeData } from '../support/databases.js';

const SCHEMA = `define uid sub attribute, value long; name sub attribute, value string; nick sub attribute, value string;
person sub entity, owns uid, owns name, owns nick;`;

test("a disjunction's answers are its branches' answers projected onto the variables outside it, each once", () => {
  withTempManager('disjunction-scope', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    writeData(manager, 'db', ['insert $p isa person, has uid 0, has name "A", has name "B", has nick "A";', 'insert $p isa person, has uid 1, has nick "C";']);
    const session = manager.session('db', 'data');
    const tx = session.transaction('read');
    try {
      const name = uidNames(tx);
      const lines = (query: string) => {
        const result = tx.query(query);
        if (result.kind !== 'get') throw new Error('expected answers');
        return answerLines(result.answers, name);
      };
      // $n is bound by every branch, $m by one only: neither is outside, so neither is returned.
      assert.deepEqual(lines('match $a isa person; { $a has name $n; } or { $a has nick $n; }; get;'), ['a:#0', 'a:#1']);
      assert.deepEqual(lines('match $a isa person; { $a has name $n; } or { $a has nick $m; }; get;'), ['a:#0', 'a:#1']);
      // A nested conjunction is not a scope: its variables are the match's.
      assert.deepEqual(lines('match $a isa person; { $a has nick $n; }; get;'), ['a:#0 n:nick=A', 'a:#1 n:nick=C']);
      const count = tx.query('match $a isa person; { $a has name $n; } or { $a has nick $n; }; get; count;');
      assert.equal(count.kind === 'aggregate' ? count.value?.value : undefined, 2n);
    } finally {
      tx.close();
    }
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
    try {
      assert.throws(() => run('match $a isa person; { $a has name $n; } or { $a has nick $n; }; get $n;'), outOfScope);
      assert.throws(() => run('match $a isa person; { $a has name $n; } or { $a has nick $n; }; get; sort $n;'), outOfScope);
    } finally {
      session.close();
    }
  });
});
