// The checksum accumulator and the comparison message (export-format.md §4.7, migration-behaviour.md §3.3).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ChecksumCounter,
  CodecError,
  ZERO_CHECKSUMS,
  checksumMismatchError,
  compareChecksums,
  describeChecksumMismatches,
} from '../../../src/migration/codec/index.js';

test('the counter counts items, players and ownerships on every kind of thing', () => {
  const counter = new ChecksumCounter();
  counter.add({ kind: 'header', typedbVersion: '2.29.1', originalDatabase: 'db' });
  counter.add({ kind: 'entity', id: 'e', label: 'person', ownerships: ['a', 'b'] });
  counter.add({ kind: 'attribute', id: 'a', label: 'name', ownerships: ['c'], value: { type: 'string', value: 'x' } });
  counter.add({
    kind: 'relation',
    id: 'r',
    label: 'friendship',
    ownerships: ['a'],
    roles: [
      { label: 'friendship:friend', players: ['e', 'e'] },
      { label: 'friendship:other', players: ['r'] },
    ],
  });
  counter.add({ kind: 'checksums', checksums: ZERO_CHECKSUMS });
  assert.deepEqual(counter.counts, { entities: 1, attributes: 1, relations: 1, roles: 3, ownerships: 4 });
});

test('comparison lists differing counts in TypeDB order, expected vs found', () => {
  const expected = { entities: 287, attributes: 925, relations: 691, roles: 1389, ownerships: 1125 };
  assert.deepEqual(compareChecksums(expected, { ...expected }), []);
  assert.equal(checksumMismatchError(expected, { ...expected }), undefined);
  const found = { ...expected, entities: 286, ownerships: 1120, attributes: 0 };
  const mismatches = compareChecksums(expected, found);
  assert.deepEqual(mismatches, [
    { counter: 'attributes', expected: 925, found: 0 },
    { counter: 'entities', expected: 287, found: 286 },
    { counter: 'ownerships', expected: 1125, found: 1120 },
  ]);
  assert.equal(
    describeChecksumMismatches(mismatches),
    'Attribute count mismatch: expected 925, but found 0\n' +
      'Entity count mismatch: expected 287, but found 286\n' +
      'Ownership count mismatch: expected 1125, but found 1120',
  );
  const error = checksumMismatchError(expected, found);
  assert.ok(error instanceof CodecError);
  assert.equal(error.code, 'MIG11');
  assert.equal(
    error.message,
    "[MIG11] Migrator failure: The import has finished but mismatches the required checksums: '\n" +
      'Attribute count mismatch: expected 925, but imported 0\n' +
      'Entity count mismatch: expected 287, but imported 286\n' +
      'Ownership count mismatch: expected 1125, but imported 1120',
  );
  const custom = checksumMismatchError(expected, found, { lead: "The checksums of 'x.typedb' do not match its items:", foundVerb: 'counted' });
  assert.match(custom!.message, /^\[MIG11\] Migrator failure: The checksums of 'x\.typedb' do not match its items:\nAttribute count mismatch: expected 925, but counted 0\n/);
});
