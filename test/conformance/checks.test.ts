// The conformance harness's own answer checks (pure functions; no engine needed).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AttributeConcept, Concept, ConceptMap, ThingConcept, TypeConcept } from '../../src/concept/concepts.js';
import { parseDatetime } from '../../src/common/values.js';
import {
  IdentifierMatcher,
  assertOrderedMatch,
  assertUniquelyIdentified,
  parseIdentifier,
  valueMatches,
} from '../../conformance/checks/identifiers.js';
import { jsonMismatch } from '../../conformance/checks/json.js';
import { assertSameAnswerSet } from '../../conformance/checks/answer-sets.js';
import { assertThrows } from '../../conformance/checks/errors.js';
import { applyTemplate } from '../../conformance/checks/templates.js';

const type = (name: string, root: TypeConcept['root'] = 'entity', scope?: string): TypeConcept => ({
  kind: 'type',
  root,
  label: scope === undefined ? { name } : { scope, name },
  abstract: false,
});
const refType = { ...type('ref', 'attribute'), valueType: 'long' as const };
const nameType = { ...type('name', 'attribute'), valueType: 'string' as const };
const person = (iid: string): ThingConcept => ({ kind: 'entity', iid, type: type('person'), inferred: false });
const ref = (n: number): AttributeConcept => ({ kind: 'attribute', iid: `0xa${n}`, type: refType, inferred: false, value: { type: 'long', value: BigInt(n) } });
const answer = (entries: Record<string, Concept>): ConceptMap => new Map(Object.entries(entries));

/** Things 0x1, 0x2, 0x3 have keys ref:1, ref:2, ref:3. */
const matcher = () => new IdentifierMatcher((thing) => [ref(Number(thing.iid.slice(2)))]);

describe('concept identifiers', () => {
  test('split at the first two colons; value: is trimmed', () => {
    assert.deepEqual(parseIdentifier('attr:name:King\'s Cross: a station'), {
      text: "attr:name:King's Cross: a station",
      kind: 'attr',
      head: 'name',
      value: "King's Cross: a station",
    });
    assert.equal(parseIdentifier('value:double: 2.0  ').value, '2.0');
    assert.equal(parseIdentifier('label:marriage:wife').head, 'marriage:wife');
    assert.throws(() => parseIdentifier('iid:0x1'));
  });

  test('values compare by the actual value type', () => {
    assert.ok(valueMatches({ type: 'long', value: -10n }, '-10'));
    assert.ok(!valueMatches({ type: 'long', value: 2n }, '2.0'));
    assert.ok(valueMatches({ type: 'double', value: 2 }, '2.0'));
    assert.ok(valueMatches({ type: 'double', value: 23.4375 }, '23.4375'));
    assert.ok(valueMatches({ type: 'boolean', value: true }, 'true'));
    assert.ok(valueMatches({ type: 'datetime', value: parseDatetime('2009-07-16')! }, '2009-07-16T00:00'));
    assert.ok(!valueMatches({ type: 'string', value: 'Alice' }, 'alice'));
  });

  test('value: requires the value type; label: on a thing is a test error', () => {
    const m = matcher();
    assert.ok(m.matches('value:long:9', { kind: 'value', value: { type: 'long', value: 9n } }));
    assert.ok(!m.matches('value:double:9', { kind: 'value', value: { type: 'long', value: 9n } }));
    assert.ok(m.matches('label:marriage:wife', type('wife', 'role', 'marriage')));
    assert.throws(() => m.matches('label:person', person('0x1')));
    assert.ok(m.matches('key:ref:2', person('0x2')));
    assert.ok(!m.matches('key:name:2', person('0x2')));
    assert.ok(m.matches('attr:ref:3', ref(3)));
    assert.ok(!m.matches('attr:name:3', ref(3)));
    assert.ok(m.matches('attr:name:3', { ...ref(3), type: nameType }));
  });
});

describe('uniquely identify answer concepts', () => {
  const rows = [{ x: 'key:ref:1' }, { x: 'key:ref:2' }];
  test('accepts a perfect matching in any order', () => {
    assertUniquelyIdentified(rows, [answer({ x: person('0x2') }), answer({ x: person('0x1') })], matcher());
  });
  test('rejects a count mismatch, a duplicate answer, and an unknown variable', () => {
    assert.throws(() => assertUniquelyIdentified(rows, [answer({ x: person('0x1') })], matcher()), /expected 2 answers/);
    assert.throws(
      () => assertUniquelyIdentified(rows, [answer({ x: person('0x1') }), answer({ x: person('0x1') })], matcher()),
      /matches 0 answers/,
    );
    assert.throws(() => assertUniquelyIdentified([{ y: 'key:ref:1' }], [answer({ x: person('0x1') })], matcher()), /does not bind/);
  });
  test('rows that each match two answers fail both ways', () => {
    const loose = [{ x: 'label:person' }, { x: 'label:person' }];
    assert.throws(() => assertUniquelyIdentified(loose, [answer({ x: type('person') }), answer({ x: type('person') })], matcher()));
  });
  test('order of answer concepts is positional', () => {
    assertOrderedMatch(rows, [answer({ x: person('0x1') }), answer({ x: person('0x2') })], matcher());
    assert.throws(() => assertOrderedMatch(rows, [answer({ x: person('0x2') }), answer({ x: person('0x1') })], matcher()));
  });
});

describe('fetch JSON comparison', () => {
  test('arrays are multisets at every level; numbers compare after parsing', () => {
    const expected = JSON.parse('[{"p": {"type": {"label": "person"}, "age": [{"value": 10.0}, {"value": 20}]}}]');
    const actual = [{ p: { age: [{ value: 20 }, { value: 10 }], type: { label: 'person' } } }];
    assert.equal(jsonMismatch(expected, actual, '$'), undefined);
    assert.notEqual(jsonMismatch([1, 1, 2], [1, 2, 2], '$'), undefined);
  });
  test('objects need exactly the same keys; null matches null', () => {
    assert.match(jsonMismatch({ a: 1 }, { a: 1, b: 2 }, '$')!, /unexpected: \[b\]/);
    assert.match(jsonMismatch({ a: 1, b: 2 }, { a: 1 }, '$')!, /missing: \[b\]/);
    assert.equal(jsonMismatch({ sum: null }, { sum: null }, '$'), undefined);
    assert.notEqual(jsonMismatch({ sum: null }, { sum: 0 }, '$'), undefined);
  });
});

describe('harness helpers', () => {
  test('answer sets ignore order and duplicates, compare attributes by type and value', () => {
    const a = [answer({ x: person('0x1'), n: ref(1) }), answer({ x: person('0x2'), n: ref(2) })];
    const b = [answer({ n: { ...ref(2), iid: '0xother' }, x: person('0x2') }), answer({ x: person('0x1'), n: ref(1) }), a[0]!];
    assertSameAnswerSet(a, b, 'test');
    assert.throws(() => assertSameAnswerSet(a, [a[0]!], 'test'), /missing/);
  });
  test('exception fragments are case-insensitive substrings', async () => {
    const fail = () => {
      throw new Error('[TXN12] Attempted schema writes when session type does not allow.');
    };
    await assertThrows(fail, 'Session Type does not allow');
    await assert.rejects(assertThrows(fail, 'transaction type'));
    await assert.rejects(assertThrows(() => undefined));
    // engine calls fail asynchronously too
    await assertThrows(() => Promise.reject(new Error('[TXN12] Attempted schema writes')), 'schema writes');
    await assert.rejects(assertThrows(() => Promise.resolve()));
  });
  test('templates substitute thing IIDs and refuse types', () => {
    const query = applyTemplate('match $x iid <answer.x.iid>; get;', answer({ x: person('0x1f') }));
    assert.equal(query, 'match $x iid 0x1f; get;');
    assert.throws(() => applyTemplate('<answer.t.iid>', answer({ t: type('person') })));
    assert.throws(() => applyTemplate('<answer.x.label>', answer({ x: person('0x1') })));
  });
});
