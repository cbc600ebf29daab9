// Matches generated at any size over a little data, as large generated queries make them (one statement per column
// of a row, long chains, wide disjunctions, many negations), for tests that count the work planning them takes or
// check the plans made. Each has one answer at every size.

export const SCHEMA = `define
name sub attribute, value string;
person sub entity, owns name, plays link:a, plays link:b;
link sub relation, relates a, relates b;`;

// Two people linked both ways (so a chain of any length has one answer), one of them with names n0–n9; a third named w7.
export const DATA = `insert $p isa person, ${Array.from({ length: 10 }, (_, i) => `has name "n${i}"`).join(', ')};
$q isa person, has name "q"; $r isa person, has name "w7"; (a: $p, b: $q) isa link; (a: $q, b: $p) isa link;`;

const range = (n: number, item: (i: number) => string, separator = ' ') => Array.from({ length: n }, (_, i) => item(i)).join(separator);

/** Patterns of `n` statements, links, branches or negations, by shape. */
export const SHAPES: Record<string, (n: number) => string> = {
  chain: (n) => `$x0 isa person, has name "n0"; ${range(n, (i) => `(a: $x${i}, b: $x${i + 1}) isa link;`)}`,
  'has values': (n) => `$p isa person; ${range(n, (i) => `$p has name "n${i % 10}";`)}`,
  'has variables': (n) => `$p isa person, has name "q"; ${range(n, (i) => `$p has name $a${i};`)}`,
  'wide or': (n) => `$p isa person; ${range(n, (i) => `{ $p has name "w${i}"; }`, ' or ')}; $p has name $m;`,
  'many nots': (n) => `$p isa person, has name "n0"; ${range(n, (i) => `not { $p has name "z${i}"; };`)}`,
};
