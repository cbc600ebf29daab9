// Inference at query time, through the embedded API: what rules add, how inferred concepts look, and when the
// materialisation is reused, recomputed or never built.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StrataError } from '../../src/common/errors.js';
import { iidFromHex, isInferredRelationIID } from '../../src/encoding/index.js';
import { ReasoningDatabase, concept, get, values } from './harness.js';

const SCHEMA = `define
  name sub attribute, value string;
  nickname sub attribute, value string;
  person sub entity, owns name, owns nickname, plays friendship:friend, plays employment:employee;
  company sub entity, owns name, plays employment:employer;
  friendship sub relation, relates friend;
  employment sub relation, relates employee, relates employer;
  rule everyone-is-friends: when { $x isa person; $y isa person; } then { (friend: $x, friend: $y) isa friendship; };
  rule bob-nickname: when { $x isa person, has name "Robert"; } then { $x has nickname "Bob"; };
  rule name-is-nickname: when { $x isa person, has name $n; $n "Ann"; } then { $x has nickname "Ann"; };`;

const DATA = `insert
  $a isa person, has name "Robert";
  $b isa person, has name "Ann";
  $c isa person, has name "Cid";
  $d isa person, has name "Dee";
  $e isa person, has name "Eve";
  $n "Ann" isa nickname;`;

describe('inferred facts', () => {
  const db = new ReasoningDatabase(SCHEMA, DATA);
  after(() => db.close());

  test('one relation per type and role-player multiset: 5 people give 15 friendships', () => {
    db.with((tx) => {
      const answers = get(tx, 'match $r (friend: $x, friend: $y) isa friendship; get $r;');
      assert.equal(answers.length, 15);
      for (const a of answers) {
        const r = concept(a, 'r');
        assert.equal(r.kind, 'relation');
        assert.ok(r.kind === 'relation' && r.inferred);
        assert.ok(r.kind === 'relation' && isInferredRelationIID(iidFromHex(r.iid)!));
      }
    });
  });

  test('inferred relations keep their IIDs across queries and transactions', () => {
    const query = 'match $r (friend: $x, friend: $y) isa friendship; $x has name "Ann"; $y has name "Eve"; get $r;';
    const first = db.with((tx) => get(tx, query).map((a) => (concept(a, 'r') as { iid: string }).iid));
    const again = db.with((tx) => [get(tx, query), get(tx, query)].flat().map((a) => (concept(a, 'r') as { iid: string }).iid));
    assert.equal(first.length, 1);
    assert.deepEqual(again, [first[0], first[0]]);
  });

  test('a new value becomes an inferred attribute; an existing value is reused, not inferred', () => {
    db.with((tx) => {
      const bob = get(tx, 'match $x has nickname $n; $n "Bob"; get $n;');
      assert.equal(bob.length, 1);
      assert.ok(concept(bob[0]!, 'n').kind === 'attribute' && (concept(bob[0]!, 'n') as { inferred: boolean }).inferred);
      const ann = get(tx, 'match $x has nickname $n; $n "Ann"; get $n;');
      assert.equal(ann.length, 1);
      assert.equal((concept(ann[0]!, 'n') as { inferred: boolean }).inferred, false);
      assert.deepEqual(values(get(tx, 'match $x has nickname $n; get $n;'), 'n'), ['Ann', 'Bob']);
    });
  });

  test('without infer, nothing is inferred', () => {
    db.with((tx) => {
      assert.equal(get(tx, 'match $r isa friendship; get;').length, 0);
      assert.deepEqual(values(get(tx, 'match $x has nickname $n; get $n;'), 'n'), []);
    }, { infer: false });
  });

  test('aggregates, groups and fetch see inferred facts', () => {
    db.with((tx) => {
      const count = tx.query('match $r isa friendship; get; count;');
      assert.ok(count.kind === 'aggregate' && count.value?.value === 15n);
      const fetched = tx.query('match $x isa person, has name "Robert"; fetch $x: nickname;');
      assert.equal(fetched.kind, 'fetch');
      const trees = [...(fetched.kind === 'fetch' ? fetched.answers : [])];
      assert.deepEqual(trees, [
        { x: { type: { label: 'person', root: 'entity' }, nickname: [{ value: 'Bob', type: { label: 'nickname', root: 'attribute', value_type: 'string' } }] } },
      ]);
    });
  });
});

describe('what reasoning never does', () => {
  test('a conclusion that already holds in the data infers nothing', () => {
    const db = new ReasoningDatabase(
      `define
        person sub entity, plays employment:employee;
        employment sub relation, relates employee;
        rule employed: when { $p isa person; } then { (employee: $p) isa employment; };`,
      'insert $p isa person; (employee: $p) isa employment;',
    );
    try {
      db.with((tx) => {
        const answers = get(tx, 'match $r isa employment; get;');
        assert.equal(answers.length, 1);
        assert.equal((concept(answers[0]!, 'r') as { inferred: boolean }).inferred, false);
      });
    } finally {
      db.close();
    }
  });

  test('a conclusion held by a relation with more players, stored or inferred, infers nothing', () => {
    // `pair` concludes two of the three players of each trio: the trio itself holds it (TypeDB checks a relation
    // conclusion by matching it, so a relation with at least those players satisfies it).
    const db = new ReasoningDatabase(
      `define
        person sub entity, plays trio:x, plays trio:y, plays trio:z, plays seed:member;
        seed sub relation, relates member;
        trio sub relation, relates x, relates y, relates z;
        rule trio-of-seed: when { (member: $a, member: $b, member: $c) isa seed; } then { (x: $a, y: $b, z: $c) isa trio; };
        rule pair: when { (x: $a, y: $b, z: $c) isa trio; } then { (x: $a, y: $b) isa trio; };`,
      `insert $a isa person; $b isa person; $c isa person; (member: $a, member: $b, member: $c) isa seed;
        $d isa person; $e isa person; $f isa person; (x: $d, y: $e, z: $f) isa trio;`,
    );
    try {
      db.with((tx) => {
        // One stored trio, six inferred from the seed's orders of its members; no pairs.
        assert.equal(get(tx, 'match $r isa trio; get;').length, 7);
        assert.equal(get(tx, 'match $r (x: $a, y: $b) isa trio; not { $r (z: $c) isa trio; }; get;').length, 0);
      });
    } finally {
      db.close();
    }
  });

  test('inferred facts are never committed', () => {
    const db = new ReasoningDatabase(SCHEMA, DATA);
    try {
      db.with((tx) => assert.equal(get(tx, 'match $r isa friendship; get;').length, 15));
      db.with(
        (tx) => {
          tx.query('insert $z isa person, has name "Zed";');
          tx.commit();
        },
        { type: 'write' },
      );
      db.with((tx) => assert.equal(get(tx, 'match $r isa friendship; get;').length, 0), { infer: false });
      db.with((tx) => assert.equal(get(tx, 'match $r isa friendship; get;').length, 21));
    } finally {
      db.close();
    }
  });

  test('schema write transactions do not reason', () => {
    const db = new ReasoningDatabase(SCHEMA, DATA);
    try {
      const session = db.manager.session('db', 'schema');
      const tx = session.transaction('write', { infer: true });
      assert.equal(get(tx, 'match $r isa friendship; get;').length, 0);
      tx.close();
      session.close();
    } finally {
      db.close();
    }
  });
});

describe('write transactions', () => {
  test('do not reason, whatever infer says (as TypeDB 2.x): a match-insert writes what the data holds', () => {
    const db = new ReasoningDatabase(SCHEMA, DATA);
    try {
      db.with(
        (tx) => {
          assert.equal(get(tx, 'match $r isa friendship; get;').length, 0);
          tx.query('match $p isa person; (friend: $p, friend: $q) isa friendship; insert $p has name "Friendly";');
          tx.commit();
        },
        { type: 'write' },
      );
      db.with((tx) => assert.equal(get(tx, 'match $p has name "Friendly"; get;').length, 0), { infer: false });
    } finally {
      db.close();
    }
  });
});

describe('negation and recursion', () => {
  test('stratified negation: a negation reads the complete conclusions of the rules below it', () => {
    const db = new ReasoningDatabase(
      `define
        name sub attribute, value string;
        person sub entity, owns name, plays parentship:parent, plays parentship:child, plays ancestry:ancestor, plays ancestry:descendant, plays founder:root;
        parentship sub relation, relates parent, relates child;
        ancestry sub relation, relates ancestor, relates descendant;
        founder sub relation, relates root;
        rule parent-is-ancestor: when { (parent: $x, child: $y) isa parentship; } then { (ancestor: $x, descendant: $y) isa ancestry; };
        rule ancestor-transitive: when { (ancestor: $x, descendant: $y) isa ancestry; (ancestor: $y, descendant: $z) isa ancestry; }
          then { (ancestor: $x, descendant: $z) isa ancestry; };
        rule no-ancestor-is-founder: when { $x isa person; not { (ancestor: $y, descendant: $x) isa ancestry; }; }
          then { (root: $x) isa founder; };`,
      `insert
        $a isa person, has name "a"; $b isa person, has name "b"; $c isa person, has name "c"; $d isa person, has name "d";
        (parent: $a, child: $b) isa parentship; (parent: $b, child: $c) isa parentship; (parent: $c, child: $d) isa parentship;`,
    );
    try {
      db.with((tx) => {
        assert.equal(get(tx, 'match (ancestor: $x, descendant: $y) isa ancestry; get;').length, 6);
        assert.deepEqual(values(get(tx, 'match (root: $x) isa founder; $x has name $n; get $n;'), 'n'), ['a']);
      });
    } finally {
      db.close();
    }
  });

  test('rules that infer without end: a limit gets its answers, no limit is an error', () => {
    const db = new ReasoningDatabase(
      `define
        person sub entity, plays dream:dreamer, plays dream:subject;
        dream sub relation, relates dreamer, relates subject, plays dream:subject;
        rule inception: when { $x isa person; $z (dreamer: $x, subject: $y) isa dream; } then { (dreamer: $x, subject: $z) isa dream; };`,
      'insert $x isa person; (dreamer: $x, subject: $x) isa dream;',
    );
    try {
      db.with((tx) => assert.equal(get(tx, 'match $x isa dream; get; limit 10;').length, 10));
      db.with((tx) => {
        assert.throws(
          () => get(tx, 'match $x isa dream; get;'),
          /^StrataError: \[RSN08\] .*Reasoning stopped after 8192 rounds and \d+ inferred facts without reaching a fixpoint, at Strata's limits for one transaction \(8192 rounds, 350000 inferred facts\): either the rules infer facts without end .*, or this data needs more than that\. Add a limit to the query/,
        );
        assert.equal(tx.isOpen(), false);
      });
    } finally {
      db.close();
    }
  });
});

describe('which rules a query triggers', () => {
  test('a query materialises only the rules for the types it reads', () => {
    const db = new ReasoningDatabase(
      `define
        name sub attribute, value string;
        person sub entity, owns name, plays dream:dreamer, plays dream:subject;
        dream sub relation, relates dreamer, relates subject, plays dream:subject;
        rule inception: when { $x isa person; $z (dreamer: $x, subject: $y) isa dream; } then { (dreamer: $x, subject: $z) isa dream; };
        rule named: when { $x isa person; } then { $x has name "someone"; };`,
      'insert $x isa person; (dreamer: $x, subject: $x) isa dream;',
    );
    try {
      db.with((tx) => {
        // The endless rule is never started: neither query can read a dream.
        assert.deepEqual(values(get(tx, 'match $x isa person, has name $n; get $n;'), 'n'), ['someone']);
        assert.equal(get(tx, 'match $t sub entity; get;').length, 2);
        assert.throws(() => get(tx, 'match $d isa dream; get;'), /RSN/);
      });
      // A mistake in the query is reported before any reasoning starts.
      db.with((tx) => assert.throws(() => get(tx, 'match $d isa dream; get $nope;'), /TQL16/));
    } finally {
      db.close();
    }
  });
});

describe('rule bodies', () => {
  test('negated disjunctions, value variables and attribute variables', () => {
    const db = new ReasoningDatabase(
      `define
        retailer sub attribute, value string;
        age sub attribute, value long;
        age-in-days sub attribute, value long;
        label sub attribute, value string;
        crisps sub entity, owns retailer, owns label;
        soft-drink sub entity, owns retailer, owns label;
        tortoise sub entity, owns age, owns age-in-days;
        rule tesco-sells-what-ocado-does-not: when {
          $x isa $t; $t owns retailer;
          not { { $x has retailer 'Ocado'; } or { $t type soft-drink; }; };
        } then { $x has retailer 'Tesco'; };
        rule days: when { $x has age $a; ?d = $a * 365; } then { $x has age-in-days ?d; };
        rule copy-label: when { $x isa crisps, has label $l; $y isa soft-drink; } then { $y has $l; };`,
      `insert
        $w isa crisps, has label "w"; $x isa crisps, has retailer 'Ocado'; $y isa soft-drink; $z isa soft-drink;
        $t isa tortoise, has age 60;`,
    );
    try {
      db.with((tx) => {
        assert.equal(get(tx, `match $x has retailer 'Tesco'; get;`).length, 1);
        assert.deepEqual(values(get(tx, 'match $x has age-in-days $d; get $d;'), 'd'), ['21900']);
        const copied = get(tx, 'match $y isa soft-drink, has label $l; get $y, $l;');
        assert.equal(copied.length, 2);
        // The copied label is the existing attribute, not an inferred one.
        assert.ok(copied.every((a) => (concept(a, 'l') as { inferred: boolean }).inferred === false));
      });
    } finally {
      db.close();
    }
  });
});

describe('conclusions with variables', () => {
  const SCHEMA_WITH_ROLES = `define
    person sub entity, plays friendship:friend, plays employment:employee;
    company sub entity, plays employment:employer;
    friendship sub relation, relates friend;
    employment sub relation, relates employee, relates employer;`;

  test("a role variable takes the role the `when` binds it to (`$r type …`, `$r sub …`)", () => {
    const db = new ReasoningDatabase(
      `${SCHEMA_WITH_ROLES}
        rule befriended: when { $x isa person; $role type friendship:friend; } then { ($role: $x) isa friendship; };
        rule employed: when { $x isa person; $role sub employment:employee; } then { ($role: $x) isa employment; };
        rule misrole: when { ($role: $x) isa friendship; } then { ($role: $x) isa employment; };`,
      'insert $a isa person; $b isa person;',
    );
    try {
      db.with((tx) => {
        assert.equal(get(tx, 'match $f (friend: $x) isa friendship; get $f;').length, 2);
        assert.equal(get(tx, 'match $e (employee: $x) isa employment; get $e;').length, 2);
        assert.equal(get(tx, 'match $e (employer: $x) isa employment; get $e;').length, 0);
        // misrole binds $role to friend (and the meta role), which employment does not relate: it concludes nothing.
        assert.equal(get(tx, 'match $e isa employment; get $e;').length, 2);
      });
    } finally {
      db.close();
    }
  });

  test('a role variable bound to a role the relation lacks or the player cannot play is refused at define', () => {
    const db = new ReasoningDatabase(SCHEMA_WITH_ROLES);
    try {
      const define = (rule: string) => () => db.write('schema', `define ${rule}`);
      assert.throws(
        define('rule r1: when { $x isa person; $role type employment:employee; } then { ($role: $x) isa friendship; };'),
        /^StrataError: \[RUW07\] .*'r1' has a then clause '\{\n {4}\(\$role: \$x\) isa friendship;\n\}' that can never be satisfied/,
      );
      assert.throws(define('rule r2: when { $x isa person; $role type employment:employer; } then { ($role: $x) isa employment; };'), /^StrataError: \[RUW03\] .*'r2' may insert types '\{\$x=person\}'/);
      assert.equal(db.manager.schema('db').includes('rule'), false);
    } finally {
      db.close();
    }
  });
});

describe('a relation type variable in a conclusion (`isa $t`), as TypeDB 2.x takes it', () => {
  const SCHEMA_WITH_SUBTYPES = `define
    person sub entity, plays friendship:friend, plays bond:member;
    company sub entity, plays employment:employer;
    friendship sub relation, relates friend;
    close-friendship sub friendship;
    employment sub relation, relates employer;
    bond sub relation, abstract, relates member;`;

  test('concludes a relation of each type the `when` binds the variable to, its named roles looked up in that type', () => {
    const db = new ReasoningDatabase(
      `${SCHEMA_WITH_SUBTYPES}
        rule befriended: when { $x isa person; $t sub friendship; } then { (friend: $x) isa $t; };`,
      'insert $a isa person; $b isa person; $c isa company;',
    );
    try {
      db.with((tx) => {
        assert.equal(get(tx, 'match $f (friend: $x) isa! friendship; get $f;').length, 2);
        assert.equal(get(tx, 'match $f (friend: $x) isa! close-friendship; get $f;').length, 2);
        // `isa friendship` takes its subtype's relations too.
        assert.equal(get(tx, 'match $f (friend: $x) isa friendship; get $f;').length, 4);
      });
      assert.match(db.manager.schema('db'), /\} then \{\n\s+\(friend: \$x\) isa \$t;\n\};/);
    } finally {
      db.close();
    }
  });

  test('types the roles do not fit, abstract types and players that cannot play are refused at define', () => {
    const db = new ReasoningDatabase(SCHEMA_WITH_SUBTYPES);
    try {
      const define = (rule: string) => () => db.write('schema', `define ${rule}`);
      // employment does not relate friend: no type fits.
      assert.throws(define('rule r1: when { $x isa person; $t type employment; } then { (friend: $x) isa $t; };'), /^StrataError: \[RUW07\] .*'r1' has a then clause/s);
      assert.throws(
        define('rule r2: when { $x isa person; $t type bond; } then { (member: $x) isa $t; };'),
        /^StrataError: \[RUW08\] .*'r2' has a then clause .* which tries to insert instances of types '\[bond\]', some of which are abstract\./s,
      );
      // Among the relation types, employment does not relate friend.
      assert.throws(define('rule r3: when { $x isa person; $t sub relation; } then { (friend: $x) isa $t; };'), /^StrataError: \[RUW03\] .*'r3' may insert types '\{\$t=[a-z-]+\}'/s);
      assert.throws(define('rule r4: when { $x isa company; $t sub friendship; } then { (friend: $x) isa $t; };'), /^StrataError: \[RUW03\] .*'r4' may insert types '\{\$x=company\}'/s);
      assert.equal(db.manager.schema('db').includes('rule'), false);
    } finally {
      db.close();
    }
  });
});
