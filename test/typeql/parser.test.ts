import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TypeQLSyntaxError } from '../../src/common/errors.js';
import {
  parseDefinables,
  parsePatterns,
  parseQueries,
  parseQuery,
  printQuery,
  parseStatement,
  type Expression,
  type FetchQuery,
  type GetQuery,
  type Literal,
  type Pattern,
  type Statement,
  type ThingStatement,
  type TypeStatement,
  type ValueStatement,
} from '../../src/typeql/index.js';

const cv = (name: string) => ({ kind: 'concept-var', name }) as const;
const vv = (name: string) => ({ kind: 'value-var', name }) as const;
const label = (name: string, scope?: string) =>
  ({ kind: 'label', label: scope === undefined ? { name } : { scope, name } }) as const;
const long = (value: bigint): Literal => ({ kind: 'long', value });
const lit = (value: Literal): Expression => ({ kind: 'literal', value });
const bin = (op: '+' | '-' | '*' | '/' | '%' | '^', left: Expression, right: Expression): Expression => ({
  kind: 'binary',
  op,
  left,
  right,
});

function statement(text: string): Statement {
  return parseStatement(text);
}

function assignment(text: string): Expression {
  const s = statement(text) as ValueStatement;
  assert.equal(s.kind, 'value-statement');
  return s.assignment!;
}

function literalOf(text: string): Literal {
  const s = statement(`$a ${text} isa t`) as ThingStatement;
  assert.equal(s.predicate?.kind, 'compare');
  return (s.predicate as { operand: Literal }).operand;
}

function syntaxError(text: string, line: number, column: number, detail: RegExp): void {
  assert.throws(
    () => parseQuery(text),
    (e: unknown) => {
      assert.ok(e instanceof TypeQLSyntaxError, String(e));
      assert.equal(e.line, line, e.message);
      assert.equal(e.column, column, e.message);
      assert.match(e.message, detail);
      return true;
    },
  );
}

describe('parser: thing statements', () => {
  it('isa with has constraints', () => {
    assert.deepEqual(statement('$x isa person, has name "Alice", has age $a'), {
      kind: 'thing-statement',
      variable: cv('x'),
      isa: { type: label('person'), explicit: false },
      has: [
        { attributeType: { name: 'name' }, value: { kind: 'compare', operand: { kind: 'string', value: 'Alice' } } },
        { attributeType: { name: 'age' }, value: cv('a') },
      ],
    });
  });

  it('isa! and isa with a type variable', () => {
    assert.deepEqual((statement('$x isa! $t') as ThingStatement).isa, { type: cv('t'), explicit: true });
  });

  it('relations with labelled, variable and missing roles', () => {
    assert.deepEqual(statement('$r (wife: $x, $y, $role: $z) isa marriage'), {
      kind: 'thing-statement',
      variable: cv('r'),
      relation: [
        { role: label('wife'), player: cv('x') },
        { player: cv('y') },
        { role: cv('role'), player: cv('z') },
      ],
      isa: { type: label('marriage'), explicit: false },
      has: [],
    });
  });

  it('rejects a scoped role in a relation, which the grammar does not have', () => {
    syntaxError('match (marriage:husband: $w) isa marriage; get;', 1, 8, /unexpected 'marriage:husband', expected a type label or variable/);
  });

  it('a relation without variable or isa, with has', () => {
    assert.deepEqual(statement('(friend: $a) has name "x"'), {
      kind: 'thing-statement',
      relation: [{ role: label('friend'), player: cv('a') }],
      has: [{ attributeType: { name: 'name' }, value: { kind: 'compare', operand: { kind: 'string', value: 'x' } } }],
    });
  });

  it('attribute statements with a value or a predicate', () => {
    assert.deepEqual(statement('$a "Bob" isa name'), {
      kind: 'thing-statement',
      variable: cv('a'),
      predicate: { kind: 'compare', operand: { kind: 'string', value: 'Bob' } },
      isa: { type: label('name'), explicit: false },
      has: [],
    });
    assert.deepEqual(statement('"Bob" isa name'), {
      kind: 'thing-statement',
      predicate: { kind: 'compare', operand: { kind: 'string', value: 'Bob' } },
      isa: { type: label('name'), explicit: false },
      has: [],
    });
    assert.deepEqual((statement('$x > 5') as ThingStatement).predicate, { kind: 'compare', op: '>', operand: long(5n) });
    // `=` and `==` are one equality (TypeQL's EQ): `==` against a variable, a bare value against a value.
    assert.deepEqual((statement('$x = $y') as ThingStatement).predicate, { kind: 'compare', op: '==', operand: cv('y') });
    assert.deepEqual((statement('$x == $y') as ThingStatement).predicate, { kind: 'compare', op: '==', operand: cv('y') });
    assert.deepEqual((statement('$x = 5') as ThingStatement).predicate, { kind: 'compare', operand: long(5n) });
    assert.deepEqual((statement('$x == 5') as ThingStatement).predicate, { kind: 'compare', operand: long(5n) });
    assert.deepEqual((statement('$x != ?v') as ThingStatement).predicate, { kind: 'compare', op: '!=', operand: vv('v') });
    assert.deepEqual((statement('$x contains "a"') as ThingStatement).predicate, { kind: 'contains', operand: 'a' });
    assert.deepEqual((statement('$x like "^a\\/b.*"') as ThingStatement).predicate, { kind: 'like', operand: '^a/b.*' });
  });

  it('has forms: predicate, value variable, untyped', () => {
    const s = statement('$x has age > 20, has name ?n, has $a, has name contains "b", has age -3') as ThingStatement;
    assert.deepEqual(s.has, [
      { attributeType: { name: 'age' }, value: { kind: 'compare', op: '>', operand: long(20n) } },
      { attributeType: { name: 'name' }, value: vv('n') },
      { value: cv('a') },
      { attributeType: { name: 'name' }, value: { kind: 'contains', operand: 'b' } },
      { attributeType: { name: 'age' }, value: { kind: 'compare', operand: long(-3n) } },
    ]);
  });

  it('iid', () => {
    assert.deepEqual(statement('$x iid 0x8a1f, has name $n'), {
      kind: 'thing-statement',
      variable: cv('x'),
      iid: '0x8a1f',
      has: [{ attributeType: { name: 'name' }, value: cv('n') }],
    });
  });

  it('the anonymous variable', () => {
    assert.deepEqual((statement('$_ isa person') as ThingStatement).variable, cv('_'));
  });

  it('is', () => {
    assert.deepEqual(statement('$x is $y'), { kind: 'is-statement', left: cv('x'), right: cv('y') });
  });
});

describe('parser: type statements', () => {
  it('a define-style type with every constraint', () => {
    const [person] = parseDefinables(
      'person sub entity, abstract, owns name @key, owns nick as name @unique, owns email @key @unique, ' +
        'plays marriage:wife, plays employment:employee as located, relates r as base, value long, regex "^a\\/b$", type person;',
    ) as TypeStatement[];
    assert.deepEqual(person, {
      kind: 'type-statement',
      subject: label('person'),
      constraints: [
        { kind: 'sub', explicit: false, type: label('entity') },
        { kind: 'abstract' },
        { kind: 'owns', attribute: label('name'), annotations: ['key'] },
        { kind: 'owns', attribute: label('nick'), overridden: label('name'), annotations: ['unique'] },
        { kind: 'owns', attribute: label('email'), annotations: ['key', 'unique'] },
        { kind: 'plays', role: label('wife', 'marriage') },
        { kind: 'plays', role: label('employee', 'employment'), overridden: label('located') },
        { kind: 'relates', role: label('r'), overridden: label('base') },
        { kind: 'value', valueType: 'long' },
        { kind: 'regex', regex: '^a/b$' },
        { kind: 'type', label: label('person') },
      ],
    });
  });

  it('variable subjects and scoped labels in match', () => {
    assert.deepEqual(statement('$t sub! $s'), {
      kind: 'type-statement',
      subject: cv('t'),
      constraints: [{ kind: 'sub', explicit: true, type: cv('s') }],
    });
    assert.deepEqual(statement('$r type marriage:wife'), {
      kind: 'type-statement',
      subject: cv('r'),
      constraints: [{ kind: 'type', label: label('wife', 'marriage') }],
    });
    assert.deepEqual(statement('marriage:wife sub $x'), {
      kind: 'type-statement',
      subject: label('wife', 'marriage'),
      constraints: [{ kind: 'sub', explicit: false, type: cv('x') }],
    });
  });

  it('unreserved keywords are labels', () => {
    const definables = parseDefinables(
      'value sub attribute, value string; count sub entity, owns value; rule sub entity; get sub relation, relates sort;',
    ) as TypeStatement[];
    assert.deepEqual(
      definables.map((d) => d.subject),
      [label('value'), label('count'), label('rule'), label('get')],
    );
    const q = parseQuery('match $x isa count; get sub entity; limit sub entity; get;') as GetQuery;
    assert.equal(q.match.length, 3);
    assert.deepEqual(q.filter, []);
  });

  it('owns annotations come as the grammar orders them, @key before @unique', () => {
    syntaxError('define person owns email @unique @key;', 1, 34, /'@key' must come before '@unique'/);
  });

  it('a plays override may be scoped, as TypeDB 2.25 to 2.26.5 printed it in exported schemas', () => {
    const [statement] = parseDefinables('man plays fathership:father as parentship:parent;') as TypeStatement[];
    assert.deepEqual(statement!.constraints, [{ kind: 'plays', role: label('father', 'fathership'), overridden: label('parent', 'parentship') }]);
  });

  it('rejects reserved keywords as labels', () => {
    syntaxError('define type sub entity;', 1, 8, /unexpected 'type', expected a type or a rule/);
    syntaxError('match $x isa has; get;', 1, 14, /unexpected 'has', expected a type label or variable/);
  });
});

describe('parser: value statements and expressions', () => {
  it('assignment and predicates', () => {
    assert.deepEqual(statement('?v = 5'), { kind: 'value-statement', variable: vv('v'), assignment: lit(long(5n)) });
    assert.deepEqual(statement('?v > 5'), {
      kind: 'value-statement',
      variable: vv('v'),
      predicate: { kind: 'compare', op: '>', operand: long(5n) },
    });
    assert.deepEqual(statement('?v == $h'), {
      kind: 'value-statement',
      variable: vv('v'),
      predicate: { kind: 'compare', op: '==', operand: cv('h') },
    });
  });

  it('precedence: ^ over * / % over + -, ^ right-associative', () => {
    const one = lit(long(1n));
    const two = lit(long(2n));
    const three = lit(long(3n));
    assert.deepEqual(assignment('?v = 1 + 2 * 3'), bin('+', one, bin('*', two, three)));
    assert.deepEqual(assignment('?v = 1 - 2 - 3'), bin('-', bin('-', one, two), three));
    assert.deepEqual(assignment('?v = 1 ^ 2 ^ 3'), bin('^', one, bin('^', two, three)));
    assert.deepEqual(assignment('?v = (1 + 2) * 3'), bin('*', { ...bin('+', one, two), parens: 1 }, three));
    // Parentheses are kept as written, as TypeQL keeps them (even where precedence does not need them).
    assert.deepEqual(assignment('?v = (1 * 2) + 3'), bin('+', { ...bin('*', one, two), parens: 1 }, three));
    assert.deepEqual(assignment('?v = ((1))'), { ...one, parens: 2 });
    assert.deepEqual(assignment('?v = 2 * 3 ^ 2 % 3'), bin('%', bin('*', two, bin('^', three, two)), three));
  });

  it('signed literals versus subtraction', () => {
    assert.deepEqual(assignment('?v = $x + -10'), bin('+', { kind: 'var', variable: cv('x') }, lit(long(-10n))));
    assert.deepEqual(assignment('?v = 5 -3'), bin('-', lit(long(5n)), lit(long(3n))));
    assert.deepEqual(assignment('?v = -1.5'), lit({ kind: 'double', value: -1.5 }));
  });

  it('functions, variadic and empty', () => {
    assert.deepEqual(assignment('?v = max($a, ?b, 3)'), {
      kind: 'call',
      fn: 'max',
      args: [{ kind: 'var', variable: cv('a') }, { kind: 'var', variable: vv('b') }, lit(long(3n))],
    });
    assert.deepEqual(assignment('?v = round(floor(1.5))'), {
      kind: 'call',
      fn: 'round',
      args: [{ kind: 'call', fn: 'floor', args: [lit({ kind: 'double', value: 1.5 })] }],
    });
    assert.deepEqual(assignment('?v = abs()'), { kind: 'call', fn: 'abs', args: [] });
  });

  it('rejects a unary minus on a variable', () => {
    assert.throws(() => statement('?v = -$x'), /unexpected '-', expected a variable, a value, a function call or \(/);
  });
});

describe('parser: literals', () => {
  it('longs keep 64-bit precision and reject overflow', () => {
    assert.deepEqual(literalOf('9223372036854775807'), long(9223372036854775807n));
    assert.deepEqual(literalOf('-9223372036854775808'), long(-9223372036854775808n));
    assert.throws(() => literalOf('9223372036854775808'), /does not fit in 64 bits/);
  });

  it('doubles, booleans and strings', () => {
    assert.deepEqual(literalOf('28.0'), { kind: 'double', value: 28 });
    assert.deepEqual(literalOf('- 0.25'), { kind: 'double', value: -0.25 });
    assert.deepEqual(literalOf('true'), { kind: 'boolean', value: true });
    assert.deepEqual(literalOf("'it\"s'"), { kind: 'string', value: 'it"s' });
    assert.deepEqual(literalOf('"a\\"b"'), { kind: 'string', value: 'a\\"b' });
    assert.deepEqual(literalOf('"two\nlines"'), { kind: 'string', value: 'two\nlines' });
  });

  it('a double literal beyond the 64-bit range is a syntax error: it would be Infinity, which prints back as no literal', () => {
    // Found by fuzzing: `has score 1797…0.5` (309 digits) parsed as Infinity and printed as `Infinity`.
    const huge = `2${'0'.repeat(308)}.5`; // 2e308
    syntaxError(`match $x has score ${huge}; get;`, 1, 20, /the double 20{19}… \(311 characters\) is too large for a 64-bit double/);
    syntaxError(`match $x has score -${huge}; get;`, 1, 21, /the double -20{19}… \(311 characters\) is too large/);
    syntaxError(`match ?v = 2 * ${huge}; get;`, 1, 16, /too large for a 64-bit double/);
    const largest = `${'9'.repeat(308)}.0`; // 1e308 rounds to a finite double
    assert.equal(parseQuery(printQuery(parseQuery(`match $x has score ${largest}; get;`))).kind, 'get');
  });

  it('datetimes in every form, zone-free', () => {
    assert.deepEqual(literalOf('2020-01-01'), { kind: 'datetime', value: Date.UTC(2020, 0, 1) });
    assert.deepEqual(literalOf('2020-01-01T10:15'), { kind: 'datetime', value: Date.UTC(2020, 0, 1, 10, 15) });
    assert.deepEqual(literalOf('2020-01-01T10:15:30'), { kind: 'datetime', value: Date.UTC(2020, 0, 1, 10, 15, 30) });
    assert.deepEqual(literalOf('2020-01-01T10:15:30.5'), {
      kind: 'datetime',
      value: Date.UTC(2020, 0, 1, 10, 15, 30, 500),
    });
    assert.deepEqual(literalOf('2020-01-01T10:15:30.123'), {
      kind: 'datetime',
      value: Date.UTC(2020, 0, 1, 10, 15, 30, 123),
    });
    const year12345 = new Date(0);
    year12345.setUTCFullYear(12345, 5, 7);
    assert.deepEqual(literalOf('+12345-06-07'), { kind: 'datetime', value: year12345.getTime() });
  });

  it('rejects impossible dates and times', () => {
    assert.throws(() => literalOf('2021-02-29'), /invalid date-time 2021-02-29/);
    assert.throws(() => literalOf('2021-01-01T24:00'), /invalid date-time/);
  });

  it('says so when a real date lies beyond the datetimes Strata can store, instead of calling it invalid', () => {
    for (const text of ['+999999-01-01', '-999999-12-31T23:59', '+275760-09-14', '+275764-02-29', '-271821-04-19']) {
      assert.throws(() => literalOf(text), (e: Error) => e.message.includes(`the date-time ${text} is beyond the range Strata stores`), text);
    }
    assert.throws(() => literalOf('+275761-02-30'), /invalid date-time \+275761-02-30/);
    assert.equal(literalOf('+275760-09-13').kind, 'datetime');
    assert.equal(literalOf('-271821-04-20').kind, 'datetime');
  });

  it("refuses the year signs Java's strict ISO date parser refuses", () => {
    assert.throws(() => literalOf('+2020-01-01'), /invalid date-time \+2020-01-01/);
    assert.throws(() => literalOf('-0000-01-01'), /invalid date-time -0000-01-01/);
    const yearMinus1 = new Date(0);
    yearMinus1.setUTCFullYear(-1, 0, 1);
    assert.deepEqual(literalOf('-0001-01-01'), { kind: 'datetime', value: yearMinus1.getTime() });
  });

  it('a date the grammar does not lex is a subtraction', () => {
    assert.deepEqual(assignment('?v = 2020-20-01'), bin('-', bin('-', lit(long(2020n)), lit(long(20n))), lit(long(1n))));
  });
});

describe('parser: patterns', () => {
  it('conjunction, disjunction with three branches, negation', () => {
    const patterns = parsePatterns('{ $x isa a; $x has n 1; }; { $x isa a; } or { $x isa b; } or { $x isa c; }; not { $x is $y; };');
    const kinds = patterns.map((p: Pattern) => p.kind);
    assert.deepEqual(kinds, ['conjunction', 'disjunction', 'negation']);
    const disjunction = patterns[1];
    assert.equal(disjunction?.kind === 'disjunction' && disjunction.branches.length, 3);
  });

  it('rejects an empty block', () => {
    syntaxError('match { }; get;', 1, 9, /unexpected '}', expected a pattern/);
  });
});

describe('parser: queries', () => {
  it('match-get with filter and modifiers', () => {
    assert.deepEqual(parseQuery('match $x isa person, has age $a; get $x, $a; sort $a desc, $x; offset 2; limit 10;'), {
      kind: 'get',
      match: [
        {
          kind: 'thing-statement',
          variable: cv('x'),
          isa: { type: label('person'), explicit: false },
          has: [{ attributeType: { name: 'age' }, value: cv('a') }],
        },
      ],
      filter: [cv('x'), cv('a')],
      modifiers: { sort: [{ variable: cv('a'), order: 'desc' }, { variable: cv('x') }], offset: 2, limit: 10 },
    });
  });

  it('get; and match without get both mean an empty filter', () => {
    const withGet = parseQuery('match $x isa person; get;') as GetQuery;
    const without = parseQuery('match $x isa person;') as GetQuery;
    assert.deepEqual(withGet, without);
    assert.deepEqual(withGet.filter, []);
    assert.deepEqual((parseQuery('match $x isa person; limit 3;') as GetQuery).modifiers, { limit: 3 });
  });

  it('aggregates, groups and group aggregates', () => {
    assert.deepEqual(parseQuery('match $x isa person; get; count;'), {
      kind: 'get-aggregate',
      get: { kind: 'get', match: parsePatterns('$x isa person;'), filter: [], modifiers: {} },
      method: 'count',
    });
    const sum = parseQuery('match $x has age $a; get $a; sum $a;');
    assert.equal(sum.kind, 'get-aggregate');
    assert.deepEqual(sum.kind === 'get-aggregate' && sum.variable, cv('a'));
    const group = parseQuery('match $x has age ?a; get $x, ?a; group ?a;');
    assert.deepEqual(group.kind === 'get-group' && group.group, vv('a'));
    const groupAgg = parseQuery('match $x has age $a; get; sort $a; group $x; max $a;');
    assert.equal(groupAgg.kind, 'get-group-aggregate');
    assert.equal(groupAgg.kind === 'get-group-aggregate' && groupAgg.method, 'max');
    assert.deepEqual(groupAgg.kind === 'get-group-aggregate' && groupAgg.get.modifiers, { sort: [{ variable: cv('a') }] });
  });

  it('insert, match-insert, delete and update with modifiers', () => {
    assert.equal(parseQuery('insert $x isa person;').kind, 'insert');
    const mi = parseQuery('match $x isa person; insert $x has name "a"; limit 1;');
    assert.deepEqual(mi.kind === 'insert' && mi.modifiers, { limit: 1 });
    assert.ok(mi.kind === 'insert' && mi.match);
    const del = parseQuery('match $x isa person; delete $x isa person; sort $x; limit 2;');
    assert.deepEqual(del.kind === 'delete' && del.modifiers, { sort: [{ variable: cv('x') }], limit: 2 });
    const up = parseQuery('match $x has name $n; delete $x has $n; insert $x has name "b"; offset 1;');
    assert.equal(up.kind, 'update');
    assert.deepEqual(up.kind === 'update' && up.modifiers, { offset: 1 });
  });

  it('insert and delete take thing statements only', () => {
    syntaxError('match $x isa person; delete $x sub entity;', 1, 32, /unexpected 'sub'/);
  });

  it('define and undefine with rules', () => {
    const define = parseQuery(
      'define rule r: when { $x isa person; not { $x has name "a"; }; } then { $x has name "b"; }; rule sub entity;',
    );
    assert.equal(define.kind, 'define');
    const [rule, type] = define.kind === 'define' ? define.definables : [];
    assert.equal(rule?.kind, 'rule');
    assert.equal(rule?.kind === 'rule' && rule.when?.length, 2);
    assert.equal(rule?.kind === 'rule' && rule.then?.has.length, 1);
    assert.deepEqual(type, {
      kind: 'type-statement',
      subject: label('rule'),
      constraints: [{ kind: 'sub', explicit: false, type: label('entity') }],
    });
    assert.deepEqual(parseQuery('undefine rule r; person owns name @key;'), {
      kind: 'undefine',
      definables: [
        { kind: 'rule', label: 'r' },
        {
          kind: 'type-statement',
          subject: label('person'),
          constraints: [{ kind: 'owns', attribute: label('name'), annotations: ['key'] }],
        },
      ],
    });
  });

  it('fetch with every projection form', () => {
    const q = parseQuery(`
      match $p isa person;
      fetch
        $p;
        $p as person;
        $p as "a person": name, age as "her age", nick as n;
        ?v;
        "employers": { match ($p, $c) isa employment; fetch $c: name; limit 1; };
        "count": { match $p has age $a; get $a; mean $a; };
      sort $p;
      limit 5;
    `) as FetchQuery;
    assert.equal(q.kind, 'fetch');
    assert.deepEqual(q.projections.slice(0, 4), [
      { kind: 'variable', variable: cv('p') },
      { kind: 'variable', variable: cv('p'), as: 'person' },
      {
        kind: 'variable',
        variable: cv('p'),
        as: 'a person',
        attributes: [{ type: { name: 'name' } }, { type: { name: 'age' }, as: 'her age' }, { type: { name: 'nick' }, as: 'n' }],
      },
      { kind: 'variable', variable: vv('v') },
    ]);
    const [employers, count] = q.projections.slice(4);
    assert.equal(employers?.kind === 'subquery' && employers.key, 'employers');
    assert.equal(employers?.kind === 'subquery' && employers.query.kind, 'fetch');
    assert.equal(count?.kind === 'subquery' && count.key, 'count');
    assert.equal(count?.kind === 'subquery' && count.query.kind, 'get-aggregate');
    assert.deepEqual(q.modifiers, { sort: [{ variable: cv('p') }], limit: 5 });
  });

  it('a bare fetch key is a label that is no keyword, not even an unreserved one', () => {
    syntaxError('match $p isa person; fetch $p as count;', 1, 34, /unexpected 'count', expected a label that is no keyword/);
    syntaxError('match $p isa person; fetch $p: name as thing;', 1, 40, /unexpected 'thing'/);
    syntaxError('match $p isa person; fetch value: { match $p has age $a; get; count; };', 1, 28, /unexpected 'value'/);
    const q = parseQuery('match $p isa person; fetch $p: count as "count";') as FetchQuery;
    assert.deepEqual(q.projections, [{ kind: 'variable', variable: cv('p'), attributes: [{ type: { name: 'count' }, as: 'count' }] }]);
  });

  it('parseQueries reads a script; parseQuery wants exactly one', () => {
    const script = 'define person sub entity;\n# comment\ninsert $x isa person;\nmatch $x isa person; get;';
    assert.deepEqual(
      parseQueries(script).map((q) => q.kind),
      ['define', 'insert', 'get'],
    );
    // As TypeQL's `query+ EOF`: blank text holds no query, text of only comments is a syntax error at its end.
    assert.deepEqual(parseQueries('  \n\t\n'), []);
    assert.throws(
      () => parseQueries('  # nothing\n\n'),
      (e: unknown) => e instanceof TypeQLSyntaxError && e.line === 1 && e.column === 12 && /expected a query/.test(e.message),
    );
    syntaxError('define person sub entity; insert $x isa person;', 1, 27, /unexpected 'insert', expected the end of the query/);
    syntaxError('', 1, 1, /unexpected end of input, expected a query/);
  });
});

describe('parser: error positions', () => {
  it('nesting beyond 500 blocks or parentheses is a syntax error at the 501st, not a stack overflow', () => {
    const tooDeep = /nested more than 500 levels deep/;
    const nots = (depth: number) => `match $x isa person; ${'not { $x has name "b"; '.repeat(depth)}$x has name "c"; ${'}; '.repeat(depth)}get;`;
    assert.doesNotThrow(() => parseQuery(nots(500)));
    syntaxError(nots(20_000), 1, 21 + 500 * 23 + 7, tooDeep);
    const parens = (depth: number) => `match ?v = ${'('.repeat(depth)}1${')'.repeat(depth)}; get;`;
    assert.doesNotThrow(() => parseQuery(parens(500)));
    syntaxError(parens(20_000), 1, 12 + 500 + 1, tooDeep);
    syntaxError(`match ?v = ${'round('.repeat(20_000)}1${')'.repeat(20_000)}; get;`, 1, 12 + 501 * 6, tooDeep);
  });

  it('fetch subqueries and chains of operators count against the same 500 levels: a syntax error, not a stack overflow', () => {
    const tooDeep = /nested more than 500 levels deep/;
    // Each subquery is parsed by recursion; found by fuzzing (RangeError from about 2 000 levels).
    const head = 'match $x isa person, has age $a; fetch ';
    const level = '"k": { match $x isa person, has age $a; fetch ';
    const fetches = (depth: number) => `${head}${level.repeat(depth)}$a;${' };'.repeat(depth)}`;
    assert.equal(printQuery(parseQuery(fetches(500))), printQuery(parseQuery(printQuery(parseQuery(fetches(500))))));
    syntaxError(fetches(20_000), 1, head.length + 500 * level.length + level.indexOf('match') + 1, tooDeep);
    // A chain of `+` is built by a loop but is a tree as deep as it is long, which the printer and the engine walk
    // by recursion (found by fuzzing: 10 000 terms overflowed the printer's stack); `^` chains recurse in the parser.
    const chain = (op: string, terms: number) => `match ?v = ${Array.from({ length: terms }, () => '1').join(` ${op} `)}; get;`;
    for (const op of ['+', '*', '^']) assert.doesNotThrow(() => printQuery(parseQuery(chain(op, 501))));
    syntaxError(chain('+', 20_000), 1, 'match ?v = '.length + 500 * 4 + 3, tooDeep); // at the 501st `+`
    syntaxError(chain('^', 20_000), 1, 'match ?v = '.length + 501 * 4 + 1, tooDeep); // at the operand after the 501st `^`
    // Nesting and chaining add up: 300 parentheses around a 201-operator chain are 501 levels.
    syntaxError(`match ?v = ${'('.repeat(300)}${chain('+', 202).slice('match ?v = '.length, -'; get;'.length)}${')'.repeat(300)}; get;`, 1, 11 + 300 + 200 * 4 + 3, tooDeep);
  });

  it('names line, column and token, with the source line and a pointer', () => {
    try {
      parseQuery('match\n  $x isa person\n  get;');
      assert.fail('should throw');
    } catch (e) {
      assert.ok(e instanceof TypeQLSyntaxError);
      assert.equal(e.line, 3);
      assert.equal(e.column, 3);
      assert.equal(e.code, 'TQL03');
      assert.equal(
        e.message,
        // TypeQL 2.x's layout: the line, a caret under the column, then what is wrong.
        "[TQL03] TypeQL Error: There is a syntax error at line 3:\n  get;\n  ^\nunexpected 'get', expected ';'",
      );
    }
  });

  it('reports a missing semicolon at the end of input', () => {
    syntaxError('insert $x isa person', 1, 21, /unexpected end of input, expected ';'/);
  });

  it('reports an unknown value type and annotation', () => {
    syntaxError('define colour sub attribute, value rgba;', 1, 36, /unexpected 'rgba', expected a value type/);
    syntaxError('define p owns n @card;', 1, 17, /unknown annotation '@card'/);
  });

  it("reports a missing ';' after an aggregate where it is missing, not as the start of another query", () => {
    syntaxError('match $x isa t; get; count', 1, 27, /unexpected end of input, expected ';'/);
    syntaxError('match $x isa t, has n $n; get; sum $n\nmatch $y isa t; get;', 2, 1, /unexpected 'match', expected ';'/);
    syntaxError('match $x isa t; get; group $x; count', 1, 37, /unexpected end of input, expected ';'/);
  });

  it('reports a datetime more precise than a millisecond at its fourth fractional digit', () => {
    syntaxError('match $x has d 2020-01-01T10:00:00.1234; get;', 1, 39, /a datetime is precise to the millisecond/);
  });

  it('reports a missing get variable list separator', () => {
    syntaxError('match $x isa t; get $x $y;', 1, 24, /unexpected '\$y', expected ';'/);
  });

  it('reports misplaced modifiers', () => {
    syntaxError('match $x isa t; get; limit 1; offset 1;', 1, 31, /unexpected 'offset': the modifiers come in the order sort, offset, limit/);
    syntaxError('match $x isa t; get; limit 1; sort $x;', 1, 31, /unexpected 'sort': the modifiers come in the order sort, offset, limit/);
  });

  // TypeQL 2.x's grammar has `offset LONG_` and `limit LONG_`, LONG_ being unsigned digits: a sign is the syntax
  // error, so the caret goes under it, not under the keyword before it.
  it('reports a negative or missing offset and limit at the number, not at the keyword', () => {
    syntaxError('match $x isa t; get; offset -1;', 1, 29, /unexpected '-', expected a non-negative integer \(the number of answers to skip\)/);
    syntaxError('match $x isa t; get; limit -1;', 1, 28, /unexpected '-', expected a non-negative integer \(the number of answers to return\)/);
    syntaxError('match $x isa t; fetch $x; offset 1; limit +2;', 1, 43, /unexpected '\+', expected a non-negative integer/);
    syntaxError('match $x isa t; delete $x isa t; limit 1.5;', 1, 40, /unexpected '1\.5', expected a non-negative integer/);
    syntaxError('match $x isa t; get; offset;', 1, 28, /unexpected ';', expected a non-negative integer/);
    syntaxError('match $x isa t; get; sort 1;', 1, 27, /unexpected '1', expected a variable/);
  });
});
