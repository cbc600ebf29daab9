// Planning a match grows with its size, not its square: generated matches of thousands of constraints (one statement
// per column of a row, long chains, wide disjunctions, many negations) were planned by weighing every constraint left
// at every step. The planner counts the constraints it weighs; these bound the count by a multiple of the match's
// size (the quadratic planner weighed hundreds of times as many at these sizes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withFixture, type Fixture } from '../concept/fixtures.js';
import { withPreparedMatch } from './prepared-match.js';

const SCHEMA = `define
name sub attribute, value string;
person sub entity, owns name, plays link:a, plays link:b;
link sub relation, relates a, relates b;`;

// Two people linked both ways (so a chain of any length has one answer), one of them with names n0–n9; a third named w7.
const DATA = `insert $p isa person, ${Array.from({ length: 10 }, (_, i) => `has name "n${i}"`).join(', ')};
$q isa person, has name "q"; $r isa person, has name "w7"; (a: $p, b: $q) isa link; (a: $q, b: $p) isa link;`;

const range = (n: number, item: (i: number) => string, separator = ' ') => Array.from({ length: n }, (_, i) => item(i)).join(separator);

const SHAPES: Record<string, (n: number) => string> = {
  chain: (n) => `$x0 isa person, has name "n0"; ${range(n, (i) => `(a: $x${i}, b: $x${i + 1}) isa link;`)}`,
  'has values': (n) => `$p isa person; ${range(n, (i) => `$p has name "n${i % 10}";`)}`,
  'has variables': (n) => `$p isa person, has name "q"; ${range(n, (i) => `$p has name $a${i};`)}`,
  'wide or': (n) => `$p isa person; ${range(n, (i) => `{ $p has name "w${i}"; }`, ' or ')}; $p has name $m;`,
  'many nots': (n) => `$p isa person, has name "n0"; ${range(n, (i) => `not { $p has name "z${i}"; };`)}`,
};

/** The answers of `match <pattern>` and the constraints planning weighed to find them. */
function planned(f: Fixture, pattern: string): { answers: number; weighed: number } {
  return withPreparedMatch(f, pattern, (matcher, scope) => {
    let answers = 0;
    for (const row of matcher.match(scope)) if (typeof row !== 'symbol') answers++;
    return { answers, weighed: matcher.constraintsWeighed };
  });
}

test('planning a match weighs a bounded number of constraints per constraint of the match', withFixture(SCHEMA, (f: Fixture) => {
  f.write('data', (tx) => tx.query(DATA));
  for (const [shape, pattern] of Object.entries(SHAPES)) {
    for (const n of [100, 400]) {
      const { answers, weighed } = planned(f, pattern(n));
      assert.equal(answers, 1, `${shape} of ${n}: answers`);
      // Each constraint of the compiled match (a statement compiles to 1–3) is weighed a few times: when a variable
      // it names is bound, and when its cost surfaces in the queue of generators.
      assert.ok(weighed <= 16 * n, `${shape} of ${n}: ${weighed} constraints weighed`);
    }
  }
}));
