// Serialization: the graph, its type ids, the id counter and the rules survive a round trip through bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_INSTANCES, printSchema, TypeGraph } from '../../src/schema/index.js';
import { definables, throwsCode } from './harness.js';

const SCHEMA = `define
  name sub attribute, value string, regex "^[A-Z].*$";
  age sub attribute, value long;
  born sub attribute, value datetime;
  id sub attribute, abstract, value string;
  person-id sub id;
  person sub entity, abstract, owns name @unique, owns id @key, owns age, owns born, plays marriage:spouse;
  man sub person, owns person-id as id, plays wedding:husband as spouse;
  marriage sub relation, relates spouse, owns born;
  wedding sub marriage, relates husband as spouse, relates guest;
  rule old: when { $p isa man, has age > 9223372036854775806; $p has born 2020-01-01T10:00:00.123; ?x = 1.5 * 2; }
    then { $p has name "Old"; };`;

function graph(): TypeGraph {
  const g = new TypeGraph();
  g.define(definables(SCHEMA), NO_INSTANCES);
  g.validateForCommit();
  return g;
}

describe('serialization', () => {
  it('round-trips types, ids, overrides, annotations and rules', () => {
    const g = graph();
    const copy = TypeGraph.deserialize(g.serialize());
    assert.equal(printSchema(copy), printSchema(g));
    for (const t of g.all()) {
      const c = copy.byId(t.id)!;
      assert.deepEqual(c.label, t.label);
      assert.equal(c.root, t.root);
      assert.equal(c.isMeta, t.isMeta);
      assert.equal(c.abstract, t.abstract);
      assert.equal(c.valueType, t.valueType);
      assert.equal(c.regex, t.regex);
      assert.equal(c.supertype?.id, t.supertype?.id);
    }
    assert.deepEqual(copy.rules(), g.rules());
    copy.validateForCommit();
  });

  it('keeps 64-bit longs in rules exactly', () => {
    const copy = TypeGraph.deserialize(graph().serialize());
    const when = copy.rules().get('old')!.when![0]!;
    assert.equal(when.kind, 'thing-statement');
    const predicate = when.kind === 'thing-statement' ? when.has[0]!.value : undefined;
    assert.ok(predicate && predicate.kind === 'compare' && 'kind' in predicate.operand);
    assert.equal((predicate.operand as { value: bigint }).value, 9223372036854775806n);
  });

  it('serializes deterministically', () => {
    assert.deepEqual(graph().serialize(), graph().serialize());
    const g = graph();
    assert.deepEqual(TypeGraph.deserialize(g.serialize()).serialize(), g.serialize());
  });

  it('keeps the id counter, so deleted ids are not reused after a reload', () => {
    const g = graph();
    const rel = g.putType('temporary', 'relation');
    g.deleteType(rel);
    const reloaded = TypeGraph.deserialize(g.serialize());
    assert.ok(reloaded.putType('next', 'entity').id > rel.id);
  });

  it('rejects bytes that are not a stored schema', () => {
    throwsCode(() => TypeGraph.deserialize(new TextEncoder().encode('not json')), 'ENC04');
    throwsCode(() => TypeGraph.deserialize(new TextEncoder().encode('{"format":"other","version":1}')), 'ENC04');
    throwsCode(() => TypeGraph.deserialize(Uint8Array.of(0xff, 0xfe)), 'ENC04');
  });
});
