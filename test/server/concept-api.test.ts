// The Concept API through the official driver, over the real engine (in process), as the behaviour suite's
// concept steps use it: type hierarchy reads, owns/plays/relates, instances, attribute put/get, schema writes,
// thing writes, a type's syntax, rules (LogicManager), schema exceptions — and a clean error (closing only that
// transaction) for an explainable the transaction never handed out. Explanations themselves: explanations.test.ts.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { SessionType, TransactionType, Concept, ThingType, type TypeDBTransaction } from 'typedb-driver';
import { eventually, exitWhenDone, inTransaction, useEngineServer } from './harness.js';

exitWhenDone();

const engine = useEngineServer('concept-api');
const { server, errors } = engine;

before(async () => {
  await engine.start();
  await engine.driver.databases.create('concepts');
  await inSession(SessionType.SCHEMA, TransactionType.WRITE, async (tx) => {
    await tx.query.define(`define
      name sub attribute, value string;
      title sub attribute, abstract, value string;
      nickname sub title;
      age sub attribute, value long;
      person sub entity, owns name @key, owns age, plays friendship:friend;
      student sub person;
      friendship sub relation, relates friend;
      rule everyone-is-one: when { $p isa person; } then { $p has age 1; };`);
    await tx.commit();
  });
  await inSession(SessionType.DATA, TransactionType.WRITE, async (tx) => {
    await tx.query.insert('insert $a isa person, has name "Alice", has age 30; $b isa student, has name "Bob"; (friend: $a, friend: $b) isa friendship;').collect();
    await tx.commit();
  });
});

function inSession(type: SessionType, txType: TransactionType, body: (tx: TypeDBTransaction) => Promise<void>): Promise<void> {
  return inTransaction(engine.driver, 'concepts', type, txType, body);
}

const labels = (types: { label: { scopedName: string } }[]) => types.map((t) => t.label.scopedName).sort();

test('schema, type schema and rule schema', async () => {
  const db = await engine.driver.databases.get('concepts');
  const schemas = db as unknown as { schema(): Promise<string>; typeSchema(): Promise<string>; ruleSchema(): Promise<string> };
  const full = await schemas.schema();
  const types = await schemas.typeSchema();
  const rules = await schemas.ruleSchema();
  assert.match(full, /^define\n/);
  assert.match(full, /rule everyone-is-one: when \{/);
  assert.match(types, /^define\n/);
  assert.match(types, /person sub entity,/);
  assert.doesNotMatch(types, /rule /);
  assert.match(rules, /^define\nrule everyone-is-one: when \{\n {4}\$p isa person;\n\} then \{\n {4}\$p has age 1;\n\};$/);
  assert.equal(full, `${types}\n${rules.slice('define\n'.length)}`);
});

test('type reads: hierarchy, owns, plays, relates, instances', async () => {
  await inSession(SessionType.DATA, TransactionType.READ, async (tx) => {
    const person = (await tx.concepts.getEntityType('person'))!;
    const student = (await tx.concepts.getEntityType('student'))!;
    assert.equal(student.abstract, false);
    assert.equal((await student.getSupertype(tx))?.label.name, 'person');
    assert.deepEqual(labels(await student.getSupertypes(tx).collect()), ['entity', 'person', 'student']);
    assert.deepEqual(labels(await person.getSubtypes(tx).collect()), ['person', 'student']);
    assert.deepEqual(labels(await person.getSubtypes(tx, Concept.Transitivity.EXPLICIT).collect()), ['student']);
    assert.equal((await person.getInstances(tx).collect()).length, 2);
    assert.equal((await person.getInstances(tx, Concept.Transitivity.EXPLICIT).collect()).length, 1);

    assert.deepEqual(labels(await person.getOwns(tx).collect()), ['age', 'name']);
    assert.deepEqual(labels(await person.getOwns(tx, [ThingType.Annotation.KEY]).collect()), ['name']);
    assert.deepEqual(labels(await student.getOwns(tx, Concept.Transitivity.EXPLICIT).collect()), []);
    assert.deepEqual(labels(await person.getPlays(tx).collect()), ['friendship:friend']);

    const friendship = (await tx.concepts.getRelationType('friendship'))!;
    assert.deepEqual(labels(await friendship.getRelates(tx).collect()), ['friendship:friend']);
    const friend = (await friendship.getRelatesForRoleLabel(tx, 'friend'))!;
    assert.equal(friend.label.scopedName, 'friendship:friend');
    assert.equal(await friendship.getRelatesForRoleLabel(tx, 'enemy'), null);
    assert.deepEqual(labels(await friend.getPlayerTypes(tx).collect()), ['person', 'student']);
    // Once per player in the role, as TypeDB lists them (by role instance): the friendship has two friends.
    assert.equal((await friend.getRelationInstances(tx).collect()).length, 2);
    assert.equal((await friend.getPlayerInstances(tx).collect()).length, 2);

    const name = (await tx.concepts.getAttributeType('name'))!;
    assert.equal(name.valueType.name(), 'string');
    const title = (await tx.concepts.getAttributeType('title'))!;
    assert.equal(title.abstract, true);
    assert.deepEqual(labels(await title.getSubtypes(tx).collect()), ['nickname', 'title']);
    assert.deepEqual(labels(await name.getSupertypes(tx).collect()), ['attribute', 'name']);
    assert.deepEqual(labels(await name.getOwners(tx).collect()), ['person', 'student']);
    assert.deepEqual(labels(await name.getOwners(tx, Concept.Transitivity.EXPLICIT).collect()), ['person']);
    assert.equal((await name.asAttributeType().getInstances(tx).collect()).length, 2);
    const alice = await (name as unknown as { getString(tx: TypeDBTransaction, v: string): Promise<{ value: string } | null> }).getString(tx, 'Alice');
    assert.equal(alice?.value, 'Alice');
    const nobody = await (name as unknown as { getString(tx: TypeDBTransaction, v: string): Promise<unknown> }).getString(tx, 'Nobody');
    assert.ok(nobody == null);
  });
});

test('thing reads: has, relations, players, owners', async () => {
  await inSession(SessionType.DATA, TransactionType.READ, async (tx) => {
    const answer = (await tx.query.get('match $p isa person, has name "Alice"; $f (friend: $p) isa friendship; get;').first())!;
    const alice = answer.get('p').asThing();
    const friendship = answer.get('f').asRelation();
    assert.deepEqual((await alice.getHas(tx, [ThingType.Annotation.KEY]).collect()).map((a) => a.value), ['Alice']);
    const ageType = (await tx.concepts.getAttributeType('age'))!;
    assert.deepEqual((await alice.getHas(tx, ageType).collect()).map((a) => a.value), [30]);
    assert.deepEqual((await alice.getRelations(tx).collect()).map((r) => r.iid), [friendship.iid]);
    const players = await friendship.getPlayersByRoleType(tx).collect();
    assert.equal(players.length, 2);
    const aliceName = (await alice.getHas(tx, [ThingType.Annotation.KEY]).first())!;
    assert.deepEqual((await aliceName.getOwners(tx).collect()).map((o) => o.iid), [alice.iid]);
    assert.equal((await tx.concepts.getEntity(alice.iid))?.iid, alice.iid);
  });
});

test('repeated role players reach the driver once per repetition, as TypeDB sends them', async () => {
  // Not committed: the other tests see the data as it was.
  await inSession(SessionType.DATA, TransactionType.WRITE, async (tx) => {
    const answer = (await tx.query.insert('insert $p isa person, has name "Echo"; $f (friend: $p, friend: $p) isa friendship;').first())!;
    const echo = answer.get('p').asThing();
    const friendship = answer.get('f').asRelation();
    const friend = (await (await tx.concepts.getRelationType('friendship'))!.getRelatesForRoleLabel(tx, 'friend'))!;
    assert.deepEqual((await friendship.getPlayersByRoleType(tx).collect()).map((p) => p.iid), [echo.iid, echo.iid]);
    assert.deepEqual((await friendship.getPlayersByRoleType(tx, [friend]).collect()).map((p) => p.iid), [echo.iid, echo.iid]);
    const rolePlayers = [...(await friendship.getRolePlayers(tx)).entries()];
    assert.deepEqual(rolePlayers.map(([role, players]) => [role.label.scopedName, players.map((p) => p.iid)]), [['friendship:friend', [echo.iid, echo.iid]]]);
    assert.deepEqual((await echo.getRelations(tx).collect()).map((r) => r.iid), [friendship.iid, friendship.iid]);
    assert.deepEqual(labels(await friendship.getRelating(tx).collect()), ['friendship:friend']);
  });
});

test('schema and data writes through the Concept API', async () => {
  await inSession(SessionType.SCHEMA, TransactionType.WRITE, async (tx) => {
    const pet = await tx.concepts.putEntityType('pet');
    assert.equal(pet.label.name, 'pet');
    const tag = await tx.concepts.putAttributeType('tag', Concept.ValueType.STRING);
    await pet.setOwns(tx, tag);
    await pet.setAbstract(tx);
    await pet.unsetAbstract(tx);
    assert.deepEqual(labels(await pet.getOwns(tx).collect()), ['tag']);
    const scratch = await tx.concepts.putEntityType('scratch');
    await scratch.delete(tx);
    assert.equal(await tx.concepts.getEntityType('scratch'), null);
    await tx.commit();
  });
  await inSession(SessionType.DATA, TransactionType.WRITE, async (tx) => {
    const pet = (await tx.concepts.getEntityType('pet'))!;
    const rex = await pet.create(tx);
    const tag = (await tx.concepts.getAttributeType('tag'))!;
    const value = await (tag as unknown as { putString(tx: TypeDBTransaction, v: string): Promise<{ iid: string }> }).putString(tx, 'good-dog');
    await rex.setHas(tx, value as never);
    assert.deepEqual((await rex.getHas(tx).collect()).map((a) => a.value), ['good-dog']);
    await rex.unsetHas(tx, value as never);
    assert.deepEqual(await rex.getHas(tx).collect(), []);
    await rex.delete(tx);
    assert.equal(await tx.concepts.getEntity(rex.iid), null);
    await tx.commit();
  });
});

test("a type's syntax: its own definition, as the schema prints it", async () => {
  await inSession(SessionType.DATA, TransactionType.READ, async (tx) => {
    const person = (await tx.concepts.getEntityType('person'))!;
    assert.equal(await person.getSyntax(tx), 'person sub entity,\n    owns name @key,\n    owns age,\n    plays friendship:friend;');
    assert.equal(await (await tx.concepts.getEntityType('student'))!.getSyntax(tx), 'student sub person;');
    assert.equal(await (await tx.concepts.getAttributeType('title'))!.getSyntax(tx), 'title sub attribute,\n    abstract,\n    value string;');
  });
});

test('rules through the LogicManager: get, get all, put, set label, delete; errors as define gives them', async () => {
  await inSession(SessionType.DATA, TransactionType.READ, async (tx) => {
    const rule = (await tx.logic.getRule('everyone-is-one'))!;
    assert.deepEqual([rule.label, rule.when, rule.then], ['everyone-is-one', '{\n    $p isa person;\n}', '$p has age 1']);
    assert.equal(await tx.logic.getRule('nobody'), null);
    assert.deepEqual((await tx.logic.getRules().collect()).map((r) => r.label), ['everyone-is-one']);
    await assert.rejects(tx.logic.putRule('x', '{ $p isa person; }', '$p has age 2'), /\[TXN12\]/);
  });
  await inSession(SessionType.SCHEMA, TransactionType.WRITE, async (tx) => {
    const put = await tx.logic.putRule('friends-are-forty', '{ (friend: $p) isa friendship; }', '$p has age 40');
    assert.deepEqual([put.label, put.when, put.then], ['friends-are-forty', '{\n    (friend: $p) isa friendship;\n}', '$p has age 40']);
    await put.setLabel(tx, 'friends-age');
    assert.equal(put.label, 'friends-age');
    assert.deepEqual((await tx.logic.getRules().collect()).map((r) => r.label), ['everyone-is-one', 'friends-age']);
    await (await tx.logic.getRule('everyone-is-one'))!.delete(tx);
    assert.equal(await put.isDeleted(tx), false);
    await tx.commit();
  });
  assert.deepEqual((await schemaRules()).match(/rule [a-z-]+/g), ['rule friends-age']);
  await inSession(SessionType.SCHEMA, TransactionType.WRITE, async (tx) => {
    await assert.rejects(tx.logic.putRule('bad', '{ $p isa person; }', '$p has colour "red"'), /colour/);
    assert.equal(tx.isOpen(), false, 'a failed call closes its transaction');
  });
  // Back as it was, for the other tests.
  await inSession(SessionType.SCHEMA, TransactionType.WRITE, async (tx) => {
    await (await tx.logic.getRule('friends-age'))!.delete(tx);
    await tx.logic.putRule('everyone-is-one', '{ $p isa person; }', '$p has age 1');
    await tx.commit();
  });
});

test('schema exceptions: what the commit would refuse, none for a valid schema', async () => {
  await inSession(SessionType.SCHEMA, TransactionType.WRITE, async (tx) => {
    assert.deepEqual(await tx.concepts.getSchemaExceptions(), []);
    await tx.concepts.putRelationType('empty');
    const exceptions = await tx.concepts.getSchemaExceptions();
    assert.equal(exceptions.length, 1);
    assert.match(exceptions[0]!.message, /empty/);
    await assert.rejects(tx.commit(), /empty/);
  });
});

async function schemaRules(): Promise<string> {
  const db = await engine.driver.databases.get('concepts');
  return (db as unknown as { ruleSchema(): Promise<string> }).ruleSchema();
}

test('explaining an explainable the transaction never handed out fails cleanly and closes only that transaction', async () => {
  const session = await engine.driver.session('concepts', SessionType.DATA);
  try {
    const tx2 = await session.transaction(TransactionType.READ);
    const explainable = { conjunction: '{ $p isa person; }', id: 1 } as unknown as Parameters<typeof tx2.query.explain>[0];
    await assert.rejects(tx2.query.explain(explainable).collect(), /\[RSN09\].*no explainable with id 1 in this transaction/);
    assert.equal(tx2.isOpen(), false);
    const tx3 = await session.transaction(TransactionType.READ);
    assert.equal((await tx3.query.get('match $p isa person; get;').collect()).length, 2);
    await tx3.close();
  } finally {
    await session.close();
  }
  await eventually(() => server.stats().transactions === 0 && server.stats().sessions === 0, 5_000, 'everything closed');
  assert.deepEqual(errors, []);
});
