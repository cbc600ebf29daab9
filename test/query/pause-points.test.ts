// A query that searches long gives way (common/steps.ts): wherever the search is — the match, a negation that
// rejects every answer, a sort or an aggregate collecting, a write's match, a rule body materialising — it yields
// PENDING every STEPS_PER_PAUSE (1024) steps or so, through every layer up to the caller of queryInSteps; and the
// embedded API's answers never show one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PENDING, runSteps, withoutPauses } from '../../src/common/steps.js';
import type { Transaction } from '../../src/database/api.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

const ITEMS = 24;
/** Every triple of items: 13 824 combinations, each a few search steps. */
const TRIPLES = 'match $a isa item, has n $x; $b isa item, has n $y; $c isa item, has n $z;';
const NO_SUM = `${TRIPLES} ?s = $x + $y + $z; ?s < 0;`;
/** Far fewer than the search's steps / 1024, far more than a search that pauses only between answers makes. */
const ENOUGH_PAUSES = 10;

function withItems(body: (run: (type: 'read' | 'write', infer: boolean, f: (tx: Transaction) => void) => void) => void): void {
  withTempManager('pause-points', (manager) => {
    createWithSchema(
      manager,
      'items',
      `define n sub attribute, value long; mark sub attribute, value string; item sub entity, owns n, owns mark;
       rule negative: when { ${NO_SUM.slice('match '.length)} } then { $a has mark "negative"; };`,
    );
    writeData(manager, 'items', [`insert ${Array.from({ length: ITEMS }, (_, i) => `$x${i} isa item, has n ${i};`).join(' ')}`]);
    body((type, infer, f) => {
      const session = manager.session('items', 'data');
      try {
        const tx = session.transaction(type, infer ? { infer: true } : {});
        try {
          f(tx);
        } finally {
          if (tx.isOpen()) tx.close();
        }
      } finally {
        session.close();
      }
    });
  });
}

/** Runs the query as the server does: its pause points while it computes, then those among its lazy answers. */
function pausesOf(tx: Transaction, query: string): { pauses: number; answers: unknown[] } {
  const steps = tx.queryInSteps(query);
  let pauses = 0;
  let next = steps.next();
  for (; !next.done; next = steps.next()) pauses++;
  const result = next.value;
  const answers: unknown[] = [];
  if (result.kind === 'get' || result.kind === 'fetch') {
    for (const answer of result.answers) {
      if (answer === PENDING) pauses++;
      else answers.push(answer);
    }
  }
  return { pauses, answers };
}

const QUERIES: readonly { label: string; query: string; write?: true; infer?: true; answers?: number }[] = [
  { label: 'get', query: `${NO_SUM} get;` },
  { label: 'get with a negation that rejects every answer', query: `${TRIPLES} not { ?s = $x + $y + $z; ?s >= 0; }; get;` },
  // Its only answer comes once the negation found nothing in 13 824 combinations.
  { label: 'get with one negation that searches long', query: 'match $i isa item, has n 0; not { $i has n $w; $b isa item, has n $y; $c isa item, has n $z; $d isa item, has n $v; ?t = $w + $y + $z + $v; ?t < 0; }; get $i;', answers: 1 },
  { label: 'get with a disjunction', query: `${TRIPLES} { ?s = $x + $y + $z; ?s < 0; } or { ?d = $x - $y - $z; ?d > 100; }; get;` },
  { label: 'get with a sort', query: `${NO_SUM} get; sort $x;` },
  { label: 'get with a sort and a limit', query: `${NO_SUM} get; sort $x; limit 2;` },
  { label: 'get with an offset past every answer', query: `${TRIPLES} get $a, $b, $c; offset 100000;` },
  { label: 'count', query: `${NO_SUM} get; count;` },
  { label: 'group', query: `${NO_SUM} get; group $a; count;` },
  { label: 'fetch', query: `${NO_SUM} fetch $a: n;` },
  { label: 'match-insert', query: `${NO_SUM} insert $a has mark "negative";`, write: true },
  { label: 'match-delete', query: `${NO_SUM} delete $a has $x;`, write: true },
  { label: 'first reasoning query (one long round)', query: 'match $i has mark "negative"; get;', infer: true },
];

test('a long search pauses every few thousand steps, whatever the query kind and wherever the search is', () => {
  withItems((run) => {
    for (const { label, query, write, infer, answers: expected = 0 } of QUERIES) {
      run(write ? 'write' : 'read', infer === true, (tx) => {
        const { pauses, answers } = pausesOf(tx, query);
        assert.equal(answers.length, expected, label);
        assert.ok(pauses >= ENOUGH_PAUSES, `${label}: ${pauses} pause points`);
      });
    }
  });
});

test('answers with pause points among them are the answers; the embedded API shows none of the pause points', () => {
  withItems((run) => {
    const query = `${TRIPLES} ?s = $x + $y + $z; ?s == 40; get $x, $y, $z; sort $x, $y, $z;`;
    run('read', false, (tx) => {
      const plain = tx.query(query);
      assert.equal(plain.kind, 'get');
      const answers = plain.kind === 'get' ? [...plain.answers] : [];
      assert.ok(answers.length > 0 && answers.every((a) => a instanceof Map));
      const stepped = runSteps(tx.queryInSteps(query));
      assert.equal(stepped.kind, 'get');
      const values = (list: Iterable<unknown>) => [...list].map((a) => [...(a as Map<string, { value: unknown }>).values()].map((c) => c.value).join(','));
      assert.deepEqual(values(withoutPauses(stepped.kind === 'get' ? stepped.answers : [])), values(answers));
    });
  });
});

test('a match of thousands of statements pauses (and reads its deadline) every 1 024 steps or constraints weighed while it plans them', () => {
  // Found by fuzzing: planning a step weighed every constraint left, so a match of 30 000 statements searched 55 s
  // between two readings of the deadline (1 024 steps) and a 3 s transaction timeout stopped it after 55 s. A step now
  // weighs a few constraints and copies a few slots of the set of constraints left (position-set.ts): one step each.
  withItems((run) => {
    const statements = 4000;
    const query = `match $i isa item, has n 0; ${Array.from({ length: statements - 1 }, (_, k) => `$i has n $v${k};`).join(' ')} get $i; limit 1;`;
    run('read', false, (tx) => {
      const { pauses, answers } = pausesOf(tx, query);
      assert.equal(answers.length, 1);
      // A step at least per statement (each binds a variable), and each statement's constraint weighed at least once
      // to plan it: counted as work, a pause every 1 024 (counting steps alone gave 4 pauses here).
      assert.ok(pauses >= Math.floor((2 * statements) / 1024), `${pauses} pause points`);
      // Not one per step: counted as copying a bitset of the constraints left, steps gave way 452 times here.
      assert.ok(pauses <= (4 * statements) / 1024, `${pauses} pause points`);
    });
  });
});
