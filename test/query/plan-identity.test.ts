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

/** Digests of the plans the bitset planner made, by shape and size (plans made, digest). */
const EXPECTED: Record<string, Record<number, string>> = {
  chain: { 40: '43 094c4eb2a72499ae', 300: '303 57b907f1c81d36cf', 1100: '1103 14d49610fde7cf1e' },
  'has values': { 40: '42 daddebe0c11b5515', 300: '302 6d94af2995502c8d', 1100: '1102 902e34ac516054c0' },
  'has variables': { 40: '43 096d7903caf8e16e', 300: '303 8e87a75f75d074da', 1100: '1103 0cb5fda46fe1e407' },
  'wide or': { 40: '3 9294ae33f48a550f', 300: '3 364e8ab9c28c22c6', 1100: '3 aa45add70f60c955' },
  'many nots': { 40: '3 b1aabc8887d20c7b', 300: '3 2b5c8aa3e13931d3', 1100: '3 802a10793fa9b443' },
  'or per column': { 40: '42 8dab437f26752f42', 300: '302 ad5bb8e552a06217', 1100: '1102 cab144e9efea18f1' },
  'not per column': { 40: '43 2fbacd93a47a0350', 300: '303 317cc25c5892055a', 1100: '1103 a3c552bedc85b493' },
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
