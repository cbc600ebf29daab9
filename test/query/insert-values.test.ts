// The value an insert gives an attribute type, as TypeDB 2.x's Inserter takes it: a long literal widens to a double,
// a value variable's value is never converted, and each mismatch fails with TypeDB's code ([QRY01] for a literal,
// [THR03] for a value variable), not with the code of a taken key ([THW05]).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeConcept } from '../../src/concept/concepts.js';
import type { Transaction } from '../../src/database/api.js';
import { createWithSchema, inDataWrite, withTempManager } from '../support/databases.js';

const SCHEMA = `define
  name sub attribute, value string; age sub attribute, value long; score sub attribute, value double;
  born sub attribute, value datetime; person sub entity, owns name, owns age, owns score, owns born;`;

function withWrite(body: (tx: Transaction) => void): void {
  withTempManager('insert-values', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    inDataWrite(manager, 'db', body);
  });
}

test('a long literal is stored in a double attribute type as a double, as Predicate.Constant.Long.asDouble gives it', () => {
  withWrite((tx) => {
    tx.query('insert $p isa person, has score 3; $s 7 isa score;');
    const result = tx.query('match $s isa score; get; sort $s;');
    const values = result.kind === 'get' ? [...result.answers].map((a) => (a.get('s') as AttributeConcept).value) : [];
    assert.deepEqual(values, [{ type: 'double', value: 3 }, { type: 'double', value: 7 }]);
  });
});

test("a literal an attribute type cannot take fails with TypeDB's [QRY01], which names its Predicate.Constant classes", () => {
  const cases: [string, string][] = [
    ['insert $p isa person, has age "12";', `[QRY01] Invalid Query Pattern: The class 'Predicate.Constant.String' cannot be casted to 'Predicate.Constant.Long'. (attribute type 'age' has value type long, and "12" is a string)`],
    ['insert $a 2.0 isa age;', `[QRY01] Invalid Query Pattern: The class 'Predicate.Constant.Double' cannot be casted to 'Predicate.Constant.Long'. (attribute type 'age' has value type long, and 2.0 is a double)`],
    ['insert $p isa person, has name 5;', `[QRY01] Invalid Query Pattern: The class 'Predicate.Constant.Long' cannot be casted to 'Predicate.Constant.String'. (attribute type 'name' has value type string, and 5 is a long)`],
    ['insert $p isa person, has born "2020-01-01";', `[QRY01] Invalid Query Pattern: The class 'Predicate.Constant.String' cannot be casted to 'Predicate.Constant.DateTime'. (attribute type 'born' has value type datetime, and "2020-01-01" is a string)`],
  ];
  for (const [query, message] of cases) withWrite((tx) => assert.throws(() => tx.query(query), { message }, query));
});

test("a value variable's value is not converted, a long for a double attribute type neither: TypeDB's [THR03]", () => {
  const cases: [string, string][] = [
    ['match ?v = 6; insert $p isa person, has score ?v;', `[THR03] Invalid Thing Read: Invalid concept conversion from 'ValueImpl.Long' to 'ValueImpl.Double'. (attribute type 'score' has value type double, and 6 is a long)`],
    ['match ?v = 6.0; insert $p isa person, has age ?v;', `[THR03] Invalid Thing Read: Invalid concept conversion from 'ValueImpl.Double' to 'ValueImpl.Long'. (attribute type 'age' has value type long, and 6.0 is a double)`],
    ['match ?v = "x"; insert $p isa person, has age ?v;', `[THR03] Invalid Thing Read: Invalid concept conversion from 'ValueImpl.String' to 'ValueImpl.Long'. (attribute type 'age' has value type long, and "x" is a string)`],
  ];
  for (const [query, message] of cases) withWrite((tx) => assert.throws(() => tx.query(query), { message }, query));
  withWrite((tx) => {
    const result = tx.query('match ?v = 6.5; insert $p isa person, has score ?v;');
    assert.equal(result.kind === 'insert' ? [...result.answers].length : 0, 1);
  });
});
