// The arguments of Concept API requests through the official driver — transitivity, owns annotations, value types,
// owner types — read as TypeDB 2.29's TypeService, ThingService and ConceptService read them: EXPLICIT for a type's
// own declarations and instances, TRANSITIVE for its subtypes' too (abstract types and roots included), and the
// places where TypeDB reads an argument its own way: a role type's subtypes whatever the transitivity, attribute types
// winning over annotations in `getHas`, the value-type casts of `getSubtypes(valueType)` and `getRegex`, an OBJECT
// value type matching no ownership and refused by `putAttributeType`, a Value's own type for `put` and `get`.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { Concept, SessionType, ThingType, TransactionType, type Thing, type Type, type TypeDBTransaction } from 'typedb-driver';
import { AttributeGetOwnersReq, EntityType as EntityTypeProto, ThingReq, ThingType as ThingTypeProto } from 'typedb-protocol/proto/concept.js';
import { TransactionReq } from 'typedb-protocol/proto/transaction.js';
import { exitWhenDone, inTransaction, useEngineServer } from './harness.js';
import { createThroughDriver } from '../support/driver-databases.js';

exitWhenDone();

const engine = useEngineServer('driver-concept-arguments');
const { EXPLICIT, TRANSITIVE } = Concept.Transitivity;
const { KEY, UNIQUE } = ThingType.Annotation;

before(async () => {
  await engine.start();
  await createThroughDriver(
    engine.driver,
    'args',
    `define
      name sub attribute, value string; code sub attribute, value string;
      title sub attribute, abstract, value string; nick sub title;
      id sub attribute, value long; score sub attribute, value double;
      animal sub entity, abstract, owns name; dog sub animal, owns id @key, owns code @unique;
      puppy sub dog, plays friendship:friend, plays best-friendship:best;
      person sub entity, owns name, owns nick, owns id @key, plays friendship:friend, plays best-friendship:best;
      student sub person;
      friendship sub relation, relates friend; best-friendship sub friendship, relates best as friend;
      group-friendship sub friendship;`,
    [
      `insert $a isa person, has name "Ann", has id 1, has nick "annie"; $b isa student, has id 2;
        $d isa dog, has id 3, has code "rex"; $p isa puppy, has id 4, has name "Pip";
        (friend: $a, friend: $b) isa friendship; (best: $a, best: $p) isa best-friendship; (friend: $b) isa group-friendship;`,
    ],
  );
});

function inRead(body: (tx: TypeDBTransaction) => Promise<void>): Promise<void> {
  return inTransaction(engine.driver, 'args', SessionType.DATA, TransactionType.READ, body);
}

const labels = (types: { label: { scopedName: string } }[]) => types.map((t) => t.label.scopedName).sort();

async function thingByName(tx: TypeDBTransaction, name: string): Promise<Thing> {
  return (await tx.query.get(`match $x has name "${name}"; get;`).first())!.get('x').asThing();
}

test('EXPLICIT reads what a type declares or holds itself, TRANSITIVE its subtypes too: abstract types, roots, relates, role players', async () => {
  await inRead(async (tx) => {
    const c = tx.concepts;
    const animal = (await c.getEntityType('animal'))!;
    assert.equal((await animal.getInstances(tx).collect()).length, 2, 'an abstract type has its subtypes\' instances');
    assert.deepEqual(await animal.getInstances(tx, EXPLICIT).collect(), []);
    const title = (await c.getAttributeType('title'))!;
    assert.deepEqual((await title.getInstances(tx).collect()).map((a) => a.value), ['annie']);
    assert.deepEqual(await title.getInstances(tx, EXPLICIT).collect(), []);
    assert.deepEqual(await (await c.getRootAttributeType()).getInstances(tx, EXPLICIT).collect(), []);
    assert.deepEqual(await (await c.getRootThingType()).getInstances(tx, EXPLICIT).collect(), []);

    const friendship = (await c.getRelationType('friendship'))!;
    assert.equal((await friendship.getInstances(tx).collect()).length, 3);
    assert.equal((await friendship.getInstances(tx, EXPLICIT).collect()).length, 1);
    const group = (await c.getRelationType('group-friendship'))!;
    assert.deepEqual(labels(await group.getRelates(tx).collect()), ['friendship:friend']);
    assert.deepEqual(await group.getRelates(tx, EXPLICIT).collect(), []);
    // An inherited role is found by its name; one the subtype overrides is not, and neither overrides anything.
    assert.equal(String(await group.getRelatesForRoleLabel(tx, 'friend')), 'RoleType[label:friendship:friend]');
    assert.equal(await group.getRelatesOverridden(tx, 'friend'), null);
    assert.equal(await (await c.getRelationType('best-friendship'))!.getRelatesForRoleLabel(tx, 'friend'), null);

    const friend = (await friendship.getRelatesForRoleLabel(tx, 'friend'))!;
    assert.deepEqual(labels(await friend.getPlayerTypes(tx).collect()), ['person', 'puppy', 'student']);
    assert.deepEqual(labels(await friend.getPlayerTypes(tx, EXPLICIT).collect()), ['person', 'puppy']);
    // Once per role instance: friendship 2, group-friendship 1, and through the overriding role best-friendship 2.
    assert.equal((await friend.getRelationInstances(tx).collect()).length, 5);
    assert.equal((await friend.getRelationInstances(tx, EXPLICIT).collect()).length, 3);
    assert.equal((await friend.getPlayerInstances(tx).collect()).length, 5);
    assert.equal((await friend.getPlayerInstances(tx, EXPLICIT).collect()).length, 3);
    assert.deepEqual(labels(await friend.getRelationTypes(tx).collect()), ['friendship', 'group-friendship']);

    const student = (await c.getEntityType('student'))!;
    assert.deepEqual(await student.getPlays(tx, EXPLICIT).collect(), []);
    assert.deepEqual(labels(await student.getPlays(tx, TRANSITIVE).collect()), ['best-friendship:best', 'friendship:friend']);
    const ann = await thingByName(tx, 'Ann');
    const best = (await (await c.getRelationType('best-friendship'))!.getRelatesForRoleLabel(tx, 'best'))!;
    assert.equal((await ann.getRelations(tx, [friend]).collect()).length, 2, 'a role covers the roles that override it');
    assert.equal((await ann.getRelations(tx, [best]).collect()).length, 1);
  });
});

test("a role type's subtypes are all its subtypes and itself whatever the transitivity, as TypeDB's TypeService reads the request", async () => {
  await inRead(async (tx) => {
    const friend = (await (await tx.concepts.getRelationType('friendship'))!.getRelatesForRoleLabel(tx, 'friend'))!;
    const all = ['best-friendship:best', 'friendship:friend'];
    assert.deepEqual(labels(await friend.getSubtypes(tx).collect()), all);
    // RoleType's typings leave the transitivity out; the driver still sends the one Type's signature takes.
    assert.deepEqual(labels(await (friend as Type).getSubtypes(tx, EXPLICIT).collect()), all);
  });
});

test("owns annotations: @key is not @unique, both at once match none; getHas with attribute types ignores annotations, as TypeDB's ThingService", async () => {
  await inRead(async (tx) => {
    const dog = (await tx.concepts.getEntityType('dog'))!;
    assert.deepEqual(labels(await dog.getOwns(tx, [UNIQUE]).collect()), ['code']);
    assert.deepEqual(labels(await dog.getOwns(tx, [KEY]).collect()), ['id']);
    assert.deepEqual(await dog.getOwns(tx, [KEY, UNIQUE]).collect(), []);
    assert.deepEqual(labels(await dog.getOwns(tx, EXPLICIT).collect()), ['code', 'id']);
    assert.deepEqual(await (await tx.concepts.getEntityType('puppy'))!.getOwns(tx, [KEY], EXPLICIT).collect(), []);
    assert.deepEqual(labels(await (await tx.concepts.getAttributeType('id'))!.getOwners(tx, [KEY]).collect()), ['dog', 'person', 'puppy', 'student']);

    const ann = await thingByName(tx, 'Ann');
    assert.deepEqual((await ann.getHas(tx, [KEY]).collect()).map((a) => a.value), [1]);
    assert.deepEqual(await ann.getHas(tx, [UNIQUE]).collect(), []);
    const [name, id, title] = await Promise.all(['name', 'id', 'title'].map(async (l) => (await tx.concepts.getAttributeType(l))!));
    assert.deepEqual((await ann.getHas(tx, [title!]).collect()).map((a) => a.value), ['annie'], 'an attribute type covers its subtypes');
    assert.deepEqual((await ann.getHas(tx, [name!, id!], [KEY]).collect()).map((a) => String(a.value)).sort(), ['1', 'Ann']);
  });
});

test('value types: OBJECT owns none; getSubtypes(valueType) and getRegex cast an attribute type of another value type and fail with TYR01; putAttributeType(OBJECT) is SRV28', async () => {
  await inRead(async (tx) => {
    const person = (await tx.concepts.getEntityType('person'))!;
    assert.deepEqual(labels(await person.getOwns(tx, Concept.ValueType.STRING).collect()), ['name', 'nick']);
    assert.deepEqual(await person.getOwns(tx, Concept.ValueType.DOUBLE).collect(), []);
    assert.deepEqual(await person.getOwns(tx, Concept.ValueType.OBJECT).collect(), []);
    const title = (await tx.concepts.getAttributeType('title'))!;
    assert.deepEqual(labels(await title.getSubtypes(tx, Concept.ValueType.STRING, EXPLICIT).collect()), ['nick']);
    assert.deepEqual(labels(await title.getSubtypes(tx, Concept.ValueType.OBJECT).collect()), ['nick', 'title']);
    assert.deepEqual(labels(await (await tx.concepts.getRootAttributeType()).getSubtypes(tx, Concept.ValueType.DOUBLE).collect()), ['attribute', 'score']);
    assert.equal(await (await tx.concepts.getRootAttributeType()).getRegex(tx), '');
  });
  const failures: [(tx: TypeDBTransaction) => Promise<unknown>, RegExp, SessionType][] = [
    [async (tx) => (await tx.concepts.getAttributeType('name'))!.getSubtypes(tx, Concept.ValueType.LONG).collect(),
      /\[TYR01\] Invalid Type Read: Invalid concept conversion from 'AttributeTypeImpl\.String' to 'AttributeType\.Long'\.$/, SessionType.DATA],
    [async (tx) => (await tx.concepts.getAttributeType('id'))!.getRegex(tx),
      /\[TYR01\] Invalid Type Read: Invalid concept conversion from 'AttributeTypeImpl\.Long' to 'AttributeType\.String'\.$/, SessionType.DATA],
    [(tx) => tx.concepts.putAttributeType('anything', Concept.ValueType.OBJECT),
      /\[SRV28\] Invalid Server Operation: The value type 'OBJECT' was not recognised\.$/, SessionType.SCHEMA],
  ];
  for (const [call, expected, sessionType] of failures) {
    await inTransaction(engine.driver, 'args', sessionType, sessionType === SessionType.SCHEMA ? TransactionType.WRITE : TransactionType.READ, async (tx) => {
      await assert.rejects(call(tx), expected);
      assert.equal(tx.isOpen(), false);
    });
  }
});

test("AttributeType.put and get with a Value from an answer: the value's type picks the cast, as TypeDB's TypeService casts before it puts", async () => {
  await inTransaction(engine.driver, 'args', SessionType.DATA, TransactionType.WRITE, async (tx) => {
    const count = (await tx.query.getAggregate('match $p isa person; get; count;'))!;
    assert.equal(count.isLong(), true);
    const id = (await tx.concepts.getAttributeType('id'))!;
    const put = await id.put(tx, count);
    assert.deepEqual([put.value, (await id.get(tx, count))?.iid], [2, put.iid]);
    // A long Value for a double attribute type is not converted: the cast to AttributeType.Long fails.
    await assert.rejects((await tx.concepts.getAttributeType('score'))!.put(tx, count), /\[TYR01\] .*from 'AttributeTypeImpl\.Double' to 'AttributeType\.Long'\./);
    assert.equal(tx.isOpen(), false);
  });
});

test("an attribute's owners of one type and its subtypes (a filter typedb-driver@2.29.7 cannot send itself: its ThingType.proto throws NIN3)", async () => {
  await inRead(async (tx) => {
    const ann = await thingByName(tx, 'Ann');
    const pip = await thingByName(tx, 'Pip');
    // Ann and Pip are the owners of different names; a second owner of "Ann" makes the filter visible.
    const annName = (await ann.getHas(tx, [(await tx.concepts.getAttributeType('name'))!]).first())!;
    const pipName = (await pip.getHas(tx, [(await tx.concepts.getAttributeType('name'))!]).first())!;
    const ownersOf = async (attributeIid: string, entityType: string) => {
      const request = new TransactionReq({
        thing_req: new ThingReq({
          iid: new Uint8Array(Buffer.from(attributeIid.slice(2), 'hex')),
          attribute_get_owners_req: new AttributeGetOwnersReq({ thing_type: new ThingTypeProto({ entity_type: new EntityTypeProto({ label: entityType }) }) }),
        }),
      });
      const parts = await (tx as TypeDBTransaction.Extended).rpcStream(request).collect();
      return parts.flatMap((part) => part.thing_res_part.attribute_get_owners_res_part.things.map((t) => t.entity.iid.length));
    };
    assert.equal((await ownersOf(annName.iid, 'person')).length, 1);
    assert.equal((await ownersOf(annName.iid, 'dog')).length, 0);
    assert.equal((await ownersOf(pipName.iid, 'animal')).length, 1, 'an abstract owner type covers its subtypes');
    assert.equal((await ownersOf(pipName.iid, 'puppy')).length, 1);
    assert.equal((await ownersOf(pipName.iid, 'student')).length, 0);
  });
});
