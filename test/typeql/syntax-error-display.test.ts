// How a syntax error shows the line it is on: a binary file given as TypeQL must not put control characters on the
// user's terminal, a schema written on one long line must not be printed whole, and the caret must stay under
// the error when the line has tabs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseQuery } from '../../src/typeql/index.js';

function messageOf(text: string): string {
  try {
    parseQuery(text);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no syntax error');
}

test('a control character is named by its code point and shown as ? in the line', () => {
  assert.equal(
    messageOf('\u0012z\u0010\u0006define'),
    '[TQL03] TypeQL Error: There is a syntax error at line 1, column 1: unexpected character U+0012\n?z??define\n^',
  );
});

test('a long line is shown around the column, marked where it was cut', () => {
  const head = Array.from({ length: 500 }, (_, i) => `t${i} sub entity;`).join(' ');
  const message = messageOf(`define ${head} bad sub entity owns; ${head}`);
  const [first, line, caret] = message.split('\n');
  const column = Number(/column (\d+)/.exec(first!)![1]);
  assert.equal(column, `define ${head} bad sub entity `.length + 1);
  assert.ok(line!.startsWith('…') && line!.endsWith('…'), line);
  assert.ok(line!.length <= 123, `${line!.length}`);
  assert.equal(line!.slice(caret!.length - 1, caret!.length - 1 + 'owns'.length), 'owns');
  assert.equal(caret!.trimStart(), '^');
});

test('a short line is shown whole, and the caret keeps its tabs', () => {
  assert.equal(
    messageOf('define\n\tperson sub entity\towns name;'),
    "[TQL03] TypeQL Error: There is a syntax error at line 2, column 20: unexpected 'owns', expected ';'\n\tperson sub entity\towns name;\n\t                 \t^",
  );
});
