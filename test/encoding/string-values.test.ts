// String attribute values as stored and read back: every character kept (a leading U+FEFF too, which a UTF-8
// decoder drops by default), and TypeDB 2.x's size limit of 65 535 UTF-8 bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeConcept } from '../../src/concept/concepts.js';
import { STRING_INLINE_LIMIT, decodeValueKey, decodeValueRecord, encodeValueKey, encodeValueRecord } from '../../src/encoding/value-codec.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

test('a value that begins with U+FEFF keeps it, inline in keys and in records', () => {
  for (const text of ['\uFEFFbom', `\uFEFF${'x'.repeat(STRING_INLINE_LIMIT + 100)}`]) {
    const value = { type: 'string', value: text } as const;
    assert.deepEqual(decodeValueRecord(encodeValueRecord(value)), value);
    if (text.length <= STRING_INLINE_LIMIT) assert.deepEqual(decodeValueKey('string', encodeValueKey(value), 0), value);
  }
});

test('"\\uFEFFbom" and "bom" are two attributes, each read back as written', () => {
  withTempManager('bom', (manager) => {
    createWithSchema(manager, 'db', 'define word sub attribute, value string;');
    writeData(manager, 'db', ['insert $a "bom" isa word; $b "\uFEFFbom" isa word;']);
    const tx = manager.session('db', 'data').transaction('read');
    const result = tx.query('match $w isa word; get;');
    const values = result.kind === 'get' ? [...result.answers].map((a) => (a.get('w') as AttributeConcept).value.value).sort() : [];
    assert.deepEqual(values, ['bom', '\uFEFFbom']);
    tx.close();
  });
});

test('strings of up to 65 535 UTF-8 bytes are stored; longer ones are refused with [ENC01], as TypeDB', () => {
  const value = (bytes: number) => ({ type: 'string', value: 'é'.repeat(bytes / 2) + 'x'.repeat(bytes % 2) }) as const;
  assert.deepEqual(decodeValueRecord(encodeValueRecord(value(65_535))), value(65_535));
  assert.ok(encodeValueKey(value(65_535)).length > 0);
  assert.throws(() => encodeValueKey(value(65_536)), { message: '[ENC01] Data encoding error: Attempted to insert a string larger than the maximum possible size: 65535 bytes. (This one has 65536.)' });
});

test('strings decode the same from Buffers as from plain byte arrays: ASCII, other characters, and invalid UTF-8 refused', () => {
  for (const text of ['plain ascii', 'café ☕ 🙂', '']) {
    const value = { type: 'string', value: text } as const;
    const decodings: [Uint8Array, (bytes: Uint8Array) => unknown][] = [
      [encodeValueRecord(value), decodeValueRecord],
      [encodeValueKey(value), (bytes) => decodeValueKey('string', bytes, 0)],
    ];
    for (const [bytes, decode] of decodings) {
      assert.deepEqual(decode(new Uint8Array(bytes)), value);
      assert.deepEqual(decode(Buffer.from(bytes)), value);
    }
  }
  const invalid = Buffer.from(encodeValueRecord({ type: 'string', value: 'ab' }));
  invalid[2] = 0xff;
  assert.throws(() => decodeValueRecord(invalid));
  assert.throws(() => decodeValueRecord(new Uint8Array(invalid)));
});
