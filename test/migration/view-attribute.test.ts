// Attribute IIDs and value records made straight from parsed items (ViewAttributeEncoder) are byte for byte those
// that attributeIID and encodeValueRecord make of the decoded values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Value } from '../../src/common/values.js';
import { ItemEncoder } from '../../src/migration/codec/index.js';
import { ItemView } from '../../src/migration/codec/item-view.js';
import { attributeIID, encodeValueRecord } from '../../src/encoding/index.js';
import { ViewAttributeEncoder } from '../../src/migration/import/view-attribute.js';

const VALUES: Value[] = [
  { type: 'string', value: '' },
  { type: 'string', value: 'Ada Lovelace 12' },
  { type: 'string', value: 'é€\u{1F600}' },
  { type: 'string', value: 'x'.repeat(200) },
  { type: 'boolean', value: true },
  { type: 'boolean', value: false },
  ...[0n, 1n, -1n, 255n, -256n, 2n ** 31n, -(2n ** 31n), 2n ** 32n + 5n, 2n ** 63n - 1n, -(2n ** 63n)].map((value): Value => ({ type: 'long', value })),
  ...[0, -0, 1.5, -1.5, 1e-310, -1e300, Infinity, -Infinity, NaN].map((value): Value => ({ type: 'double', value })),
  ...[0, 1, -1, 1577836800000, -62135596800000, 8.64e15, -8.64e15].map((value): Value => ({ type: 'datetime', value })),
];

test('IIDs and value records from views equal those made from the decoded values', () => {
  const encoder = new ItemEncoder();
  const view = new ItemView();
  const attribute = new ViewAttributeEncoder();
  const record = Buffer.alloc(512);
  for (const value of VALUES) {
    const what = `${value.type} ${String(value.value)}`;
    const bytes = encoder.encode({ kind: 'attribute', id: 'a', label: 'x', ownerships: [], value });
    const prefix = bytes[0]! < 0x80 ? 1 : 2;
    assert.ok(view.parse(bytes, prefix, bytes.length), what);
    for (const typeId of [1, 300, 0xffff]) {
      assert.ok(attribute.encode(view, typeId), what);
      assert.deepEqual(attribute.iid.subarray(0, attribute.iidLength), Buffer.from(attributeIID(typeId, value)), what);
    }
    const end = attribute.writeRecord(view, record, 3);
    assert.equal(end - 3, attribute.recordLength(view), what);
    assert.deepEqual(record.subarray(3, end), Buffer.from(encodeValueRecord(value)), what);
  }
});

test('a string over the inline limit is left to the full path (its key holds a hash)', () => {
  const bytes = new ItemEncoder().encode({ kind: 'attribute', id: 'a', label: 'x', ownerships: [], value: { type: 'string', value: 'x'.repeat(201) } });
  const view = new ItemView();
  assert.ok(view.parse(bytes, 2, bytes.length));
  assert.equal(new ViewAttributeEncoder().encode(view, 1), false);
});
