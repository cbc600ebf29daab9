// A rule joins demand-driven reasoning while a batch it depends on is still being materialised in full (an earlier
// query with a limit took its answers before the batch's fixpoint). The batch's later facts are never seeded into
// the rule as facts, so a key seeding the rule must read them: its horizon is the start of its first round (which
// runs only once the batches are complete), not the moment it joined (demand.ts joinedAt).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMAND_MIN_STORED_THINGS } from '../../src/query/reasoning.js';
import { INITIAL_BUDGET } from '../../src/reasoner/reasoner.js';
import type { Transaction } from '../../src/database/api.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

/** Longer than the first budget's rounds, so that a query with a limit stops the closure part-way. */
const NODES = INITIAL_BUDGET.rounds + 40;

const SCHEMA = `define
idx sub attribute, value long;
tag sub attribute, value string;
node sub entity, owns idx, owns tag, plays link:from, plays link:to, plays reach:from, plays reach:to;
link sub relation, relates from, relates to;
reach sub relation, relates from, relates to;
rule linked: when { (from: $a, to: $b) isa link; } then { (from: $a, to: $b) isa reach; };
rule onwards: when { (from: $a, to: $b) isa reach; (from: $b, to: $c) isa link; } then { (from: $a, to: $c) isa reach; };
rule reaches-end: when { (from: $a, to: $b) isa reach; $b has idx ${NODES - 1}; } then { $a has tag "reaches-end"; };`;

function tags(tx: Transaction): string[] {
  const result = tx.query('match $a isa node, has idx 0; $a has tag $t; get $t;');
  assert.equal(result.kind, 'get');
  return [...result.answers].map((answer) => {
    const t = answer.get('t');
    return t?.kind === 'attribute' ? String(t.value.value) : '?';
  });
}

test('a rule joining demand while a batch it reads is unfinished reads the batch\'s later facts', () => {
  withTempManager('demand-after-batch', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    writeData(manager, 'db', [
      `insert ${Array.from({ length: DEMAND_MIN_STORED_THINGS }, (_, i) => `$idle${i} isa node;`).join(' ')}`,
      ...Array.from({ length: NODES }, (_, i) => `insert $n isa node, has idx ${i};`),
      ...Array.from({ length: NODES - 1 }, (_, i) => `match $a isa node, has idx ${i}; $b isa node, has idx ${i + 1}; insert (from: $a, to: $b) isa link;`),
    ]);
    const session = manager.session('db', 'data');
    try {
      const tx = session.transaction('read', { infer: true });
      try {
        // Reads every reach: materialised in full, and stopped part-way for the limit.
        const first = tx.query('match (from: $x, to: $y) isa reach; get; limit 1;');
        assert.equal(first.kind, 'get');
        assert.equal([...first.answers].length, 1);
        const reasoner = (tx as unknown as { reasoner: { inferredFacts: number; demanded: { keys: number } } }).reasoner;
        assert.ok(reasoner.inferredFacts < (NODES * (NODES - 1)) / 2, 'the closure is not complete yet');
        // Node 0 reaches the last node only by a fact the batch infers after the rule joins.
        assert.deepEqual(tags(tx), ['reaches-end']);
        assert.ok(reasoner.demanded.keys > 0, 'answered on demand');
      } finally {
        tx.close();
      }
    } finally {
      session.close();
    }
  });
});
