// Longs leave the server exactly, over the whole 64-bit range: the protocol's generated code would write them
// through a JS number (rounding above 2^53, and failing the whole answer at 2^63 − 1).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { BinaryReader } from 'google-protobuf';
import { SessionType, TransactionType } from 'typedb-driver';
import { Value as ValueProto } from 'typedb-protocol/proto/concept.js';
import { ExactLongValue } from '../../src/server/exact-long-value.js';
import { encodeFetchAnswer } from '../../src/server/answer-encoding.js';
import type { ReadableConceptTreeNode } from 'typedb-protocol/proto/answer.js';
import { exitWhenDone, inTransaction, useEngineServer } from './harness.js';

exitWhenDone();

test('a long value message carries the exact long, at the ends of the range too', () => {
  for (const exact of [2n ** 63n - 1n, -(2n ** 63n), 9007199254740993n, -9007199254740993n, 0n, 42n]) {
    const bytes = new ExactLongValue(exact).serialize();
    const reader = new BinaryReader(bytes);
    assert.ok(reader.nextField());
    assert.equal(reader.getFieldNumber(), 3);
    assert.equal(reader.readSint64String(), exact.toString());
    // And the generated decoder reads it as the (rounded) number the Node.js driver gets.
    assert.equal(ValueProto.deserialize(bytes).long, Number(exact));
  }
});

const engine = useEngineServer('exact-longs');

before(async () => {
  await engine.start();
  await engine.driver.databases.create('longs');
});

test('answers holding the largest and smallest longs reach the driver', async () => {
  await inTransaction(engine.driver, 'longs', SessionType.DATA, TransactionType.READ, async (tx) => {
    const answers = await tx.query.get('match ?max = 9223372036854775807; ?min = -9223372036854775808; ?wrapped = ?max + 1; get;').collect();
    assert.equal(answers.length, 1);
    const value = (name: string) => answers[0]!.get(name).asValue().value;
    assert.equal(value('max'), 2 ** 63);
    assert.equal(value('min'), -(2 ** 63));
    assert.equal(value('wrapped'), -(2 ** 63)); // Java's long arithmetic wraps
  });
});

test('a fetched long beyond 2^53 is encoded exactly', () => {
  const age = { label: 'age', root: 'attribute', value_type: 'long' };
  const tree = encodeFetchAnswer({ p: { age: [{ value: 9007199254740993n, type: age }, { value: 3, type: age }] }, v: { value: MIN, value_type: 'long' } });
  const exact = (node: ReadableConceptTreeNode) => {
    const concept = node.readable_concept;
    const value = concept.has_attribute ? concept.attribute.value : concept.value;
    const reader = new BinaryReader(value.serialize());
    reader.nextField();
    return reader.readSint64String();
  };
  const ages = tree.root.map.get('p')!.map.map.get('age')!.list.list;
  assert.deepEqual(ages.map(exact), ['9007199254740993', '3']);
  assert.equal(exact(tree.root.map.get('v')!), MIN.toString());
});

const MIN = -(2n ** 63n);
