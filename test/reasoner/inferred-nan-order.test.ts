// An inferred NaN among sorted answers, demand-driven: countAttributesBetween records no demand, and it also tells an
// in-order read of a double type whether a NaN is stored (range-scan.ts holdsNaN: NaN is keyed beyond the infinities,
// yet sorts after every number). That needs no demand: a NaN can only be out of place if it is an answer, and the
// probe, which finds every answer, has inferred it before the query runs. Checked against full materialisation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMAND_MIN_STORED_THINGS } from '../../src/query/reasoning.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

const SCHEMA = `define
n sub attribute, value double;
root sub attribute, value double;
box sub entity, owns n, owns root;
rule roots: when { $b isa box, has n $n; ?r = $n ^ 0.5; } then { $b has root ?r; };`;

const QUERIES = [
  'match $b isa box, has root $r; get $r; sort $r;',
  'match $b isa box, has root $r; get $r; sort $r desc; limit 2;',
  'match $r isa root; $b isa box, has root $r; get $r; sort $r; limit 1;',
  'match $b isa box, has root $r; $r > 1.0; get $r; sort $r desc;',
  'match $b isa box, has n 16.0, has root $r; get $r; sort $r;',
  'match $b isa box, has n -4.0, has root $r; get $r; sort $r;',
];

test('sorted answers with an inferred NaN are those of full materialisation, demand-driven', () => {
  withTempManager('inferred-nan', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    writeData(manager, 'db', [
      // Boxes in nothing, so that the query's types hold enough stored things to be answered on demand.
      `insert ${Array.from({ length: DEMAND_MIN_STORED_THINGS }, (_, i) => `$idle${i} isa box;`).join(' ')}`,
      ...[-4, 9, 1, 16, 4, 0, 25, 2.25].map((x) => `insert $b isa box, has n ${x.toFixed(2)};`),
      'insert $r 7.0 isa root;',
    ]);
    const session = manager.session('db', 'data');
    try {
      for (const query of QUERIES) {
        const [onDemand, inFull] = [false, true].map((explain) => {
          const tx = session.transaction('read', { infer: true, explain });
          try {
            const result = tx.query(query);
            assert.equal(result.kind, 'get');
            const roots = [...result.answers].map((answer) => {
              const root = answer.get('r');
              return root?.kind === 'attribute' ? String(root.value.value) : '?';
            });
            const keys = (tx as unknown as { reasoner?: { demanded: { keys: number } } }).reasoner?.demanded.keys ?? 0;
            return { roots, keys };
          } finally {
            tx.close();
          }
        });
        assert.ok(onDemand!.keys > 0, `${query}: answered on demand`);
        assert.deepEqual(onDemand!.roots, inFull!.roots, query);
      }
    } finally {
      session.close();
    }
  });
});
