import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TypeQLSyntaxError } from '../../src/common/errors.js';
import { tokenize } from '../../src/typeql/lexer.js';

function kinds(text: string): string[] {
  return tokenize(text)
    .filter((t) => t.kind !== 'eof')
    .map((t) => `${t.kind}:${t.value}`);
}

describe('lexer', () => {
  it('splits words, variables and symbols, skipping whitespace and comments', () => {
    assert.deepEqual(kinds('match $x isa person; # a comment\n get;'), [
      'word:match',
      'concept-var:x',
      'word:isa',
      'word:person',
      'symbol:;',
      'word:get',
      'symbol:;',
    ]);
  });

  it('keeps sub! and isa! as single words', () => {
    assert.deepEqual(kinds('$x sub! $y; $z isa! t;'), [
      'concept-var:x', 'word:sub!', 'concept-var:y', 'symbol:;', 'concept-var:z', 'word:isa!', 'word:t', 'symbol:;',
    ]);
  });

  it('reads a scoped label only without spaces around the colon', () => {
    assert.deepEqual(kinds('marriage:wife'), ['scoped-label:marriage:wife']);
    assert.deepEqual(kinds('wife: $x'), ['word:wife', 'symbol::', 'concept-var:x']);
    assert.deepEqual(kinds('(wife:$x)'), ['symbol:(', 'word:wife', 'symbol::', 'concept-var:x', 'symbol:)']);
  });

  it('reads labels and variables with Unicode letters, digits, - and _', () => {
    assert.deepEqual(kinds('人 אדם $人 $0_x ?a-b_1 a-b_c1'), [
      'word:人', 'word:אדם', 'concept-var:人', 'concept-var:0_x', 'value-var:a-b_1', 'word:a-b_c1',
    ]);
  });

  it('reads the anonymous variable', () => {
    assert.deepEqual(kinds('$_ isa'), ['concept-var:_', 'word:isa']);
  });

  it('tells dates, longs, doubles and iids apart', () => {
    assert.deepEqual(kinds('2020-01-01 2020-01-01T10:15 2020-01-01T10:15:30.123 12 1.5 0x1f'), [
      'datetime:2020-01-01',
      'datetime:2020-01-01T10:15',
      'datetime:2020-01-01T10:15:30.123',
      'long:12',
      'double:1.5',
      'iid:0x1f',
    ]);
  });

  it('reads a date only when its month, day and time fields have the digits the grammar allows', () => {
    assert.deepEqual(kinds('2020-20-01'), ['long:2020', 'symbol:-', 'long:20', 'symbol:-', 'long:01']);
    assert.deepEqual(kinds('2020-01-40'), ['long:2020', 'symbol:-', 'long:01', 'symbol:-', 'long:40']);
    assert.deepEqual(kinds('2020-19-39'), ['datetime:2020-19-39']);
    assert.deepEqual(kinds('2020-01-01T30:00'), ['datetime:2020-01-01', 'word:T30', 'symbol::', 'long:00']);
    assert.deepEqual(kinds('2020-01-01T29:69:69'), ['datetime:2020-01-01T29:69:69']);
  });

  it('keeps a sign separate from a number but inside a signed date', () => {
    assert.deepEqual(kinds('-10 - 2 -0001-01-01 +12345-06-07T01:02'), [
      'symbol:-', 'long:10', 'symbol:-', 'long:2', 'datetime:-0001-01-01', 'datetime:+12345-06-07T01:02',
    ]);
  });

  it('reads comparison operators', () => {
    assert.deepEqual(kinds('= == != > >= < <='), [
      'symbol:=', 'symbol:==', 'symbol:!=', 'symbol:>', 'symbol:>=', 'symbol:<', 'symbol:<=',
    ]);
  });

  it('keeps string contents raw, escapes included, newlines included', () => {
    assert.deepEqual(kinds(`"a\\"b" 'c"d' "line1\nline2"`), ['string:a\\"b', 'string:c"d', 'string:line1\nline2']);
  });

  it('reads annotations', () => {
    assert.deepEqual(kinds('owns name @key @unique'), ['word:owns', 'word:name', 'annotation:key', 'annotation:unique']);
  });

  it('rejects an unterminated string at its opening quote', () => {
    assert.throws(
      () => tokenize('match $x "abc;'),
      (e: unknown) => e instanceof TypeQLSyntaxError && e.line === 1 && e.column === 10 && /unterminated string/.test(e.message),
    );
  });

  it('rejects an unexpected character with its position', () => {
    assert.throws(
      () => tokenize('match\n  $x ! 5;'),
      (e: unknown) =>
        e instanceof TypeQLSyntaxError && e.line === 2 && e.column === 6 && e.message.includes("unexpected character '!'"),
    );
  });

  it('rejects upper-case iids and variables starting with _', () => {
    assert.throws(() => tokenize('$x iid 0xAB;'), /invalid iid '0xAB'/);
    assert.throws(() => tokenize('$_abc isa t;'), /invalid variable '\$_abc'/);
  });
});
