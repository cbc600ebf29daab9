// Explanations through the official driver, over the real engine (in process): with `infer` and `explain`, answers
// carry explainables for the inferred relations, attributes and ownerships they bound, and `query.explain` gives
// one explanation per rule answer that concluded the fact — the rule, its condition (explainable in turn), its
// conclusion and the variable mapping — as TypeDB 2.x does.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { SessionType, TransactionType, TypeDBOptions, type ConceptMap, type Concept, type TypeDBTransaction } from 'typedb-driver';
import { eventually, exitWhenDone, inTransaction, useEngineServer } from './harness.js';

exitWhenDone();

const engine = useEngineServer('explanations');
const { server, errors } = engine;

before(async () => {
  await engine.start();
  await engine.driver.databases.create('explained');
  const schema = await engine.driver.session('explained', SessionType.SCHEMA);
  const stx = await schema.transaction(TransactionType.WRITE);
  await stx.query.define(`define
    name sub attribute, value string;
    badge sub attribute, value string;
    person sub entity, owns name @key, owns badge, plays knows:knower, plays knows:known, plays friendship:friend;
    knows sub relation, relates knower, relates known;
    friendship sub relation, relates friend;
    rule friends-from-knowing: when { (knower: $x, known: $y) isa knows; } then { (friend: $x, friend: $y) isa friendship; };
    rule friends-get-badges: when { $p isa person; (friend: $p, friend: $q) isa friendship; } then { $p has badge "friendly"; };`);
  await stx.commit();
  await schema.close();
  const data = await engine.driver.session('explained', SessionType.DATA);
  const dtx = await data.transaction(TransactionType.WRITE);
  await dtx.query.insert(`insert
    $a isa person, has name "Ann"; $b isa person, has name "Bob"; $c isa person, has name "Cy";
    (knower: $a, known: $b) isa knows; (knower: $b, known: $a) isa knows;`).collect();
  await dtx.commit();
  await data.close();
});

function explaining(body: (tx: TypeDBTransaction) => Promise<void>, options = new TypeDBOptions({ infer: true, explain: true })): Promise<void> {
  return inTransaction(engine.driver, 'explained', SessionType.DATA, TransactionType.READ, body, options);
}

function nameOf(answer: ConceptMap, variable: string): string {
  const concept = answer.get(variable);
  return concept.isAttribute() ? String(concept.asAttribute().value) : concept.asThing().iid;
}

/** Names of the people in an explanation's map, by variable (other concepts by their kind). */
async function people(tx: TypeDBTransaction, map: ConceptMap): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [variable, concept] of map.map()) out[variable] = await describe(tx, concept);
  return out;
}

async function describe(tx: TypeDBTransaction, concept: Concept): Promise<string> {
  if (concept.isEntity()) {
    // Its names (its inferred badges are among its attributes too, as in TypeDB).
    const names = (await concept.asEntity().getHas(tx).collect()).filter((a) => a.type.label.name === 'name');
    return names.map((n) => String(n.value)).sort().join('+');
  }
  if (concept.isRelation()) return `${concept.asRelation().type.label.name}${concept.asRelation().inferred ? '(inferred)' : ''}`;
  if (concept.isAttribute()) return `${concept.asAttribute().type.label.name}=${String(concept.asAttribute().value)}`;
  if (concept.isType()) return `type ${concept.asType().label.scopedName}`;
  return 'value';
}

test('an inferred relation is explainable: one explanation per rule answer that concluded it', async () => {
  await explaining(async (tx) => {
    const answers = await tx.query.get('match $f (friend: $x, friend: $y) isa friendship; $x has name "Ann"; get;').collect();
    assert.equal(answers.length, 1);
    const explainable = answers[0]!.explainables.relation('f');
    assert.equal(explainable.conjunction, '{ $f (friend: $x, friend: $y) isa friendship; }');
    const explanations = await tx.query.explain(explainable).collect();
    // Ann knows Bob and Bob knows Ann: the rule concluded the one friendship from two answers of its `when`.
    assert.equal(explanations.length, 2);
    const described = await Promise.all(
      explanations.map(async (e) => ({
        rule: e.rule.label,
        condition: await people(tx, e.condition),
        conclusion: await people(tx, e.conclusion),
        mapping: Object.fromEntries([...e.variableMapping].map(([k, v]) => [k, [...v].sort()])),
      })),
    );
    described.sort((a, b) => a.condition.x!.localeCompare(b.condition.x!));
    assert.deepEqual(described[0], {
      rule: 'friends-from-knowing',
      condition: { x: 'Ann', y: 'Bob', _1: 'knows' },
      conclusion: { _: 'friendship(inferred)', friendship: 'type friendship', 'friendship:friend': 'type friendship:friend', x: 'Ann', y: 'Bob' },
      mapping: { f: ['_'], x: ['x'], y: ['y'] },
    });
    assert.deepEqual(described[1]!.condition, { x: 'Bob', y: 'Ann', _1: 'knows' });
    assert.deepEqual(described[1]!.mapping, { f: ['_'], x: ['y'], y: ['x'] });
    // The condition used only stored data: nothing in it to explain further.
    assert.equal(explanations[0]!.condition.explainables.relations.size, 0);
  });
});

test('an inferred ownership is explainable, and its condition explains the inferred relation it used', async () => {
  await explaining(async (tx) => {
    const answers = await tx.query.get('match $p has badge $b; $p has name $n; get;').collect();
    assert.deepEqual(answers.map((a) => nameOf(a, 'n')).sort(), ['Ann', 'Bob']);
    const ann = answers.find((a) => nameOf(a, 'n') === 'Ann')!;
    assert.throws(() => ann.explainables.ownership('p', 'n'), /not explainable/, 'a stored ownership has no explainable');
    const explainable = ann.explainables.ownership('p', 'b');
    assert.equal(explainable.conjunction, '{ $p has badge $b; }');
    const explanations = await tx.query.explain(explainable).collect();
    // One answer of the rule's `when` concluded it: $p Ann, $q Bob.
    assert.equal(explanations.length, 1);
    const first = explanations[0]!;
    assert.equal(first.rule.label, 'friends-get-badges');
    assert.deepEqual(await people(tx, first.conclusion), { p: 'Ann', _: 'badge=friendly', badge: 'type badge' });
    assert.deepEqual(Object.fromEntries([...first.variableMapping].map(([k, v]) => [k, [...v]])), { p: ['p'], b: ['_'] });
    const condition = await people(tx, first.condition);
    assert.equal(condition.p, 'Ann');
    assert.equal(condition.q, 'Bob');
    // The friendship in the condition was itself inferred: explain it in turn.
    const [variable, nested] = [...first.condition.explainables.relations][0]!;
    assert.equal(condition[variable], 'friendship(inferred)');
    const deeper = await tx.query.explain(nested).collect();
    assert.equal(deeper.length, 2);
    assert.ok(deeper.every((e) => e.rule.label === 'friends-from-knowing'));
  });
});

test('an inferred attribute bound by isa alone is explainable; explanations are off without the option', async () => {
  await explaining(async (tx) => {
    const answers = await tx.query.get('match $b isa badge; get;').collect();
    assert.equal(answers.length, 1);
    // typedb-driver@2.29.7 files attribute explainables under relations (its ConceptMap decoder); the server sends
    // them as attributes, so they are found there.
    const [[variable, explainable]] = [...answers[0]!.explainables.relations, ...answers[0]!.explainables.attributes];
    assert.equal(variable, 'b');
    const explanations = await tx.query.explain(explainable!).collect();
    // Ann and Bob each got the badge: the attribute was concluded twice.
    assert.deepEqual(explanations.map((e) => e.rule.label), ['friends-get-badges', 'friends-get-badges']);
    const owners = await Promise.all(explanations.map(async (e) => (await people(tx, e.conclusion)).p));
    assert.deepEqual(owners.sort(), ['Ann', 'Bob']);
  });
  await explaining(async (tx) => {
    const answers = await tx.query.get('match $f (friend: $x, friend: $y) isa friendship; get;').collect();
    assert.equal(answers.length, 2, 'inferred without explanations');
    for (const a of answers) assert.equal(a.explainables.relations.size, 0);
  }, new TypeDBOptions({ infer: true }));
});

test("a query's own explain option wins over its transaction's, as TypeDB's query options cascade over the transaction's", async () => {
  const friendships = 'match $f (friend: $x, friend: $y) isa friendship; get;';
  await explaining(async (tx) => {
    const answers = await tx.query.get(friendships, new TypeDBOptions({ explain: true })).collect();
    assert.equal(answers.length, 2);
    const explainable = answers[0]!.explainables.relation('f');
    assert.equal((await tx.query.explain(explainable).collect()).length, 2);
  }, new TypeDBOptions({ infer: true }));
  await explaining(async (tx) => {
    const answers = await tx.query.get(friendships, new TypeDBOptions({ explain: false })).collect();
    assert.equal(answers.length, 2, 'inferred without explanations');
    for (const a of answers) assert.equal(a.explainables.relations.size, 0);
  });
  await eventually(() => server.stats().transactions === 0 && server.stats().sessions === 0, 5_000, 'everything closed');
  assert.deepEqual(errors, []);
});
