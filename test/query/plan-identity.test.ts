// The plans made for generated matches, walked from the root of the plan tree and fingerprinted, are the plans the
// planner made when each node kept its constraints left as a bitset copied from its parent's: changes to how a node
// keeps that set (step-plans.ts) must not change which steps are chosen. After a deliberate change to planning,
// print `fingerprint(...)` for each shape and size and record the new digests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { withFixture, type Fixture } from '../concept/fixtures.js';
import { withPreparedMatch } from './prepared-match.js';
import { SCHEMA, DATA, SHAPES } from './generated-matches.js';
import type { PlanNode, StepPlans } from '../../src/query/step-plans.js';

/** Each node's plans in key order: the filters, pending count and answer flag, and the extension chosen and node below it. */
function fingerprint(plans: StepPlans): { plans: number; digest: string } {
  const hash = createHash('sha256');
  const at = (c: Parameters<StepPlans['position']>[0]) => plans.position(c);
  const nodes: PlanNode[] = [plans.root()];
  let count = 0;
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    hash.update(`node ${node.size} [${node.candidates?.map(at).join(',') ?? 'all'}]\n`);
    for (const [key, plan] of [...node.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      count++;
      const e = plan.extension;
      const step = e === undefined ? '-' : `${e.generator.cost} ${e.generator.consumes === undefined ? '-' : at(e.generator.consumes)}`;
      hash.update(`${key} [${plan.filters.map(at).join(',')}] ${plan.pending} ${plan.answer} ${step}\n`);
      if (e !== undefined) nodes.push(e.next);
    }
  }
  return { plans: count, digest: hash.digest('hex').slice(0, 16) };
}

const range = (n: number, item: (i: number) => string) => Array.from({ length: n }, (_, i) => item(i)).join(' ');

/** Shapes whose top scope holds a disjunction or a negation per column, besides a `has` each. */
const COLUMNS: Record<string, (n: number) => string> = {
  'or per column': (n) => `$p isa person, has name "n0"; ${range(n, (i) => `{ $p has name $a${i}; $a${i} == "n${i % 10}"; } or { $p has name $a${i}; $a${i} == "z${i}"; };`)}`,
  'not per column': (n) => `$p isa person, has name "q"; ${range(n, (i) => `$p has name $a${i}; not { $a${i} == "z${i}"; };`)}`,
};

/**
 * Digests of the plans the bitset planner made, by shape and size (plans made, digest). Recorded again once lookups by
 * value were weighed with their owners: the steps chosen changed in `has values` alone (the owner found from the first
 * value, the others then checked from it, not every value looked up first), the others' in costs and nodes' candidates.
 */
const EXPECTED: Record<string, Record<number, string>> = {
  chain: { 40: '43 551ab7950b6280e5', 300: '303 50dcfae079ec5a9a', 1100: '1103 fe984609eabba296' },
  'has values': { 40: '42 65a77fcc5cf29071', 300: '302 db0ced0fed79877c', 1100: '1102 4cd1f4b99fafcdab' },
  'has variables': { 40: '43 fa7583faedc6ee60', 300: '303 8798497629223e62', 1100: '1103 bbe74f0b6fcae666' },
  'wide or': { 40: '3 9294ae33f48a550f', 300: '3 364e8ab9c28c22c6', 1100: '3 aa45add70f60c955' },
  'many nots': { 40: '3 3059652060b0c217', 300: '3 52f6ee0ca6d8985c', 1100: '3 9bd1d4a0662eb5cd' },
  'or per column': { 40: '42 fc926f104079b477', 300: '302 1949e199ec2212d1', 1100: '1102 8893a1c35485b9cd' },
  'not per column': { 40: '43 d9772b23130e6a46', 300: '303 535b4da84cc79832', 1100: '1103 b2b7fce59656af85' },
};

test('generated matches of up to thousands of constraints are planned as before', withFixture(SCHEMA, (f: Fixture) => {
  f.write('data', (tx) => tx.query(DATA));
  const seen: Record<string, Record<number, string>> = {};
  for (const [shape, pattern] of Object.entries({ ...SHAPES, ...COLUMNS })) {
    for (const n of [40, 300, 1100]) {
      withPreparedMatch(f, pattern(n), (matcher, scope) => {
        let answers = 0;
        for (const row of matcher.match(scope)) if (typeof row !== 'symbol') answers++;
        assert.equal(answers, 1, `${shape} of ${n}: answers`);
        const { plans, digest } = fingerprint(scope.plans);
        (seen[shape] ??= {})[n] = `${plans} ${digest}`;
      });
    }
  }
  assert.deepEqual(seen, EXPECTED);
}));
