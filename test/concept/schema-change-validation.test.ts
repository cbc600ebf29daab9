// Commit-time revalidation of data after schema changes: the function on its own (schema changes applied without
// the per-mutation data checks), and end to end where a sequence of API calls passes every immediate check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateDataAgainstSchemaChange } from '../../src/concept/schema-change-validation.js';
import { ThingReader } from '../../src/concept/things.js';
import { ViewInstanceChecks } from '../../src/database/instance-checks.js';
import type { TypeGraph } from '../../src/schema/index.js';
import { DB, throwsCode, withFixture, type Fixture } from './fixtures.js';

const SCHEMA = `define
  username sub attribute, value string;
  nick sub attribute, value string;
  marriage sub relation, relates wife, relates husband;
  person sub entity, owns username, owns nick, plays marriage:wife, plays marriage:husband;
  company sub entity;`;

const DATA = `insert
  $a isa person, has username "ann", has nick "x";
  $b isa person, has username "bob", has nick "x";
  $c isa company;
  (wife: $a, husband: $b) isa marriage;`;

/** Applies `change` to a copy of the committed schema (no data checks) and validates the data against it. */
function validateAfter(f: Fixture, change: (g: TypeGraph) => void): void {
  const database = f.manager.get(DB);
  const before = database.schema;
  const after = before.clone();
  change(after);
  const snapshot = database.store.snapshot();
  try {
    const things = new ThingReader(snapshot, after);
    validateDataAgainstSchemaChange(before, after, things, new ViewInstanceChecks(() => after, () => things));
  } finally {
    snapshot.close();
  }
}

function withData(body: (f: Fixture) => void): () => void {
  return withFixture(SCHEMA, (f) => {
    f.write('data', (tx) => tx.query(DATA));
    body(f);
  });
}

const type = (g: TypeGraph, label: string) => {
  const t = g.get(label);
  assert.ok(t, `no type ${label}`);
  return t;
};

test('unchanged schemas and changes that touch no data pass', withData((f) => {
  validateAfter(f, () => {});
  validateAfter(f, (g) => {
    g.putType('dog', 'entity');
    g.setOwns(type(g, 'dog'), type(g, 'nick'));
    g.setAbstract(type(g, 'dog'));
  });
}));

test('types with instances may not become abstract or be deleted', withData((f) => {
  throwsCode(() => validateAfter(f, (g) => g.setAbstract(type(g, 'person'))), 'TYW03');
  throwsCode(() => validateAfter(f, (g) => g.deleteType(type(g, 'company'))), 'TYW04');
}));

test('ownerships, played roles and related roles in use may not disappear', withData((f) => {
  throwsCode(() => validateAfter(f, (g) => g.unsetOwns(type(g, 'person'), type(g, 'nick'))), 'TYW49');
  throwsCode(() => validateAfter(f, (g) => g.unsetPlays(type(g, 'person'), type(g, 'marriage:wife'))), 'TYW50');
  assert.throws(
    () => validateAfter(f, (g) => g.unsetRelates(type(g, 'marriage'), 'husband')),
    (e: Error) => e.message.includes('marriage:husband') && /TYW4[8]|TYW50/.test(e.message),
  );
}));

test('annotations made stricter must hold for existing data', withData((f) => {
  throwsCode(() => validateAfter(f, (g) => g.setOwns(type(g, 'person'), type(g, 'nick'), undefined, ['unique'])), 'TYW33');
  throwsCode(() => validateAfter(f, (g) => g.setOwns(type(g, 'person'), type(g, 'nick'), undefined, ['key'])), 'TYW32');
  validateAfter(f, (g) => g.setOwns(type(g, 'person'), type(g, 'username'), undefined, ['key']));
}));

test('a new regex must match existing attributes', withData((f) => {
  throwsCode(() => validateAfter(f, (g) => g.setRegex(type(g, 'username'), '[0-9]+')), 'TYW20');
  validateAfter(f, (g) => g.setRegex(type(g, 'username'), '[a-z]+'));
}));

test('end to end: ownerships and played roles move down a hierarchy with data in place', withFixture(
  `define
    name sub attribute, value string;
    friendship sub relation, relates friend;
    person sub entity, owns name @key, plays friendship:friend;
    student sub person;`,
  (f) => {
    f.write('data', (tx) => tx.query('insert $s isa student, has name "sam"; (friend: $s) isa friendship;'));
    let tx = f.tx('schema', 'write');
    // Removing the declaration from the supertype alone would leave the student's data behind.
    throwsCode(() => tx.concepts().types.unsetOwns('person', 'name'), 'TYW57');
    tx = f.tx('schema', 'write');
    const types = tx.concepts().types;
    types.setOwns('student', 'name', { annotations: ['key'] });
    types.setPlays('student', 'friendship:friend');
    types.unsetOwns('person', 'name');
    types.unsetPlays('person', 'friendship:friend');
    tx.commit();
    f.read('schema', (read) => {
      assert.deepEqual(read.concepts().types.getOwns('person'), []);
      assert.equal(read.concepts().types.getOwns('student', { annotations: ['key'] })[0]?.label.name, 'name');
    });
  },
));

test('end to end: a new @unique or @key counts the owners among the type and its subtypes, as TypeDB does', withFixture(
  `define
    name sub attribute, value string;
    person sub entity, owns name;
    man sub person;
    woman sub person;`,
  (f) => {
    f.write('data', (tx) => tx.query('insert $p isa person, has name "a"; $m isa man, has name "a"; $w isa woman, has name "b";'));
    // The person's "a" is also owned by a man, an instance of a subtype of person: not unique among persons.
    const nested = (code: string) => (e: unknown) => e instanceof Error && e.message.startsWith('[TYW57]') && e.message.includes(`[${code}]`);
    assert.throws(() => f.tx('schema', 'write').query('define person owns name @unique;'), nested('TYW33'));
    assert.throws(() => f.tx('schema', 'write').query('define person owns name @key;'), nested('TYW32'));
    // Owners of sibling subtypes are counted per subtype (TypeDB checks each type's own instances against its subtree).
    f.write('data', (tx) => tx.query('match $p isa! person, has name $n; delete $p has $n;'));
    f.write('data', (tx) => tx.query('match $w isa woman, has name $n; delete $w has $n; insert $w has name "a";'));
    f.write('schema', (tx) => tx.query('define person owns name @unique;'));
  },
));
