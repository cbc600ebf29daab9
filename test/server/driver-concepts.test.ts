// The Concept API methods of the official driver that the behaviour suite and concept-api.test.ts do not call,
// against the real engine: root types (the driver's own `thing` root and the server's three), role types' hierarchy
// and relation types, attribute types by value type and owners by annotation, overrides (owns, plays, relates),
// renames, regexes, role players added and removed, every value type put and got, `isDeleted`, and the errors a
// misused call gets (and that it closes its transaction), as TypeDB 2.29 answers them: SRV27 for a request on a
// concept the transaction no longer has.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { Concept, SessionType, ThingType, TransactionType, type TypeDBTransaction } from 'typedb-driver';
import { eventually, exitWhenDone, inTransaction, useEngineServer } from './harness.js';

exitWhenDone();

const engine = useEngineServer('driver-concepts');
const { server, errors } = engine;

before(async () => {
  await engine.start();
  await engine.driver.databases.create('kinds');
  await inSession(SessionType.SCHEMA, TransactionType.WRITE, async (tx) => {
    await tx.query.define(`define
      name sub attribute, value string; code sub attribute, value string, regex "^[a-z]+$";
      title sub attribute, abstract, value string; nick sub title;
      id sub attribute, value long; flag sub attribute, value boolean; score sub attribute, value double;
      born sub attribute, value datetime;
      person sub entity, owns name, owns id @key, owns code @unique, owns flag, owns score, owns born,
        plays friendship:friend, plays employment:employee;
      student sub person; company sub entity, owns name, plays employment:employer;
      friendship sub relation, relates friend; best-friendship sub friendship, relates best as friend;
      employment sub relation, relates employee, relates employer;`);
    await tx.commit();
  });
  await inSession(SessionType.DATA, TransactionType.WRITE, async (tx) => {
    await tx.query.insert(`insert $a isa person, has name "Ann", has id 1, has code "ann"; $b isa student, has id 2;
      $c isa company, has name "Acme"; (friend: $a, friend: $b) isa friendship; (employee: $a, employer: $c) isa employment;`).collect();
    await tx.commit();
  });
});

function inSession(type: SessionType, txType: TransactionType, body: (tx: TypeDBTransaction) => Promise<void>): Promise<void> {
  return inTransaction(engine.driver, 'kinds', type, txType, body);
}

const names = (concepts: { toString(): string }[]) => concepts.map(String).sort();
const labels = (types: { label: { scopedName: string } }[]) => types.map((t) => t.label.scopedName).sort();

test('root types: the driver-side `thing` over the three roots the server gives, flagged root and abstract', async () => {
  await inSession(SessionType.DATA, TransactionType.READ, async (tx) => {
    const thing = await tx.concepts.getRootThingType();
    assert.deepEqual([thing.label.name, thing.root, thing.abstract], ['thing', true, true]);
    assert.deepEqual(labels(await thing.getSupertypes(tx).collect()), ['thing']);
    assert.equal(await thing.getSupertype(tx), null);
    // 3 entities, 2 relations, 5 attributes ("Ann", 1, "ann", 2, "Acme").
    assert.equal((await thing.getInstances(tx).collect()).length, 3 + 2 + 5);
    const entity = await tx.concepts.getRootEntityType();
    const relation = await tx.concepts.getRootRelationType();
    const attribute = await tx.concepts.getRootAttributeType();
    for (const [root, label] of [[entity, 'entity'], [relation, 'relation'], [attribute, 'attribute']] as const) {
      assert.deepEqual([root.label.name, root.root, root.abstract], [label, true, true]);
      assert.equal(await root.getSupertype(tx), null);
    }
    assert.equal(attribute.valueType.name(), 'object');
    assert.deepEqual(labels(await entity.getSubtypes(tx, Concept.Transitivity.EXPLICIT).collect()), ['company', 'person']);
    assert.deepEqual(labels(await relation.getRelates(tx).collect()), ['relation:role']);
    assert.equal((await relation.getInstances(tx).collect()).length, 2);
    assert.deepEqual(labels(await attribute.getOwners(tx).collect()), []);
  });
});

test('attribute types by value type, owners by annotation, owns by value type and annotation', async () => {
  await inSession(SessionType.DATA, TransactionType.READ, async (tx) => {
    const attribute = await tx.concepts.getRootAttributeType();
    // The root answers for each value type with itself and the subtypes of that value type, as TypeDB's typed roots do.
    assert.deepEqual(labels(await attribute.getSubtypes(tx, Concept.ValueType.STRING).collect()), ['attribute', 'code', 'name', 'nick', 'title']);
    assert.deepEqual(labels(await attribute.getSubtypes(tx, Concept.ValueType.LONG, Concept.Transitivity.EXPLICIT).collect()), ['id']);
    const title = (await tx.concepts.getAttributeType('title'))!;
    assert.deepEqual(labels(await title.getSubtypes(tx, Concept.Transitivity.EXPLICIT).collect()), ['nick']);
    const id = (await tx.concepts.getAttributeType('id'))!;
    const code = (await tx.concepts.getAttributeType('code'))!;
    assert.deepEqual(labels(await id.getOwners(tx, [ThingType.Annotation.KEY]).collect()), ['person', 'student']);
    assert.deepEqual(labels(await id.getOwners(tx, [ThingType.Annotation.KEY], Concept.Transitivity.EXPLICIT).collect()), ['person']);
    assert.deepEqual(labels(await code.getOwners(tx, [ThingType.Annotation.UNIQUE]).collect()), ['person', 'student']);
    assert.deepEqual(labels(await id.getOwners(tx, [ThingType.Annotation.UNIQUE]).collect()), []);
    assert.equal(await code.getRegex(tx), '^[a-z]+$');
    const person = (await tx.concepts.getEntityType('person'))!;
    assert.deepEqual(labels(await person.getOwns(tx, Concept.ValueType.STRING).collect()), ['code', 'name']);
    assert.deepEqual(labels(await person.getOwns(tx, Concept.ValueType.STRING, [ThingType.Annotation.UNIQUE]).collect()), ['code']);
    assert.deepEqual(labels(await person.getOwns(tx, Concept.ValueType.LONG, Concept.Transitivity.EXPLICIT).collect()), ['id']);
    assert.deepEqual(labels(await person.getOwns(tx, [ThingType.Annotation.KEY], Concept.Transitivity.EXPLICIT).collect()), ['id']);
  });
});

test('role types: supertypes up to relation:role, subtypes through overrides, the relation types that relate them', async () => {
  await inSession(SessionType.DATA, TransactionType.READ, async (tx) => {
    const friendship = (await tx.concepts.getRelationType('friendship'))!;
    const friend = (await friendship.getRelatesForRoleLabel(tx, 'friend'))!;
    assert.deepEqual([friend.root, friend.abstract], [false, false]);
    assert.equal(String(await friend.getSupertype(tx)), 'RoleType[label:relation:role]');
    assert.deepEqual(labels(await friend.getSupertypes(tx).collect()), ['friendship:friend', 'relation:role']);
    assert.deepEqual(labels(await friend.getSubtypes(tx).collect()), ['best-friendship:best', 'friendship:friend']);
    assert.equal(String(await friend.getRelationType(tx)), 'RelationType[label:friendship]');
    // best-friendship overrides friend, so it does not relate it.
    assert.deepEqual(labels(await friend.getRelationTypes(tx).collect()), ['friendship']);
    assert.equal(await friend.isDeleted(tx), false);
    const root = (await (await tx.concepts.getRootRelationType()).getRelatesForRoleLabel(tx, 'role'))!;
    assert.deepEqual([root.root, root.abstract, await root.getSupertype(tx)], [true, true, null]);
    assert.equal((await root.getSubtypes(tx).collect()).length, 5);
    const best = (await tx.concepts.getRelationType('best-friendship'))!;
    assert.equal(String(await best.getRelatesOverridden(tx, 'best')), 'RoleType[label:friendship:friend]');
    assert.equal(await friendship.getRelatesOverridden(tx, 'friend'), null);
    assert.deepEqual(labels(await best.getRelates(tx).collect()), ['best-friendship:best']);
  });
});

test('schema writes: renames, overrides, regex, supertypes, role deletes, and isDeleted after a delete', async () => {
  await inSession(SessionType.SCHEMA, TransactionType.WRITE, async (tx) => {
    const person = (await tx.concepts.getEntityType('person'))!;
    await person.setLabel(tx, 'human');
    assert.equal(String(await tx.concepts.getEntityType('human')), 'EntityType[label:human]');
    assert.equal(await tx.concepts.getEntityType('person'), null);
    const friendship = (await tx.concepts.getRelationType('friendship'))!;
    const friend = (await friendship.getRelatesForRoleLabel(tx, 'friend'))!;
    await friend.setLabel(tx, 'pal');
    assert.deepEqual(labels(await friendship.getRelates(tx).collect()), ['friendship:pal']);

    const close = await tx.concepts.putRelationType('close-friendship');
    await close.setSupertype(tx, friendship);
    await close.setRelates(tx, 'confidant', 'pal');
    assert.equal(String(await close.getRelatesOverridden(tx, 'confidant')), 'RoleType[label:friendship:pal]');
    // A new subtype, without instances that play or own what its overrides hide.
    const pupil = await tx.concepts.putEntityType('pupil');
    await pupil.setSupertype(tx, (await tx.concepts.getEntityType('human'))!);
    const confidant = (await close.getRelatesForRoleLabel(tx, 'confidant'))!;
    await pupil.setPlays(tx, confidant, (await friendship.getRelatesForRoleLabel(tx, 'pal'))!);
    assert.equal(String(await pupil.getPlaysOverridden(tx, confidant)), 'RoleType[label:friendship:pal]');
    assert.deepEqual(names(await pupil.getPlays(tx, Concept.Transitivity.EXPLICIT).collect()), ['RoleType[label:close-friendship:confidant]']);
    assert.deepEqual(labels(await pupil.getPlays(tx).collect()), ['close-friendship:confidant', 'employment:employee']);

    const title = (await tx.concepts.getAttributeType('title'))!;
    const nick = (await tx.concepts.getAttributeType('nick'))!;
    await pupil.setAbstract(tx);
    await pupil.setOwns(tx, title);
    const junior = await tx.concepts.putEntityType('junior');
    await junior.setSupertype(tx, pupil);
    await junior.setOwns(tx, nick, title, [ThingType.Annotation.UNIQUE]);
    assert.equal(String(await junior.getOwnsOverridden(tx, nick)), 'AttributeType[label:title]');
    assert.deepEqual(labels(await junior.getOwns(tx, [ThingType.Annotation.UNIQUE]).collect()), ['code', 'nick']);
    assert.deepEqual(labels(await junior.getOwns(tx, [ThingType.Annotation.KEY]).collect()), ['id']);
    assert.deepEqual(labels(await junior.getOwns(tx, Concept.Transitivity.EXPLICIT).collect()), ['nick']);

    const name = (await tx.concepts.getAttributeType('name'))!;
    await name.setRegex(tx, '^[A-Z].*$');
    assert.equal(await name.getRegex(tx), '^[A-Z].*$');
    await name.unsetRegex(tx);
    assert.equal(await name.getRegex(tx), '');
    const tag = await tx.concepts.putAttributeType('tag', Concept.ValueType.STRING);
    await tag.setSupertype(tx, title);
    assert.deepEqual(labels(await tag.getSupertypes(tx).collect()), ['attribute', 'tag', 'title']);

    const pair = await tx.concepts.putRelationType('pair');
    await pair.setRelates(tx, 'left');
    await pair.setRelates(tx, 'right');
    const left = (await pair.getRelatesForRoleLabel(tx, 'left'))!;
    await left.delete(tx);
    assert.equal(await left.isDeleted(tx), true);
    await pair.unsetRelates(tx, 'right');
    assert.deepEqual(await pair.getRelates(tx).collect(), []);
    await pair.delete(tx);
    assert.equal(await pair.isDeleted(tx), true);
    // Not committed: the other tests see the schema as it was.
  });
});

test('thing writes: role players added and removed, playing, relations by role, each value type put and got, deletes', async () => {
  await inSession(SessionType.DATA, TransactionType.WRITE, async (tx) => {
    const person = (await tx.concepts.getEntityType('person'))!;
    const id = (await tx.concepts.getAttributeType('id'))!;
    const [x, y] = [await person.create(tx), await person.create(tx)];
    await x.setHas(tx, await id.putLong(tx, 10));
    await y.setHas(tx, await id.putLong(tx, 11));
    const friendship = (await tx.concepts.getRelationType('friendship'))!;
    const friend = (await friendship.getRelatesForRoleLabel(tx, 'friend'))!;
    const employee = (await (await tx.concepts.getRelationType('employment'))!.getRelatesForRoleLabel(tx, 'employee'))!;
    const pair = await friendship.create(tx);
    await pair.addRolePlayer(tx, friend, x);
    await pair.addRolePlayer(tx, friend, y);
    assert.equal((await pair.getPlayersByRoleType(tx).collect()).length, 2);
    await pair.removeRolePlayer(tx, friend, y);
    assert.deepEqual((await pair.getPlayersByRoleType(tx).collect()).map((p) => p.iid), [x.iid]);
    assert.deepEqual(names(await x.getPlaying(tx).collect()), ['RoleType[label:friendship:friend]']);
    assert.deepEqual((await x.getRelations(tx, [friend]).collect()).map((r) => r.iid), [pair.iid]);
    assert.deepEqual(await x.getRelations(tx, [employee]).collect(), []);
    assert.equal(await x.isDeleted(tx), false);

    const values: [string, 'Boolean' | 'Long' | 'Double' | 'String' | 'DateTime', unknown][] = [
      ['flag', 'Boolean', false], ['id', 'Long', 12], ['score', 'Double', 2.25], ['name', 'String', 'Zed'], ['born', 'DateTime', new Date(Date.UTC(2021, 1, 3, 4, 5, 6, 7))],
    ];
    for (const [label, kind, value] of values) {
      const type = (await tx.concepts.getAttributeType(label))! as unknown as Record<string, (tx: TypeDBTransaction, v: unknown) => Promise<{ iid: string; value: unknown } | null>>;
      const put = (await type[`put${kind}`]!(tx, value))!;
      const got = await type[`get${kind}`]!(tx, value);
      assert.deepEqual([got?.iid, got?.value], [put.iid, value], label);
      assert.equal((await tx.concepts.getAttribute(put.iid))?.iid, put.iid);
    }
    const zed = (await (await tx.concepts.getAttributeType('name'))!.getString(tx, 'Zed'))!;
    await zed.delete(tx);
    assert.equal(await zed.isDeleted(tx), true);
    assert.equal(await tx.concepts.getEntity('0x1234'), null);
    await pair.delete(tx);
    assert.equal(await pair.isDeleted(tx), true);
    // Not committed.
  });
});

test("a thing looked up by an IID of another kind fails TypeDB's cast ([THR03], ConceptManager.getEntity is getThing(iid).asEntity()) and closes the transaction", async () => {
  const iids = await (async () => {
    let found: Record<string, string> = {};
    await inSession(SessionType.DATA, TransactionType.READ, async (tx) => {
      const [answer] = await tx.query.get('match $p isa person, has name $n, has id 1; $f (friend: $p) isa friendship; get;').collect();
      const id = (await (await tx.concepts.getAttributeType('id'))!.getLong(tx, 1))!;
      found = { person: answer!.get('p').asThing().iid, friendship: answer!.get('f').asThing().iid, name: answer!.get('n').asThing().iid, id: id.iid };
      // Each found by its own kind; an IID no thing has is none of them.
      assert.equal((await tx.concepts.getEntity(found.person!))?.iid, found.person);
      assert.equal((await tx.concepts.getRelation(found.friendship!))?.iid, found.friendship);
      assert.equal((await tx.concepts.getAttribute(found.name!))?.iid, found.name);
      assert.deepEqual(await Promise.all([tx.concepts.getEntity('0x1234'), tx.concepts.getRelation('0x1234'), tx.concepts.getAttribute('0x1234')]), [null, null, null]);
    });
    return found;
  })();
  // From: the class TypeDB gives the thing (EntityImpl, RelationImpl, AttributeImpl.<value type>); to: the kind asked for.
  const cases: [(tx: TypeDBTransaction) => Promise<unknown>, string][] = [
    [(tx) => tx.concepts.getEntity(iids.friendship!), "from 'RelationImpl' to 'Entity'"],
    [(tx) => tx.concepts.getRelation(iids.person!), "from 'EntityImpl' to 'Relation'"],
    [(tx) => tx.concepts.getAttribute(iids.person!), "from 'EntityImpl' to 'Attribute'"],
    [(tx) => tx.concepts.getEntity(iids.name!), "from 'AttributeImpl.String' to 'Entity'"],
    [(tx) => tx.concepts.getRelation(iids.id!), "from 'AttributeImpl.Long' to 'Relation'"],
  ];
  for (const [call, conversion] of cases) {
    await inSession(SessionType.DATA, TransactionType.READ, async (tx) => {
      await assert.rejects(call(tx), (e: Error) => {
        assert.match(e.message, /\[THR03\] Invalid Thing Read: Invalid concept conversion /);
        assert.ok(e.message.includes(`${conversion}.`), e.message);
        return true;
      });
      assert.equal(tx.isOpen(), false);
    });
  }
});

test("data writes through the Concept API in a schema session: taken at the call, refused at commit with [TXN13], as TypeDB's CoreTransaction.Schema.commit", async () => {
  let created = '';
  await inSession(SessionType.SCHEMA, TransactionType.WRITE, async (tx) => {
    const person = (await tx.concepts.getEntityType('person'))!;
    const id = (await tx.concepts.getAttributeType('id'))!;
    const p = await person.create(tx);
    await p.setHas(tx, await id.putLong(tx, 77));
    created = p.iid;
    // The transaction sees its own writes, as TypeDB's buffered data graph does.
    assert.deepEqual((await p.getHas(tx, [id]).collect()).map((a) => a.value), [77]);
    assert.ok((await person.getInstances(tx).collect()).some((t) => t.iid === p.iid));
    await assert.rejects(tx.commit(), /\[TXN13\] Invalid Transaction Operation: Attempted data writes when session type does not allow\./);
    assert.equal(tx.isOpen(), false);
  });
  await inSession(SessionType.DATA, TransactionType.READ, async (tx) => {
    assert.equal(await tx.concepts.getEntity(created), null);
    assert.equal(await (await tx.concepts.getAttributeType('id'))!.getLong(tx, 77), null);
  });
  // Deleting a stored thing is a data write too; a rollback does not take the refusal back (TypeDB's data graph
  // keeps its modified flag through a rollback).
  await inSession(SessionType.SCHEMA, TransactionType.WRITE, async (tx) => {
    const ann = (await (await tx.concepts.getAttributeType('name'))!.getString(tx, 'Ann'))!;
    await ann.delete(tx);
    await tx.rollback();
    await tx.concepts.putEntityType('robot');
    await assert.rejects(tx.commit(), /\[TXN13\]/);
  });
  await inSession(SessionType.DATA, TransactionType.READ, async (tx) => {
    assert.notEqual(await (await tx.concepts.getAttributeType('name'))!.getString(tx, 'Ann'), null);
    assert.equal(await tx.concepts.getEntityType('robot'), null);
  });
  // A type created in the transaction has no instances before its commit: refused at the call (validateCanHaveInstances).
  for (const create of [
    async (tx: TypeDBTransaction) => (await tx.concepts.putEntityType('drone')).create(tx),
    async (tx: TypeDBTransaction) => (await tx.concepts.putAttributeType('serial', Concept.ValueType.LONG)).putLong(tx, 1),
  ]) {
    await inSession(SessionType.SCHEMA, TransactionType.WRITE, async (tx) => {
      await assert.rejects(create(tx), /\[TXN13\] Invalid Transaction Operation: Attempted data writes when session type does not allow\./);
      assert.equal(tx.isOpen(), false);
    });
  }
  // A schema transaction that writes no data still commits.
  await inSession(SessionType.SCHEMA, TransactionType.WRITE, async (tx) => {
    await tx.concepts.putEntityType('robot');
    await tx.commit();
  });
  await inSession(SessionType.SCHEMA, TransactionType.WRITE, async (tx) => {
    await (await tx.concepts.getEntityType('robot'))!.delete(tx);
    await tx.commit();
  });
});

test('misused calls fail with TypeDB 2.29 codes and close their transaction', async () => {
  const cases: [SessionType, TransactionType, (tx: TypeDBTransaction) => Promise<unknown>, RegExp][] = [
    [SessionType.SCHEMA, TransactionType.WRITE, async (tx) => (await tx.concepts.getRootEntityType()).setLabel(tx, 'thing2'), /\[TYW01\] Invalid Type Write: Root types are immutable\./],
    [SessionType.DATA, TransactionType.WRITE, (tx) => tx.concepts.putEntityType('robot'), /\[TXN12\]/],
    [SessionType.DATA, TransactionType.READ, async (tx) => (await tx.concepts.getEntityType('person'))!.create(tx), /\[TXN08\]/],
    // TypeDB casts the attribute type to the value's kind before a put or get: another kind fails, a long for a double too.
    [SessionType.DATA, TransactionType.WRITE, async (tx) => (await tx.concepts.getAttributeType('id'))!.putString(tx, 'x'),
      /\[TYR01\] Invalid Type Read: Invalid concept conversion from 'AttributeTypeImpl\.Long' to 'AttributeType\.String'\./],
    [SessionType.DATA, TransactionType.WRITE, async (tx) => (await tx.concepts.getAttributeType('score'))!.putLong(tx, 3),
      /\[TYR01\] .*from 'AttributeTypeImpl\.Double' to 'AttributeType\.Long'\./],
    [SessionType.DATA, TransactionType.READ, async (tx) => (await tx.concepts.getAttributeType('born'))!.getLong(tx, 3),
      /\[TYR01\] .*from 'AttributeTypeImpl\.DateTime' to 'AttributeType\.Long'\./],
    [SessionType.DATA, TransactionType.WRITE, async (tx) => (await tx.concepts.getAttributeType('code'))!.putString(tx, 'UPPER'), /\[THW11\] .*'UPPER' that does not satisfy the regular expression '\^\[a-z\]\+\$'/],
    [SessionType.DATA, TransactionType.WRITE, async (tx) => {
      await (await tx.concepts.getEntityType('person'))!.create(tx);
      await tx.commit();
    }, /\[THW06\] .*missing key\(s\) of type\(s\): \[id\]/],
    // A Thing, Type or Rule request on a concept the transaction no longer has: TypeDB's services answer every such
    // request with SRV27 before looking at what it asks.
    [SessionType.DATA, TransactionType.WRITE, async (tx) => {
      const gone = await (await tx.concepts.getEntityType('person'))!.create(tx);
      await gone.delete(tx);
      return gone.getHas(tx).collect();
    }, /\[SRV27\] Invalid Server Operation: Concept does not exist\. The thing '0x[0-9a-f]+' was deleted, or never existed, in this transaction\.$/],
    [SessionType.SCHEMA, TransactionType.WRITE, async (tx) => {
      const gone = await tx.concepts.putEntityType('ephemeral');
      await gone.delete(tx);
      return gone.getSubtypes(tx).collect();
    }, /\[SRV27\] .*Concept does not exist\. The type 'ephemeral' was deleted/],
    [SessionType.SCHEMA, TransactionType.WRITE, async (tx) => {
      const bond = await tx.concepts.putRelationType('bond');
      await bond.setRelates(tx, 'tie');
      await bond.setRelates(tx, 'knot');
      const gone = (await bond.getRelatesForRoleLabel(tx, 'tie'))!;
      await gone.delete(tx);
      return gone.getPlayerTypes(tx).collect();
    }, /\[SRV27\] .*The type 'bond:tie' was deleted/],
    [SessionType.SCHEMA, TransactionType.WRITE, async (tx) => {
      const gone = await tx.logic.putRule('fleeting', '{ $p isa person; }', '$p has name "x"');
      await gone.delete(tx);
      return gone.setLabel(tx, 'lasting');
    }, /\[SRV27\] .*The rule 'fleeting' was deleted/],
  ];
  for (const [sessionType, txType, call, expected] of cases) {
    await inSession(sessionType, txType, async (tx) => {
      await assert.rejects(call(tx), expected);
      assert.equal(tx.isOpen(), false);
    });
  }
  await eventually(() => server.stats().transactions === 0 && server.stats().sessions === 0, 5_000, 'everything closed');
  assert.deepEqual(errors, []);
});
