// Planning a match grows with its size, not its square: generated matches of thousands of constraints (one statement
// per column of a row, long chains, wide disjunctions, many negations) were planned by weighing every constraint left
// at every step. The planner counts the constraints it weighs; these bound the count by a multiple of the match's
// size (the quadratic planner weighed hundreds of times as many at these sizes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withFixture, type Fixture } from '../concept/fixtures.js';
import { withPreparedMatch } from './prepared-match.js';
import { SCHEMA, DATA, SHAPES } from './generated-matches.js';

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

// Each plan node keeps the constraints it has left; a bitset copied per node held constraints/32 words at every step
// (94 slots per constraint of a chain of 3 000 links, 564 376 in all). Shared with the parent's but for the paths the
// step changes, a node holds a few slots per constraint its step removes, times the depth of the trie (log n).
test('the plan tree keeps the constraints each node has left in memory growing with n log n, not n²', withFixture(SCHEMA, (f: Fixture) => {
  f.write('data', (tx) => tx.query(DATA));
  for (const shape of ['chain', 'has values', 'has variables']) {
    for (const n of [300, 3000]) {
      withPreparedMatch(f, SHAPES[shape]!(n), (matcher, scope) => {
        let answers = 0;
        for (const row of matcher.match(scope)) if (typeof row !== 'symbol') answers++;
        assert.equal(answers, 1, `${shape} of ${n}: answers`);
        const constraints = scope.plans.all.length;
        const slots = scope.plans.slotsAllocated;
        assert.ok(slots <= 2 * constraints * Math.log2(constraints), `${shape} of ${n}: ${slots} slots for ${constraints} constraints`);
      });
    }
  }
}));

// A disjunction consumed offers again what may have waited for it (assignments, and negations or disjunctions reading
// a variable its branches bind: branch-waits.ts). Offering every such constraint of the scope again after each
// disjunction weighed n² for a disjunction per column (out of memory at n = 5 000); only its own waiters are offered.
test('a disjunction per column offers again only the constraints waiting for it', withFixture(SCHEMA, (f: Fixture) => {
  f.write('data', (tx) => tx.query(DATA));
  const columns = (n: number, item: (i: number) => string) => Array.from({ length: n }, (_, i) => item(i)).join(' ');
  const shapes: Record<string, (n: number) => string> = {
    'or per column': (n) => `$p isa person, has name "n0"; ${columns(n, (i) => `{ $p has name $a${i}; $a${i} == "n${i % 10}"; } or { $p has name $a${i}; $a${i} == "z${i}"; };`)}`,
    'or and a waiting not per column': (n) =>
      `$p isa person, has name "n0"; ${columns(n, (i) => `{ $p has name $a${i}; $a${i} == "n${i % 10}"; } or { $p has name $a${i}; $a${i} == "z${i}"; }; not { $p has name $a${i}; $a${i} == "y${i}"; };`)}`,
  };
  for (const [shape, pattern] of Object.entries(shapes)) {
    for (const n of [100, 400]) {
      const { answers, weighed } = planned(f, pattern(n));
      assert.equal(answers, 1, `${shape} of ${n}: answers`);
      // A column compiles to a disjunction of two branches of two constraints each (and a negation): ~22 and ~30
      // weighed per column; offering every waiting kind again weighed 121 and 228 per column at n = 100, 421 and 828 at 400.
      assert.ok(weighed <= 32 * n, `${shape} of ${n}: ${weighed} constraints weighed`);
    }
  }
}));
