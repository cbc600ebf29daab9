// Rule evaluation order: rules grouped into strata (mutually recursive rules together), dependencies first; and
// the rules a set of types needs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ruleDependencies, rulesFor, stratify, type StratifiableRule } from '../../src/reasoner/strata.js';

const rule = (label: string, concludes: number[], reads: number[], negatedReads: number[] = []): StratifiableRule => ({
  label,
  concludes,
  reads: new Set(reads),
  negatedReads: new Set(negatedReads),
});

const labels = (strata: StratifiableRule[][]) => strata.map((s) => s.map((r) => r.label));

test('a rule runs after the rules whose conclusions it reads, negated or not', () => {
  // 10: parentship (data), 11: ancestry, 12: founder
  const founder = rule('founder', [12], [1], [11]);
  const transitive = rule('transitive', [11], [11]);
  const base = rule('base', [11], [10]);
  const rules = [founder, transitive, base];
  assert.deepEqual(labels(stratify(rules, ruleDependencies(rules))), [['base'], ['transitive'], ['founder']]);
});

test('independent rules keep their definition order', () => {
  const rules = [rule('a', [20], [1]), rule('b', [21], [2]), rule('c', [22], [3])];
  assert.deepEqual(labels(stratify(rules, ruleDependencies(rules))), [['a'], ['b'], ['c']]);
});

test('a query needs the rules concluding its types and everything they depend on', () => {
  const a = rule('a', [20], [1]);
  const b = rule('b', [21], [20]);
  const c = rule('c', [22], [3], [21]);
  const d = rule('d', [23], [4]);
  const rules = [a, b, c, d];
  const deps = ruleDependencies(rules);
  assert.deepEqual([...rulesFor(new Set([22]), rules, deps)].map((r) => r.label).sort(), ['a', 'b', 'c']);
  assert.deepEqual([...rulesFor(new Set([23]), rules, deps)].map((r) => r.label), ['d']);
  assert.equal(rulesFor(new Set([1, 2, 3]), rules, deps).size, 0);
  // Strata of a subset only order the rules within it.
  assert.deepEqual(labels(stratify([c, b], deps)), [['b'], ['c']]);
});
