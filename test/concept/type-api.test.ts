// The Concept API on types: lookups, creation, hierarchy, owns/plays/relates (transitive and explicit, annotations,
// overrides), attribute types, access rules and failure handling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelsOf, throwsCode, withFixture } from './fixtures.js';

const SOCIAL = `define
  name sub attribute, value string, abstract;
  nick-name sub name;
  email sub attribute, value string;
  age sub attribute, value long;
  score sub attribute, value double;
  parentship sub relation, relates parent, relates child;
  fathership sub parentship, relates father as parent;
  person sub entity, abstract, owns name, owns email @key, owns age, plays parentship:parent, plays parentship:child;
  man sub person, owns nick-name as name, plays fathership:father as parent;`;

test('types are looked up by label and kind; missing labels are undefined', withFixture(SOCIAL, (f) => {
  f.read('schema', (tx) => {
    const types = tx.concepts().types;
    assert.equal(types.getEntityType('person')?.abstract, true);
    assert.equal(types.getEntityType('nobody'), undefined);
    assert.equal(types.getAttributeType('age')?.valueType, 'long');
    assert.deepEqual(types.get('parentship:parent')?.label, { scope: 'parentship', name: 'parent' });
    throwsCode(() => types.getEntityType('age'), 'TYR02');
    assert.equal(tx.isOpen(), false, 'a failing call closes the transaction');
  });
}));

test('supertypes and subtypes, transitive and explicit', withFixture(SOCIAL, (f) => {
  f.read('schema', (tx) => {
    const types = tx.concepts().types;
    assert.equal(types.getSupertype('man')?.label.name, 'person');
    assert.equal(types.getSupertype('entity'), undefined);
    assert.deepEqual(labelsOf(types.getSupertypes('man')), ['entity', 'man', 'person']);
    assert.deepEqual(labelsOf(types.getSubtypes('person')), ['man', 'person']);
    assert.deepEqual(labelsOf(types.getSubtypes('entity', { transitivity: 'explicit' })), ['person']);
    assert.deepEqual(labelsOf(types.getSubtypes('attribute', { valueType: 'long' })), ['age', 'attribute']);
    assert.equal(types.getSupertype('fathership:father')?.label.name, 'parent');
    assert.deepEqual(labelsOf(types.getSubtypes('relation:role')).includes('fathership:father'), true);
  });
}));

test('owns: transitive hides overridden ownerships; explicit lists declarations; annotations filter', withFixture(SOCIAL, (f) => {
  f.read('schema', (tx) => {
    const types = tx.concepts().types;
    assert.deepEqual(labelsOf(types.getOwns('man')), ['age', 'email', 'nick-name']);
    assert.deepEqual(labelsOf(types.getOwns('man', { transitivity: 'explicit' })), ['nick-name']);
    assert.deepEqual(labelsOf(types.getOwns('man', { annotations: ['key'] })), ['email']);
    assert.deepEqual(labelsOf(types.getOwns('person', { valueType: 'long' })), ['age']);
    assert.equal(types.getOwnsOverridden('man', 'nick-name')?.label.name, 'name');
    assert.equal(types.getOwnsOverridden('person', 'email'), undefined);
    assert.deepEqual(labelsOf(types.getOwners('email')), ['man', 'person']);
    assert.deepEqual(labelsOf(types.getOwners('email', { transitivity: 'explicit' })), ['person']);
    assert.deepEqual(labelsOf(types.getOwners('age', { annotations: ['key'] })), []);
    assert.deepEqual(labelsOf(types.getOwners('name')), ['person']);
  });
}));

test('plays and relates, with overrides', withFixture(SOCIAL, (f) => {
  f.read('schema', (tx) => {
    const types = tx.concepts().types;
    assert.deepEqual(labelsOf(types.getPlays('man')), ['fathership:father', 'parentship:child']);
    assert.deepEqual(labelsOf(types.getPlays('man', 'explicit')), ['fathership:father']);
    assert.equal(types.getPlaysOverridden('man', 'fathership:father')?.label.name, 'parent');
    assert.deepEqual(labelsOf(types.getRelates('fathership')), ['fathership:father', 'parentship:child']);
    assert.deepEqual(labelsOf(types.getRelates('fathership', 'explicit')), ['fathership:father']);
    assert.equal(types.getRelatesForRoleLabel('fathership', 'child')?.label.scope, 'parentship');
    assert.equal(types.getRelatesForRoleLabel('fathership', 'parent'), undefined);
    assert.equal(types.getRelatesOverridden('fathership', 'father')?.label.name, 'parent');
    assert.deepEqual(labelsOf(types.getRelationTypes('parentship:child')), ['fathership', 'parentship']);
    assert.deepEqual(labelsOf(types.getPlayerTypes('parentship:parent')), ['person']);
    assert.deepEqual(labelsOf(types.getPlayerTypes('parentship:child')), ['man', 'person']);
    assert.deepEqual(labelsOf(types.getPlayerTypes('parentship:child', 'explicit')), ['person']);
  });
}));

test('schema mutations through the API persist at commit', withFixture(undefined, (f) => {
  f.write('schema', (tx) => {
    const types = tx.concepts().types;
    types.putAttributeType('email', 'string');
    types.setRegex('email', '\\S+@\\S+');
    types.putEntityType('person');
    types.setOwns('person', 'email', { annotations: ['key'] });
    types.putRelationType('marriage');
    types.setRelates('marriage', 'spouse');
    types.setPlays('person', 'marriage:spouse');
    types.putEntityType('animal');
    types.setAbstract('animal');
    types.setSupertype('person', 'animal');
    types.setLabel('marriage:spouse', 'partner');
  });
  f.read('schema', (tx) => {
    const types = tx.concepts().types;
    assert.equal(types.getRegex('email'), '\\S+@\\S+');
    assert.deepEqual(labelsOf(types.getOwns('person', { annotations: ['key'] })), ['email']);
    assert.deepEqual(labelsOf(types.getPlays('person')), ['marriage:partner']);
    assert.equal(types.getSupertype('person')?.label.name, 'animal');
    assert.equal(types.getEntityType('animal')?.abstract, true);
  });
  f.write('schema', (tx) => {
    const types = tx.concepts().types;
    types.unsetPlays('person', 'marriage:partner');
    types.unsetRelates('marriage', 'partner');
    types.setRelates('marriage', 'wife');
    types.unsetOwns('person', 'email');
    types.unsetRegex('email');
    types.delete('email');
  });
  f.read('schema', (tx) => {
    const types = tx.concepts().types;
    assert.equal(types.get('email'), undefined);
    assert.deepEqual(labelsOf(types.getRelates('marriage')), ['marriage:wife']);
    assert.deepEqual(labelsOf(types.getPlays('person')), []);
  });
}));

test('schema writes need a schema write transaction; reads work everywhere', withFixture(SOCIAL, (f) => {
  const data = f.tx('data', 'write');
  assert.equal(data.concepts().types.getEntityType('man')?.label.name, 'man');
  throwsCode(() => data.concepts().types.putEntityType('dog'), 'TXN12');
  assert.equal(data.isOpen(), false);
  const read = f.tx('schema', 'read');
  throwsCode(() => read.concepts().types.putEntityType('dog'), 'TXN07');
  throwsCode(() => read.concepts(), 'TXN05');
}));

test("putting a type that exists is a lookup, as in TypeDB's ConceptManager: any transaction may, and it stays open", withFixture(SOCIAL, (f) => {
  for (const [session, type] of [['data', 'write'], ['data', 'read'], ['schema', 'read']] as const) {
    const tx = f.tx(session, type);
    const types = tx.concepts().types;
    assert.equal(types.putEntityType('man').label.name, 'man');
    assert.equal(types.putRelationType('parentship').label.name, 'parentship');
    assert.equal(types.putAttributeType('age', 'long').valueType, 'long');
    assert.equal(tx.isOpen(), true);
    // Another kind or value type under that label would change the schema: that is still a schema write.
    throwsCode(() => types.putAttributeType('age', 'string'), session === 'data' ? 'TXN12' : 'TXN07');
  }
}));

test('mutations validate as TypeDB does and close the transaction on failure', withFixture(SOCIAL, (f) => {
  let tx = f.tx('schema', 'write');
  throwsCode(() => tx.concepts().types.setSupertype('person', 'man'), 'TYW08');
  assert.equal(tx.isOpen(), false);
  tx = f.tx('schema', 'write');
  throwsCode(() => tx.concepts().types.setOwns('person', 'score', { annotations: ['key'] }), 'TYW26');
  tx = f.tx('schema', 'write');
  throwsCode(() => tx.concepts().types.delete('entity'), 'TYW01');
  tx = f.tx('schema', 'write');
  throwsCode(() => tx.concepts().types.setOwns('nobody', 'age'), 'TYR03');
  tx = f.tx('schema', 'write');
  throwsCode(() => tx.concepts().types.setPlays('person', 'age'), 'TYR01');
  // Commit-time checks: a concrete relation type without roles.
  tx = f.tx('schema', 'write');
  tx.concepts().types.putRelationType('empty');
  throwsCode(() => tx.commit(), 'TYW37');
}));

test('instances of a type, and players and relations of a role', withFixture(SOCIAL, (f) => {
  f.write('data', (tx) => {
    tx.query('insert $m isa man, has email "m@x"; $p isa man, has email "p@x"; (father: $m, child: $p) isa fathership;');
  });
  f.read('data', (tx) => {
    const types = tx.concepts().types;
    assert.equal([...types.getInstances('person')].length, 2);
    assert.equal([...types.getInstances('person', 'explicit')].length, 0);
    assert.equal([...types.getRelationInstances('parentship:child')].length, 1);
    assert.equal([...types.getRelationInstances('parentship:parent')].length, 1, 'transitive includes subroles');
    assert.equal([...types.getRelationInstances('parentship:parent', 'explicit')].length, 0);
    assert.equal([...types.getPlayerInstances('parentship:child')].length, 1);
    assert.equal([...types.getPlayerInstances('fathership:father')].length, 1);
  });
}));

test("a type's syntax is its own definition as the schema prints it; a meta type gives its label", withFixture(SOCIAL, (f) => {
  f.read('schema', (tx) => {
    const types = tx.concepts().types;
    assert.equal(types.getSyntax('man'), 'man sub person,\n    owns nick-name as name,\n    plays fathership:father as parent;');
    assert.equal(
      types.getSyntax('person'),
      'person sub entity,\n    abstract,\n    owns email @key,\n    owns age,\n    owns name,\n    plays parentship:child,\n    plays parentship:parent;',
    );
    assert.equal(types.getSyntax('fathership'), 'fathership sub parentship,\n    relates father as parent;');
    assert.equal(types.getSyntax('entity'), 'entity');
    throwsCode(() => types.getSyntax('parentship:parent'), 'TYR01');
  });
}));
