// Fetch as TypeDB 2.x's Fetcher runs it: answers filtered to what is projected (and passed to subqueries) and given
// once, every type a variable may take checked for an attribute projection, types of a variable that only
// disjunction branches bind, per-answer checks, and TypeDB's PRO codes. Also: match answers are distinct when a
// relation holds one player in several roles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JSONValue, QueryResult } from '../../src/database/api.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

const SCHEMA = `define
  name sub attribute, value string; ref sub attribute, value long; age sub attribute, value long;
  person sub entity, owns name, owns ref, owns age, plays employment:employee, plays employment:employer;
  company sub entity, owns ref, plays employment:employer;
  employment sub relation, relates employee, relates employer;`;

/** Runs the body with a function that runs a query in a transaction of its own (an error closes it). */
function withRead(body: (run: (query: string) => QueryResult) => void): void {
  withTempManager('fetch-semantics', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    writeData(manager, 'db', [
      'insert $a isa person, has name "Alice", has name "Al", has ref 1, has age 30; $b isa person, has name "Bob", has ref 2; $c isa company, has ref 3; (employee: $a, employer: $a) isa employment;',
    ]);
    const session = manager.session('db', 'data');
    try {
      body((query) => {
        const tx = session.transaction('read');
        try {
          const result = tx.query(query);
          // Lazy answers are read before the transaction closes.
          if (result.kind === 'fetch') return { kind: 'fetch', answers: [...result.answers] };
          return result;
        } finally {
          if (tx.isOpen()) tx.close();
        }
      });
    } finally {
      session.close();
    }
  });
}

function fetcher(run: (query: string) => QueryResult): (query: string) => JSONValue[] {
  return (query) => {
    const result = run(query);
    if (result.kind !== 'fetch') throw new Error('not a fetch');
    return [...result.answers];
  };
}

test('fetch answers are distinct on what the fetch projects, sorts by and passes to its subqueries', () => {
  withRead((run) => {
    const fetch = fetcher(run);
    assert.equal(fetch('match $p isa person, has name $n; fetch $p: ref;').length, 2);
    assert.equal(fetch('match $p isa person, has name $n; fetch $p: ref; limit 2;').length, 2);
    // $n goes to the subquery: one answer per name.
    const names = fetch('match $p isa person, has name $n; fetch n: { match $p has name $n; get; count; };');
    assert.equal(names.length, 3);
  });
});

test('an attribute projection needs every type the variable may take to own the attribute: [PRO06]', () => {
  withRead((run) => {
    const fetch = fetcher(run);
    assert.throws(() => fetch('match $p isa entity; fetch $p: name;'), {
      message:
        "[PRO06] Invalid projection operation: Projection from '$p' to attribute type 'name' is illegal, since '$p' could be of type 'company' which does not own the attribute type or any of its subtypes. Constrain the 'match' clause such that all types can own the attribute type or its subtypes.",
    });
    assert.equal(fetch('match $p isa entity; fetch $p: ref;').length, 3);
    // A relabelled attribute is named by its relabel, as TypeDB's Fetcher names it.
    assert.throws(() => fetch('match $p isa entity; fetch $p: ref, name as "first name";'), {
      message:
        "[PRO06] Invalid projection operation: Projection from '$p' to attribute type 'first name' is illegal, since '$p' could be of type 'company' which does not own the attribute type or any of its subtypes. Constrain the 'match' clause such that all types can own the attribute type or its subtypes.",
    });
  });
});

test("a subquery's attribute projections are checked when it runs, for a parent answer, as TypeDB's Fetcher checks them", () => {
  withRead((run) => {
    const fetch = fetcher(run);
    const query = (condition: string) => `match $p isa person${condition}; fetch s: { match $p isa entity; fetch $p: name; };`;
    assert.throws(() => fetch(query('')), /\[PRO06\] .*'\$p' could be of type 'company'/);
    // No parent answer: the subquery never runs, so nothing is checked.
    assert.deepEqual(fetch(query(', has name "Nobody"')), []);
    // The query's own projections are checked before its first answer, answers or not.
    assert.throws(() => fetch('match $p isa entity, has ref 99; fetch $p: name;'), /\[PRO06\]/);
  });
});

test('a variable the disjunction branches narrow takes the types of every branch; one only they bind is not fetched', () => {
  withRead((run) => {
    const fetch = fetcher(run);
    assert.equal(fetch('match $x isa entity; { $x isa person; } or { $x isa company; }; fetch $x: ref;').length, 3);
    assert.throws(() => fetch('match $x isa entity; { $x isa person; } or { $x isa company; }; fetch $x;'), /\[PRO03\]/);
    // As TypeQL 2.x's namedVariables, a match's variables are those of its own statements.
    assert.throws(() => fetch('match $x isa entity; { $x has ref $r; } or { $x has name $r; }; fetch $r;'), /\[PRO02\].*'\$r'/);
  });
});

test("projections are checked as TypeDB's Fetcher checks them, with its codes", () => {
  withRead((run) => {
    const fetch = fetcher(run);
    // An entity is refused per answer: no answers, no error.
    assert.deepEqual(fetch('match $p isa person, has name "Nobody"; fetch $p;'), []);
    // TypeDB names the projection by its key: the variable's name without '$', or its relabel.
    assert.throws(() => fetch('match $p isa person, has name "Bob"; fetch $p;'), {
      message: "[PRO03] Invalid projection operation: The variable projection 'p' cannot be used to fetch entity or relation instances. Entities and relations must be mapped to attributes.",
    });
    assert.throws(() => fetch('match $p isa person, has name "Bob"; fetch $p as "the person";'), {
      message: "[PRO03] Invalid projection operation: The variable projection 'the person' cannot be used to fetch entity or relation instances. Entities and relations must be mapped to attributes.",
    });
    assert.throws(() => fetch('match $p isa person, has age $a; fetch s: { match $p has name $n; fetch $n; $a; };'), {
      message: "[PRO02] Invalid projection operation: Projection variable '$a' is not bound in the preceding match clause.",
    });
    assert.throws(() => fetch('match $t type person; fetch $t: name;'), { message: "[PRO04] Invalid projection operation: Illegal attribute projection from type variable '$t'." });
    assert.throws(() => fetch('match $p isa person; fetch $p: person;'), {
      message: "[PRO05] Invalid projection operation: Attribute projection from '$p' maps to an invalid attribute type 'person'.",
    });
    assert.throws(() => fetch('match $p isa person; fetch s: { match $q isa company; fetch $q: ref; };'), {
      message: "[PRO07] Invalid projection operation: Subquery labeled 's' is not bounded by any parent match clause.",
    });
    assert.deepEqual(fetch('match $t type attribute; fetch $t;'), [{ t: { label: 'attribute', root: 'attribute', value_type: 'object' } }]);
  });
});

test("a subquery is bounded by the variables its statements name, as TypeQL's namedVariables of its match", () => {
  withRead((run) => {
    const fetch = fetcher(run);
    const unbounded = { message: "[PRO07] Invalid projection operation: Subquery labeled 'o' is not bounded by any parent match clause." };
    // A parent variable named only inside a negation or a disjunction does not bound the subquery.
    assert.throws(() => fetch('match $p isa person; fetch o: { match $q isa person; not { $q is $p; }; fetch $q: ref; };'), unbounded);
    assert.throws(() => fetch('match $p isa person; fetch o: { match $q isa person; not { $q is $p; }; get; count; };'), unbounded);
    assert.throws(() => fetch('match $p isa person; fetch o: { match $q isa person; { $q is $p; } or { $q has ref 3; }; fetch $q: ref; };'), unbounded);
    // One its statements name does, inside a nested conjunction too.
    assert.equal(fetch('match $p isa person; fetch o: { match $q isa person; $q is $p; not { $q has ref 3; }; fetch $q: ref; };').length, 2);
    assert.equal(fetch('match $p isa person; fetch o: { match { $q isa person; $q is $p; }; get; count; };').length, 2);
  });
});

test("a fetch sorts by variables its match's statements name, or fails as TypeQL does ([TQL38])", () => {
  withRead((run) => {
    const fetch = fetcher(run);
    const notMatched = (variable: string) => ({ message: `[TQL38] TypeQL Error: Sort variable '${variable}' is not present in the match clause.` });
    assert.throws(() => fetch('match $p isa person; fetch $p: ref; sort $x;'), notMatched('$x'));
    assert.throws(() => fetch('match $p isa person; not { $p has age $a; }; fetch $p: ref; sort $a;'), notMatched('$a'));
    assert.throws(() => fetch('match $p isa person; fetch s: { match $p has name $n; fetch $n; sort $p; }; sort ?v;'), notMatched('?v'));
    // A subquery's sort variables are its own match's, not its parent's.
    assert.throws(() => fetch('match $p isa person, has ref $r; fetch s: { match $p has name $n; fetch $n; sort $r; };'), notMatched('$r'));
    assert.deepEqual(fetch('match $p isa person, has ref $r; ?d = 0 - $r; fetch $p: ref; sort ?d; limit 1;'), [
      { p: { type: { label: 'person', root: 'entity' }, ref: [{ value: 2, type: { label: 'ref', root: 'attribute', value_type: 'long' } }] } },
    ]);
  });
});

test('a get-aggregate subquery is checked as the same query on its own (TypeQL checks both when it parses them)', () => {
  withRead((run) => {
    const fetch = fetcher(run);
    const subquery = (body: string) => `match $p isa person; fetch s: { match $p has ref $r; ${body} };`;
    const alone = (body: string) => `match $p isa person, has ref $r; ${body}`;
    for (const body of ['get; sum $x;', 'get $p; sum $r;', 'get $x; count;', 'get $r, $r; count;', 'get $r; sort $p; count;']) {
      let expected: Error | undefined;
      try {
        run(alone(body));
      } catch (e) {
        expected = e as Error;
      }
      assert.ok(expected, `'${alone(body)}' fails`);
      assert.throws(() => fetch(subquery(body)), { message: expected.message });
    }
    assert.equal(fetch(subquery('get $r; sort $r; limit 1; sum $r;')).length, 2);
  });
});

test('match answers are distinct when a relation holds one player in several roles', () => {
  withRead((run) => {
    const fetch = fetcher(run);
    const count = (query: string) => {
      const result = run(query);
      if (result.kind !== 'aggregate') throw new Error('not an aggregate');
      return Number(result.value!.value);
    };
    assert.equal(count('match $r ($x) isa employment; get; count;'), 1);
    assert.equal(count('match $r ($x, $y) isa employment; get; count;'), 1);
    assert.equal(count('match $r ($role: $x) isa employment; get; count;'), 3);
  });
});
