// Text of a damaged file in the import's messages: values and IDs of any length are shortened, as labels are
// (long-errors.test.ts), and control characters in labels escaped. Found by bench/fuzz-import.ts, where a
// 70 000-character string of the wrong value type made a 70 000-character MIG44 message, a key violation quoted
// whole IDs, and a label holding a line break broke the MIG05 message over two lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importRefusal } from './fixtures.js';

test('a long string of the wrong value type is shortened in the MIG44 message', async () => {
  const message = await importRefusal([{ kind: 'attribute', id: 'a', label: 'age', ownerships: [], value: { type: 'string', value: 'x'.repeat(70_000) } }]);
  assert.match(message, /^\[MIG44\] .*the attribute item "a" \(age\) at byte offset 17 .*has an invalid value: "x{80}"…\(70000 characters\) is a string, but 'age' holds long values/i);
  assert.ok(message.length < 1000, `${message.length} characters`);
});

test('a key violation between items with long IDs names them shortened', async () => {
  const long = (c: string) => c.repeat(60_000);
  const message = await importRefusal([
    { kind: 'attribute', id: 'n', label: 'name', ownerships: [], value: { type: 'string', value: 'Ann' } },
    { kind: 'entity', id: long('p'), label: 'person', ownerships: ['n'] },
    { kind: 'entity', id: long('q'), label: 'person', ownerships: ['n'] },
  ]);
  assert.match(message, /^\[MIG48\] .*the person item "p{40}…\(60000 chars\)" at byte offset \d+ and the person item "q{40}…\(60000 chars\)" at byte offset \d+ both own it/);
  assert.ok(message.length < 1000, `${message.length} characters`);
});

test('control characters of an unknown label are escaped in the MIG05 message, which stays on one line', async () => {
  const message = await importRefusal([{ kind: 'entity', id: 'e', label: 'per\nson\u0000', ownerships: [] }]);
  assert.match(message, /^\[MIG05\] Migrator failure: The type 'per\\u000ason\\u0000' is not defined in the schema: the entity item "e" \(per\\u000ason\\u0000\) at byte offset 17 /);
  assert.doesNotMatch(message, /\n|\u0000/);
});
