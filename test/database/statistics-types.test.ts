// The planner's instance counts are held per database by type id, and ids are never reused: a server whose clients
// define, use and undefine types must not keep the counts of every type it ever had.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWithSchema, inTransaction, withTempManager, writeData } from '../support/databases.js';

function schemaWrite(manager: Parameters<typeof createWithSchema>[0], query: string): void {
  inTransaction(manager, 'churn', 'schema', 'write', (tx) => {
    tx.query(query);
    tx.commit();
  });
}

test('the counts of undefined types are dropped with the schema change', () => {
  withTempManager('statistics-types', (manager) => {
    createWithSchema(manager, 'churn', 'define n sub attribute, value long; holder sub entity, owns n;');
    const statistics = manager.get('churn').statistics;
    let mostCounted = 0;
    for (let i = 0; i < 20; i++) {
      schemaWrite(manager, `define t${i} sub entity, owns n;`);
      writeData(manager, 'churn', [`insert $x isa t${i}, has n ${i};`, `insert $h isa holder, has n ${i};`]);
      inTransaction(manager, 'churn', 'data', 'read', (tx) => {
        const result = tx.query(`match $x isa t${i}, has n $v; get;`);
        assert.ok(result.kind === 'get');
        assert.equal([...result.answers].length, 1);
      });
      mostCounted = Math.max(mostCounted, statistics.typesCounted);
      writeData(manager, 'churn', [`match $x isa t${i}; delete $x isa t${i};`]);
      schemaWrite(manager, `undefine t${i} sub entity;`);
    }
    assert.ok(mostCounted > 0, 'the reads counted instances');
    // Left: at most the types still defined (n, holder and the roots), not one per type ever defined.
    assert.ok(statistics.typesCounted <= 4, `${statistics.typesCounted} types counted`);
  });
});
