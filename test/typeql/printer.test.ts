import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import {
  parseQuery,
  printExpression,
  printLiteral,
  printPattern,
  printQuery,
  printRule,
  type Expression,
  type GetQuery,
  type Literal,
  type Query,
  type ValueStatement,
} from '../../src/typeql/index.js';
import { repositoryRoot } from './feature-queries.js';

const num = (value: number): Expression => ({ kind: 'literal', value: { kind: 'long', value: BigInt(value) } });
const bin = (op: '+' | '-' | '*' | '/' | '%' | '^', left: Expression, right: Expression): Expression => ({
  kind: 'binary',
  op,
  left,
  right,
});

function roundTrip(query: Query): void {
  assert.deepStrictEqual(parseQuery(printQuery(query)), query);
}

describe('printer: layout', () => {
  it('prints a schema as TypeDB 2.28 does', () => {
    const text = [
      'define',
      'email sub attribute,',
      '    value string,',
      '    regex "^.*@.*$";',
      'friendship sub relation,',
      '    owns since,',
      '    relates friend;',
      'person sub entity,',
      '    owns email @key,',
      '    owns name,',
      '    plays friendship:friend;',
      'employee sub person,',
      '    abstract;',
      'repo-dependency-direct sub repo-dependency;',
      'rule r: when {',
      '    $x isa person,',
      '        has name $n;',
      '} then {',
      '    $x has email "a@b";',
      '};',
    ].join('\n');
    assert.equal(printQuery(parseQuery(text)), text);
  });

  it("reproduces TypeDB 2.29.1's own schema export byte for byte", () => {
    const path = resolve(repositoryRoot(), '../shared/vectors/typedb-2.29.1-migrator/schema.tql');
    const text = readFileSync(path, 'utf8');
    const schema = text.slice(text.indexOf('define')).trimEnd();
    assert.equal(printQuery(parseQuery(text)), schema);
  });

  it('prints match-get with clauses on their own lines and statements indented', () => {
    const q = parseQuery(
      'match $x isa person, has name $n; { $n == "a"; } or { $n == "b"; }; not { $x has age 5; }; get $x, $n; sort $n asc; offset 1; limit 2;',
    );
    assert.equal(
      printQuery(q),
      [
        'match',
        '    $x isa person,',
        '        has name $n;',
        '    {',
        '        $n "a";',
        '    } or {',
        '        $n "b";',
        '    };',
        '    not { $x has age 5; };',
        'get $x, $n;',
        'sort $n asc;',
        'offset 1;',
        'limit 2;',
      ].join('\n'),
    );
  });

  it('prints aggregates, groups, updates', () => {
    assert.equal(printQuery(parseQuery('match $x has age $a; get; group $x; sum $a;')), 'match\n    $x has age $a;\nget;\ngroup $x;\nsum $a;');
    assert.equal(
      printQuery(parseQuery('match $x has name $n; delete $x has $n; insert $x has name "b"; limit 1;')),
      'match\n    $x has name $n;\ndelete\n    $x has $n;\ninsert\n    $x has name "b";\nlimit 1;',
    );
    assert.equal(printQuery(parseQuery('insert (a: $x, $y) isa r; $x 5 isa n;')), 'insert\n    (a: $x, $y) isa r;\n    $x 5 isa n;');
  });

  it('prints fetch projections and nested subqueries', () => {
    const q = parseQuery(
      'match $p isa person; fetch $p as "a person": name, age as "her age"; employers: { match ($p, $c) isa employment; fetch $c as company: name; limit 1; }; "the count": { match $p has age $a; get $a; count; }; limit 5;',
    );
    assert.equal(
      printQuery(q),
      [
        'match',
        '    $p isa person;',
        'fetch',
        '    $p as "a person": name, age as "her age";',
        '    employers: {',
        '        match',
        '            ($p, $c) isa employment;',
        '        fetch',
        '            $c as company: name;',
        '        limit 1;',
        '    };',
        '    "the count": {',
        '        match',
        '            $p has age $a;',
        '        get $a;',
        '        count;',
        '    };',
        'limit 5;',
      ].join('\n'),
    );
  });

  it('quotes fetch keys that are not plain labels', () => {
    const q = parseQuery('match $p isa person; fetch $p as "type"; $p as "x:y"; $p as "count"; $p as counts;');
    assert.match(printQuery(q), /\$p as "type";\n {4}\$p as "x:y";\n {4}\$p as "count";\n {4}\$p as counts;/);
    roundTrip(q);
  });

  it('prints a rule on its own and patterns with their indentation', () => {
    const q = parseQuery('define rule r: when { $x isa a; } then { (f: $x) isa b; };');
    assert.ok(q.kind === 'define' && q.definables[0]?.kind === 'rule');
    if (q.kind === 'define' && q.definables[0]?.kind === 'rule') {
      assert.equal(printRule(q.definables[0]), 'rule r: when {\n    $x isa a;\n} then {\n    (f: $x) isa b;\n}');
      assert.equal(printRule({ kind: 'rule', label: 'r' }), 'rule r');
    }
    const get = parseQuery('match not { $x isa a; $x has b 1; }; not { $x isa a, has b 1; }; not { $y isa c; }; get;');
    assert.ok(get.kind === 'get');
    if (get.kind === 'get') {
      assert.equal(printPattern(get.match[0]!, '  '), 'not {\n      $x isa a;\n      $x has b 1;\n  }');
      assert.equal(printPattern(get.match[1]!, '  '), 'not {\n      $x isa a,\n          has b 1;\n  }');
      assert.equal(printPattern(get.match[2]!, '  '), 'not { $y isa c; }');
    }
  });

  it('keeps newlines inside strings untouched by indentation', () => {
    const q = parseQuery('match $x has note "line1\n  line2"; get;');
    assert.equal(printQuery(q), 'match\n    $x has note "line1\n  line2";\nget;');
    roundTrip(q);
  });
});

describe('printer: literals', () => {
  const p = (literal: Literal) => printLiteral(literal);

  it('doubles always have a decimal point and never an exponent', () => {
    assert.equal(p({ kind: 'double', value: 2 }), '2.0');
    assert.equal(p({ kind: 'double', value: -17.9 }), '-17.9');
    assert.equal(p({ kind: 'double', value: -0 }), '-0.0');
    assert.equal(p({ kind: 'double', value: 1.5e25 }), '15000000000000000000000000.0');
    assert.equal(p({ kind: 'double', value: 1.5e-10 }), '0.00000000015');
    for (const value of [1e21, 1.2345e-7, 5e-324, Number.MAX_VALUE, 0.1 + 0.2, -123.456e30]) {
      assert.equal(Number(p({ kind: 'double', value })), value);
    }
  });

  it('longs in full', () => {
    assert.equal(p({ kind: 'long', value: -9223372036854775808n }), '-9223372036854775808');
  });

  it('strings in double quotes unless they hold a bare double quote', () => {
    assert.equal(p({ kind: 'string', value: 'plain' }), '"plain"');
    assert.equal(p({ kind: 'string', value: 'a\\"b' }), '"a\\"b"');
    assert.equal(p({ kind: 'string', value: 'it"s' }), `'it"s'`);
    assert.equal(p({ kind: 'string', value: `it's "x"` }), `"it's \\"x\\""`);
  });

  it("datetimes as Java's LocalDateTime prints them: seconds and milliseconds only when not zero", () => {
    assert.equal(p({ kind: 'datetime', value: Date.UTC(2020, 0, 1) }), '2020-01-01T00:00');
    assert.equal(p({ kind: 'datetime', value: Date.UTC(2020, 0, 1, 10, 11, 12) }), '2020-01-01T10:11:12');
    assert.equal(p({ kind: 'datetime', value: Date.UTC(2020, 0, 1, 10, 11, 0, 5) }), '2020-01-01T10:11:00.005');
    assert.equal(p({ kind: 'datetime', value: Date.UTC(2020, 0, 1, 13, 13, 13, 999) }), '2020-01-01T13:13:13.999');
    const year = (y: number) => {
      const d = new Date(0);
      d.setUTCFullYear(y, 0, 1);
      return d.getTime();
    };
    assert.equal(p({ kind: 'datetime', value: year(-5) }), '-0005-01-01T00:00');
    assert.equal(p({ kind: 'datetime', value: year(12345) }), '+12345-01-01T00:00');
  });

  it('booleans', () => {
    assert.equal(p({ kind: 'boolean', value: false }), 'false');
  });

  it('regexes escape / as TypeQL does', () => {
    const q = parseQuery('define a sub attribute, value string, regex "^a/b\\/c$";');
    assert.match(printQuery(q), /regex "\^a\\\/b\\\/c\$"/);
    roundTrip(q);
  });
});

describe('printer: expressions', () => {
  it('adds parentheses, as TypeQL prints them, where precedence or associativity needs them and none were written', () => {
    assert.equal(printExpression(bin('*', bin('+', num(1), num(2)), num(3))), '( 1 + 2 ) * 3');
    assert.equal(printExpression(bin('+', num(1), bin('*', num(2), num(3)))), '1 + 2 * 3');
    assert.equal(printExpression(bin('-', num(1), bin('-', num(2), num(3)))), '1 - ( 2 - 3 )');
    assert.equal(printExpression(bin('-', bin('-', num(1), num(2)), num(3))), '1 - 2 - 3');
    assert.equal(printExpression(bin('^', num(2), bin('^', num(3), num(4)))), '2 ^ 3 ^ 4');
    assert.equal(printExpression(bin('^', bin('^', num(2), num(3)), num(4))), '( 2 ^ 3 ) ^ 4');
    assert.equal(printExpression(bin('/', num(1), bin('*', num(2), num(3)))), '1 / ( 2 * 3 )');
    assert.equal(printExpression(bin('+', num(1), num(-2))), '1 + -2');
    assert.equal(
      printExpression({ kind: 'call', fn: 'max', args: [num(1), bin('+', num(2), num(3))] }),
      'max(1, 2 + 3)',
    );
  });

  it('round-trips every shape of a small expression tree', () => {
    const leaves = [num(1), num(-2), { kind: 'var', variable: { kind: 'value-var', name: 'v' } } as Expression];
    const ops = ['+', '-', '*', '/', '%', '^'] as const;
    const trees: Expression[] = [];
    for (const a of ops) for (const b of ops) {
      trees.push(bin(a, bin(b, leaves[0]!, leaves[1]!), leaves[2]!));
      trees.push(bin(a, leaves[2]!, bin(b, leaves[1]!, leaves[0]!)));
    }
    // The parentheses the printer adds come back as written ones: the same tree, and the same text again.
    const withoutParens = (e: Expression): Expression => {
      const { parens: _, ...rest } = e;
      if (rest.kind === 'binary') return { ...rest, left: withoutParens(rest.left), right: withoutParens(rest.right) };
      if (rest.kind === 'call') return { ...rest, args: rest.args.map(withoutParens) };
      return rest;
    };
    for (const tree of trees) {
      const query: Query = {
        kind: 'get',
        match: [{ kind: 'value-statement', variable: { kind: 'value-var', name: 'x' }, assignment: tree }],
        filter: [],
        modifiers: {},
      };
      const printed = printQuery(query);
      const reparsed = parseQuery(printed);
      assert.equal(printQuery(reparsed), printed);
      const statement = (reparsed as GetQuery).match[0] as ValueStatement;
      assert.deepStrictEqual(withoutParens(statement.assignment!), tree);
    }
  });

  it('prints the parentheses written, as TypeQL does (`( … )`), even where precedence does not need them', () => {
    for (const [written, printed] of [
      ['?v = ($a * 2) + 1', '?v = ( $a * 2 ) + 1'],
      ['?v = ($a + 1) * (2 - $b) / 3 ^ 2', '?v = ( $a + 1 ) * ( 2 - $b ) / 3 ^ 2'],
      ['?v = (($a))', '?v = ( ( $a ) )'],
      ['?v = max(($a), 2)', '?v = max(( $a ), 2)'],
      ['?v = 2 ^ (3 ^ 4)', '?v = 2 ^ ( 3 ^ 4 )'],
    ] as const) {
      const text = printQuery(parseQuery(`match $a isa n; $b isa n; ${written}; get;`));
      assert.ok(text.includes(`    ${printed};`), text);
      assert.equal(printQuery(parseQuery(text)), text);
    }
  });
});
