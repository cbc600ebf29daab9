// The Concept API on things: creation, attributes by value, ownership with key/unique rules, role players,
// deletion, lookups by IID across transactions, and the commit-time rules for data transactions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ThingApi } from '../../src/concept/api/concept-api.js';
import { labelsOf, throwsCode, withFixture } from './fixtures.js';

const SCHEMA = `define
  username sub attribute, value string;
  email sub attribute, value string, regex "\\S+@\\S+";
  nick sub attribute, value string;
  score sub attribute, value double;
  since sub attribute, value datetime;
  marriage sub relation, relates wife, relates husband, owns since;
  person sub entity, owns username @key, owns email @unique, owns nick, owns score, plays marriage:wife, plays marriage:husband;
  company sub entity;`;

const str = (value: string) => ({ type: 'string', value }) as const;

/** A new person with the username, by IID. */
function person(things: ThingApi, name: string): string {
  const p = things.create('person').iid;
  things.setHas(p, things.putAttribute('username', str(name)).iid);
  return p;
}

test('entities and attributes are created, found by IID and by value, and survive commit', withFixture(SCHEMA, (f) => {
  const { alice, name } = f.write('data', (tx) => {
    const things = tx.concepts().things;
    const alice = things.create('person');
    const name = things.putAttribute('username', str('alice'));
    things.setHas(alice.iid, name.iid);
    assert.equal(alice.kind, 'entity');
    assert.match(alice.iid, /^0x[0-9a-f]+$/);
    assert.equal(things.putAttribute('username', str('alice')).iid, name.iid, 'attributes are unique by value');
    return { alice: alice.iid, name: name.iid };
  });
  f.read('data', (tx) => {
    const things = tx.concepts().things;
    assert.equal(things.get(alice)?.type.label.name, 'person');
    assert.equal(things.getAttribute('username', str('alice'))?.iid, name);
    assert.equal(things.getAttribute('username', str('bob')), undefined);
    assert.equal(things.isDeleted(alice), false);
    assert.equal(things.get('0xnonsense'), undefined);
    assert.deepEqual([...things.getHas(alice)].map((a) => a.value), [str('alice')]);
    assert.deepEqual([...things.getOwners(name)].map((o) => o.iid), [alice]);
  });
}));

test('attribute values: long accepted for double, value types and regexes enforced', withFixture(SCHEMA, (f) => {
  let tx = f.tx('data', 'write');
  const score = tx.concepts().things.putAttribute('score', { type: 'long', value: 3n });
  assert.deepEqual(score.value, { type: 'double', value: 3 });
  assert.equal(tx.concepts().things.getAttribute('score', { type: 'double', value: 3 })?.iid, score.iid);
  throwsCode(() => tx.concepts().things.putAttribute('username', { type: 'long', value: 1n }), 'TYR07');
  assert.equal(tx.isOpen(), false);
  tx = f.tx('data', 'write');
  throwsCode(() => tx.concepts().things.putAttribute('email', str('not-an-email')), 'THW11');
  tx = f.tx('data', 'write');
  throwsCode(() => tx.concepts().things.create('entity'), 'THW01');
  tx = f.tx('data', 'write');
  throwsCode(() => tx.concepts().things.create('username'), 'TYR01');
}));

test('ownership: filters by type and annotation, key and unique rules, unset', withFixture(SCHEMA, (f) => {
  const tx = f.tx('data', 'write');
  const things = tx.concepts().things;
  const a = things.create('person').iid;
  const b = things.create('person').iid;
  const keyA = things.putAttribute('username', str('a')).iid;
  const keyB = things.putAttribute('username', str('b')).iid;
  const nick = things.putAttribute('nick', str('ace')).iid;
  const mail = things.putAttribute('email', str('a@x')).iid;
  things.setHas(a, keyA);
  things.setHas(b, keyB);
  things.setHas(a, nick);
  things.setHas(a, mail);
  assert.deepEqual([...things.getHas(a, { annotations: ['key'] })].map((x) => x.iid), [keyA]);
  assert.deepEqual([...things.getHas(a, { annotations: ['unique'] })].map((x) => x.iid), [mail]);
  assert.deepEqual([...things.getHas(a, { attributeTypes: ['nick'] })].map((x) => x.iid), [nick]);
  assert.equal([...things.getHas(a)].length, 3);
  throwsCode(() => things.setHas(b, mail), 'THW07');
  const tx2 = f.tx('data', 'write');
  const t2 = tx2.concepts().things;
  const c = t2.create('person').iid;
  const key = t2.putAttribute('username', str('c')).iid;
  t2.setHas(c, key);
  throwsCode(() => t2.setHas(c, t2.putAttribute('username', str('d')).iid), 'THW04');
  const tx3 = f.tx('data', 'write');
  const t3 = tx3.concepts().things;
  const company = t3.create('company').iid;
  throwsCode(() => t3.setHas(company, t3.putAttribute('nick', str('x')).iid), 'THW03');
  const tx4 = f.tx('data', 'write');
  const t4 = tx4.concepts().things;
  const d = t4.create('person').iid;
  const nick4 = t4.putAttribute('nick', str('dee')).iid;
  throwsCode(() => t4.unsetHas(d, nick4), 'THW20');
}));

test('keys are settled at commit: missing keys fail, taken keys fail at once', withFixture(SCHEMA, (f) => {
  const tx = f.tx('data', 'write');
  tx.concepts().things.create('person');
  throwsCode(() => tx.commit(), 'THW06');
  f.write('data', (tx) => {
    const things = tx.concepts().things;
    things.setHas(things.create('person').iid, things.putAttribute('username', str('taken')).iid);
  });
  const tx2 = f.tx('data', 'write');
  const things = tx2.concepts().things;
  const other = things.create('person').iid;
  const taken = things.getAttribute('username', str('taken'))!.iid;
  throwsCode(() => things.setHas(other, taken), 'THW05');
}));

test('relations: players by role, role players, relating roles, remove, relations without players removed at commit', withFixture(SCHEMA, (f) => {
  const ids = f.write('data', (tx) => {
    const things = tx.concepts().things;
    const wife = person(things, 'w');
    const husband = person(things, 'h');
    const m = things.create('marriage').iid;
    things.addPlayer(m, 'wife', wife);
    things.addPlayer(m, 'marriage:husband', husband);
    const empty = things.create('marriage').iid;
    assert.deepEqual([...things.getPlayers(m, ['wife'])].map((p) => p.iid), [wife]);
    assert.equal([...things.getPlayers(m)].length, 2);
    assert.deepEqual(labelsOf(things.getRelating(m)), ['marriage:husband', 'marriage:wife']);
    assert.deepEqual(
      things.getRolePlayers(m).map((rp) => `${rp.role.label.name}=${rp.player.iid === wife ? 'w' : 'h'}`).sort(),
      ['husband=h', 'wife=w'],
    );
    assert.deepEqual([...things.getRelations(wife, ['marriage:wife'])].map((r) => r.iid), [m]);
    assert.deepEqual([...things.getRelations(wife, ['marriage:husband'])], []);
    assert.deepEqual(labelsOf(things.getPlaying(husband)), ['marriage:husband']);
    return { wife, husband, m, empty };
  });
  f.read('data', (tx) => {
    const things = tx.concepts().things;
    assert.equal(things.isDeleted(ids.empty), true, 'a relation without players is deleted at commit');
    assert.equal(things.isDeleted(ids.m), false);
  });
  let failing = f.tx('data', 'write');
  throwsCode(() => failing.concepts().things.addPlayer(ids.m, 'bride', ids.wife), 'TYR04');
  failing = f.tx('data', 'write');
  failing.concepts().things.removePlayer(ids.m, 'husband', ids.husband);
  assert.throws(
    () => failing.concepts().things.removePlayer(ids.m, 'husband', ids.husband),
    // TypeDB's text, whose slots hold the player's type and the role.
    { message: "[THW33] Invalid Thing Write: Could not delete roleplayer 'person' as relation 'marriage:husband' does not relate it." },
  );
  f.write('data', (tx) => {
    const things = tx.concepts().things;
    things.removePlayer(ids.m, 'wife', ids.wife);
    things.removePlayer(ids.m, 'husband', ids.husband);
  });
  f.read('data', (tx) => assert.equal(tx.concepts().things.isDeleted(ids.m), true));
}));

test('repeated role players: each role-player edge is listed once per repetition, as TypeDB lists role instances', withFixture(SCHEMA, (f) => {
  const ids = f.write('data', (tx) => {
    const things = tx.concepts().things;
    const a = person(things, 'a');
    const b = person(things, 'b');
    const m = things.create('marriage').iid;
    things.addPlayer(m, 'wife', a);
    things.addPlayer(m, 'wife', a);
    things.addPlayer(m, 'husband', b);
    return { a, b, m };
  });
  const who = (iid: string) => (iid === ids.a ? 'a' : iid === ids.b ? 'b' : iid);
  f.read('data', (tx) => {
    const { things, types } = tx.concepts();
    assert.deepEqual([...things.getPlayers(ids.m)].map((p) => who(p.iid)).sort(), ['a', 'a', 'b']);
    assert.deepEqual([...things.getPlayers(ids.m, ['marriage:wife'])].map((p) => who(p.iid)), ['a', 'a']);
    assert.deepEqual(things.getRolePlayers(ids.m).map((rp) => `${rp.role.label.name}=${who(rp.player.iid)}`).sort(), ['husband=b', 'wife=a', 'wife=a']);
    assert.deepEqual(labelsOf(things.getRelating(ids.m)), ['marriage:husband', 'marriage:wife']);
    assert.deepEqual([...things.getRelations(ids.a)].map((r) => r.iid), [ids.m, ids.m]);
    assert.deepEqual(labelsOf(things.getPlaying(ids.a)), ['marriage:wife', 'marriage:wife']);
    assert.deepEqual([...types.getRelationInstances('marriage:wife')].map((r) => r.iid), [ids.m, ids.m]);
    assert.deepEqual([...types.getPlayerInstances('marriage:wife')].map((p) => who(p.iid)), ['a', 'a']);
  });
  f.write('data', (tx) => tx.concepts().things.removePlayer(ids.m, 'wife', ids.a));
  f.read('data', (tx) => {
    assert.deepEqual([...tx.concepts().things.getPlayers(ids.m, ['wife'])].map((p) => who(p.iid)), ['a'], 'one repetition removed');
  });
}));

test('deleted things cannot be written, and thing writes need a data write transaction', withFixture(SCHEMA, (f) => {
  const tx = f.tx('data', 'write');
  const things = tx.concepts().things;
  const p = things.create('person').iid;
  const nick = things.putAttribute('nick', str('n')).iid;
  things.delete(p);
  assert.equal(things.isDeleted(p), true);
  assert.equal(things.get(p), undefined);
  throwsCode(() => things.setHas(p, nick), 'THW02');
  assert.equal(tx.isOpen(), false);
  throwsCode(() => f.tx('data', 'read').concepts().things.create('person'), 'TXN08');
}));

test('a schema write transaction takes thing writes at the call and refuses its commit, as TypeDB 2.x does', withFixture(SCHEMA, (f) => {
  const tx = f.tx('schema', 'write');
  const things = tx.concepts().things;
  const p = person(things, 'schemer');
  assert.equal(things.get(p)?.type.label.name, 'person');
  throwsCode(() => tx.commit(), 'TXN13');
  f.read('data', (read) => assert.equal(read.concepts().things.get(p), undefined));
  // Instances of a type created in the same transaction are refused at the call.
  const fresh = f.tx('schema', 'write');
  fresh.concepts().types.putEntityType('robot');
  throwsCode(() => fresh.concepts().things.create('robot'), 'TXN13');
  assert.equal(fresh.isOpen(), false);
  throwsCode(() => f.tx('schema', 'read').concepts().things.create('person'), 'TXN13');
}));

test("a thing given where another kind is needed fails TypeDB's cast, naming the class TypeDB gives the thing", withFixture(SCHEMA, (f) => {
  const tx = f.tx('data', 'write');
  const things = tx.concepts().things;
  const [a, b] = [person(things, 'a'), person(things, 'b')];
  assert.throws(() => things.setHas(a, b), { message: "[THR03] Invalid Thing Read: Invalid concept conversion from 'EntityImpl' to 'Attribute'." });
  const tx2 = f.tx('data', 'write');
  const score = tx2.concepts().things.putAttribute('score', { type: 'double', value: 1.5 }).iid;
  assert.throws(() => tx2.concepts().things.getPlayers(score), { message: "[THR03] Invalid Thing Read: Invalid concept conversion from 'AttributeImpl.Double' to 'Relation'." });
}));

test('lazy results stop when the transaction closes', withFixture(SCHEMA, (f) => {
  f.write('data', (tx) => {
    const things = tx.concepts().things;
    for (const name of ['a', 'b', 'c']) things.setHas(things.create('person').iid, things.putAttribute('username', str(name)).iid);
  });
  const tx = f.tx('data', 'read');
  const instances = tx.concepts().types.getInstances('person')[Symbol.iterator]();
  assert.equal(instances.next().done, false);
  tx.close();
  throwsCode(() => instances.next(), 'TXN05');
}));
