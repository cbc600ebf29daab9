// The mutators of the TypeQL fuzz campaign (bench/fuzz-typeql.ts): each turns a well-formed seed query into bad
// input of one kind. Token-level ones cut the seed at the lexer's token offsets, so they break the text where a user
// would (a dropped `;`, a swapped word); semantic ones keep the syntax and change meaning (an unknown label, a role
// of another relation, a value of the wrong type, an aggregate over a thing). Generators build pathological input
// (deep nesting, long chains) that no seed holds. All are deterministic for a given random source.

import { tokenize, type Token } from '../src/typeql/lexer.js';

export type Random = () => number;

export interface Mutant {
  readonly kind: string;
  readonly text: string;
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** The seed's tokens without the end marker, or none if the seed does not lex. */
function tokensOf(text: string): Token[] {
  try {
    return tokenize(text).filter((t) => t.kind !== 'eof');
  } catch {
    return [];
  }
}

function splice(text: string, token: Token, replacement: string): string {
  return text.slice(0, token.offset) + replacement + text.slice(token.offset + token.text.length);
}

const KEYWORDS = [
  'match', 'define', 'undefine', 'insert', 'delete', 'fetch', 'get', 'sub', 'sub!', 'isa', 'isa!', 'has', 'owns',
  'plays', 'relates', 'as', 'abstract', 'value', 'regex', 'rule', 'when', 'then', 'not', 'or', 'is', 'like',
  'contains', 'sort', 'limit', 'offset', 'group', 'count', 'sum', 'max', 'mean', 'std', 'iid', 'type', 'long',
  'string', 'datetime', 'true', 'thing', 'entity', 'relation', 'attribute', 'role', 'asc', 'desc', 'floor', 'round',
];

const ODD_LONGS = [
  '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809',
  '99999999999999999999999999999999', '0', '-0', '007', '1.7976931348623157e308', '1e400', '0.0000000000000000000001',
  '179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000.5',
  '99999-01-01', '-99999-01-01', '2020-13-45', '2020-02-30T25:61:61.9999', '0000-01-01', '+275760-09-13T00:00:00.001',
  '0x', '0xffffffffffffffffffffffffffffffffffffffffffffffff', '0x0', 'NaN', 'Infinity', '-1', '1.5',
];

const ODD_STRINGS = [
  '""', "''", '"\\"', '"\\\\"', '"a\\"b"', '"\\u0000"', '"\\uD800"', '"\u0000"', '"\ud800"', '"💥🐛"', '"\u202e\u200b"',
  '"a\nb"', '"\r\n"', `"${'x'.repeat(100_000)}"`, '"\\x00\\q\\0"', '"(*"', '"["', '"\\/"', '"ä̀"',
];

const ODD_INSERTS = ['\u0000', '\ud800', '"', "'", '\\', '$', '?', '@', '#', '{', '}', ';', ',', '💥', '\u00a0', '\ufeff', '\r', '`', '0x'];

/** Adds up to `count` mutants of a kind to `out`: each text `make` gives that is not the seed itself. */
function collector(seed: string, count: number, out: Mutant[]): (kind: string, make: () => string | undefined) => void {
  return (kind, make) => {
    for (let i = 0; i < count; i++) {
      const text = make();
      if (text !== undefined && text !== seed) out.push({ kind, text });
    }
  };
}

/** Token-level mutants of the seed, up to `count` of each kind. */
export function tokenMutants(seed: string, random: Random, count: number): Mutant[] {
  const tokens = tokensOf(seed);
  if (tokens.length === 0) return [];
  const out: Mutant[] = [];
  const some = collector(seed, count, out);
  const any = (): Token => pick(random, tokens);
  const ofKind = (test: (t: Token) => boolean): Token | undefined => {
    const matching = tokens.filter(test);
    return matching.length === 0 ? undefined : pick(random, matching);
  };
  some('delete-token', () => splice(seed, any(), ''));
  some('duplicate-token', () => {
    const t = any();
    return splice(seed, t, `${t.text} ${t.text}`);
  });
  some('swap-tokens', () => {
    const i = Math.floor(random() * (tokens.length - 1));
    const [a, b] = [tokens[i]!, tokens[i + 1]];
    if (!b) return undefined;
    return seed.slice(0, a.offset) + b.text + seed.slice(a.offset + a.text.length, b.offset) + a.text + seed.slice(b.offset + b.text.length);
  });
  some('replace-keyword', () => {
    const t = ofKind((t) => t.kind === 'word');
    return t && splice(seed, t, pick(random, KEYWORDS));
  });
  some('variable-kind', () => {
    const t = ofKind((t) => t.kind === 'concept-var' || t.kind === 'value-var');
    return t && splice(seed, t, (t.kind === 'concept-var' ? '?' : '$') + t.text.slice(1));
  });
  some('drop-punctuation', () => {
    const t = ofKind((t) => t.kind === 'symbol' && ';{}(),:'.includes(t.value));
    return t && splice(seed, t, '');
  });
  some('unbalanced-quote', () => {
    const t = ofKind((t) => t.kind === 'string');
    if (t && random() < 0.5) return splice(seed, t, t.text.slice(0, -1));
    const at = Math.floor(random() * seed.length);
    return seed.slice(0, at) + pick(random, ['"', "'"]) + seed.slice(at);
  });
  some('odd-number', () => {
    const t = ofKind((t) => t.kind === 'long' || t.kind === 'double' || t.kind === 'datetime' || t.kind === 'iid');
    return t && splice(seed, t, pick(random, ODD_LONGS));
  });
  some('odd-string', () => {
    const t = ofKind((t) => t.kind === 'string');
    return t && splice(seed, t, pick(random, ODD_STRINGS));
  });
  some('odd-character', () => {
    const at = Math.floor(random() * (seed.length + 1));
    return seed.slice(0, at) + pick(random, ODD_INSERTS) + seed.slice(at);
  });
  some('truncate', () => seed.slice(0, Math.floor(random() * seed.length)));
  return out;
}

/** Labels a seed uses (types, roles, attribute types), for the semantic mutators to mix. */
export function labelsOf(seed: string): string[] {
  return tokensOf(seed)
    .filter((t) => t.kind === 'word' || t.kind === 'scoped-label')
    .map((t) => t.text)
    .filter((w) => !KEYWORDS.includes(w));
}

const VALUE_LITERALS = ['1', '-1', '2.5', '"text"', 'true', '2020-01-01', '2020-01-01T10:00:00', "''"];
const AGGREGATES = ['count', 'sum', 'max', 'min', 'mean', 'median', 'std'];

/** Semantic mutants: same syntax, wrong meaning. `labels` are labels seen in the seed's scenario. */
export function semanticMutants(seed: string, labels: readonly string[], random: Random, count: number): Mutant[] {
  const tokens = tokensOf(seed);
  if (tokens.length === 0) return [];
  const out: Mutant[] = [];
  const some = collector(seed, count, out);
  const ofKind = (test: (t: Token) => boolean): Token | undefined => {
    const matching = tokens.filter(test);
    return matching.length === 0 ? undefined : pick(random, matching);
  };
  const isLabel = (t: Token): boolean => (t.kind === 'word' && !KEYWORDS.includes(t.text)) || t.kind === 'scoped-label';
  const variables = [...new Set(tokens.filter((t) => t.kind === 'concept-var' || t.kind === 'value-var').map((t) => t.text))];
  const body = seed.trimEnd();
  const isMatch = tokens[0]?.text === 'match';
  const matchPart = (() => {
    const rest = body.replace(/get[^;]*;$/, '').trimEnd();
    return rest.endsWith(';') ? rest : `${rest};`;
  })();
  const hasModifiers = tokens.some((t) => ['sort', 'limit', 'offset', 'group', 'count', 'sum', 'fetch'].includes(t.text));

  some('unknown-label', () => {
    const t = ofKind(isLabel);
    return t && splice(seed, t, t.kind === 'scoped-label' ? `${t.text.split(':')[0]}:nosuchrole` : pick(random, ['nosuchtype', 'Person', 'thing2']));
  });
  some('swapped-label', () => {
    const t = ofKind(isLabel);
    return t && labels.length > 0 ? splice(seed, t, pick(random, labels)) : undefined;
  });
  some('value-mismatch', () => {
    const t = ofKind((t) => ['long', 'double', 'string', 'datetime'].includes(t.kind) || t.text === 'true' || t.text === 'false');
    return t && splice(seed, t, pick(random, VALUE_LITERALS));
  });
  some('unknown-variable', () => {
    const t = ofKind((t) => t.kind === 'concept-var' || t.kind === 'value-var');
    return t && splice(seed, t, `${t.text[0]}nosuchvar`);
  });
  if (isMatch && !hasModifiers && variables.length > 0) {
    // Aggregates, fetches and modifiers over whatever the seed binds: things, types, values, unbound names.
    some('aggregate', () => {
      const method = pick(random, AGGREGATES);
      const target = random() < 0.2 ? '$nosuchvar' : pick(random, variables);
      return `${matchPart} get; ${method}${method === 'count' && random() < 0.7 ? '' : ` ${target}`};`;
    });
    some('group', () => `${matchPart} get; group ${pick(random, variables)}; ${pick(random, AGGREGATES)} ${pick(random, variables)};`);
    some('fetch', () => {
      const v = pick(random, variables);
      const projection = pick(random, [
        `${v};`,
        `${v}: ${labels.length ? pick(random, labels) : 'name'};`,
        `${v} as "k": attribute;`,
        `"sub": { match ${v} has $a; fetch $a; };`,
        `"agg": { match ${v} has $a; get $a; ${pick(random, AGGREGATES)} $a; };`,
      ]);
      return `${matchPart} fetch ${projection}`;
    });
    some('modifiers', () => {
      const edge = () => pick(random, ['0', '1', '-1', '9223372036854775807', '9223372036854775808', '99999999999999999999', '1.5']);
      const parts = [
        random() < 0.6 ? `sort ${pick(random, variables)}${pick(random, ['', ' asc', ' desc'])};` : '',
        random() < 0.6 ? `offset ${edge()};` : '',
        random() < 0.6 ? `limit ${edge()};` : '',
      ];
      return `${matchPart} get; ${parts.join(' ')}`;
    });
  }
  return out;
}

/** Schema mutants: definitions that are cyclic, abstract where they must not be, overriding what is not there. */
export function schemaMutants(labels: readonly string[], random: Random, count: number): Mutant[] {
  const types = labels.filter((l) => !l.includes(':'));
  const roles = labels.filter((l) => l.includes(':'));
  if (types.length === 0) return [];
  const t = () => pick(random, types);
  const r = () => (roles.length ? pick(random, roles) : `${t()}:${t()}`);
  const templates: (() => string)[] = [
    () => `define ${t()} sub ${t()};`,
    () => { const [a, b] = [t(), t()]; return `define ${a} sub ${b}; ${b} sub ${a};`; },
    () => { const a = t(); return `define ${a} sub ${a};`; },
    () => `define ${t()} abstract;`,
    () => `define ${t()} owns ${t()} as ${t()};`,
    () => `define ${t()} plays ${r()} as ${r().split(':')[1]};`,
    () => `define ${t()} relates ${r().split(':')[1]} as ${t()};`,
    () => `define ${t()} owns ${t()} @key; ${t()} owns ${t()} @unique;`,
    () => `define ${t()} value ${pick(random, ['long', 'string', 'double', 'boolean', 'datetime'])};`,
    () => `define ${t()} regex "${pick(random, ['[', '(', '\\\\', '.*', 'a{2,1}'])}";`,
    () => `define rule fuzz-rule: when { $x isa ${t()}; } then { $x has ${t()} $x; };`,
    () => `define rule fuzz-rule: when { } then { $x isa ${t()}; };`,
    () => `define rule fuzz-rule: when { $x isa ${t()}; not { $x isa ${t()}; }; } then { (${r().split(':')[1]}: $x) isa ${t()}; };`,
    () => `define rule fuzz-rule: when { $x isa ${t()}; ?v = 1 + 1; } then { $x has ${t()} ?v; };`,
    () => `define rule fuzz-rule: when { { $x isa ${t()}; } or { $y isa ${t()}; }; } then { $x has ${t()} 1; };`,
    () => `define rule fuzz-rule: when { $x isa ${t()}; } then { $x has ${t()} 1; }; rule fuzz-rule: when { $x isa ${t()}; } then { $x has ${t()} 2; };`,
    () => `undefine ${t()} sub ${t()};`,
    () => `undefine ${t()} abstract;`,
    () => `undefine ${t()} owns ${t()};`,
    () => `undefine ${t()} plays ${r()};`,
    () => `undefine ${t()} relates ${r().split(':')[1]};`,
    () => `undefine rule ${t()};`,
    () => `undefine ${t()} sub thing;`,
    () => `define ${pick(random, ['thing', 'entity', 'relation', 'attribute', 'role'])} sub ${t()};`,
    () => `undefine ${pick(random, ['thing', 'entity', 'relation', 'attribute', 'role'])} sub thing;`,
  ];
  const out: Mutant[] = [];
  for (let i = 0; i < count; i++) out.push({ kind: 'schema', text: pick(random, templates)() });
  return out;
}

/** Input no seed holds: nesting and chains far past what the parser accepts, and very long flat queries. */
export function pathologicalQueries(): Mutant[] {
  const deep = (n: number, open: string, close: string, inner: string) => open.repeat(n) + inner + close.repeat(n);
  const out: Mutant[] = [];
  for (const n of [100, 499, 500, 501, 10_000, 100_000]) {
    out.push({ kind: 'nest-blocks', text: `match ${deep(n, '{ ', ' };', '$x isa thing;')}` });
    out.push({ kind: 'nest-not', text: `match $x isa thing; ${deep(n, 'not { ', ' };', '$x isa entity;')}` });
    out.push({ kind: 'nest-or', text: `match ${deep(n, '{ $x isa entity; } or { ', ' };', '$x isa relation;')}` });
    out.push({ kind: 'nest-parens', text: `match ?v = ${deep(n, '(', ')', '1')};` });
    out.push({ kind: 'nest-calls', text: `match ?v = ${deep(n, 'abs(', ')', '1')};` });
    out.push({ kind: 'nest-fetch', text: `match $x isa thing; fetch ${deep(n, '"k": { match $x isa thing; fetch ', ' };', '$x;')}` });
    out.push({ kind: 'nest-unclosed', text: `match ${'{ '.repeat(n)}$x isa thing;` });
    out.push({ kind: 'chain-or', text: `match ${Array.from({ length: n }, (_, i) => `{ $x has age ${i}; }`).join(' or ')};` });
    out.push({ kind: 'chain-arithmetic', text: `match ?v = ${Array.from({ length: n }, () => '1').join(' + ')};` });
    out.push({ kind: 'chain-arithmetic', text: `match ?v = ${Array.from({ length: n }, (_, i) => `${i + 1}`).join(' ^ ')};` });
    out.push({ kind: 'chain-conjunction', text: `match ${Array.from({ length: n }, (_, i) => `$x${i} isa thing;`).join(' ')}` });
    out.push({ kind: 'chain-has', text: `match $x isa thing${Array.from({ length: n }, (_, i) => `, has attribute ${i}`).join('')};` });
    out.push({ kind: 'chain-insert', text: `insert $x isa thing${Array.from({ length: n }, (_, i) => `, has attribute ${i}`).join('')};` });
    out.push({ kind: 'chain-define', text: `define ${Array.from({ length: n }, (_, i) => `t${i} sub ${i === 0 ? 'entity' : `t${i - 1}`};`).join(' ')}` });
    out.push({ kind: 'chain-players', text: `match (${Array.from({ length: n }, (_, i) => `$p${i}`).join(', ')}) isa relation;` });
    out.push({ kind: 'chain-is', text: `match $x0 isa thing; ${Array.from({ length: n }, (_, i) => `$x${i} is $x${i + 1};`).join(' ')}` });
  }
  out.push({ kind: 'huge-text', text: `match $x isa thing, has attribute "${'a'.repeat(10_000_000)}";` });
  out.push({ kind: 'huge-text', text: `match $x isa ${'a'.repeat(1_000_000)};` });
  out.push({ kind: 'huge-text', text: `${'#'.repeat(1_000_000)}\nmatch $x isa thing;` });
  out.push({ kind: 'empty', text: '' });
  out.push({ kind: 'empty', text: '   \n\t ' });
  out.push({ kind: 'empty', text: '# only a comment' });
  out.push({ kind: 'empty', text: ';' });
  out.push({ kind: 'empty', text: '\u0000' });
  out.push({ kind: 'empty', text: '\ufeffmatch $x isa thing;' });
  return out;
}
