// TypeQL's checks of a get query's variables, which TypeDB makes when parsing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Session } from '../../src/database/api.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

/** The number of answers of a get query, in a read transaction of its own. */
function answerCount(session: Session, query: string): number {
  const tx = session.transaction('read');
  try {
    const result = tx.query(query);
    return result.kind === 'get' ? [...result.answers].length : -1;
  } finally {
    tx.close();
  }
}

test('a get needs a named variable, and names each filter variable once', () => {
  withTempManager('get-filter', (manager) => {
    createWithSchema(manager, 'db', 'define name sub attribute, value string; person sub entity, owns name;');
    writeData(manager, 'db', ['insert $p isa person, has name "Ann";']);
    const session = manager.session('db', 'data');
    try {
      const run = (query: string) => answerCount(session, query);
      // TypeQL 2.29 checks each statement before the query's variables: one without a named variable is [TQL10].
      assert.throws(() => run('match $_ isa person; get;'), { message: "[TQL10] TypeQL Error: The pattern '$_ isa person' has no named variable." });
      assert.throws(() => run('match $x isa person; not { $_ has name "Bo"; }; get;'), { message: /\[TQL10\].*'\$_ has name "Bo"'/ });
      assert.equal(run('match $_ isa person, has name $n; get;'), 1);
      assert.throws(() => run('match $x isa person; get $x, $x;'), {
        message: "[TQL15] TypeQL Error: The variable '$x' occurred more than once in the filter.",
      });
      assert.throws(() => run('match $x isa person, has name $n; get $n, $x, $n; count;'), { message: /\[TQL15\].*'\$n'/ });
      assert.equal(run('match $x isa person, has name $n; get $x, $n;'), 1);
    } finally {
      session.close();
    }
  });
});

test("a filter variable the match does not name, or a sort, group or aggregate variable the get does not return, is TypeQL's [TQL16], even without answers", () => {
  withTempManager('get-scope', (manager) => {
    createWithSchema(manager, 'db', 'define name sub attribute, value string; age sub attribute, value long; person sub entity, owns name, owns age;');
    const session = manager.session('db', 'data');
    try {
      const run = (query: string) => answerCount(session, query);
      const outOfScope = (variable: string) => ({ message: `[TQL16] TypeQL Error: The variable '${variable}' is out of scope of the query.` });
      assert.throws(() => run('match $x isa person; get $n;'), outOfScope('$n'));
      assert.throws(() => run('match $x isa person, has name $n; get $x; sort $n;'), outOfScope('$n'));
      assert.throws(() => run('match $x isa person; get; sort $n;'), outOfScope('$n'));
      assert.throws(() => run('match $x isa person, has age $a; get $x; sum $a;'), outOfScope('$a'));
      assert.throws(() => run('match $x isa person, has name $n; get $x; group $n;'), outOfScope('$n'));
      assert.throws(() => run('match $x isa person, has name $n, has age $a; get $x, $n; group $n; max $a;'), outOfScope('$a'));
      // The get's own checks come first, as TypeQL builds the get before its group or aggregate.
      assert.throws(() => run('match $x isa person; get $y; group $z;'), outOfScope('$y'));
    } finally {
      session.close();
    }
  });
});

test("like and the regex annotation take Java's regex syntax", () => {
  withTempManager('java-regex', (manager) => {
    createWithSchema(manager, 'db', 'define name sub attribute, value string, regex "(?i)[a-z]+"; person sub entity, owns name;');
    writeData(manager, 'db', ['insert $p isa person, has name "Ann";', 'insert $p isa person, has name "bob";']);
    const session = manager.session('db', 'data');
    try {
      const count = (query: string) => answerCount(session, query);
      assert.equal(count('match $n isa name; $n like "(?i)ann|BOB"; get;'), 2);
      assert.equal(count('match $n isa name; $n like "\\QAnn\\E"; get;'), 1);
      assert.throws(() => count('match $n isa name; $n like "a++"; get;'), {
        message: "[QRY50] Invalid Query Pattern: The regular expression 'a++' is invalid: possessive quantifiers ('++') are not supported; use the greedy one ('+').",
      });
      const write = session.transaction('write');
      assert.throws(() => write.query('insert $p isa person, has name "Ann1";'), /\[THW11\].*does not satisfy the regular expression '\(\?i\)\[a-z\]\+'/);
      write.close();
    } finally {
      session.close();
    }
    const schema = manager.session('db', 'schema');
    try {
      const tx = schema.transaction('write');
      assert.throws(() => tx.query('define nick sub attribute, value string, regex "(?>a)";'), {
        message: "[TQL14] TypeQL Error: Invalid regular expression '(?>a)'. It does not compile: atomic groups '(?>…)' are not supported.",
      });
    } finally {
      schema.close();
    }
  });
});
