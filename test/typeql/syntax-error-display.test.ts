// How a syntax error shows the line it is on: a binary file given as TypeQL must not put control characters on the
// user's terminal, a schema written on one long line must not be printed whole, and the caret must stay under
// the error when the line has tabs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TypeQLSyntaxError } from '../../src/common/errors.js';
import { parseQuery } from '../../src/typeql/index.js';

function errorOf(text: string): TypeQLSyntaxError {
  try {
    parseQuery(text);
  } catch (e) {
    if (e instanceof TypeQLSyntaxError) return e;
    throw e;
  }
  throw new Error('no syntax error');
}

const messageOf = (text: string): string => errorOf(text).message;

test('a control character is named by its code point and shown as ? in the line', () => {
  assert.equal(
    messageOf('\u0012z\u0010\u0006define'),
    '[TQL03] TypeQL Error: There is a syntax error at line 1:\n?z??define\n^\nunexpected character U+0012',
  );
});

test('a long line is shown around the column, marked where it was cut', () => {
  const head = Array.from({ length: 500 }, (_, i) => `t${i} sub entity;`).join(' ');
  const error = errorOf(`define ${head} bad sub entity owns; ${head}`);
  const [, line, caret] = error.message.split('\n');
  assert.equal(error.column, `define ${head} bad sub entity `.length + 1);
  assert.ok(line!.startsWith('…') && line!.endsWith('…'), line);
  assert.ok(line!.length <= 123, `${line!.length}`);
  assert.equal(line!.slice(caret!.length - 1, caret!.length - 1 + 'owns'.length), 'owns');
  assert.equal(caret!.trimStart(), '^');
});

test('a short line is shown whole, and the caret keeps its tabs', () => {
  assert.equal(
    messageOf('define\n\tperson sub entity\towns name;'),
    "[TQL03] TypeQL Error: There is a syntax error at line 2:\n\tperson sub entity\towns name;\n\t                 \t^\nunexpected 'owns', expected ';'",
  );
});
